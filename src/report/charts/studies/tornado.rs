//! The tornado chart of a one-at-a-time sensitivity.
//!
//! Over 600 lines: about 180 are the tests of its layout (no label overlaps another or
//! a bar) and of what the chart says, beside the data step and layout they check.

use super::*;

/// The tornado chart of a one-at-a-time sensitivity.
pub(crate) struct TornadoChart<'a> {
    /// The base scenario.
    pub s: &'a Scenario,
    /// The analysis.
    pub t: &'a Tornado,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// Colour of the KPI at a path's low value.
const LOW: RGBColor = SKY;
/// Colour of the KPI at a path's high value.
const HIGH: RGBColor = ORANGE;

/// A rectangle in pixels: (left, top, right, bottom).
pub(crate) type Rect = (i32, i32, i32, i32);

/// Whether two rectangles overlap (touching edges do not).
#[cfg(test)]
pub(crate) fn intersects(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// A text as laid out: where it is anchored and the box it covers.
#[derive(Debug, Clone)]
pub(crate) struct Label {
    /// The text.
    pub text: String,
    /// Anchor point.
    pub at: (i32, i32),
    /// Horizontal alignment on the anchor.
    pub align: Align,
    /// Vertical alignment on the anchor.
    pub valign: VAlign,
    /// Font.
    pub font: Font,
    /// The box the letters cover (descenders included); what the tests check.
    #[cfg_attr(not(test), allow(dead_code))]
    pub bbox: Rect,
}

/// One row of the tornado as laid out.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Bars: box and colour.
    pub bars: Vec<(Rect, RGBColor)>,
    /// Whiskers: y, left x, right x.
    pub whiskers: Vec<(i32, i32, i32)>,
    /// A grey tick at the base case when neither value moved the KPI: x, top, bottom.
    pub unchanged: Option<(i32, i32, i32)>,
    /// Every text of the row: the end labels, the input's name, its path and base value.
    pub labels: Vec<Label>,
}

/// The whole tornado as laid out: a pure function of the data, the frame and a text
/// measure, so that what is drawn can be checked (no label covers another).
#[derive(Debug, Clone)]
pub(crate) struct TornadoLayout {
    /// The plot area and its scale (KPI in shown units).
    pub ax: Axes,
    /// X ticks.
    pub ticks: Vec<Tick>,
    /// X of the base case.
    pub base_x: i32,
    /// Rows, in bar order.
    pub rows: Vec<Row>,
    /// "base case 0.967 M L" above the plot.
    pub base_label: Label,
}

/// Measures text: width and cap height in pixels.
pub(crate) trait Measure {
    /// Width of `text` in `f`.
    fn width(&self, text: &str, f: Font) -> i32;
    /// Cap height of `f`.
    fn cap(&self, f: Font) -> i32;
    /// `text` cut with an ellipsis to fit `max` pixels.
    fn fit(&self, text: &str, f: Font, max: i32) -> String {
        if self.width(text, f) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut n = chars.len();
        while n > 1 {
            n -= 1;
            let t: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
            if self.width(&t, f) <= max {
                return t;
            }
        }
        "…".into()
    }
}

impl<DB: DrawingBackend> Measure for Canvas<'_, DB> {
    fn width(&self, text: &str, f: Font) -> i32 {
        Canvas::width(self, text, f)
    }
    fn cap(&self, f: Font) -> i32 {
        Canvas::cap(self, f)
    }
}

/// The box of `text` anchored at `at`.
fn label(
    m: &dyn Measure,
    text: String,
    at: (i32, i32),
    align: Align,
    valign: VAlign,
    font: Font,
) -> Label {
    let (w, cap) = (m.width(&text, font), m.cap(font));
    let desc = (f64::from(cap) * 0.3).round() as i32;
    let x0 = match align {
        Align::Left => at.0,
        Align::Center => at.0 - w / 2,
        Align::Right => at.0 - w,
    };
    let y0 = match valign {
        VAlign::Top => at.1,
        VAlign::Middle => at.1 - cap / 2,
        VAlign::Baseline => at.1 - cap,
    };
    Label {
        bbox: (x0, y0 - desc / 2, x0 + w, y0 + cap + desc),
        text,
        at,
        align,
        valign,
        font,
    }
}

/// Which side of the base case an end's label goes: away from the base; an end equal to
/// the base goes to the side away from the other end, so the two never meet.
fn goes_left(v: f64, other: f64, base: f64) -> bool {
    if v == base { other > base } else { v < base }
}

/// "base case 1,200 · fleet.trucks" (or the path alone when the base is unknown): the value
/// first, so that a long path is what an ellipsis cuts.
fn base_line(s: &Scenario, b: &TornadoBar, l: Lang) -> String {
    match &b.base_value {
        Some(v) => {
            let big = v.trim().parse::<f64>().map_or(0.0, f64::abs);
            let sc = ValueScale::new(s, &b.path, big, l);
            tr!(l, TorBaseLine, v = sc.show(v), path = b.path)
        }
        None => b.path.clone(),
    }
}

/// One bar of the tornado as it is said: the input's name, its base value, the KPI at each
/// end and the words beside them.
#[derive(Debug, Clone)]
pub(crate) struct TornadoRowData {
    /// The input in words.
    pub name: String,
    /// "base case 1,200 · fleet.trucks", under the name.
    pub sub: String,
    /// The KPI at the low value (raw units).
    pub at_low: Estimate,
    /// The KPI at the high value (raw units).
    pub at_high: Estimate,
    /// "800 → 1.2 M L": the low value and the KPI it gave.
    pub low_text: String,
    /// The same for the high value.
    pub high_text: String,
    /// What is said when neither end moved the KPI off the base case.
    pub no_change: String,
}

/// What the tornado says, computed before any drawing: the KPI's scale, the base case,
/// the rows in bar order (largest swing first, as the study sorted them), the data range
/// and the words of the header and the note.
#[derive(Debug, Clone)]
pub(crate) struct TornadoData {
    /// How the KPI is shown.
    pub ks: KpiScale,
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// The base case's KPI, in shown units.
    pub base: f64,
    /// "base case 0.967 M L", above the plot.
    pub base_text: String,
    /// The range of every end and its ±2 standard errors and the base case, in shown
    /// units (widened around a lone value so the axis has a span).
    pub range: (f64, f64),
    /// One row per bar, in the study's order.
    pub rows: Vec<TornadoRowData>,
    /// "Nothing was varied", shown in place of rows when there are none.
    pub nothing: String,
}

impl TornadoData {
    /// The data of `t` on `s` in words of `l`; `facts` ends the subtitle.
    pub(crate) fn new(s: &Scenario, t: &Tornado, facts: &str, l: Lang) -> TornadoData {
        let k = t.kpi;
        let mut all: Vec<f64> = vec![t.base.value];
        for b in &t.bars {
            for e in [&b.at_low, &b.at_high] {
                all.extend([e.value, e.value - 2.0 * e.se, e.value + 2.0 * e.se]);
            }
        }
        all.retain(|v| v.is_finite());
        let raw_max = all.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let ks = KpiScale::new(s, k, raw_max, l);
        let header = Header {
            title: tr!(l, TorTitle, name = s.name, kpi = ks.name),
            subtitle: tr!(
                l,
                TorSubtitle,
                runs = runs_in(l, t.replications),
                seed = t.seed,
                facts = facts_tail(facts)
            ),
            legend: vec![
                Legend::new(Swatch::Fill(LOW, 1.0), l.t(Msg::TorLow)),
                Legend::new(Swatch::Fill(HIGH, 1.0), l.t(Msg::TorHigh)),
                Legend::new(Swatch::Line(INK, 3.0, true), l.t(Msg::TorBaseLegend)),
                Legend::new(Swatch::ErrorBar(INK), l.t(Msg::TorWhiskers)),
            ],
        };
        let est = match k {
            Kpi::FirstDryMedian => Msg::TorEstMedian,
            Kpi::PDryBy(_) | Kpi::PRationingBy(_) => Msg::TorEstShare,
            _ => Msg::TorEstMean,
        };
        let note = tr!(l, TorNote, kpi = ks.name, est = l.t(est));
        let (dmin, dmax) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v * ks.mul), b.max(*v * ks.mul))
            });
        // With no spread, a span around the one value; every measure is at least 0, so
        // a tornado whose every value is 0 draws 0 to 1, not -1 to 1.
        let range = if dmin.is_finite() && dmax > dmin {
            (dmin, dmax)
        } else {
            let c = if dmin.is_finite() { dmin } else { 0.0 };
            if c != 0.0 {
                (c - 0.1 * c.abs(), c + 0.1 * c.abs())
            } else {
                (0.0, 1.0)
            }
        };
        let rows = t
            .bars
            .iter()
            .map(|b| {
                let big = [&b.low, &b.high]
                    .iter()
                    .filter_map(|v| v.trim().parse::<f64>().ok())
                    .fold(0.0f64, |a, v| a.max(v.abs()));
                let sc = ValueScale::new(s, &b.path, big, l);
                let end_text = |value: &str, e: &Estimate| -> String {
                    format!("{} → {}", sc.show(value), ks.show_estimate(e))
                };
                TornadoRowData {
                    name: path_name(s, &b.path, l).label,
                    sub: base_line(s, b, l),
                    at_low: b.at_low,
                    at_high: b.at_high,
                    low_text: end_text(&b.low, &b.at_low),
                    high_text: end_text(&b.high, &b.at_high),
                    no_change: tr!(
                        l,
                        TorNoChange,
                        v = ks.show_estimate(&b.at_low),
                        a = sc.show(&b.low),
                        b = sc.show(&b.high)
                    ),
                }
            })
            .collect();
        TornadoData {
            base: t.base.value * ks.mul,
            base_text: tr!(l, TorBaseCase, v = ks.show_estimate(&t.base)),
            nothing: l.t(Msg::TorNothing).to_string(),
            ks,
            header,
            note,
            range,
            rows,
        }
    }
}

/// Lays out the tornado data `d` in the frame `(left, top, right, bottom)` (the plot and
/// the names on its left, below the header and above the x axis).
pub(crate) fn tornado_layout(
    m: &dyn Measure,
    st: &Style,
    d: &TornadoData,
    (fl, top, fr, bottom): Rect,
) -> TornadoLayout {
    let ks = &d.ks;
    let lf = Font::new(size::TICK, INK);
    let pf = Font::new(size::TICK * 0.82, MUTED);
    let ef = Font::new(size::LABEL, INK);
    let label_w = d
        .rows
        .iter()
        .map(|r| m.width(&r.name, lf).max(m.width(&r.sub, pf)))
        .max()
        .unwrap_or(0)
        .min((fr - fl) * 34 / 100);
    let plot_l = fl + label_w + st.px(20.0);
    let plot_r = fr;
    let (dmin, dmax) = d.range;
    let base = d.base;
    let gap = st.px(10.0);
    // Room for the end labels on each side: the label, its gap, and the whisker beyond
    // the end (at most the data range's own padding, already in dmin..dmax).
    let mut pad_l = 0;
    let mut pad_r = 0;
    for r in &d.rows {
        let (lo, hi) = (r.at_low.value * ks.mul, r.at_high.value * ks.mul);
        for (text, e, other) in [(&r.low_text, &r.at_low, hi), (&r.high_text, &r.at_high, lo)] {
            let w = m.width(text, ef) + gap + st.px(14.0);
            if goes_left(e.value * ks.mul, other, base) {
                pad_l = pad_l.max(w);
            } else {
                pad_r = pad_r.max(w);
            }
        }
    }
    let inner = (plot_r - plot_l - pad_l - pad_r).max(st.px(120.0));
    let per_px = (dmax - dmin) / f64::from(inner);
    let ax = Axes {
        l: plot_l,
        t: top,
        r: plot_r,
        b: bottom,
        x0: dmin - f64::from(pad_l) * per_px,
        x1: dmax + f64::from(pad_r) * per_px,
        y0: 0.0,
        y1: 1.0,
    };
    let ticks: Vec<Tick> = ks
        .ticks(dmin, dmax, 8)
        .into_iter()
        .filter(|(v, _)| *v >= ax.x0 && *v <= ax.x1)
        .collect();
    let bx = ax.x(base);
    let n = d.rows.len().max(1);
    let row_h = f64::from(ax.b - ax.t) / n as f64;
    let bar_h = ((row_h * 0.62).round() as i32).min(st.px(72.0));
    let mut rows = Vec::with_capacity(d.rows.len());
    for (j, r) in d.rows.iter().enumerate() {
        let cy = ax.t + (row_h * (j as f64 + 0.5)).round() as i32;
        let (lo, hi) = (r.at_low.value * ks.mul, r.at_high.value * ks.mul);
        let unchanged = lo == base && hi == base;
        // Both ends on one side of the base, or one at the base: two half bars, so that
        // neither bar nor label hides the other.
        let halves = (lo - base) * (hi - base) >= 0.0;
        let ends = [
            (lo, hi, LOW, &r.low_text, &r.at_low, 0),
            (hi, lo, HIGH, &r.high_text, &r.at_high, 1),
        ];
        let mut row = Row {
            bars: Vec::new(),
            whiskers: Vec::new(),
            unchanged: unchanged.then_some((bx, cy - bar_h / 2, cy + bar_h / 2)),
            labels: Vec::new(),
        };
        if !unchanged {
            for (v, other, c, text, e, k) in ends {
                let (y0, y1) = if halves {
                    if k == 0 {
                        (cy - bar_h / 2, cy)
                    } else {
                        (cy, cy + bar_h / 2)
                    }
                } else {
                    (cy - bar_h / 2, cy + bar_h / 2)
                };
                let ym = (y0 + y1) / 2;
                let x = ax.x(v);
                if x != bx {
                    row.bars.push(((bx.min(x), y0, bx.max(x), y1), c));
                }
                let (mut wa, mut wz) = (x, x);
                if e.se > 0.0 && e.se.is_finite() {
                    wa = ax.x((e.value - 2.0 * e.se) * ks.mul);
                    wz = ax.x((e.value + 2.0 * e.se) * ks.mul);
                    if wz - wa >= 2 {
                        row.whiskers.push((ym, wa, wz));
                    }
                }
                let text = text.clone();
                row.labels.push(if goes_left(v, other, base) {
                    let x0 = wa.min(x).min(bx);
                    label(m, text, (x0 - gap, ym), Align::Right, VAlign::Middle, ef)
                } else {
                    let x1 = wz.max(x).max(bx);
                    label(m, text, (x1 + gap, ym), Align::Left, VAlign::Middle, ef)
                });
            }
        } else {
            row.labels.push(label(
                m,
                r.no_change.clone(),
                (bx + st.px(14.0), cy),
                Align::Left,
                VAlign::Middle,
                Font::new(size::LABEL, MUTED),
            ));
        }
        // The input's name on the left, its path and base value under it.
        let (name, sub) = (&r.name, &r.sub);
        let lx = ax.l - st.px(14.0);
        let gap2 = st.px(8.0);
        let total = m.cap(lf) + gap2 + m.cap(pf);
        if row_h >= f64::from(total + st.px(14.0)) {
            let y = cy - total / 2;
            row.labels.push(label(
                m,
                m.fit(name, lf, label_w),
                (lx, y),
                Align::Right,
                VAlign::Top,
                lf,
            ));
            row.labels.push(label(
                m,
                m.fit(sub, pf, label_w),
                (lx, y + m.cap(lf) + gap2),
                Align::Right,
                VAlign::Top,
                pf,
            ));
        } else {
            row.labels.push(label(
                m,
                m.fit(name, lf, label_w),
                (lx, cy),
                Align::Right,
                VAlign::Middle,
                lf,
            ));
        }
        rows.push(row);
    }
    let base_label = label(
        m,
        d.base_text.clone(),
        (bx, ax.t - st.px(30.0)),
        Align::Center,
        VAlign::Baseline,
        Font::bold(size::LABEL, INK),
    );
    TornadoLayout {
        ax,
        ticks,
        base_x: bx,
        rows,
        base_label,
    }
}

impl Chart for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let st = cv.st;
        let m = cv.margin();
        let d = TornadoData::new(self.s, self.t, self.facts, st.lang);
        let top = header(cv, &d.header)? + st.px(34.0);
        let bottom = notes(cv, std::slice::from_ref(&d.note))? - x_axis_height(cv, true);
        let lay = tornado_layout(cv, &st, &d, (m, top, st.w - m, bottom));
        let ax = &lay.ax;
        x_axis(cv, ax, &lay.ticks, Some(&d.ks.title), true)?;
        if d.rows.is_empty() {
            frame(cv, ax)?;
            return empty_message(cv, ax, &d.nothing);
        }
        for row in &lay.rows {
            for (r, c) in &row.bars {
                cv.rect((r.0, r.1), (r.2, r.3), c.to_rgba(), true)?;
            }
            if let Some((x, a, z)) = row.unchanged {
                cv.line(vec![(x, a), (x, z)], GREY.to_rgba(), 4.0)?;
            }
            for (y, a, z) in &row.whiskers {
                cv.error_bar_h(*y, *a, *z, INK)?;
            }
            for l in &row.labels {
                cv.text(&l.text, l.at, l.font, l.align, l.valign)?;
            }
        }
        let bx = lay.base_x;
        cv.dashed((bx, ax.t - st.px(26.0)), (bx, ax.b), INK.to_rgba(), 3.0)?;
        let bl = &lay.base_label;
        cv.text(&bl.text, bl.at, bl.font, bl.align, bl.valign)?;
        cv.line(vec![(ax.l, ax.b), (ax.r, ax.b)], GREY.to_rgba(), 1.5)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::draw::register_fonts;
    use super::*;
    use crate::ensemble::{self, Options, Vary};

    fn est(value: f64, se: f64) -> Estimate {
        Estimate::point(value, se)
    }

    fn bar(path: &str, low: &str, high: &str, at: (f64, f64), base: Option<&str>) -> TornadoBar {
        TornadoBar {
            path: path.into(),
            low: low.into(),
            high: high.into(),
            at_low: est(at.0, 1.0),
            at_high: est(at.1, 1.0),
            base_value: base.map(str::to_string),
        }
    }

    #[test]
    fn the_tornado_data_keeps_the_bar_order_and_says_the_base_case() {
        let s = crate::report::charts::kit::bundled_scenario("tutorial.ron");
        let t = Tornado {
            kpi: Kpi::TrucksLost,
            base: est(40.0, 1.5),
            bars: vec![
                bar("fleet.trucks", "200", "600", (10.0, 90.0), Some("400")),
                bar(
                    "segments[KAY-BKO].risk",
                    "0.01",
                    "0.2",
                    (30.0, 55.0),
                    Some("0.05"),
                ),
                bar(
                    "segments[TMB-KIT].risk",
                    "0.005",
                    "0.02",
                    (40.0, 40.0),
                    None,
                ),
            ],
            replications: 30,
            seed: 3,
        };
        let d = TornadoData::new(&s, &t, "", Lang::En);
        // The rows in the study's order (largest swing first), each named with its base
        // value, or its path alone when the base is unknown.
        let subs: Vec<&str> = d.rows.iter().map(|r| r.sub.as_str()).collect();
        assert_eq!(
            subs,
            [
                "base case 400 · fleet.trucks",
                "base case 0.05 · segments[KAY-BKO].risk",
                "segments[TMB-KIT].risk"
            ]
        );
        assert_eq!(
            d.rows[0].name,
            path_name(&s, "fleet.trucks", Lang::En).label
        );
        // The base case in shown units, and its words above the plot.
        assert_eq!(d.base, 40.0 * d.ks.mul);
        assert_eq!(d.base_text, format!("base case {}", d.ks.show(40.0)));
        // Each end says the value tried and the KPI it gave.
        assert_eq!(d.rows[0].low_text, format!("200 → {}", d.ks.show(10.0)));
        assert_eq!(d.rows[0].high_text, format!("600 → {}", d.ks.show(90.0)));
        // The range holds every end with its ±2 standard errors and the base case.
        assert_eq!(d.range, (8.0 * d.ks.mul, 92.0 * d.ks.mul));
        // A bar whose ends both give the base case says so.
        assert!(
            d.rows[2].no_change.contains(&d.ks.show(40.0)),
            "{}",
            d.rows[2].no_change
        );
        assert!(d.header.title.contains(&d.ks.name));
    }

    #[test]
    fn a_tornado_without_bars_or_spread_still_has_a_range() {
        let s = crate::report::charts::kit::bundled_scenario("tutorial.ron");
        let t = Tornado {
            kpi: Kpi::TrucksLost,
            base: est(0.0, 0.0),
            bars: Vec::new(),
            replications: 1,
            seed: 1,
        };
        let d = TornadoData::new(&s, &t, "", Lang::En);
        assert!(d.rows.is_empty());
        // Every value 0: the axis starts at 0 (no measure is negative).
        assert_eq!(d.range, (0.0, 1.0));
        let t = Tornado {
            base: est(50.0, 0.0),
            ..t
        };
        let d = TornadoData::new(&s, &t, "", Lang::En);
        let (a, b) = d.range;
        assert!(a < d.base && d.base < b, "{a} {} {b}", d.base);
    }

    /// The README's corridor tornado: closing the Abidjan road's capacity to 0 against its
    /// base value of 200, so the high end equals the base case exactly.
    #[test]
    fn tornado_labels_never_overlap_when_an_end_equals_the_base() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/networks/bamako-2025.ron");
        let tpl = crate::scenario::Template::load(std::path::Path::new(path)).unwrap();
        let varies = [
            Vary::parse("segments[ABJ-YAM].capacity_trucks_per_day=0,200").unwrap(),
            Vary::parse("fleet.trucks=1000,1600").unwrap(),
        ];
        let opts = Options {
            replications: 30,
            seed: 1,
            threads: Some(2),
        };
        let t =
            ensemble::tornado(&tpl, &[], &varies, Kpi::UnmetProtected, &opts, &|_, _| {}).unwrap();
        assert!(t.bars.iter().any(|b| b.at_high.value == t.base.value));
        assert_eq!(
            t.bars
                .iter()
                .find(|b| b.path.starts_with("segments"))
                .and_then(|b| b.base_value.clone()),
            Some("200".to_string())
        );
        register_fonts().unwrap();
        let (w, h) = (1600u32, 900u32);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let cv = Canvas {
            root: &root,
            st: Style::new(w, h, false),
        };
        let s = &tpl.base().scenario;
        let d = TornadoData::new(s, &t, "", Lang::En);
        let lay = tornado_layout(&cv, &cv.st, &d, (40, 200, 1560, 780));
        let labels: Vec<&Label> = lay
            .rows
            .iter()
            .flat_map(|r| &r.labels)
            .chain([&lay.base_label])
            .collect();
        for (i, a) in labels.iter().enumerate() {
            assert!(
                a.bbox.0 >= 0 && a.bbox.2 <= w as i32,
                "{} leaves the chart",
                a.text
            );
            for b in &labels[i + 1..] {
                assert!(
                    !intersects(a.bbox, b.bbox),
                    "`{}` {:?} overlaps `{}` {:?}",
                    a.text,
                    a.bbox,
                    b.text,
                    b.bbox
                );
            }
        }
        for r in &lay.rows {
            for l in &r.labels {
                for (bar, _) in &r.bars {
                    assert!(!intersects(l.bbox, *bar), "`{}` lies on a bar", l.text);
                }
            }
        }
        // The base value is said beside the row.
        assert!(
            labels
                .iter()
                .any(|l| l.text.starts_with("base case 200 · segments[ABJ-YAM]"))
        );
    }
}
