//! What the study charts share: readable names for `--vary` paths, the scales of varied
//! values and of KPIs on an axis, the subtitle's tail.

use super::super::draw::{Tick, nice_ticks, value_ticks};
use super::words::{fixed, sig3, sig3_decimals, volume_unit, when_in};
use crate::ensemble::Kpi;
use crate::report::lang::field_words_in as words_in;
use crate::report::{Lang, Msg, thousands};
use crate::scenario::overrides::path_items;
use crate::scenario::{Date, Scenario};
use crate::tr;

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

/// `EscortUnits` -> "escort units".
fn camel_words(w: &str) -> String {
    let mut out = String::new();
    for (i, c) in w.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Names a `--vary` path in `l`: `segments[KAY-DIE].risk` -> "attack risk, Kayes–Diéma"
/// ("risque d'attaque, Kayes–Diéma"); `nodes[BKO].initial_stock_litres` -> "initial stock,
/// Bamako" (litres); `fleet.trucks` -> "fleet size (trucks)"; an event's field by the
/// event's label. The words come from the format's field names ([`field_words_in`](crate::report::lang::field_words_in) puts them in
/// French); ids, tags and labels stay as the scenario writes them; unknown shapes are kept
/// as written.
pub(crate) fn path_name(s: &Scenario, path: &str, l: Lang) -> PathName {
    let steps = path_items(path).unwrap_or_default();
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
    // An event's field: named by the event's label, not its number.
    if let Some((("events", Some(n)), rest)) = head
        .split_first()
        .map(|((a, k), r)| ((a.as_str(), k.as_ref()), r))
    {
        let event = n
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| s.events.get(i));
        // `effect.EscortUnits` reads "escort units"; `effect.Airlift.litres_per_day` reads
        // "litres per day" (an airlift's amount, not a demand).
        let field = if last.starts_with(|c: char| c.is_ascii_uppercase()) {
            (camel_words(last), PathUnit::None, None)
        } else if last == "litres_per_day" {
            ("litres per day".to_string(), PathUnit::LitresPerDay, None)
        } else {
            field_words(last)
        };
        let _ = rest;
        let words = words_in(&field.0, l);
        let label = match (event, l) {
            (Some(e), Lang::En) => format!("“{}”: {words}", e.display_label()),
            (Some(e), Lang::Fr) => format!("« {} » : {words}", e.display_label()),
            (None, Lang::En) => format!("event {n}: {words}"),
            (None, Lang::Fr) => format!("événement {n} : {words}"),
        };
        return PathName {
            label,
            unit: field.1,
            other_unit: field.2,
        };
    }
    let (words, unit, other_unit) = field_words(last);
    let words = if words == "risk" {
        "attack risk".to_string()
    } else {
        words
    };
    let fleet_size =
        head.len() == 1 && head[0].0 == "fleet" && head[0].1.is_none() && words == "trucks";
    let words = words_in(&words, l);
    let mut places: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for (name, key) in head {
        match (name.as_str(), key, l) {
            ("segments", Some(id), _) => places.push(
                s.segment_by_id(id)
                    .map_or_else(|| id.clone(), |g| s.segment_label(g)),
            ),
            ("nodes", Some(id), _) => places.push(
                s.node_by_id(id)
                    .map_or_else(|| id.clone(), |n| s.node(n).name.clone()),
            ),
            ("demand", Some(c), Lang::En) => groups.push(format!("{c} class")),
            ("demand", Some(c), Lang::Fr) => groups.push(format!("classe {c}")),
            ("tags", Some(t), Lang::En) => places.push(format!("every segment tagged {t}")),
            ("tags", Some(t), Lang::Fr) => places.push(format!("routes marquées {t}")),
            ("events", Some(n), Lang::En) => groups.push(format!("event {n}")),
            ("events", Some(n), Lang::Fr) => groups.push(format!("événement {n}")),
            (other, Some(k), _) => {
                groups.push(format!("{} {k}", words_in(&other.replace('_', " "), l)))
            }
            (other, None, _) => groups.push(words_in(&other.replace('_', " "), l)),
        }
    }
    let mut label = if fleet_size {
        match l {
            Lang::En => "fleet size (trucks)".to_string(),
            Lang::Fr => "taille de la flotte (citernes)".to_string(),
        }
    } else if groups.is_empty() {
        words
    } else {
        match l {
            Lang::En => format!("{}: {words}", groups.join(" ")),
            Lang::Fr => format!("{} : {words}", groups.join(" ")),
        }
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

/// A path's unit other than litres ("trucks/day", "days", "km") in words of `l`.
pub(crate) fn other_unit_words(u: &str, l: Lang) -> String {
    match u {
        "trucks/day" => l.t(Msg::NetColTrucksPerDay).to_string(),
        "days" => l.t(Msg::NetColDays).to_string(),
        _ => u.to_string(),
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
    /// The language of its units and numbers.
    pub lang: Lang,
}

impl ValueScale {
    /// The scale of `path` for values up to `max` in absolute size, its units and
    /// numbers in `l`.
    pub fn new(s: &Scenario, path: &str, max: f64, l: Lang) -> ValueScale {
        let name = path_name(s, path, l);
        let (div, unit, short) = match name.unit {
            PathUnit::Litres | PathUnit::LitresPerDay => {
                let (div, unit) = volume_unit(max);
                let short = match unit {
                    "million litres" => "M L",
                    "thousand litres" => "k L",
                    _ => "L",
                };
                let unit = crate::report::lang::volume_unit_name(l, unit);
                if name.unit == PathUnit::LitresPerDay {
                    (div, Some(tr!(l, ValuePerDay, unit = unit)), Some(short))
                } else {
                    (div, Some(unit.to_string()), Some(short))
                }
            }
            PathUnit::None => (1.0, name.other_unit.map(|u| other_unit_words(u, l)), None),
        };
        let short = match (short, name.unit) {
            (Some("M L"), PathUnit::LitresPerDay) => Some(l.t(Msg::ShortMLPerDay)),
            (Some("k L"), PathUnit::LitresPerDay) => Some(l.t(Msg::ShortKLPerDay)),
            (Some(_), PathUnit::LitresPerDay) => Some(l.t(Msg::UnitLPerDay)),
            (s, _) => s,
        };
        ValueScale {
            name,
            div,
            unit,
            short,
            lang: l,
        }
    }

    /// The axis title: "initial stock, Bamako (million litres)".
    pub fn title(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.name.label),
            None => self.name.label.clone(),
        }
    }

    /// A value as text in its language: a number scaled with its short unit, or the text
    /// as given.
    pub fn show(&self, text: &str) -> String {
        match text.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => {
                let n = v / self.div;
                let t = self.lang.digits(&if self.div > 1.0 {
                    sig3(n)
                } else if n.abs() >= 10_000.0 && n == n.round() {
                    thousands(n)
                } else {
                    text.trim().to_string()
                });
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
    /// The language of its words, numbers and dates.
    pub lang: Lang,
}

impl KpiScale {
    /// The scale of `k` in scenario `s` for values up to `max` (raw units), in words of
    /// `l`.
    pub fn new(s: &Scenario, k: Kpi, max: f64, l: Lang) -> KpiScale {
        let litres = |what: Msg| {
            let (div, unit) = volume_unit(max);
            let short = match unit {
                "million litres" => " M L",
                "thousand litres" => " k L",
                _ => " L",
            };
            let unit = crate::report::lang::volume_unit_name(l, unit);
            (
                1.0 / div,
                tr!(l, KsWithUnit, what = l.t(what), unit = unit),
                short,
            )
        };
        let base = KpiScale {
            mul: 1.0,
            name: String::new(),
            title: String::new(),
            short: "",
            start: None,
            is_day: false,
            cap: None,
            lang: l,
        };
        match k {
            Kpi::PDryBy(d) => KpiScale {
                mul: 100.0,
                name: tr!(l, KsPDryName, when = when_in(l, s.start_date, f64::from(d))),
                title: tr!(l, KsPDryTitle, d = d),
                short: " %",
                cap: Some(100.0),
                ..base
            },
            Kpi::PRationingBy(d) => KpiScale {
                mul: 100.0,
                name: tr!(
                    l,
                    KsPRationingName,
                    when = when_in(l, s.start_date, f64::from(d))
                ),
                title: tr!(l, KsPRationingTitle, d = d),
                short: " %",
                cap: Some(100.0),
                ..base
            },
            Kpi::DaysRationed => KpiScale {
                name: tr!(l, KpiDaysRationed),
                title: tr!(l, KsDaysRationedTitle),
                cap: Some(f64::from(s.horizon_days)),
                ..base
            },
            Kpi::FirstDryMedian => KpiScale {
                name: tr!(l, KsFirstDryName),
                title: match s.start_date {
                    Some(d) => tr!(l, KsFirstDryTitleDate, date = l.date(d, true)),
                    None => tr!(l, KsFirstDryTitleDay),
                },
                start: s.start_date,
                is_day: true,
                cap: Some(f64::from(s.horizon_days)),
                ..base
            },
            Kpi::UnmetProtected => {
                let (mul, title, short) = litres(Msg::KsUnmetProtectedWhat);
                KpiScale {
                    mul,
                    name: tr!(l, KsUnmetProtectedName),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::UnmetTotal => {
                let (mul, title, short) = litres(Msg::KsUnmetTotalWhat);
                KpiScale {
                    mul,
                    name: tr!(l, KsUnmetTotalName),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::FuelLost => {
                let (mul, title, short) = litres(Msg::KsFuelLostWhat);
                KpiScale {
                    mul,
                    name: tr!(l, KsFuelLostName),
                    title,
                    short,
                    ..base
                }
            }
            Kpi::TrucksLost => KpiScale {
                name: tr!(l, KpiTrucksLost),
                title: tr!(l, KsTrucksLostTitle),
                ..base
            },
        }
    }

    /// A raw value as text with its unit: "12.3 %", "4.56 M L", "3 Nov (day 63)".
    pub fn show(&self, v: f64) -> String {
        let l = self.lang;
        if self.is_day {
            return match self.start {
                Some(d) => tr!(
                    l,
                    DateDay,
                    date = l.date(d.plus_days(v.floor() as i64), false),
                    day = tr!(l, DayN, d = format!("{:.0}", v.floor()))
                ),
                None => tr!(l, DayN, d = l.digits(&sig3(v))),
            };
        }
        let x = v * self.mul;
        let t = if self.short == " %" {
            format!("{x:.1}")
        } else {
            sig3(x)
        };
        if self.short == " %" {
            l.percent(&t)
        } else {
            format!("{}{}", l.digits(&t), self.short)
        }
    }

    /// An estimate as text with its unit, as [`KpiScale::show`], but litres no more precise
    /// than their Monte Carlo error allows: to the place of the error's first digit, as the
    /// terminal's tables round them ("0.004 M L", not "0.00362 M L", when the error is
    /// 2,000 L). Shares and days are shown as [`KpiScale::show`] shows them.
    pub fn show_estimate(&self, e: &crate::ensemble::Estimate) -> String {
        let step = crate::report::measures::error_step(e.se) * self.mul;
        if self.is_day || !self.short.ends_with('L') || step <= 0.0 || !e.value.is_finite() {
            return self.show(e.value);
        }
        let x = e.value * self.mul;
        let rounded = (x / step).round() * step;
        // No more decimals than the error's first digit, nor than three significant
        // digits give.
        let by_error = (-step.log10().floor()).max(0.0) as usize;
        let t = fixed(rounded, by_error.min(sig3_decimals(rounded)));
        format!("{}{}", self.lang.digits(&t), self.short)
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
                        let t = self.lang.date(date, last_year != Some(y));
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
                let t = self.lang.date(date, last_year != Some(y));
                last_year = Some(y);
                (x, t)
            })
            .collect()
    }
}

/// The subtitle's tail: " · overrides: ..." from the options' facts.
pub(crate) fn facts_tail(facts: &str) -> String {
    if facts.is_empty() {
        String::new()
    } else {
        format!(" · {facts}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_in_litres_are_no_more_precise_than_their_error() {
        use crate::ensemble::Estimate;
        let s = super::super::bundled_scenario("tutorial.ron");
        let ks = KpiScale::new(&s, Kpi::UnmetTotal, 40e6, Lang::En);
        assert_eq!(ks.short, " M L");
        // Small beside the scale, with an error of 2,000 L: to the thousand litres.
        assert_eq!(
            ks.show_estimate(&Estimate::point(3_620.0, 2_000.0)),
            "0.004 M L"
        );
        // The error's first digit at 100,000 L: one decimal of a million.
        let big = Estimate::point(33_264_480.0, 442_587.0);
        assert_eq!(ks.show_estimate(&big), "33.3 M L");
        // A tiny error: no more than three significant digits, as `show` writes them.
        let sharp = Estimate::point(33_264_480.0, 4.0);
        assert_eq!(ks.show_estimate(&sharp), ks.show(33_264_480.0));
        // No error: as `show`.
        assert_eq!(
            ks.show_estimate(&Estimate::point(3_620.0, 0.0)),
            ks.show(3_620.0)
        );
        let fr = KpiScale::new(&s, Kpi::UnmetTotal, 40e6, Lang::Fr);
        assert_eq!(
            fr.show_estimate(&Estimate::point(3_620.0, 2_000.0)),
            "0,004 M L"
        );
        // Shares keep their one decimal.
        let p = KpiScale::new(&s, Kpi::PDryBy(60), 1.0, Lang::En);
        let share = Estimate::point(0.263, 0.014);
        assert_eq!(p.show_estimate(&share), p.show(0.263));
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

    /// Every number of the scenario format (a field a `--vary` path can end on) has French
    /// words, as have the groups above them; a field added to the format without them
    /// fails here.
    #[test]
    fn every_numeric_field_has_french_words() {
        fn walk(
            v: &serde_json::Value,
            numeric: &mut BTreeSet<String>,
            groups: &mut BTreeSet<String>,
        ) {
            if let serde_json::Value::Object(m) = v {
                for (k, v) in m {
                    let is_number = v.is_number()
                        || v.as_object().is_some_and(|o| {
                            o.keys()
                                .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
                        });
                    if k.starts_with(|c: char| c.is_ascii_lowercase()) {
                        if is_number {
                            numeric.insert(k.clone());
                        } else if v.is_object() {
                            groups.insert(k.clone());
                        }
                    }
                    walk(v, numeric, groups);
                }
            } else if let serde_json::Value::Array(a) = v {
                a.iter().for_each(|v| walk(v, numeric, groups));
            }
        }
        use std::collections::BTreeSet;
        let file = crate::scenario::doc_sync::tests::everything();
        let (mut numeric, mut groups) = (BTreeSet::new(), BTreeSet::new());
        walk(
            &serde_json::to_value(file).unwrap(),
            &mut numeric,
            &mut groups,
        );
        assert!(numeric.contains("risk_factor") && numeric.contains("initial_stock_litres"));
        assert!(groups.contains("escorts"));
        // The same word in both languages.
        let same = ["km", "horizon", "interdiction"];
        let untranslated: Vec<String> = numeric
            .iter()
            .map(|f| field_words(f).0)
            .chain(groups.iter().map(|g| g.replace('_', " ")))
            .filter(|w| words_in(w, Lang::Fr) == *w && !same.contains(&w.as_str()))
            .collect();
        assert!(
            untranslated.is_empty(),
            "no French words for {untranslated:?}"
        );
    }

    #[test]
    fn paths_are_named_in_the_reports_language() {
        let s = crate::scenario::bundled("bamako-2025.ron");
        let fr = |p: &str| path_name(&s, p, Lang::Fr).label;
        let en = |p: &str| path_name(&s, p, Lang::En).label;
        assert_eq!(en("fleet.trucks"), "fleet size (trucks)");
        assert_eq!(fr("fleet.trucks"), "taille de la flotte (citernes)");
        assert_eq!(en("escorts.risk_factor"), "escorts: risk factor");
        assert_eq!(fr("escorts.risk_factor"), "escortes : facteur de risque");
        assert_eq!(
            fr("tags[kayes_axis].risk_multiplier"),
            "multiplicateur de risque, routes marquées kayes_axis"
        );
        assert_eq!(
            fr("nodes[BKO].initial_stock_litres"),
            "stock initial, Bamako"
        );
        assert_eq!(
            fr("nodes[BKO].demand[households].litres_per_day"),
            "classe households : demande, Bamako"
        );
        let event = s
            .events
            .iter()
            .position(|e| matches!(e.effect, crate::scenario::Effect::EscortUnits(_)))
            .expect("an escort event");
        let label = s.events[event].display_label();
        assert_eq!(
            fr(&format!("events[{}].effect.EscortUnits", event + 1)),
            format!("« {label} » : unités d'escorte")
        );
    }
}
