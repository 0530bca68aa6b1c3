//! The charts of the studies: a sweep's KPI against the varied value, the tornado of a
//! one-at-a-time sensitivity, and the reserve search. What they share: readable names for
//! `--vary` paths and KPI axes with units.

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, ORANGE, Res, SERIES,
    SKY, Swatch, Tick, VAlign, VERMILLION, frame, header, nice_ticks, nice_top, notes, short_date,
    size, value_ticks, x_axis, x_axis_height, y_axis, y_axis_width,
};
use super::series::empty_message;
use super::volume_unit;
use crate::ensemble::{
    Estimate, Kpi, Lever, ReserveQuery, ReserveResult, Seeds, SweepResult, Tornado, TornadoBar,
};
use crate::report::thousands;
use crate::scenario::{Date, Scenario};

/// Colours for series of lines (yellow is too light for a line on white).
pub(crate) const LINES: [RGBColor; 6] = [
    SERIES[0], SERIES[1], SERIES[2], SERIES[3], SERIES[4], SERIES[5],
];

/// "3 Sep 2025 (day 2)", or "day 2" without a start date.
pub(crate) fn when(start: Option<Date>, day: f64) -> String {
    match start {
        Some(d) => format!(
            "{} (day {day:.0})",
            short_date(d.plus_days(day.floor() as i64), true)
        ),
        None => format!("day {day:.0}"),
    }
}

/// A number with about three significant digits, thousands grouped: 1,234 · 12.3 · 0.123.
pub(crate) fn sig3(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let s = if a >= 100.0 || a == 0.0 {
        thousands(v)
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        let d = (2.0 - a.log10().floor()).clamp(2.0, 8.0) as usize;
        format!("{v:.d$}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// What kind of quantity a `--vary` path sets, for units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathUnit {
    /// No unit known.
    None,
    /// Litres.
    Litres,
    /// Litres per day.
    LitresPerDay,
}

/// A `--vary` path as a planner reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathName {
    /// "risk, Kayes–Diéma"; "initial stock, Bamako"; "fleet: trucks".
    pub label: String,
    /// The unit of the values.
    pub unit: PathUnit,
    /// A unit written after the label when the values are not litres ("days").
    pub other_unit: Option<&'static str>,
}

/// Splits `a.b[k].c` into `[("a", None), ("b", Some("k")), ("c", None)]`.
fn path_steps(path: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let mut key = None;
        if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').unwrap_or(r.len());
            key = Some(r[..close].to_string());
            rest = r.get(close + 1..).unwrap_or("");
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
        out.push((name, key));
    }
    out
}

/// A field name in words, with its unit split off: `initial_stock_litres` -> ("initial
/// stock", Litres).
fn field_words(f: &str) -> (String, PathUnit, Option<&'static str>) {
    let suffixes: [(&str, PathUnit, Option<&'static str>); 5] = [
        ("_litres_per_day", PathUnit::LitresPerDay, None),
        ("_litres", PathUnit::Litres, None),
        ("_trucks_per_day", PathUnit::None, Some("trucks/day")),
        ("_days", PathUnit::None, Some("days")),
        ("_km", PathUnit::None, Some("km")),
    ];
    for (suf, unit, other) in suffixes {
        if let Some(head) = f.strip_suffix(suf).filter(|h| !h.is_empty()) {
            return (head.replace('_', " "), unit, other);
        }
    }
    match f {
        "litres_per_day" => ("demand".into(), PathUnit::LitresPerDay, None),
        "litres" => ("amount".into(), PathUnit::Litres, None),
        _ => (f.replace('_', " "), PathUnit::None, None),
    }
}

/// Names a `--vary` path: `segments[KAY-DIE].risk` -> "risk, Kayes–Diéma";
/// `nodes[BKO].initial_stock_litres` -> "initial stock, Bamako" (litres); `fleet.trucks` ->
/// "fleet: trucks". Unknown shapes are kept as written.
pub(crate) fn path_name(s: &Scenario, path: &str) -> PathName {
    let steps = path_steps(path);
    let Some(((last, last_key), head)) = steps.split_last() else {
        return PathName {
            label: path.to_string(),
            unit: PathUnit::None,
            other_unit: None,
        };
    };
    if last_key.is_some() || last.is_empty() {
        return PathName {
            label: path.to_string(),
            unit: PathUnit::None,
            other_unit: None,
        };
    }
    let (words, unit, other_unit) = field_words(last);
    let words = if words == "risk" {
        "attack risk".to_string()
    } else {
        words
    };
    let mut places: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for (name, key) in head {
        match (name.as_str(), key) {
            ("segments", Some(id)) => places.push(
                s.segment_by_id(id)
                    .map_or_else(|| id.clone(), |g| s.segment_label(g)),
            ),
            ("nodes", Some(id)) => places.push(
                s.node_by_id(id)
                    .map_or_else(|| id.clone(), |n| s.node(n).name.clone()),
            ),
            ("demand", Some(c)) => groups.push(format!("{c} class")),
            ("events", Some(n)) => groups.push(format!("event {n}")),
            (other, Some(k)) => groups.push(format!("{} {k}", other.replace('_', " "))),
            (other, None) => groups.push(other.replace('_', " ")),
        }
    }
    let mut label = if groups == ["fleet"] && words == "trucks" {
        "fleet size (trucks)".to_string()
    } else if groups.is_empty() {
        words
    } else {
        format!("{}: {words}", groups.join(" "))
    };
    if !places.is_empty() {
        label = format!("{label}, {}", places.join(", "));
    }
    PathName {
        label,
        unit,
        other_unit,
    }
}

/// How the values of a `--vary` path are shown.
#[derive(Debug, Clone)]
pub(crate) struct ValueScale {
    /// The path's name.
    pub name: PathName,
    /// Shown value = value / div.
    pub div: f64,
    /// Unit after the name on an axis ("million litres"), if any.
    pub unit: Option<String>,
    /// Short unit after a number ("M L"), if any.
    pub short: Option<&'static str>,
}

impl ValueScale {
    /// The scale of `path` for values up to `max` in absolute size.
    pub fn new(s: &Scenario, path: &str, max: f64) -> ValueScale {
        let name = path_name(s, path);
        let (div, unit, short) = match name.unit {
            PathUnit::Litres | PathUnit::LitresPerDay => {
                let (div, unit) = volume_unit(max);
                let short = match unit {
                    "million litres" => "M L",
                    "thousand litres" => "k L",
                    _ => "L",
                };
                if name.unit == PathUnit::LitresPerDay {
                    (div, Some(format!("{unit} per day")), Some(short))
                } else {
                    (div, Some(unit.to_string()), Some(short))
                }
            }
            PathUnit::None => (1.0, name.other_unit.map(str::to_string), None),
        };
        let short = match (short, name.unit) {
            (Some("M L"), PathUnit::LitresPerDay) => Some("M L/day"),
            (Some("k L"), PathUnit::LitresPerDay) => Some("k L/day"),
            (Some(_), PathUnit::LitresPerDay) => Some("L/day"),
            (s, _) => s,
        };
        ValueScale {
            name,
            div,
            unit,
            short,
        }
    }

    /// The axis title: "initial stock, Bamako (million litres)".
    pub fn title(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.name.label),
            None => self.name.label.clone(),
        }
    }

    /// A value as text: a number scaled with its short unit, or the text as given.
    pub fn show(&self, text: &str) -> String {
        match text.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let n = v / self.div;
                let t = if self.div > 1.0 {
                    sig3(n)
                } else if n.abs() >= 10_000.0 && n == n.round() {
                    thousands(n)
                } else {
                    text.trim().to_string()
                };
                match self.short {
                    Some(u) => format!("{t} {u}"),
                    None => t,
                }
            }
            _ => text.to_string(),
        }
    }
}

/// How a KPI is shown on an axis.
#[derive(Debug, Clone)]
pub(crate) struct KpiScale {
    /// Shown value = raw value × mul.
    pub mul: f64,
    /// The KPI in words, for titles: "tankers lost".
    pub name: String,
    /// Axis title with unit.
    pub title: String,
    /// Short unit after a number: " %", " M L", "".
    pub short: &'static str,
    /// Day 0's date, when the KPI is a day of the run and the scenario has dates.
    pub start: Option<Date>,
    /// The KPI is a day of the run.
    pub is_day: bool,
    /// Upper limit of the axis, if the KPI has one (100 %, the horizon).
    pub cap: Option<f64>,
}

impl KpiScale {
    /// The scale of `k` in scenario `s` for values up to `max` (raw units).
    pub fn new(s: &Scenario, k: Kpi, max: f64) -> KpiScale {
        let litres = |what: &str| {
            let (div, unit) = volume_unit(max);
            let short = match unit {
                "million litres" => " M L",
                "thousand litres" => " k L",
                _ => " L",
            };
            (1.0 / div, format!("{what} ({unit})"), short)
        };
        let base = KpiScale {
            mul: 1.0,
            name: String::new(),
            title: String::new(),
            short: "",
            start: None,
            is_day: false,
            cap: None,
        };
        match k {
            Kpi::PDryBy(d) => KpiScale {
                mul: 100.0,
                name: format!("P(dry by {})", when(s.start_date, f64::from(d))),
                title: format!("P(dry by day {d}) (% of runs)"),
                short: " %",
                cap: Some(100.0),
                ..base
            },
            Kpi::PRationingBy(d) => KpiScale {
                mul: 100.0,
                name: format!("P(rationing by {})", when(s.start_date, f64::from(d))),
                title: format!("P(rationing by day {d}) (% of runs)"),
                short: " %",
                cap: Some(100.0),
                ..base
            },
            Kpi::DaysRationed => KpiScale {
                name: "days under rationing".into(),
                title: "days under rationing per run".into(),
                cap: Some(f64::from(s.horizon_days)),
                ..base
            },
            Kpi::FirstDryMedian => KpiScale {
                name: "first dry day, median".into(),
                title: match s.start_date {
                    Some(d) => format!(
                        "first dry day, median (date; day 0 = {})",
                        short_date(d, true)
                    ),
                    None => "first dry day, median (day of the run)".into(),
                },
                start: s.start_date,
                is_day: true,
                cap: Some(f64::from(s.horizon_days)),
                ..base
            },
            Kpi::UnmetProtected => {
                let (mul, title, short) = litres("unmet demand of the protected classes per run");
                KpiScale {
                    mul,
                    name: "unmet demand, protected classes".into(),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::UnmetTotal => {
                let (mul, title, short) = litres("unmet demand per run, all classes");
                KpiScale {
                    mul,
                    name: "unmet demand (all classes)".into(),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::FuelLost => {
                let (mul, title, short) = litres("fuel lost per run, burned + seized");
                KpiScale {
                    mul,
                    name: "fuel lost".into(),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::TrucksLost => KpiScale {
                name: "tankers lost".into(),
                title: "tankers lost per run".into(),
                ..base
            },
        }
    }

    /// A raw value as text with its unit: "12.3 %", "4.56 M L", "3 Nov (day 63)".
    pub fn show(&self, v: f64) -> String {
        if self.is_day {
            return match self.start {
                Some(d) => format!(
                    "{} (day {:.0})",
                    short_date(d.plus_days(v.floor() as i64), false),
                    v.floor()
                ),
                None => format!("day {}", sig3(v)),
            };
        }
        let x = v * self.mul;
        let t = if self.short == " %" {
            format!("{x:.1}")
        } else {
            sig3(x)
        };
        format!("{t}{}", self.short)
    }

    /// Ticks from `lo` to `hi` (shown units), about `target` of them; dates for days.
    pub fn ticks(&self, lo: f64, hi: f64, target: usize) -> Vec<Tick> {
        match (self.is_day, self.start) {
            (true, Some(d)) if hi - lo > 45.0 => {
                // Month starts (quarters, years on long spans), like the time axes.
                let span = hi - lo;
                let (a, b) = (lo.ceil() as i64, hi.floor() as i64);
                let mut v: Vec<f64> = (a..=b)
                    .filter(|k| {
                        let (_, mo, day) = d.plus_days(*k).ymd();
                        day == 1
                            && (span <= 400.0 || (span <= 1100.0 && (mo - 1) % 3 == 0) || mo == 1)
                    })
                    .map(|k| k as f64)
                    .collect();
                if v.len() > target + 3 {
                    let every = v.len().div_ceil(target + 1);
                    v = v.into_iter().step_by(every).collect();
                }
                if v.len() < 2 {
                    return self.ticks_plain(d, lo, hi, target);
                }
                let mut last_year = None;
                v.into_iter()
                    .map(|x| {
                        let date = d.plus_days(x as i64);
                        let y = date.ymd().0;
                        let t = short_date(date, last_year != Some(y));
                        last_year = Some(y);
                        (x, t)
                    })
                    .collect()
            }
            (true, Some(d)) => self.ticks_plain(d, lo, hi, target),
            _ => value_ticks(lo, hi, target, ""),
        }
    }

    /// Round day numbers from `lo` to `hi` labelled with their dates.
    fn ticks_plain(&self, d: Date, lo: f64, hi: f64, target: usize) -> Vec<Tick> {
        let (v, step) = nice_ticks(lo, hi, target);
        let v: Vec<f64> = if step >= 1.0 {
            v
        } else {
            let (a, b) = (lo.ceil() as i64, hi.floor() as i64);
            (a..=b).map(|x| x as f64).collect()
        };
        let mut last_year = None;
        v.into_iter()
            .map(|x| {
                let date = d.plus_days(x.round() as i64);
                let y = date.ymd().0;
                let t = short_date(date, last_year != Some(y));
                last_year = Some(y);
                (x, t)
            })
            .collect()
    }
}

/// The subtitle's tail: " · overrides: ..." from the options' facts.
fn facts_tail(facts: &str) -> String {
    if facts.is_empty() {
        String::new()
    } else {
        format!(" · {facts}")
    }
}

/// "1,000 runs" / "1 run".
pub(crate) fn runs(n: u64) -> String {
    format!(
        "{} run{}",
        thousands(n as f64),
        if n == 1 { "" } else { "s" }
    )
}

// ---------------------------------------------------------------------------------------
// Sweep

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
}

fn sweep_x(s: &Scenario, path: &str, values: &[String]) -> XAxis {
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
                        (*p, label)
                    })
                    .collect()
            } else {
                value_ticks(lo, hi, 8, "")
            };
            XAxis {
                pos,
                ticks,
                x0,
                x1,
                title: sc.title(),
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
            }
        }
    }
}

/// Words for the estimate of a KPI: "mean over runs".
fn estimate_words(k: Kpi) -> &'static str {
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
        let xa = sweep_x(s, &first_path, &xs);
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
        let ks = KpiScale::new(s, k, raw_max);

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

// ---------------------------------------------------------------------------------------
// Tornado

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

impl Chart for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, t) = (self.s, self.t);
        let st = cv.st;
        let m = cv.margin();
        let k = t.kpi;
        let mut all: Vec<f64> = vec![t.base.value];
        for b in &t.bars {
            all.extend([b.at_low.value, b.at_high.value]);
            all.extend([
                b.at_low.value - 2.0 * b.at_low.se,
                b.at_low.value + 2.0 * b.at_low.se,
                b.at_high.value - 2.0 * b.at_high.se,
                b.at_high.value + 2.0 * b.at_high.se,
            ]);
        }
        all.retain(|v| v.is_finite());
        let raw_max = all.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let ks = KpiScale::new(s, k, raw_max);
        let h = Header {
            title: format!("{} — what moves {} most", s.name, ks.name),
            subtitle: format!(
                "Each assumption set to its low and high value, one at a time · {} each · seed {} · same seeds everywhere (common random numbers){}",
                runs(t.replications),
                t.seed,
                facts_tail(self.facts)
            ),
            legend: vec![
                Legend::new(Swatch::Fill(LOW, 1.0), "at the low value"),
                Legend::new(Swatch::Fill(HIGH, 1.0), "at the high value"),
                Legend::new(
                    Swatch::Line(INK, 3.0, true),
                    "base case (every assumption as in the scenario)",
                ),
                Legend::new(Swatch::ErrorBar(INK), "±2 standard errors"),
            ],
        };
        let top = header(cv, &h)? + st.px(34.0);
        let note = format!(
            "Sorted by swing (|{} at high − at low|), largest on top; each end gives the value tried and the {} it gave. Whiskers: ±2 standard errors of each end; on common random numbers the swing itself is known more precisely.",
            ks.name,
            estimate_words(k).replace(" over runs", "")
        );
        let bottom = notes(cv, &[note])? - x_axis_height(cv, true);
        let lf = Font::new(size::TICK, INK);
        let pf = Font::new(size::TICK * 0.82, MUTED);
        let ef = Font::new(size::LABEL, INK);
        let names: Vec<(String, String)> = t
            .bars
            .iter()
            .map(|b| (path_name(s, &b.path).label, b.path.clone()))
            .collect();
        let label_w = names
            .iter()
            .map(|(a, b)| cv.width(a, lf).max(cv.width(b, pf)))
            .max()
            .unwrap_or(0)
            .min(st.w * 30 / 100);
        let end_text = |value: &str, b: &TornadoBar, e: &Estimate| -> String {
            let big = [&b.low, &b.high]
                .iter()
                .filter_map(|v| v.trim().parse::<f64>().ok())
                .fold(0.0f64, |a, v| a.max(v.abs()));
            let sc = ValueScale::new(s, &b.path, big);
            format!("{} → {}", sc.show(value), ks.show(e.value))
        };
        let plot_l = m + label_w + st.px(20.0);
        let plot_r = st.w - m;
        // Data range, then room for the end labels on each side.
        let (dmin, dmax) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v * ks.mul), b.max(*v * ks.mul))
            });
        let (dmin, dmax) = if dmin.is_finite() && dmax > dmin {
            (dmin, dmax)
        } else {
            let c = if dmin.is_finite() { dmin } else { 0.0 };
            let half = if c != 0.0 { 0.1 * c.abs() } else { 1.0 };
            (c - half, c + half)
        };
        let base = t.base.value * ks.mul;
        let gap = st.px(10.0);
        let mut pad_l = 0;
        let mut pad_r = 0;
        for b in &t.bars {
            for (v, e) in [(&b.low, &b.at_low), (&b.high, &b.at_high)] {
                let w = cv.width(&end_text(v, b, e), ef) + gap + st.px(14.0);
                if e.value * ks.mul < base {
                    pad_l = pad_l.max(w);
                } else {
                    pad_r = pad_r.max(w);
                }
            }
        }
        let inner = (plot_r - plot_l - pad_l - pad_r).max(st.px(120.0));
        let per_px = (dmax - dmin) / f64::from(inner);
        let x0 = dmin - f64::from(pad_l) * per_px;
        let x1 = dmax + f64::from(pad_r) * per_px;
        let ax = Axes {
            l: plot_l,
            t: top,
            r: plot_r,
            b: bottom,
            x0,
            x1,
            y0: 0.0,
            y1: 1.0,
        };
        let ticks: Vec<Tick> = ks
            .ticks(dmin, dmax, 8)
            .into_iter()
            .filter(|(v, _)| *v >= x0 && *v <= x1)
            .collect();
        x_axis(cv, &ax, &ticks, Some(&ks.title), true)?;
        if t.bars.is_empty() {
            frame(cv, &ax)?;
            return empty_message(cv, &ax, "Nothing was varied");
        }
        let n = t.bars.len();
        let row_h = f64::from(ax.b - ax.t) / n as f64;
        let rows_b = ax.b;
        let bar_h = ((row_h * 0.62).round() as i32).min(st.px(72.0));
        let bx = ax.x(base);
        for (j, b) in t.bars.iter().enumerate() {
            let cy = ax.t + (row_h * (j as f64 + 0.5)).round() as i32;
            let (lo, hi) = (b.at_low.value * ks.mul, b.at_high.value * ks.mul);
            let (xl, xh) = (ax.x(lo), ax.x(hi));
            // Same side of the base: two half bars, so neither hides the other.
            let same_side = (lo - base) * (hi - base) > 0.0;
            let parts: [(i32, i32, i32, RGBColor, &String, &Estimate); 2] = if same_side {
                [
                    (xl, cy - bar_h / 2, cy, LOW, &b.low, &b.at_low),
                    (xh, cy, cy + bar_h / 2, HIGH, &b.high, &b.at_high),
                ]
            } else {
                [
                    (xl, cy - bar_h / 2, cy + bar_h / 2, LOW, &b.low, &b.at_low),
                    (
                        xh,
                        cy - bar_h / 2,
                        cy + bar_h / 2,
                        HIGH,
                        &b.high,
                        &b.at_high,
                    ),
                ]
            };
            for (x, y0, y1, c, _, _) in parts {
                if x != bx {
                    cv.rect((bx.min(x), y0), (bx.max(x), y1), c.to_rgba(), true)?;
                }
            }
            let unchanged = b.swing() == 0.0 && b.at_low.value == t.base.value;
            if unchanged {
                cv.line(
                    vec![(bx, cy - bar_h / 2), (bx, cy + bar_h / 2)],
                    GREY.to_rgba(),
                    4.0,
                )?;
            }
            for (x, y0, y1, _, v, e) in parts {
                let ym = (y0 + y1) / 2;
                if unchanged {
                    continue;
                }
                if e.se > 0.0 && e.se.is_finite() {
                    let a = ax.x((e.value - 2.0 * e.se) * ks.mul);
                    let z = ax.x((e.value + 2.0 * e.se) * ks.mul);
                    if z - a >= 2 {
                        cv.error_bar_h(ym, a, z, INK)?;
                    }
                }
                if unchanged {
                    continue;
                }
                let text = end_text(v, b, e);
                let left = e.value * ks.mul < base;
                let off = gap
                    + if e.se.is_finite() {
                        (ax.x((e.value + 2.0 * e.se) * ks.mul) - x).abs()
                    } else {
                        0
                    };
                if left {
                    cv.text(&text, (x - off, ym), ef, Align::Right, VAlign::Middle)?;
                } else {
                    cv.text(&text, (x + off, ym), ef, Align::Left, VAlign::Middle)?;
                }
            }
            if unchanged {
                let big = [&b.low, &b.high]
                    .iter()
                    .filter_map(|v| v.trim().parse::<f64>().ok())
                    .fold(0.0f64, |a, v| a.max(v.abs()));
                let sc = ValueScale::new(s, &b.path, big);
                let text = format!(
                    "no change: {} at both {} and {}",
                    ks.show(b.at_low.value),
                    sc.show(&b.low),
                    sc.show(&b.high)
                );
                cv.text(
                    &text,
                    (bx + st.px(14.0), cy),
                    Font::new(size::LABEL, MUTED),
                    Align::Left,
                    VAlign::Middle,
                )?;
            }
            // The path's name on the left, the raw path under it when they differ.
            let (name, raw) = &names[j];
            let lx = ax.l - st.px(14.0);
            if raw.contains('[') && row_h >= f64::from(cv.cap(lf) + cv.cap(pf) + st.px(18.0)) {
                let gap2 = st.px(8.0);
                let total = cv.cap(lf) + gap2 + cv.cap(pf);
                let y = cy - total / 2;
                cv.text(
                    &cv.fit(name, lf, label_w),
                    (lx, y),
                    lf,
                    Align::Right,
                    VAlign::Top,
                )?;
                cv.text(
                    &cv.fit(raw, pf, label_w),
                    (lx, y + cv.cap(lf) + gap2),
                    pf,
                    Align::Right,
                    VAlign::Top,
                )?;
            } else {
                cv.text(
                    &cv.fit(name, lf, label_w),
                    (lx, cy),
                    lf,
                    Align::Right,
                    VAlign::Middle,
                )?;
            }
        }
        cv.dashed((bx, ax.t - st.px(26.0)), (bx, rows_b), INK.to_rgba(), 3.0)?;
        cv.text(
            &format!("base case {}", ks.show(t.base.value)),
            (bx, ax.t - st.px(30.0)),
            Font::bold(size::LABEL, INK),
            Align::Center,
            VAlign::Baseline,
        )?;
        cv.line(vec![(ax.l, ax.b), (ax.r, ax.b)], GREY.to_rgba(), 1.5)
    }
}

// ---------------------------------------------------------------------------------------
// Reserve

/// The reserve search: probability against the lever, the target, the answer.
pub(crate) struct ReserveChart<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The question.
    pub q: &'a ReserveQuery,
    /// The answer.
    pub r: &'a ReserveResult,
    /// Replications per ensemble.
    pub replications: u64,
    /// Seed.
    pub seed: u64,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// Everything one panel of the reserve chart draws.
struct ReservePanel<'a> {
    /// Points tried, sorted by value: (value, probability).
    pts: &'a [(f64, f64)],
    /// Divisor of the lever's unit.
    div: f64,
    /// Target, %.
    conf: f64,
    /// The lever as text with its unit.
    show: &'a dyn Fn(f64) -> String,
    /// Label the answer.
    label_answer: bool,
    /// Label the scenario's value.
    label_current: bool,
}

impl ReserveChart<'_> {
    fn panel<DB: DrawingBackend>(&self, cv: &Canvas<DB>, ax: &Axes, p: &ReservePanel) -> Res {
        let r = self.r;
        let st = cv.st;
        let div = p.div;
        let inside = |x: f64| x / div >= ax.x0 && x / div <= ax.x1;
        if r.reachable && r.answer > 0.0 {
            let (a, b) = r.mc_interval;
            if a.is_finite() {
                let xa = ax.x(a / div);
                let xb = if b.is_finite() { ax.x(b / div) } else { ax.r };
                let (xa, xb) = (xa.min(xb - st.px(4.0)), xb.max(xa + st.px(4.0)));
                cv.rect((xa, ax.t), (xb, ax.b), SKY.mix(0.35), true)?;
            }
            let (a, b) = r.bracket;
            if a.is_finite() && b.is_finite() && b > a {
                let (xa, xb) = (ax.x(a / div), ax.x(b / div));
                if xb - xa >= st.px(3.0) {
                    cv.rect((xa, ax.t), (xb, ax.b), BLUE.mix(0.22), true)?;
                }
            }
        }
        let ty = ax.y(p.conf);
        cv.dashed((ax.l, ty), (ax.r, ty), VERMILLION.to_rgba(), 3.0)?;
        let xc = ax.x(r.current / div);
        if inside(r.current) {
            cv.dashed((xc, ax.t), (xc, ax.b), GREY.to_rgba(), 2.5)?;
        }
        let lf = Font::bold(size::LABEL, INK);
        let mut taken: Option<(i32, i32)> = None;
        if r.reachable && r.answer.is_finite() && inside(r.answer) {
            let xa = ax.x(r.answer / div);
            cv.line(
                vec![(xa, ax.t - st.px(8.0)), (xa, ax.b)],
                INK.to_rgba(),
                3.0,
            )?;
            if p.label_answer {
                let text = if r.answer == 0.0 {
                    "answer 0: no reserve needed".to_string()
                } else {
                    format!("answer {}", (p.show)(r.answer))
                };
                let w = cv.width(&text, lf);
                let (tx, al, span) = if xa + st.px(8.0) + w < ax.r {
                    (xa + st.px(8.0), Align::Left, (xa, xa + st.px(8.0) + w))
                } else {
                    (xa - st.px(8.0), Align::Right, (xa - st.px(8.0) - w, xa))
                };
                cv.text(&text, (tx, ax.t - st.px(12.0)), lf, al, VAlign::Baseline)?;
                taken = Some(span);
            }
        }
        // The curve through the values tried.
        let shown: Vec<(f64, f64)> = p.pts.iter().copied().filter(|(x, _)| inside(*x)).collect();
        // Carry the line to the panel's edges from the nearest points outside.
        let mut line_pts: Vec<(f64, f64)> = Vec::new();
        if let Some(before) = p.pts.iter().rev().find(|(x, _)| x / div < ax.x0) {
            line_pts.push(*before);
        }
        line_pts.extend(shown.iter().copied());
        if let Some(after) = p.pts.iter().find(|(x, _)| x / div > ax.x1) {
            line_pts.push(*after);
        }
        let clip = |(x, pr): (f64, f64)| -> (i32, i32) {
            (ax.x((x / div).clamp(ax.x0, ax.x1)), ax.y(100.0 * pr))
        };
        // Interpolate where the line leaves the panel, so it does not bend at the edge.
        let mut pts_px: Vec<(i32, i32)> = Vec::new();
        for w in line_pts.windows(2) {
            let ((x0, p0), (x1, p1)) = (w[0], w[1]);
            let at = |x: f64| {
                if x1 > x0 {
                    p0 + (p1 - p0) * (x - x0) / (x1 - x0)
                } else {
                    p0
                }
            };
            let a = (x0 / div).max(ax.x0) * div;
            let b = (x1 / div).min(ax.x1) * div;
            if b < a {
                continue;
            }
            pts_px.push(clip((a, at(a))));
            pts_px.push(clip((b, at(b))));
        }
        if line_pts.len() == 1 {
            pts_px.push(clip(line_pts[0]));
        }
        // What labels must not cover: the curve, sampled every few pixels, and the points.
        let mut ink: Vec<(i32, i32)> = Vec::new();
        for w in pts_px.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..=n {
                ink.push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
            }
        }
        cv.line(pts_px, BLUE.mix(0.8), 3.0)?;
        let mark = st.px(7.0);
        for (x, pr) in &shown {
            let c = ax.p(x / div, 100.0 * pr);
            for dx in [-mark, 0, mark] {
                for dy in [-mark, 0, mark] {
                    ink.push((c.0 + dx, c.1 + dy));
                }
            }
            cv.circle(c, st.px(6.5), BLUE.to_rgba(), true)?;
            cv.circle(c, st.px(6.5), WHITE.to_rgba(), false)?;
        }
        frame(cv, ax)?;
        let pad = st.px(4.0);
        let hits = |r: (i32, i32, i32, i32)| {
            ink.iter()
                .filter(|(x, y)| {
                    *x >= r.0 - pad && *x <= r.2 + pad && *y >= r.1 - pad && *y <= r.3 + pad
                })
                .count()
        };
        // The target's label: at either end, above or below its line, where it is clear.
        let tf = Font::bold(size::LABEL, VERMILLION);
        let ttext = format!("target {:.0} %", p.conf);
        let (tw, th) = (cv.width(&ttext, tf), cv.cap(tf));
        let gap = st.px(8.0);
        let cands = [
            (ax.l + st.px(10.0), ty + gap, Align::Left),
            (ax.l + st.px(10.0), ty - gap - th, Align::Left),
            (ax.r - st.px(10.0), ty + gap, Align::Right),
            (ax.r - st.px(10.0), ty - gap - th, Align::Right),
        ];
        let rect_of = |x: i32, y: i32, w: i32, h: i32, al: Align| match al {
            Align::Left => (x, y, x + w, y + h),
            Align::Right => (x - w, y, x, y + h),
            Align::Center => (x - w / 2, y, x + w / 2, y + h),
        };
        let best = cands
            .iter()
            .filter(|(_, y, _)| *y >= ax.t && *y + th <= ax.b)
            .min_by_key(|(x, y, al)| hits(rect_of(*x, *y, tw, th, *al)))
            .copied()
            .unwrap_or(cands[0]);
        cv.text(&ttext, (best.0, best.1), tf, best.2, VAlign::Top)?;
        if p.label_current && inside(r.current) {
            let cf = Font::new(size::LABEL, MUTED);
            let text = format!("in the scenario: {}", (p.show)(r.current));
            let (w, h) = (cv.width(&text, cf), cv.cap(cf));
            let (tx, al) = if xc + gap + w < ax.r {
                (xc + gap, Align::Left)
            } else {
                (xc - gap, Align::Right)
            };
            let above = ax.t - st.px(12.0) - h;
            let mut cands = Vec::new();
            let r_above = rect_of(tx, above, w, h, al);
            let clash = taken
                .is_some_and(|(a, b)| r_above.0 < b + st.px(10.0) && a < r_above.2 + st.px(10.0));
            if !clash {
                cands.push(above);
            }
            cands.push(ax.t + st.px(10.0));
            cands.push(ax.b - st.px(10.0) - h);
            let y = cands
                .iter()
                .copied()
                .min_by_key(|y| {
                    if *y < ax.t {
                        0
                    } else {
                        hits(rect_of(tx, *y, w, h, al)) + 1
                    }
                })
                .unwrap_or(above);
            let bg = rect_of(tx, y, w, h, al);
            if y >= ax.t {
                cv.rect(
                    (bg.0 - pad, bg.1 - pad),
                    (bg.2 + pad, bg.3 + pad),
                    WHITE.mix(0.8),
                    true,
                )?;
            }
            cv.text(&text, (tx, y), cf, al, VAlign::Top)?;
        }
        Ok(())
    }
}

impl Chart for ReserveChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, q, r) = (self.s, self.q, self.r);
        let st = cv.st;
        let m = cv.margin();
        let depot = q
            .depot
            .or_else(|| s.depots().next().map(|(d, _)| d))
            .map_or_else(|| "the depot".to_string(), |d| s.node(d).name.clone());
        let mut pts = r.evaluations_log.clone();
        pts.retain(|(x, p)| x.is_finite() && p.is_finite());
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let fin = |v: f64| v.is_finite().then_some(v);
        // With nothing above zero to show (no reserve needed), the axis still spans a
        // meaningful amount: the depot's demand over the days (stock), or per day (airlift).
        let demand = q
            .depot
            .or_else(|| s.depots().next().map(|(d, _)| d))
            .and_then(|d| s.depot(d))
            .map_or(0.0, |d| d.demand_litres_per_day());
        let scale_hint = match q.lever {
            Lever::InitialStock => demand * f64::from(q.days.min(s.horizon_days).max(1)),
            Lever::Airlift => demand,
        };
        let xmax_raw = pts
            .iter()
            .map(|p| p.0)
            .chain([r.current])
            .chain(fin(r.mc_interval.1))
            .chain(fin(r.answer))
            .fold(0.0, f64::max);
        let xmax_raw = if xmax_raw > 0.0 { xmax_raw } else { scale_hint };
        let (div, unit) = volume_unit(xmax_raw.max(1.0));
        let (what, per_day) = match q.lever {
            Lever::InitialStock => (format!("initial stock at {depot}"), ""),
            Lever::Airlift => (format!("airlift into {depot} from day 0"), " per day"),
        };
        let short = match unit {
            "million litres" => "M L",
            "thousand litres" => "k L",
            _ => "L",
        };
        let short = if per_day.is_empty() {
            short.to_string()
        } else {
            format!("{short}/day")
        };
        // Enough decimals to tell the ends of the final bracket apart.
        let tol = r.tolerance / div;
        let decimals = if tol > 0.0 && tol.is_finite() {
            (-tol.log10()).ceil().clamp(0.0, 3.0) as usize
        } else {
            1
        };
        let show = |v: f64| {
            let x = v / div;
            if x == x.round() && x.abs() < 1000.0 {
                format!("{x:.0} {short}")
            } else if x.abs() >= 1000.0 {
                format!("{} {short}", thousands(x))
            } else {
                format!("{x:.decimals$} {short}")
            }
        };
        let classes = r.classes.join(", ");
        let who = if r.classes.len() == 1 {
            format!("the {classes} class gets all its demand")
        } else {
            format!("the {classes} classes get all their demand")
        };
        let conf = 100.0 * q.confidence;
        let days = f64::from(q.days.min(s.horizon_days).max(1));
        let h = Header {
            title: format!("{} — smallest {what} for {conf:.0} % confidence", s.name),
            subtitle: format!(
                "Chance that {who} through {}, by {}; {} of {} · seed {} · common random numbers{}",
                when(s.start_date, days),
                match q.lever {
                    Lever::InitialStock => "initial stock",
                    Lever::Airlift => "airlift rate",
                },
                if r.evaluations == 1 {
                    "1 ensemble".to_string()
                } else {
                    format!("{} ensembles", r.evaluations)
                },
                runs(self.replications),
                self.seed,
                facts_tail(self.facts)
            ),
            legend: {
                let mut l = vec![
                    Legend::new(Swatch::Marker(BLUE), "estimated chance at each value tried"),
                    Legend::new(
                        Swatch::Line(VERMILLION, 3.0, true),
                        format!("target: {conf:.0} %"),
                    ),
                ];
                if r.reachable {
                    l.push(Legend::new(Swatch::Line(INK, 3.0, false), "answer"));
                }
                if r.reachable && r.answer > 0.0 {
                    let (a, b) = r.mc_interval;
                    let span = if a.is_finite() && b.is_finite() && b > a {
                        format!(": {} – {}", show(a), show(b))
                    } else if a.is_finite() && b > a {
                        format!(": from {}", show(a))
                    } else {
                        String::new()
                    };
                    l.push(Legend::new(
                        Swatch::Fill(SKY, 0.35),
                        format!("Monte Carlo uncertainty of the answer (90 %){span}"),
                    ));
                }
                l.push(Legend::new(
                    Swatch::Line(GREY, 2.5, true),
                    "value in the scenario",
                ));
                l
            },
        };
        let top = header(cv, &h)?;
        let mut note_lines = Vec::new();
        if !r.reachable {
            note_lines.push(format!(
                "Not reachable: even {} gives a chance of {:.1} %, below the target of {conf:.0} %.",
                show(r.bracket.0),
                100.0 * r.p_bracket.0
            ));
        } else if r.answer == 0.0 {
            note_lines.push(format!(
                "No reserve needed: with none at all the chance is already {:.1} % (target {conf:.0} %).",
                100.0 * r.p_bracket.1
            ));
        } else {
            note_lines.push(format!(
                "Answer {} (the scenario has {}). The search converged to the bracket {} ({:.1} %) – {} ({:.1} %).",
                show(r.answer),
                show(r.current),
                show(r.bracket.0),
                100.0 * r.p_bracket.0,
                show(r.bracket.1),
                100.0 * r.p_bracket.1,
            ));
            let upper = if r.mc_interval.1.is_finite() {
                show(r.mc_interval.1)
            } else {
                "beyond the search range".into()
            };
            note_lines.push(format!(
                "With {} per ensemble the chance is known to ±{:.1} points (SE), so the answer could lie anywhere in {} – {upper} (90 %); more runs (-n) narrow it.",
                runs(self.replications),
                100.0 * r.se,
                show(r.mc_interval.0)
            ));
        }
        let bottom = notes(cv, &note_lines)?;
        let x1 = nice_top(xmax_raw.max(1.0) * 1.05 / div, 8);
        // A zoom on the answer when its neighbourhood is a sliver of the whole search.
        let zoom = if r.reachable && r.answer > 0.0 && r.answer.is_finite() {
            let a = r.mc_interval.0.min(r.bracket.0);
            let b = fin(r.mc_interval.1).unwrap_or(r.bracket.1).max(r.bracket.1);
            let w = (b - a).max(r.tolerance).max(1e-9);
            let (za, zb) = ((a - 0.8 * w).max(0.0) / div, (b + 0.8 * w) / div);
            (zb - za < 0.25 * x1).then_some((za, zb))
        } else {
            None
        };
        // The y axis starts at a round value under the lowest chance seen: the story is
        // near the target.
        let floor_of = |xs: &mut dyn Iterator<Item = f64>| {
            let low = xs.fold(conf - 5.0, f64::min);
            ((low - 2.0) / 10.0).floor().clamp(0.0, 9.0) * 10.0
        };
        let y0 = floor_of(&mut pts.iter().map(|(_, p)| 100.0 * p));
        let yt = value_ticks(y0, 100.0, 5, "");
        let ytitle = format!("chance {classes} fully served (% of runs)");
        let xtitle = format!("{what} ({unit}{per_day})");
        let l = m + y_axis_width(cv, &yt);
        let t = top + st.px(40.0);
        let b = bottom - x_axis_height(cv, true);
        let panel = |label_answer, label_current| ReservePanel {
            pts: &pts,
            div,
            conf,
            show: &show,
            label_answer,
            label_current,
        };
        let Some((za, zb)) = zoom else {
            let ax = Axes {
                l,
                t,
                r: st.w - m,
                b,
                x0: 0.0,
                x1,
                y0,
                y1: 100.0,
            };
            y_axis(cv, &ax, &yt, &ytitle, false)?;
            x_axis(cv, &ax, &value_ticks(0.0, x1, 8, ""), Some(&xtitle), true)?;
            self.panel(cv, &ax, &panel(true, true))?;
            if pts.is_empty() {
                empty_message(cv, &ax, "No ensemble was run")?;
            }
            return Ok(());
        };
        // Two panels: the whole search, and the neighbourhood of the answer.
        let total = st.w - m - l;
        let left = Axes {
            l,
            t,
            r: l + (f64::from(total) * 0.46) as i32,
            b,
            x0: 0.0,
            x1,
            y0,
            y1: 100.0,
        };
        let zy0 = floor_of(
            &mut pts
                .iter()
                .filter(|(x, _)| x / div >= za && x / div <= zb)
                .map(|(_, p)| 100.0 * p),
        );
        let zt = value_ticks(zy0, 100.0, 5, "");
        let right = Axes {
            l: left.r + st.px(70.0) + y_axis_width(cv, &zt),
            t,
            r: st.w - m,
            b,
            x0: za,
            x1: zb,
            y0: zy0,
            y1: 100.0,
        };
        y_axis(cv, &left, &yt, &ytitle, false)?;
        x_axis(cv, &left, &value_ticks(0.0, x1, 5, ""), Some(&xtitle), true)?;
        self.panel(cv, &left, &panel(false, true))?;
        // Where the zoom is, on the whole search.
        let (ra, rb) = (left.x(za), left.x(zb).max(left.x(za) + st.px(6.0)));
        cv.rect(
            (ra - st.px(3.0), left.y(100.0) - st.px(3.0)),
            (rb + st.px(3.0), left.y(zy0) + st.px(3.0)),
            INK.mix(0.8),
            false,
        )?;
        y_axis(cv, &right, &zt, "% of runs", false)?;
        x_axis(
            cv,
            &right,
            &value_ticks(za, zb, 5, ""),
            Some(&format!("near the answer ({unit}{per_day})")),
            true,
        )?;
        self.panel(cv, &right, &panel(true, false))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_steps() {
        assert_eq!(
            path_steps("nodes[BKO].demand[essential].litres_per_day"),
            vec![
                ("nodes".to_string(), Some("BKO".to_string())),
                ("demand".to_string(), Some("essential".to_string())),
                ("litres_per_day".to_string(), None),
            ]
        );
        assert_eq!(
            path_steps("fleet.trucks"),
            vec![("fleet".to_string(), None), ("trucks".to_string(), None)]
        );
    }

    #[test]
    fn fields_read_as_words_with_units() {
        assert_eq!(
            field_words("initial_stock_litres"),
            ("initial stock".to_string(), PathUnit::Litres, None)
        );
        assert_eq!(field_words("risk_factor").0, "risk factor");
        assert_eq!(field_words("trigger_days").2, Some("days"));
        assert_eq!(field_words("litres_per_day").1, PathUnit::LitresPerDay);
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(sig3(1234.4), "1,234");
        assert_eq!(sig3(12.34), "12.3");
        assert_eq!(sig3(1.234), "1.23");
        assert_eq!(sig3(0.01234), "0.0123");
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(-0.0001), "-0.000100");
    }
}
