//! The sweep chart: one KPI against the first varied value.
//!
//! Over 600 lines: about 150 are the tests of what the chart says, beside its data step.

use super::*;
use crate::scenario::overrides::path_items;

/// One KPI of a sweep against the first varied value.
pub(crate) struct SweepChart<'a> {
    /// The base scenario.
    pub s: &'a Scenario,
    /// The sweep.
    pub r: &'a SweepResult,
    /// Index of the KPI in `r.kpis`.
    pub kpi: usize,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// One line of a sweep chart: the points sharing the values of the paths after the first.
#[derive(Debug, Clone)]
struct Line {
    /// Legend text, empty with one line.
    label: String,
    /// (x position, estimate), in sweep order.
    points: Vec<(f64, Estimate)>,
}

/// Where the first path's values go on the x axis.
#[derive(Debug, Clone)]
struct XAxis {
    /// Numeric positions (scaled) or category indices.
    pos: Vec<f64>,
    /// Tick marks.
    ticks: Vec<Tick>,
    /// Range.
    x0: f64,
    x1: f64,
    /// Axis title.
    title: String,
    /// Numeric positions (else categories).
    numeric: bool,
    /// Divisor of the numeric values.
    div: f64,
}

/// The risk multiplier that the scenario's events apply to segment `seg` on the most days
/// of the run, with the first day it applies, when it is not 1.
pub(crate) fn multiplier_in_force(
    s: &Scenario,
    seg: crate::scenario::SegmentId,
) -> Option<(f64, u32)> {
    let mut seen: Vec<(f64, u32, u32)> = Vec::new(); // (multiplier, days, first day)
    for d in 0..s.horizon_days {
        let m =
            crate::network::Conditions::at_day(s, f64::from(d) + 0.5).risk_multiplier[seg.index()];
        match seen.iter_mut().find(|(x, _, _)| *x == m) {
            Some(e) => e.1 += 1,
            None => seen.push((m, 1, d)),
        }
    }
    seen.iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .filter(|(m, _, _)| *m != 1.0)
        .map(|(m, _, first)| (*m, *first))
}

/// For a swept base risk (`segments[ID].risk`): the multiplier in force most of the run.
fn risk_in_force(s: &Scenario, path: &str) -> Option<(f64, u32)> {
    match path_items(path)?.as_slice() {
        [(list, Some(id)), (field, None)] if list == "segments" && field == "risk" => {
            multiplier_in_force(s, s.segment_by_id(id)?)
        }
        _ => None,
    }
}

/// The x axis of a sweep; `base`, the base case's value, is kept inside the range.
fn sweep_x(s: &Scenario, path: &str, values: &[String], base: Option<f64>, l: Lang) -> XAxis {
    let in_force = risk_in_force(s, path);
    let nums: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    match nums {
        Some(v) if !v.is_empty() => {
            let max = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let sc = ValueScale::new(s, path, max, l);
            let pos: Vec<f64> = v.iter().map(|x| x / sc.div).collect();
            let (lo, hi) = pos
                .iter()
                .chain(base.map(|b| b / sc.div).as_ref())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                    (a.min(*x), b.max(*x))
                });
            let span = if hi > lo {
                hi - lo
            } else if lo != 0.0 {
                0.2 * lo.abs()
            } else {
                1.0
            };
            let (x0, x1) = if hi > lo {
                (lo - 0.05 * span, hi + 0.05 * span)
            } else {
                (lo - span, hi + span)
            };
            let ticks: Vec<Tick> = if pos.len() <= 12 {
                // The values themselves (scaled for litres), all with the same decimals.
                let d = (0..=3)
                    .find(|d| {
                        let f = 10f64.powi(*d);
                        pos.iter().all(|p| {
                            ((p * f).round() - p * f).abs() < 1e-6 * (p * f).abs().max(1.0)
                        })
                    })
                    .unwrap_or(3) as usize;
                values
                    .iter()
                    .zip(&pos)
                    .map(|(t, p)| {
                        let label = if sc.div == 1.0 && t.trim().len() <= 8 && p.abs() < 10_000.0 {
                            t.trim().to_string()
                        } else if d == 0 {
                            thousands(*p)
                        } else {
                            format!("{p:.d$}")
                        };
                        // The risk as it acts, under the scenario's multiplier.
                        let label = match in_force {
                            Some((m, _)) => format!(
                                "{label} → {}",
                                sig3(crate::network::attack_probability(*p, m))
                            ),
                            None => label,
                        };
                        (*p, label)
                    })
                    .collect()
            } else {
                value_ticks(lo, hi, 8, "")
            };
            let title = match in_force {
                Some((m, first)) if pos.len() <= 12 => tr!(
                    l,
                    SwXInForce,
                    title = sc.title(),
                    m = l.digits(&sig3(m)),
                    when = when_in(l, s.start_date, f64::from(first))
                ),
                Some((m, first)) => tr!(
                    l,
                    SwXInForceMany,
                    title = sc.title(),
                    m = l.digits(&sig3(m)),
                    when = when_in(l, s.start_date, f64::from(first))
                ),
                None if path.starts_with("tags[") => tr!(l, SwXOnTop, title = sc.title()),
                None => sc.title(),
            };
            XAxis {
                pos,
                ticks,
                x0,
                x1,
                title,
                numeric: true,
                div: sc.div,
            }
        }
        _ => {
            let n = values.len().max(1);
            XAxis {
                pos: (0..values.len()).map(|i| i as f64).collect(),
                ticks: values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i as f64, v.clone()))
                    .collect(),
                x0: -0.5,
                x1: n as f64 - 0.5,
                title: path_name(s, path, l).label,
                numeric: false,
                div: 1.0,
            }
        }
    }
}

/// Words for the estimate of a KPI in `l`: "mean over runs".
pub(super) fn estimate_words(k: Kpi, l: Lang) -> &'static str {
    l.t(match k {
        Kpi::FirstDryMedian => Msg::SwMedianOverRuns,
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => Msg::SwShareOfRuns,
        _ => Msg::SwMeanOverRuns,
    })
}

/// Words for the 90 % interval of a KPI in `l`.
fn band_words(k: Kpi, l: Lang) -> &'static str {
    l.t(if k.interval_is_spread() {
        Msg::SwBandSpread
    } else {
        Msg::SwBandWilson
    })
}

/// Opacity of a sweep's band.
const SWEEP_BAND: f64 = 0.16;

/// Where the base case stands on a sweep's x axis, and its label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BaseMark {
    /// Position on the x axis (scaled, or a category index).
    pub x: f64,
    /// "base case: 800", with the risk as it acts when a multiplier is in force.
    pub text: String,
}

/// What one sweep chart says, computed before any drawing: the x axis, one line per
/// combination of the other paths' values, the KPI's scale and y range, the words of the
/// header and notes, and where the base case stands.
pub(crate) struct SweepData {
    /// The x axis: positions of the first path's values, ticks, range and title.
    xa: XAxis,
    /// The lines, in order of first appearance; each line's points sorted by x.
    lines: Vec<Line>,
    /// How the KPI is shown.
    pub ks: KpiScale,
    /// The title when it fits: "<scenario> — <KPI> against <path>".
    pub long_title: String,
    /// The title when the long one does not fit: "<scenario> — <KPI>".
    pub short_title: String,
    /// The subtitle.
    pub subtitle: String,
    /// The legend.
    pub legend: Vec<Legend>,
    /// The notes under the chart, one per line.
    pub notes: Vec<String>,
    /// Top of the y axis (shown units; it starts at 0).
    pub y1: f64,
    /// The y ticks, none above `y1`.
    pub yt: Vec<Tick>,
    /// The base case's mark, when its value is known and inside the x range.
    pub base: Option<BaseMark>,
    /// The value said beside a lone point ("1.2 M L (one point: nothing to compare)").
    pub lone: Option<String>,
}

impl SweepData {
    /// The data of KPI `kpi` (index into `r.kpis`) of the sweep `r` on `s`, in words of
    /// `l`; `facts` ends the subtitle.
    pub(crate) fn new(
        s: &Scenario,
        r: &SweepResult,
        kpi: usize,
        facts: &str,
        l: Lang,
    ) -> SweepData {
        let k = r.kpis[kpi];
        let first_path = r.paths.first().cloned().unwrap_or_default();
        // The first path's distinct values, in sweep order.
        let mut xs: Vec<String> = Vec::new();
        for p in &r.points {
            if let Some(v) = p.values.first()
                && !xs.contains(v)
            {
                xs.push(v.clone());
            }
        }
        let base_x = r
            .base_values
            .first()
            .and_then(|b| b.as_deref())
            .and_then(|b| b.trim().parse::<f64>().ok())
            .filter(|b| b.is_finite());
        let xa = sweep_x(s, &first_path, &xs, base_x, l);
        // Lines: one per combination of the other paths' values.
        let mut lines: Vec<(Vec<String>, Line)> = Vec::new();
        for p in &r.points {
            let rest: Vec<String> = p.values.iter().skip(1).cloned().collect();
            let xi = p
                .values
                .first()
                .and_then(|v| xs.iter().position(|x| x == v))
                .unwrap_or(0);
            let e = p.estimates[kpi];
            match lines.iter_mut().find(|(key, _)| *key == rest) {
                Some((_, l)) => l.points.push((xa.pos[xi], e)),
                None => {
                    let label = r
                        .paths
                        .iter()
                        .skip(1)
                        .zip(&rest)
                        .map(|(path, v)| {
                            let sc =
                                ValueScale::new(s, path, v.parse::<f64>().unwrap_or(0.0).abs(), l);
                            format!("{} = {}", sc.name.label, sc.show(v))
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    lines.push((
                        rest,
                        Line {
                            label,
                            points: vec![(xa.pos[xi], e)],
                        },
                    ));
                }
            }
        }
        let mut lines: Vec<Line> = lines.into_iter().map(|(_, l)| l).collect();
        for line in &mut lines {
            line.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let raw_max = r
            .points
            .iter()
            .map(|p| {
                let e = p.estimates[kpi];
                e.hi.max(e.value + 2.0 * e.se)
            })
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let ks = KpiScale::new(s, k, raw_max, l);

        let single = lines.len() <= 1;
        let mut legend: Vec<Legend> = Vec::new();
        if single {
            legend.push(Legend::new(Swatch::Marker(BLUE), estimate_words(k, l)));
            legend.push(Legend::new(
                Swatch::Fill(BLUE, SWEEP_BAND * 1.6),
                band_words(k, l),
            ));
            legend.push(Legend::new(Swatch::ErrorBar(INK), l.t(Msg::SwWhiskersLong)));
        } else {
            for (i, line) in lines.iter().enumerate() {
                legend.push(Legend::new(
                    Swatch::Marker(LINES[i % LINES.len()]),
                    line.label.clone(),
                ));
            }
            legend.push(Legend::new(
                Swatch::Fill(GREY, SWEEP_BAND * 1.6),
                tr!(l, SwShaded, band = band_words(k, l)),
            ));
            legend.push(Legend::new(Swatch::ErrorBar(INK), l.t(Msg::TorWhiskers)));
        }
        let seeds = l.t(match r.seeds {
            Seeds::Common => Msg::SwSeedsCommon,
            Seeds::Independent => Msg::SweepIndependent,
        });
        let x_name = path_name(s, &first_path, l).label;
        let subtitle = tr!(
            l,
            SwSubtitle,
            est = l.t(match k {
                Kpi::FirstDryMedian => Msg::SwMedianOf,
                Kpi::PDryBy(_) | Kpi::PRationingBy(_) => Msg::SwShareOf,
                _ => Msg::SwMeanOf,
            }),
            runs = runs_in(l, r.replications),
            path = first_path,
            seed = r.seed,
            seeds = seeds,
            facts = facts_tail(facts)
        );
        let mut note_lines = Vec::new();
        let (what, what_the) = match k {
            Kpi::FirstDryMedian => (Msg::SwEachMedian, Msg::SwTheMedian),
            Kpi::PDryBy(_) | Kpi::PRationingBy(_) => (Msg::SwEachShare, Msg::SwTheShare),
            _ => (Msg::SwEachMean, Msg::SwTheMean),
        };
        note_lines.push(match r.seeds {
            Seeds::Common => tr!(l, SwNoteCommon, each = l.t(what)),
            Seeds::Independent => tr!(l, SwNoteIndependent, the = l.t(what_the)),
        });
        if k == Kpi::FirstDryMedian {
            note_lines.push(tr!(l, SwNoteNeverDry, h = s.horizon_days));
        }
        if k.interval_is_spread()
            && r.points.iter().any(|p| {
                let e = p.estimates[kpi];
                e.value > e.hi + 1e-9 || e.value < e.lo - 1e-9
            })
        {
            note_lines.push(tr!(l, SwNoteOutside, the = l.t(what_the)));
        }
        if r.paths.len() > 2 {
            note_lines.push(tr!(l, SwNoteLines, paths = r.paths[1..].join(", ")));
        }
        // The y scale.
        let y1 = match (ks.is_day, ks.cap) {
            (true, Some(c)) => c * 1.08,
            (_, cap) => {
                let t = nice_top(raw_max * ks.mul * 1.04, 5);
                cap.map_or(t, |c| t.min(c))
            }
        };
        let yt: Vec<Tick> = ks
            .ticks(0.0, ks.cap.filter(|_| ks.is_day).unwrap_or(y1), 6)
            .into_iter()
            .filter(|(v, _)| *v <= y1)
            .collect();
        // The base case: where the scenario (with the study's overrides) stands.
        let base = r
            .base_values
            .first()
            .and_then(|b| b.as_ref())
            .and_then(|bv| {
                let at = match bv.trim().parse::<f64>() {
                    Ok(v) if xa.numeric => Some(v / xa.div),
                    _ => xs.iter().position(|x| x == bv).map(|i| i as f64),
                };
                let x = at.filter(|x| *x >= xa.x0 && *x <= xa.x1)?;
                let shown = ValueScale::new(
                    s,
                    &first_path,
                    bv.trim().parse::<f64>().map_or(0.0, f64::abs),
                    l,
                )
                .show(bv);
                let text = match (risk_in_force(s, &first_path), bv.trim().parse::<f64>()) {
                    (Some((m, _)), Ok(v)) => tr!(
                        l,
                        SwBaseArrow,
                        v = shown,
                        p = l.digits(&sig3(crate::network::attack_probability(v, m)))
                    ),
                    _ => tr!(l, SwBase, v = shown),
                };
                Some(BaseMark { x, text })
            });
        // One point: say the value, there is no curve to read.
        let lone = (r.points.len() == 1).then(|| {
            let e = r.points[0].estimates[kpi];
            tr!(l, SwLone, v = ks.show_estimate(&e))
        });
        SweepData {
            xa,
            lines,
            long_title: tr!(l, SwLongTitle, name = s.name, kpi = ks.name, x = x_name),
            short_title: format!("{} — {}", s.name, ks.name),
            ks,
            subtitle,
            legend,
            notes: note_lines,
            y1,
            yt,
            base,
            lone,
        }
    }
}

impl Chart for SweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = SweepData::new(self.s, self.r, self.kpi, self.facts, cv.st.lang);
        let (xa, lines, ks) = (&d.xa, &d.lines, &d.ks);
        let st = cv.st;
        let m = cv.margin();
        let title_f = Font::bold(size::TITLE, INK);
        let title = if cv.width(&d.long_title, title_f) <= st.w - 2 * m {
            d.long_title.clone()
        } else {
            d.short_title.clone()
        };
        let h = Header {
            title,
            subtitle: d.subtitle.clone(),
            legend: d.legend.clone(),
        };
        let top = header(cv, &h)?;
        let bottom = notes(cv, &d.notes)?;
        let (y1, yt) = (d.y1, &d.yt);
        let ax = Axes {
            l: m + y_axis_width(cv, yt),
            t: top + st.px(10.0),
            r: st.w - m,
            b: bottom - x_axis_height(cv, true),
            x0: xa.x0,
            x1: xa.x1,
            y0: 0.0,
            y1,
        };
        y_axis(cv, &ax, yt, &ks.title, false)?;
        x_axis(cv, &ax, &xa.ticks, Some(&xa.title), true)?;
        if lines.is_empty() {
            frame(cv, &ax)?;
            return empty_message(cv, &ax, st.lang.t(Msg::SwNoPoint));
        }
        let single = lines.len() <= 1;
        let n_lines = lines.len();
        let dodge = |i: usize| -> i32 {
            if n_lines <= 1 {
                0
            } else {
                ((i as f64 - (n_lines - 1) as f64 / 2.0) * f64::from(st.px(9.0))).round() as i32
            }
        };
        let pt = |i: usize, x: f64, y: f64| -> (i32, i32) {
            let (px, py) = ax.p(x, y * ks.mul);
            (px + dodge(i), py)
        };
        for (i, l) in lines.iter().enumerate() {
            let c = if single { BLUE } else { LINES[i % LINES.len()] };
            if l.points.len() >= 2 {
                let mut band: Vec<(i32, i32)> =
                    l.points.iter().map(|(x, e)| pt(i, *x, e.hi)).collect();
                band.extend(l.points.iter().rev().map(|(x, e)| pt(i, *x, e.lo)));
                cv.poly(band, c.mix(SWEEP_BAND))?;
            } else if let Some((x, e)) = l.points.first() {
                // One point: a short box for its band.
                let (cx, top_y) = pt(i, *x, e.hi);
                let (_, bot_y) = pt(i, *x, e.lo);
                let hw = st.px(22.0);
                cv.rect((cx - hw, top_y), (cx + hw, bot_y), c.mix(SWEEP_BAND), true)?;
            }
        }
        if let (true, Some(c)) = (ks.is_day, ks.cap) {
            let yc = ax.y(c);
            cv.dashed((ax.l, yc), (ax.r, yc), GREY.to_rgba(), 2.0)?;
            let f = Font::new(size::LABEL, MUTED);
            cv.text(
                &tr!(st.lang, SwHorizonLine, d = format!("{c:.0}")),
                (ax.l + st.px(10.0), yc - st.px(8.0)),
                f,
                Align::Left,
                VAlign::Baseline,
            )?;
        }
        let many = self.r.points.len() > 40;
        for (i, l) in lines.iter().enumerate() {
            for (x, e) in &l.points {
                if e.se > 0.0 && e.se.is_finite() {
                    let (px, y0) = pt(i, *x, e.value - 2.0 * e.se);
                    let (_, y1) = pt(i, *x, e.value + 2.0 * e.se);
                    if y0 - y1 >= 2 {
                        cv.error_bar_v(px, y0, y1, INK)?;
                    }
                }
            }
        }
        for (i, l) in lines.iter().enumerate() {
            let c = if single { BLUE } else { LINES[i % LINES.len()] };
            let pts: Vec<(i32, i32)> = l.points.iter().map(|(x, e)| pt(i, *x, e.value)).collect();
            // Earlier lines wider, so a line drawn over another leaves it showing.
            let wider = (n_lines - 1 - i).min(3) as f64;
            cv.line(pts.clone(), c.to_rgba(), 3.5 + 2.5 * wider)?;
            let rad = st.px(if many { 3.5 } else { 7.0 } + 2.0 * wider);
            for p in pts {
                cv.circle(p, rad, c.to_rgba(), true)?;
                cv.circle(p, rad, WHITE.to_rgba(), false)?;
            }
        }
        frame(cv, &ax)?;
        if let Some(b) = &d.base {
            let px = ax.x(b.x);
            cv.dashed((px, ax.t), (px, ax.b), INK.mix(0.7), 2.5)?;
            let f = Font::bold(size::LABEL, INK);
            let w = cv.width(&b.text, f);
            let (tx, al) = if px + st.px(8.0) + w <= ax.r {
                (px + st.px(8.0), Align::Left)
            } else {
                (px - st.px(8.0), Align::Right)
            };
            cv.text(&b.text, (tx, ax.t + st.px(10.0)), f, al, VAlign::Top)?;
        }
        if let Some(text) = &d.lone {
            let f = Font::bold(size::LABEL, INK);
            let (x, e) = lines[0].points[0];
            let (px, py) = pt(0, x, e.value);
            cv.text(text, (px + st.px(30.0), py), f, Align::Left, VAlign::Middle)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bamako() -> crate::scenario::Template {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/networks/bamako-2025.ron");
        crate::scenario::Template::load(std::path::Path::new(path)).unwrap()
    }

    #[test]
    fn a_swept_base_risk_is_shown_as_it_acts_and_the_base_case_is_in_range() {
        let t = bamako();
        let s = &t.base().scenario;
        // Kayes–Diéma is multiplied x12.34 from 3 Sep: 0.02 acts as 1 - 0.98^12.34.
        let values: Vec<String> = ["0.02", "0.1"].iter().map(|v| v.to_string()).collect();
        let base = t.value_at("segments[KAY-DIE].risk").unwrap();
        assert_eq!(base, "0.005");
        let xa = sweep_x(
            s,
            "segments[KAY-DIE].risk",
            &values,
            base.parse().ok(),
            Lang::En,
        );
        let want = sig3(crate::network::attack_probability(0.02, 12.34));
        assert_eq!(xa.ticks[0].1, format!("0.02 → {want}"));
        assert!(xa.title.contains("×12.3") && xa.title.contains("as it acts"));
        assert!(xa.x0 <= 0.005 && 0.005 <= xa.x1);
        // A risk with no multiplier in force keeps its plain values.
        let xa = sweep_x(s, "fleet.trucks", &["1000".to_string()], None, Lang::En);
        assert_eq!(xa.ticks[0].1, "1000");
    }

    fn est(value: f64) -> Estimate {
        Estimate {
            value,
            lo: 0.8 * value,
            hi: 1.2 * value,
            se: 0.05 * value,
            censoring: None,
        }
    }

    /// A sweep of `paths` with one point per `(values, estimate)`, base values `base`.
    fn sweep(paths: &[&str], points: &[(&[&str], f64)], base: &[Option<&str>]) -> SweepResult {
        SweepResult {
            paths: paths.iter().map(|p| p.to_string()).collect(),
            kpis: vec![Kpi::TrucksLost],
            points: points
                .iter()
                .map(|(v, e)| crate::ensemble::SweepPoint {
                    values: v.iter().map(|x| x.to_string()).collect(),
                    estimates: vec![est(*e)],
                    per_replication: vec![None],
                })
                .collect(),
            seeds: Seeds::Common,
            replications: 20,
            seed: 1,
            base_values: base.iter().map(|b| b.map(str::to_string)).collect(),
        }
    }

    fn tutorial() -> Scenario {
        crate::report::charts::kit::bundled_scenario("tutorial.ron")
    }

    #[test]
    fn the_sweep_data_has_one_sorted_line_per_second_value_and_marks_the_base_case() {
        let s = tutorial();
        let r = sweep(
            &["fleet.trucks", "segments[KAY-BKO].risk"],
            &[
                (&["500", "0.05"], 3.0),
                (&["300", "0.05"], 5.0),
                (&["500", "0.1"], 6.0),
                (&["300", "0.1"], 9.0),
            ],
            &[Some("400"), Some("0.05")],
        );
        let d = SweepData::new(&s, &r, 0, "", Lang::En);
        // Two lines, in order of first appearance, each sorted by the first path's value.
        assert_eq!(d.lines.len(), 2);
        assert!(d.lines[0].label.ends_with("= 0.05"), "{}", d.lines[0].label);
        assert!(d.lines[1].label.ends_with("= 0.1"), "{}", d.lines[1].label);
        for (l, want) in d.lines.iter().zip([[5.0, 3.0], [9.0, 6.0]]) {
            let xs: Vec<f64> = l.points.iter().map(|p| p.0 * d.xa.div).collect();
            assert_eq!(xs, [300.0, 500.0]);
            let ys: Vec<f64> = l.points.iter().map(|p| p.1.value).collect();
            assert_eq!(ys, want);
        }
        // One legend entry per line, then the band and the bars.
        assert_eq!(d.legend.len(), 4);
        assert_eq!(d.legend[0].label, d.lines[0].label);
        // The base case stands at 400 trucks, between the values swept.
        let b = d.base.as_ref().expect("base case in range");
        assert_eq!(b.x * d.xa.div, 400.0);
        assert!(b.text.starts_with("base case: 400"), "{}", b.text);
        assert!(d.xa.x0 <= b.x && b.x <= d.xa.x1);
        // The y axis holds every band and ±2 SE bar (9 × 1.2 = 10.8 at most).
        assert!(d.y1 * d.ks.mul.recip() >= 10.8 - 1e-9);
        assert!(d.yt.iter().all(|(v, _)| *v <= d.y1));
        assert!(d.notes[0].starts_with("Every point uses the same seeds"));
        assert!(d.lone.is_none());
        assert_eq!(
            d.long_title,
            format!(
                "{} against {}",
                d.short_title,
                path_name(&s, "fleet.trucks", Lang::En).label
            )
        );
    }

    #[test]
    fn the_sweep_data_speaks_french_with_french_numbers() {
        let s = tutorial();
        let r = sweep(
            &["nodes[BKO].initial_stock_litres", "segments[KAY-BKO].risk"],
            &[
                (&["2000000", "0.05"], 3.0),
                (&["6000000", "0.05"], 5.0),
                (&["2000000", "0.1"], 6.0),
                (&["6000000", "0.1"], 9.0),
            ],
            &[Some("4000000"), Some("0.05")],
        );
        let d = SweepData::new(&s, &r, 0, "", Lang::Fr);
        // The line labels: the value in the French way.
        assert!(d.lines[0].label.ends_with("= 0,05"), "{}", d.lines[0].label);
        // The base case in French units and numbers.
        let b = d.base.as_ref().expect("base case in range");
        assert_eq!(b.text, "cas de base : 4,00 M L");
        assert!(
            d.xa.title.ends_with("(millions de litres)"),
            "{}",
            d.xa.title
        );
        assert!(d.long_title.contains(" selon "), "{}", d.long_title);
        assert!(
            d.subtitle.starts_with("Moyenne de 20 simulations"),
            "{}",
            d.subtitle
        );
        assert!(d.notes[0].starts_with("Chaque point utilise les mêmes graines"));
        assert!(
            d.legend
                .iter()
                .any(|l| l.label.starts_with("zone ombrée : ")),
            "{:?}",
            d.legend
        );
    }

    #[test]
    fn the_sweep_data_of_one_point_says_its_value_and_of_none_marks_nothing() {
        let s = tutorial();
        let r = sweep(&["fleet.trucks"], &[(&["300"], 5.0)], &[None]);
        let d = SweepData::new(&s, &r, 0, "", Lang::En);
        assert!(d.base.is_none(), "no base value, no mark");
        let lone = d.lone.expect("one point");
        assert!(lone.ends_with("(one point: nothing to compare)"), "{lone}");
        assert!(lone.starts_with(&d.ks.show(5.0)));
        let r = sweep(&["fleet.trucks"], &[], &[Some("400")]);
        let d = SweepData::new(&s, &r, 0, "", Lang::En);
        assert!(d.lines.is_empty() && d.lone.is_none());
    }

    #[test]
    fn the_base_case_of_a_swept_risk_says_how_it_acts() {
        let t = bamako();
        let s = &t.base().scenario;
        let r = sweep(
            &["segments[KAY-DIE].risk"],
            &[(&["0.02"], 1.0), (&["0.1"], 2.0)],
            &[Some("0.005")],
        );
        let d = SweepData::new(s, &r, 0, "", Lang::En);
        let b = d.base.expect("the base value is kept inside the axis");
        let acts = sig3(crate::network::attack_probability(0.005, 12.34));
        assert_eq!(b.text, format!("base case: 0.005 → {acts}"));
        assert_eq!(b.x, 0.005);
    }

    #[test]
    fn event_and_corridor_paths_read_as_their_labels() {
        let t = bamako();
        let s = &t.base().scenario;
        let n = s
            .events
            .iter()
            .position(|e| e.label.as_deref() == Some("crisis committee: more escorts"))
            .unwrap()
            + 1;
        let name = path_name(s, &format!("events[{n}].effect.EscortUnits"), Lang::En).label;
        assert_eq!(name, "“crisis committee: more escorts”: escort units");
        let name = path_name(s, "tags[kayes_axis].risk_multiplier", Lang::En).label;
        assert_eq!(name, "risk multiplier, every segment tagged kayes_axis");
    }
}
