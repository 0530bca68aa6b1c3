//! The sweep chart: one KPI against the first varied value.

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
struct Line {
    /// Legend text, empty with one line.
    label: String,
    /// (x position, estimate), in sweep order.
    points: Vec<(f64, Estimate)>,
}

/// Where the first path's values go on the x axis.
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
fn sweep_x(s: &Scenario, path: &str, values: &[String], base: Option<f64>) -> XAxis {
    let in_force = risk_in_force(s, path);
    let nums: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    match nums {
        Some(v) if !v.is_empty() => {
            let max = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let sc = ValueScale::new(s, path, max);
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
                Some((m, first)) if pos.len() <= 12 => format!(
                    "{}: base value → as it acts under the scenario's ×{} multiplier (from {})",
                    sc.title(),
                    sig3(m),
                    when(s.start_date, f64::from(first))
                ),
                Some((m, first)) => format!(
                    "{}: base value; the scenario multiplies it ×{} from {} (acting as 1 − (1 − risk)^{})",
                    sc.title(),
                    sig3(m),
                    when(s.start_date, f64::from(first)),
                    sig3(m)
                ),
                None if path.starts_with("tags[") => {
                    format!("{} (on top of the scenario's own multipliers)", sc.title())
                }
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
                title: path_name(s, path).label,
                numeric: false,
                div: 1.0,
            }
        }
    }
}

/// Words for the estimate of a KPI: "mean over runs".
pub(super) fn estimate_words(k: Kpi) -> &'static str {
    match k {
        Kpi::FirstDryMedian => "median over runs",
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => "share of runs",
        _ => "mean over runs",
    }
}

/// Words for the 90 % interval of a KPI.
fn band_words(k: Kpi) -> &'static str {
    if k.interval_is_spread() {
        "P5–P95 across runs (90 % of runs fall here)"
    } else {
        "90 % confidence interval of the share (Wilson)"
    }
}

/// Opacity of a sweep's band.
const SWEEP_BAND: f64 = 0.16;

impl Chart for SweepChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, r) = (self.s, self.r);
        let st = cv.st;
        let m = cv.margin();
        let k = r.kpis[self.kpi];
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
        let xa = sweep_x(s, &first_path, &xs, base_x);
        // Lines: one per combination of the other paths' values.
        let mut lines: Vec<(Vec<String>, Line)> = Vec::new();
        for p in &r.points {
            let rest: Vec<String> = p.values.iter().skip(1).cloned().collect();
            let xi = p
                .values
                .first()
                .and_then(|v| xs.iter().position(|x| x == v))
                .unwrap_or(0);
            let e = p.estimates[self.kpi];
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
                                ValueScale::new(s, path, v.parse::<f64>().unwrap_or(0.0).abs());
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
        for (_, l) in &mut lines {
            l.points.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let raw_max = r
            .points
            .iter()
            .map(|p| {
                let e = p.estimates[self.kpi];
                e.hi.max(e.value + 2.0 * e.se)
            })
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let ks = KpiScale::new(s, k, raw_max, cv.st.lang);

        let single = lines.len() <= 1;
        let mut legend: Vec<Legend> = Vec::new();
        if single {
            legend.push(Legend::new(Swatch::Marker(BLUE), estimate_words(k)));
            legend.push(Legend::new(
                Swatch::Fill(BLUE, SWEEP_BAND * 1.6),
                band_words(k),
            ));
            legend.push(Legend::new(
                Swatch::ErrorBar(INK),
                "±2 standard errors (Monte Carlo noise of the estimate)",
            ));
        } else {
            for (i, (_, l)) in lines.iter().enumerate() {
                legend.push(Legend::new(
                    Swatch::Marker(LINES[i % LINES.len()]),
                    l.label.clone(),
                ));
            }
            legend.push(Legend::new(
                Swatch::Fill(GREY, SWEEP_BAND * 1.6),
                format!("shaded: {}", band_words(k)),
            ));
            legend.push(Legend::new(Swatch::ErrorBar(INK), "±2 standard errors"));
        }
        let seeds = match r.seeds {
            Seeds::Common => "the same seeds at every point (common random numbers)",
            Seeds::Independent => "independent seeds per point",
        };
        let x_name = path_name(s, &first_path).label;
        let long_title = format!("{} — {} against {x_name}", s.name, ks.name);
        let title_f = Font::bold(size::TITLE, INK);
        let title = if cv.width(&long_title, title_f) <= st.w - 2 * m {
            long_title
        } else {
            format!("{} — {}", s.name, ks.name)
        };
        let h = Header {
            title,
            subtitle: format!(
                "{} of {} at each value of {} · seed {} · {seeds}{}",
                match k {
                    Kpi::FirstDryMedian => "Median",
                    Kpi::PDryBy(_) | Kpi::PRationingBy(_) => "Share",
                    _ => "Mean",
                },
                runs(r.replications),
                first_path,
                r.seed,
                facts_tail(self.facts)
            ),
            legend,
        };
        let top = header(cv, &h)?;
        let mut note_lines = Vec::new();
        let what = match k {
            Kpi::FirstDryMedian => "median",
            Kpi::PDryBy(_) | Kpi::PRationingBy(_) => "share",
            _ => "mean",
        };
        note_lines.push(match r.seeds {
            Seeds::Common => format!(
                "Every point uses the same seeds (common random numbers): run r of each point meets the same dice, so differences between points come from the value, not from luck, and are known more precisely than the bars (±2 standard errors of each {what}) suggest."
            ),
            Seeds::Independent => format!(
                "Each point has its own seeds (--independent-seeds): differences between points include luck. Bars: ±2 standard errors of the {what}."
            ),
        });
        if k == Kpi::FirstDryMedian {
            note_lines.push(format!(
                "Runs never dry count as the end of the horizon (day {}): a point on the dashed line means most runs had no dry day within it.",
                s.horizon_days
            ));
        }
        if k.interval_is_spread()
            && r.points.iter().any(|p| {
                let e = p.estimates[self.kpi];
                e.value > e.hi + 1e-9 || e.value < e.lo - 1e-9
            })
        {
            note_lines.push(format!(
                "Where the {what} lies outside its band, a few runs went far worse than the rest (the {what} feels them, the percentiles do not)."
            ));
        }
        if r.paths.len() > 2 {
            note_lines.push(format!(
                "One line per combination of {}.",
                r.paths[1..].join(", ")
            ));
        }
        let bottom = notes(cv, &note_lines)?;

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
        let ax = Axes {
            l: m + y_axis_width(cv, &yt),
            t: top + st.px(10.0),
            r: st.w - m,
            b: bottom - x_axis_height(cv, true),
            x0: xa.x0,
            x1: xa.x1,
            y0: 0.0,
            y1,
        };
        y_axis(cv, &ax, &yt, &ks.title, false)?;
        x_axis(cv, &ax, &xa.ticks, Some(&xa.title), true)?;
        if r.points.is_empty() {
            frame(cv, &ax)?;
            return empty_message(cv, &ax, "No point was run");
        }
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
        for (i, (_, l)) in lines.iter().enumerate() {
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
                &format!("end of the horizon (day {c:.0}): none within it"),
                (ax.l + st.px(10.0), yc - st.px(8.0)),
                f,
                Align::Left,
                VAlign::Baseline,
            )?;
        }
        let many = r.points.len() > 40;
        for (i, (_, l)) in lines.iter().enumerate() {
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
        for (i, (_, l)) in lines.iter().enumerate() {
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
        // The base case: where the scenario (with the study's overrides) stands.
        if let Some(Some(bv)) = r.base_values.first() {
            let at = match bv.trim().parse::<f64>() {
                Ok(v) if xa.numeric => Some(v / xa.div),
                _ => xs.iter().position(|x| x == bv).map(|i| i as f64),
            };
            if let Some(x) = at.filter(|x| *x >= xa.x0 && *x <= xa.x1) {
                let px = ax.x(x);
                cv.dashed((px, ax.t), (px, ax.b), INK.mix(0.7), 2.5)?;
                let f = Font::bold(size::LABEL, INK);
                let shown = ValueScale::new(
                    s,
                    &first_path,
                    bv.trim().parse::<f64>().map_or(0.0, f64::abs),
                )
                .show(bv);
                let text = match (risk_in_force(s, &first_path), bv.trim().parse::<f64>()) {
                    (Some((m, _)), Ok(v)) => format!(
                        "base case: {shown} → {}",
                        sig3(crate::network::attack_probability(v, m))
                    ),
                    _ => format!("base case: {shown}"),
                };
                let w = cv.width(&text, f);
                let (tx, al) = if px + st.px(8.0) + w <= ax.r {
                    (px + st.px(8.0), Align::Left)
                } else {
                    (px - st.px(8.0), Align::Right)
                };
                cv.text(&text, (tx, ax.t + st.px(10.0)), f, al, VAlign::Top)?;
            }
        }
        // One point: say the value, there is no curve to read.
        if r.points.len() == 1 {
            let e = r.points[0].estimates[self.kpi];
            let f = Font::bold(size::LABEL, INK);
            let (px, py) = pt(0, lines[0].1.points[0].0, e.value);
            cv.text(
                &format!("{} (one point: nothing to compare)", ks.show(e.value)),
                (px + st.px(30.0), py),
                f,
                Align::Left,
                VAlign::Middle,
            )?;
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
        let xa = sweep_x(s, "segments[KAY-DIE].risk", &values, base.parse().ok());
        let want = sig3(crate::network::attack_probability(0.02, 12.34));
        assert_eq!(xa.ticks[0].1, format!("0.02 → {want}"));
        assert!(xa.title.contains("×12.3") && xa.title.contains("as it acts"));
        assert!(xa.x0 <= 0.005 && 0.005 <= xa.x1);
        // A risk with no multiplier in force keeps its plain values.
        let xa = sweep_x(s, "fleet.trucks", &["1000".to_string()], None);
        assert_eq!(xa.ticks[0].1, "1000");
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
        let name = path_name(s, &format!("events[{n}].effect.EscortUnits")).label;
        assert_eq!(name, "“crisis committee: more escorts”: escort units");
        let name = path_name(s, "tags[kayes_axis].risk_multiplier").label;
        assert_eq!(name, "risk multiplier, every segment tagged kayes_axis");
    }
}
