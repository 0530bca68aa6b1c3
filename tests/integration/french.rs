//! `run --lang fr`: the report (HTML and Markdown) and the terminal headline of the bundled
//! Bamako run hold no English word of the message catalogue, and write dates ("1 oct.
//! 2025") and numbers ("1 234,5", "12,5 %") the French way. Words that come from the
//! scenario (names, labels, the description) are data and are taken out before the check.

use std::collections::BTreeSet;
use std::ffi::OsString;

use blockade::report::{Lang, Msg, NNBSP};

use crate::common::{
    load_clean, networks_dir, run, small_tutorial_calibration, tutorial_observation,
    write_observations,
};

/// The words of `text`: runs of letters, lower-cased. Tokens holding a digit or an
/// underscore (ids, CSV columns such as `p_dry_by_day`) are not words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '_'))
        .map(str::to_lowercase)
        .collect()
}

/// A catalogue text without its `{holes}`.
fn without_holes(t: &str) -> String {
    let mut o = String::new();
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ if depth == 0 => o.push(c),
            _ => {}
        }
    }
    o
}

/// `t` without command-line flags and their hyphenated values (`--lever
/// protected-reserve`, `--payload-litres`): names of the interface, the same in every
/// language.
fn without_flags(t: &str) -> String {
    let mut o: Vec<&str> = Vec::new();
    let mut after_flag = false;
    for w in t.split(' ') {
        let flag = w.starts_with("--");
        if !(flag || (after_flag && w.contains('-'))) {
            o.push(w);
        }
        after_flag = flag;
    }
    o.join(" ")
}

/// English words of the catalogue that no French text of it uses.
fn english_only() -> BTreeSet<String> {
    let mut en = BTreeSet::new();
    let mut fr = BTreeSet::new();
    for m in Msg::ALL {
        en.extend(words(&without_flags(&without_holes(m.text(Lang::En)))));
        fr.extend(words(&without_flags(&without_holes(m.text(Lang::Fr)))));
    }
    en.difference(&fr).cloned().collect()
}

/// The visible text of an HTML page: no style block, no tags, entities decoded.
fn html_text(html: &str) -> String {
    let html = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut o = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                o.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => o.push(c),
            _ => {}
        }
    }
    o.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Markdown without its link targets (`](charts/first-dry.png)`: file names, not words).
fn without_links(md: &str) -> String {
    let mut o = String::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        o.push_str(&rest[..=i]);
        rest = &rest[i + 2..];
        rest = rest.find(')').map_or("", |j| &rest[j + 1..]);
    }
    o.push_str(rest);
    o
}

/// `text` with every piece of scenario data removed (longest first).
fn without_data(text: &str, data: &[String]) -> String {
    let mut data: Vec<&String> = data.iter().filter(|d| !d.is_empty()).collect();
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    let mut t = text.to_string();
    for d in data {
        t = t.replace(d.as_str(), " ");
    }
    t
}

/// Fails with every English catalogue word found in `text` (flags aside), with some
/// context.
fn assert_no_english(what: &str, text: &str, english: &BTreeSet<String>) {
    // Flags (`--kpi`, `--lever protected-reserve`) are the interface, in no language.
    let found: BTreeSet<String> = words(&without_flags(text))
        .into_iter()
        .filter(|w| english.contains(w))
        .collect();
    assert!(
        found.is_empty(),
        "{what}: English words of the catalogue in the French output: {found:?}\n{}",
        &text[..text.len().min(3000)]
    );
}

/// No number written the English way: a decimal point ("2.5") or commas between digit
/// groups ("1,234,567", "1,234.5"; a lone "12,655" is a French decimal).
fn assert_french_numbers(what: &str, text: &str) {
    let c: Vec<char> = text.chars().collect();
    for i in 1..c.len().saturating_sub(1) {
        if (c[i] == ',' || c[i] == '.') && c[i - 1].is_ascii_digit() && c[i + 1].is_ascii_digit() {
            // "12,655" is a French decimal; "1,234,567" and "1,234.5" are English.
            let group = c[i + 1..].iter().take_while(|x| x.is_ascii_digit()).count();
            let next = c.get(i + 1 + group).copied();
            let english = c[i] == '.'
                || (group == 3
                    && matches!(next, Some(',' | '.'))
                    && c.get(i + 5).is_some_and(char::is_ascii_digit));
            let around: String = c[i.saturating_sub(30)..(i + 30).min(c.len())]
                .iter()
                .collect();
            assert!(!english, "{what}: English number near «{around}»");
        }
    }
}

/// Scenario data of the run of `ron`, taken out of its outputs before a language check:
/// its name, description, nodes, segment ids, classes, event labels, tags and file name,
/// and the version.
fn run_data(ron: &std::path::Path) -> Vec<String> {
    let s = load_clean(ron).scenario;
    let mut data: Vec<String> = vec![
        s.name.clone(),
        s.description.trim().to_string(),
        env!("CARGO_PKG_VERSION").to_string(),
        ron.file_name().unwrap().to_string_lossy().into_owned(),
    ];
    for n in &s.nodes {
        data.push(n.name.clone());
        data.push(n.id.clone());
    }
    for g in &s.segments {
        data.push(g.id.clone());
    }
    for (_, d) in s.depots() {
        data.extend(d.demand.iter().map(|c| c.name.clone()));
    }
    for e in &s.events {
        data.push(e.display_label());
    }
    data.extend(s.tags().keys().map(|t| t.to_string()));
    data
}

#[test]
fn french_report_has_no_english_words_and_french_numbers_and_dates() {
    let ron = networks_dir().join("bamako-2025.ron");
    let out = std::env::temp_dir().join(format!("blockade-french-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = run(&[
        "run".as_ref(),
        ron.as_os_str(),
        "-n".as_ref(),
        "40".as_ref(),
        "--sensitivity-replications".as_ref(),
        "10".as_ref(),
        "--size".as_ref(),
        "800x450".as_ref(),
        "--lang".as_ref(),
        "fr".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let english = english_only();
    // The list is the real vocabulary of the catalogue, not a handful of words.
    for w in [
        "runs",
        "dry",
        "rationing",
        "tankers",
        "median",
        "unmet",
        "the",
    ] {
        assert!(english.contains(w), "{w} should be an English-only word");
    }

    let data = run_data(&ron);

    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(html.contains("<html lang=\"fr\">"));
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let html_t = without_data(&html_text(&html), &data);
    let md_t = without_data(&without_links(&md.replace('\\', "")), &data);
    let head = without_data(&String::from_utf8_lossy(&o.stdout), &data);
    assert_no_english("report.html", &html_t, &english);
    assert_no_english("report.md", &md_t, &english);
    assert_no_english("headline", &head, &english);
    for (what, t) in [
        ("report.html", &html_t),
        ("report.md", &md_t),
        ("headline", &head),
    ] {
        assert_french_numbers(what, t);
    }

    // Dates: the run starts on 1 September 2025; French month abbreviations.
    assert!(html_t.contains("1 sept. 2025"), "no French start date");
    assert!(!html_t.contains("Sep 2025") && !html_t.contains("Oct 2025"));
    // Thousands with a narrow no-break space (1,000+ litres are everywhere), and a
    // narrow no-break space before every percent sign.
    let nnbsp_thousands =
        html_t.chars().collect::<Vec<_>>().windows(5).any(|w| {
            w[0].is_ascii_digit() && w[1] == NNBSP && w[2..].iter().all(char::is_ascii_digit)
        });
    assert!(nnbsp_thousands, "no French thousands separator");
    assert!(html_t.contains(&format!("{NNBSP}%")));
    assert!(
        !html_t.contains(" %") && !md_t.contains(" %"),
        "a percent sign after a plain space"
    );
    // No line may start with French punctuation: the spaces before it are unbreakable.
    let page = html_text(&html);
    for p in [" ;", " :", " ?", " »"] {
        assert!(
            !page.contains(p) && !md.contains(p),
            "«{p}» after a plain space"
        );
    }
    assert!(page.contains("\u{A0}:") && page.contains("\u{202F};"));
    // A decimal comma somewhere ("6,0 jours de carburant aujourd'hui").
    assert!(html_t.contains(" jours de carburant aujourd'hui"));
    let c: Vec<char> = html_t.chars().collect();
    assert!(
        c.windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == ',' && w[2].is_ascii_digit()),
        "no decimal comma"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// `tornado --lang fr` on the tutorial: its terminal lines and its chart (the SVG's text)
/// hold no English word of the catalogue and write numbers the French way; the inputs are
/// named in French ("taille de la flotte (citernes)" for `fleet.trucks`), their paths are
/// data.
#[test]
fn a_french_tornado_has_no_english_words() {
    let ron = networks_dir().join("tutorial.ron");
    let out = std::env::temp_dir().join(format!("blockade-french-tornado-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = run(&[
        "tornado".as_ref(),
        ron.as_os_str(),
        "--vary".as_ref(),
        "fleet.trucks=300,500".as_ref(),
        "--vary".as_ref(),
        "escorts.units=1,4".as_ref(),
        "-n".as_ref(),
        "8".as_ref(),
        "--svg".as_ref(),
        "--lang".as_ref(),
        "fr".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let english = english_only();
    for w in ["swing", "written", "replications", "protected"] {
        assert!(english.contains(w), "{w} should be an English-only word");
    }
    let data: Vec<String> = [
        out.display().to_string(),
        "tutorial".into(),
        "fleet.trucks".into(),
        "escorts.units".into(),
    ]
    .into();
    let term = without_data(&String::from_utf8_lossy(&o.stdout), &data);
    assert!(term.contains("Tornade"), "{term}");
    let svg = std::fs::read_to_string(out.join("tornado.svg")).expect("tornado.svg");
    let chart = without_data(&html_text(&svg), &data);
    assert!(chart.contains("cas de base"), "{chart}");
    assert!(chart.contains("taille de la flotte (citernes)"), "{chart}");
    assert!(chart.contains("escortes : unités"), "{chart}");
    for (what, t) in [("tornado terminal", &term), ("tornado.svg", &chart)] {
        assert_no_english(what, t, &english);
        assert_french_numbers(what, t);
    }
    let _ = std::fs::remove_dir_all(&out);
}

/// `network --lang fr` on Bamako on a blockade day: the terminal analysis and the map (the
/// SVG's text) hold no English word of the catalogue and write numbers the French way.
#[test]
fn a_french_network_analysis_has_no_english_words() {
    let ron = networks_dir().join("bamako-2025.ron");
    let out = std::env::temp_dir().join(format!("blockade-french-network-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = run(&[
        "network".as_ref(),
        ron.as_os_str(),
        "--at-day".as_ref(),
        "40".as_ref(),
        "--svg".as_ref(),
        "--lang".as_ref(),
        "fr".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let english = english_only();
    for w in ["trucks", "demand", "flow", "capacity"] {
        assert!(english.contains(w), "{w} should be an English-only word");
    }
    let s = load_clean(&ron).scenario;
    let mut data: Vec<String> = vec![s.name.clone(), out.display().to_string()];
    for n in &s.nodes {
        data.push(n.name.clone());
        data.push(n.id.clone());
    }
    for (i, g) in s.segments.iter().enumerate() {
        data.push(g.id.clone());
        data.push(s.segment_label(blockade::scenario::SegmentId(i as u32)));
    }
    let term = without_data(&String::from_utf8_lossy(&o.stdout), &data);
    assert!(term.contains("Analyse du réseau"), "{term}");
    for svg in ["network.svg", "network-risk.svg"] {
        let text = std::fs::read_to_string(out.join(svg)).expect(svg);
        let chart = without_data(&html_text(&text), &data);
        assert_no_english(svg, &chart, &english);
        assert_french_numbers(svg, &chart);
    }
    assert_no_english("network terminal", &term, &english);
    assert_french_numbers("network terminal", &term);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn catalogue_holes_match_between_languages() {
    // Every hole of the English text is in the French one and the other way round, so a
    // sentence never loses a value in translation.
    let holes = |t: &str| -> BTreeSet<String> {
        t.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
            .collect()
    };
    for m in Msg::ALL {
        assert_eq!(
            holes(m.text(Lang::En)),
            holes(m.text(Lang::Fr)),
            "{m:?}: holes differ"
        );
    }
}

#[test]
fn french_numbers_and_dates() {
    use blockade::scenario::Date;
    assert_eq!(Lang::Fr.thousands(1234567.0), "1\u{202F}234\u{202F}567");
    assert_eq!(Lang::Fr.num(1234.5, 1), "1234,5");
    assert_eq!(Lang::Fr.digits("1,234.5"), "1\u{202F}234,5");
    assert_eq!(Lang::Fr.percent("12.5"), "12,5\u{202F}%");
    assert_eq!(Lang::En.percent("12.5"), "12.5 %");
    let d = Date::parse("2025-10-01").expect("date");
    assert_eq!(Lang::Fr.date(d, true), "1 oct. 2025");
    assert_eq!(Lang::En.date(d, true), "1 Oct 2025");
    // Names keep their points: only separators between digits change.
    assert_eq!(Lang::Fr.digits("daily.csv"), "daily.csv");
    // Punctuation keeps to its word; English is left alone.
    assert_eq!(
        Lang::Fr.typeset("Méthode : ceci ; « cela » ?"),
        "Méthode\u{A0}: ceci\u{202F}; «\u{A0}cela\u{A0}»\u{202F}?"
    );
    assert_eq!(
        Lang::En.typeset("Method : this ; that"),
        "Method : this ; that"
    );
}

/// Runs `blockade` with `args` then `--svg --lang fr --out <temp>` and checks that its
/// terminal text and every chart it drew (the SVGs' text) hold no English word of the
/// catalogue once `data` (scenario names, ids, paths, labels) is taken out, and write
/// numbers the French way; `term_has` and `chart_has` are French words that must be
/// there. Returns the terminal text.
fn check_french_study(
    what: &str,
    args: &[&str],
    data: Vec<String>,
    term_has: &str,
    chart_has: &str,
) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let mut argv: Vec<OsString> = args.iter().map(OsString::from).collect();
    argv.extend(["--svg", "--lang", "fr", "--out"].map(OsString::from));
    argv.push(out.clone().into_os_string());
    let o = blockade_in_root(&argv);
    assert!(
        o.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let english = english_only();
    let mut data = data;
    data.push(out.display().to_string());
    // The files written are named in English (they are an interface, like the CSV columns).
    for e in std::fs::read_dir(&out).expect("out dir").flatten() {
        data.push(e.file_name().to_string_lossy().into_owned());
    }
    let term = without_flags(&without_data(&String::from_utf8_lossy(&o.stdout), &data));
    assert!(
        term.contains(term_has),
        "{what}: no «{term_has}» in\n{term}"
    );
    assert_no_english(&format!("{what} terminal"), &term, &english);
    assert_french_numbers(&format!("{what} terminal"), &term);
    let mut svgs: Vec<_> = std::fs::read_dir(&out)
        .expect("out dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    svgs.sort();
    assert!(!svgs.is_empty(), "{what}: no chart drawn");
    let mut all = String::new();
    for svg in &svgs {
        let text = std::fs::read_to_string(svg).expect("svg");
        let chart = without_data(&html_text(&text), &data);
        let name = svg.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        assert_no_english(&name, &chart, &english);
        assert_french_numbers(&name, &chart);
        all.push_str(&chart);
    }
    assert!(
        all.contains(chart_has),
        "{what}: no «{chart_has}» in the charts"
    );
    term
}

/// `blockade` run from the repository root (scenario paths relative to it).
fn blockade_in_root(args: &[OsString]) -> std::process::Output {
    crate::common::blockade()
        .current_dir(crate::common::root())
        .args(args)
        .output()
        .expect("blockade runs")
}

/// Scenario data of the tutorial: its name, nodes, segments, classes and tags.
fn tutorial_data() -> Vec<String> {
    let s = load_clean(&networks_dir().join("tutorial.ron")).scenario;
    let mut data = vec![s.name.clone(), "tutorial.ron".into()];
    for n in &s.nodes {
        data.push(n.name.clone());
        data.push(n.id.clone());
    }
    for (i, g) in s.segments.iter().enumerate() {
        data.push(g.id.clone());
        data.push(s.segment_label(blockade::scenario::SegmentId(i as u32)));
    }
    for (_, d) in s.depots() {
        data.extend(d.demand.iter().map(|c| c.name.clone()));
    }
    data.extend(s.tags().keys().map(|t| t.to_string()));
    data
}

#[test]
fn a_french_sweep_has_no_english_words() {
    let mut data = tutorial_data();
    // The varied paths (data); their names are in French.
    data.extend(["fleet.trucks", "escorts.units"].map(String::from));
    check_french_study(
        "sweep",
        &[
            "sweep",
            "networks/tutorial.ron",
            "--vary",
            "fleet.trucks=300,500",
            "--vary",
            "escorts.units=1,4",
            "-n",
            "6",
        ],
        data,
        "Balayage",
        "graine",
    );
}

#[test]
fn a_french_comparison_has_no_english_words() {
    let mut data = tutorial_data();
    data.extend(["tutorial#1", "tutorial#2", "vs"].map(String::from));
    check_french_study(
        "compare",
        &[
            "compare",
            "networks/tutorial.ron",
            "networks/tutorial.ron",
            "-n",
            "6",
        ],
        data,
        "Comparaison",
        "Résultats identiques",
    );
}

#[test]
fn a_french_corridor_study_has_no_english_words() {
    let data = tutorial_data();
    check_french_study(
        "corridors",
        &["corridors", "networks/tutorial.ron", "-n", "6"],
        data,
        "cas de base",
        "quel corridor compte le plus",
    );
}

#[test]
fn a_french_reserve_search_has_no_english_words() {
    let data = tutorial_data();
    let term = check_french_study(
        "reserve",
        &[
            "reserve",
            "networks/tutorial.ron",
            "--days",
            "30",
            "--confidence",
            "0.8",
            "-n",
            "6",
        ],
        data,
        "Minimum de stock initial",
        "cible",
    );
    // A French date: the tutorial starts on 1 September 2025.
    assert!(term.contains("sept. 2025"), "{term}");
}

#[test]
fn a_french_calibration_has_no_english_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let obs = dir.path().join("obs.ron");
    write_observations(
        &obs,
        &[
            tutorial_observation(
                "north",
                r#"TrucksLost(segments: ["KAY-BKO"])"#,
                "Range(lo: 2, hi: 30)",
            ),
            tutorial_observation(
                "bko",
                r#"TrucksDelivered(depot: "BKO")"#,
                "AtLeast(value: 1000)",
            ),
        ],
    );
    let mut data = tutorial_data();
    data.extend(
        [
            "segments[KAY-BKO].risk",
            "segments[KIT-BKO].risk",
            "north",
            "bko",
            "obs.ron",
        ]
        .map(String::from),
    );
    data.push(obs.display().to_string());
    let mut args = vec!["calibrate"];
    args.extend(small_tutorial_calibration(
        obs.to_str().expect("utf-8"),
        "64",
    ));
    let term = check_french_study(
        "calibrate",
        &args,
        data,
        "vague 1",
        "observé face au simulé",
    );
    assert!(term.contains("calibrage de"), "{term}");
}

/// `run --lang fr` on the scenario with uncertain inputs: the report's section on them,
/// its two charts (the fan with and without them, the inputs ranked by first-order index)
/// and the terminal lines hold no English word of the catalogue and write numbers the
/// French way. The inputs' paths and ranges are written as the scenario format writes them
/// (data: "Uniform(0.33, 0.67)").
#[test]
fn a_french_run_with_uncertain_inputs_has_no_english_words() {
    let ron = networks_dir().join("bamako-2025-uncertain.ron");
    let s = load_clean(&ron).scenario;
    let mut data = run_data(&ron);
    for (i, _) in s.segments.iter().enumerate() {
        data.push(s.segment_label(blockade::scenario::SegmentId(i as u32)));
    }
    for u in &s.uncertain {
        data.push(u.path.clone());
        data.push(blockade::ensemble::dist_text(&u.dist));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let args: Vec<OsString> = [
        "run",
        "networks/bamako-2025-uncertain.ron",
        "-n",
        "40",
        "--sensitivity-replications",
        "4",
        "--size",
        "800x450",
        "--svg",
        "--lang",
        "fr",
        "--out",
    ]
    .iter()
    .map(OsString::from)
    .chain([out.clone().into_os_string()])
    .collect();
    let o = blockade_in_root(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    data.push(out.display().to_string());
    let english = english_only();
    let head = without_data(&String::from_utf8_lossy(&o.stdout), &data);
    assert!(head.contains("entrées incertaines"), "{head}");
    assert!(head.contains("les plus influentes d'abord"), "{head}");
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let html_t = without_data(&html_text(&html), &data);
    let md_t = without_data(&without_links(&md.replace('\\', "")), &data);
    assert!(html_t.contains("Entrées incertaines"), "no section");
    assert!(html_t.contains("Part de la dispersion"), "no index columns");
    let mut texts = vec![
        ("headline", head),
        ("report.html", html_t),
        ("report.md", md_t),
    ];
    for chart in ["stock-inputs.svg", "input-importance.svg"] {
        let svg = std::fs::read_to_string(out.join("charts").join(chart)).expect(chart);
        texts.push((chart, without_data(&html_text(&svg), &data)));
    }
    assert!(
        texts[4]
            .1
            .contains("quelle entrée incertaine explique la dispersion")
    );
    for (what, t) in &texts {
        assert_no_english(what, t, &english);
        assert_french_numbers(what, t);
    }
}

/// `--lang` takes `en` or `fr` on every command that has it; anything else is refused
/// before any work with a message that names the two.
#[test]
fn an_unknown_language_is_refused_by_every_command() {
    for cmd in [
        vec!["run", "networks/tutorial.ron"],
        vec!["network", "networks/tutorial.ron"],
        vec![
            "sweep",
            "networks/tutorial.ron",
            "--vary",
            "fleet.trucks=1,2",
        ],
        vec![
            "tornado",
            "networks/tutorial.ron",
            "--vary",
            "fleet.trucks=1,2",
        ],
        vec!["compare", "networks/tutorial.ron", "networks/tutorial.ron"],
        vec!["reserve", "networks/tutorial.ron"],
        vec!["corridors", "networks/tutorial.ron"],
        vec![
            "calibrate",
            "networks/tutorial.ron",
            "--observed",
            "networks/bamako-2025-observations.ron",
        ],
    ] {
        let mut argv: Vec<OsString> = cmd.iter().map(OsString::from).collect();
        argv.extend(["--lang", "de"].map(OsString::from));
        let o = blockade_in_root(&argv);
        let err = String::from_utf8_lossy(&o.stderr);
        // A command line that cannot be understood exits 1 (2 is an invalid scenario).
        assert_eq!(o.status.code(), Some(1), "{}: {err}", cmd[0]);
        assert!(
            err.contains("unknown language `de`") && err.contains("`fr` (French)"),
            "{}: {err}",
            cmd[0]
        );
        assert!(o.stdout.is_empty(), "{}: printed before refusing", cmd[0]);
    }
}

#[test]
fn every_message_has_text_in_both_languages() {
    for m in Msg::ALL {
        for l in [Lang::En, Lang::Fr] {
            assert!(!m.text(l).trim().is_empty(), "{m:?} has no {l} text");
        }
    }
}
