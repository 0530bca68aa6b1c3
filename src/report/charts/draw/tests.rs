//! Tests of the drawing kit: text fitting, drawable text, ticks, date ticks.

use super::*;

/// `fit` gives what dropping one character at a time gave, and a 30,000-character name
/// is shortened at once (it took 93 s, one measure per character dropped).
#[test]
fn fit_is_the_longest_prefix_and_linear() {
    register_fonts().unwrap();
    let mut text = String::new();
    let root = SVGBackend::with_string(&mut text, (800, 200)).into_drawing_area();
    let cv = Canvas {
        root: &root,
        st: Style::new(800, 200, true),
    };
    let f = Font::new(size::LABEL, INK);
    let slow = |t: &str, max: i32| -> String {
        if cv.width(t, f) <= max {
            return t.to_string();
        }
        let chars: Vec<char> = t.chars().collect();
        for n in (1..chars.len()).rev() {
            let s = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
            if cv.width(&s, f) <= max {
                return s;
            }
        }
        "…".into()
    };
    for t in [
        "Kayes",
        "Tambacounda junction (N1)  and  more words",
        "éé ßß — x",
    ] {
        for max in [0, 5, 30, 60, 120, 400] {
            assert_eq!(cv.fit(t, f, max), slow(t, max), "{t:?} in {max} px");
        }
    }
    let long = "x".repeat(15_000) + " " + &"é".repeat(15_000);
    let start = std::time::Instant::now();
    let got = cv.fit(&long, f, 300);
    assert!(cv.width(&got, f) <= 300 && got.ends_with('…') && got.len() > 10);
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

#[test]
fn drawable_text_has_no_xml_forbidden_characters() {
    assert_eq!(drawable("Kayes"), "Kayes");
    assert_eq!(drawable("a\u{1}b\nc\u{fffe}"), "a\u{fffd}b c\u{fffd}");
}

#[test]
fn nice_ticks_are_round() {
    let (v, step) = nice_ticks(0.0, 7.3, 5);
    assert_eq!(step, 2.0);
    assert_eq!(v, vec![0.0, 2.0, 4.0, 6.0]);
    assert_eq!(nice_top(7.3, 5), 8.0);
    assert_eq!(nice_top(0.0, 5), 1.0);
    assert_eq!(nice_top(f64::NAN, 5), 1.0);
    let (v, _) = nice_ticks(3.0, 3.0, 5);
    assert!(!v.is_empty());
}

#[test]
fn tick_labels_have_the_decimals_of_their_step() {
    assert_eq!(tick_label(2.5, 2.5), "2.5");
    assert_eq!(tick_label(0.25, 0.25), "0.25");
    assert_eq!(tick_label(20.0, 10.0), "20");
    assert_eq!(tick_label(-0.0, 1.0), "0");
    assert_eq!(tick_label(20000.0, 5000.0), "20,000");
    assert_eq!(tick_label(7.5, 2.5), "7.5");
    assert_eq!(tick_label(10.0, 2.5), "10.0");
    assert_eq!(tick_label(0.3, 0.1), "0.3");
}

#[test]
fn date_ticks_fall_on_month_starts_with_the_year_once() {
    let t = TimeAxis {
        start: Date::parse("2025-09-01"),
        days: 180.0,
        lang: Lang::En,
    };
    let ticks = t.ticks();
    let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "1 Sep 2025",
            "1 Oct",
            "1 Nov",
            "1 Dec",
            "1 Jan 2026",
            "1 Feb"
        ]
    );
    assert_eq!(ticks[1].0, 30.0);
    let one = TimeAxis {
        start: Date::parse("2025-09-01"),
        days: 1.0,
        lang: Lang::En,
    };
    assert_eq!(one.ticks().len(), 2);
    let plain = TimeAxis {
        start: None,
        days: 90.0,
        lang: Lang::En,
    };
    assert_eq!(plain.ticks()[1].1, "20");
    assert_eq!(plain.label(63.4), "day 63");
}
