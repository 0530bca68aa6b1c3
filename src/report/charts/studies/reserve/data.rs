//! What the reserve search chart shows, computed before any drawing ([`ReserveData`]).

use super::*;

/// The neighbourhood of the answer, drawn as a second panel when it is a sliver of the
/// whole search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ReserveZoom {
    /// Left end of its x axis, in the axis unit.
    pub x0: f64,
    /// Right end of its x axis, in the axis unit.
    pub x1: f64,
    /// Bottom of its y axis, %.
    pub y0: f64,
}

/// What the reserve chart says, computed before any drawing: the values tried and their
/// chances, the axis unit and ranges, the answer as quoted, the words of the header, the
/// axes and the notes.
#[derive(Debug, Clone)]
pub(crate) struct ReserveData {
    /// The values tried with their estimated chance of full service (0–1): finite ones
    /// only, sorted by value.
    pub pts: Vec<(f64, f64)>,
    /// Divisor from litres to the axis unit.
    pub div: f64,
    /// The unit after a value, "M L" or "M L/day".
    pub short: String,
    /// Decimals that tell the ends of the final bracket apart.
    pub decimals: usize,
    /// The confidence target, %.
    pub conf: f64,
    /// The step the answer and its interval are rounded to ([`crate::report::study::reserve_step`]).
    pub step: f64,
    /// Title, subtitle and legend.
    pub header: Header,
    /// The notes under the chart, one per line.
    pub notes: Vec<String>,
    /// The y axis title.
    pub y_title: String,
    /// The x axis title of the whole search.
    pub x_title: String,
    /// The x axis title of the zoom.
    pub zoom_x_title: String,
    /// Top of the x axis of the whole search, in the axis unit (it starts at 0).
    pub x1: f64,
    /// Bottom of the y axis of the whole search, %: a round value under the lowest chance
    /// seen (the top is 100).
    pub y0: f64,
    /// The second panel, if any.
    pub zoom: Option<ReserveZoom>,
    /// The language of its words and numbers.
    pub lang: Lang,
}

impl ReserveData {
    /// The data of the search `r` for `q` on `s`, with `replications` per ensemble and
    /// `seed`, in words of `l`; `facts` ends the subtitle.
    pub(crate) fn new(
        s: &Scenario,
        q: &ReserveQuery,
        r: &ReserveResult,
        (replications, seed): (u64, u64),
        facts: &str,
        l: Lang,
    ) -> ReserveData {
        let depot = q
            .depot
            .or_else(|| s.depots().next().map(|(d, _)| d))
            .map_or_else(|| tr!(l, ResTheDepot), |d| s.node(d).name.clone());
        let mut pts = r.evaluations_log.clone();
        pts.retain(|(x, p)| x.is_finite() && p.is_finite());
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let fin = |v: f64| v.is_finite().then_some(v);
        // With nothing above zero to show (no reserve needed), the axis still spans a
        // meaningful amount: the depot's capacity (stock; its demand over the days when it
        // has no capacity), or its demand for a day (airlift).
        let demand = q
            .depot
            .or_else(|| s.depots().next().map(|(d, _)| d))
            .and_then(|d| s.depot(d))
            .map_or(0.0, |d| d.demand_litres_per_day());
        let scale_hint = match q.lever {
            Lever::InitialStock | Lever::ProtectedReserve if r.capacity > 0.0 => r.capacity,
            Lever::InitialStock | Lever::ProtectedReserve => demand * f64::from(q.days),
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
        let from = when_in(l, s.start_date, f64::from(q.from));
        let (what, per_day) = match q.lever {
            Lever::InitialStock if q.from == 0 => (tr!(l, ResWhatStock, depot = depot), ""),
            Lever::InitialStock => (tr!(l, ResWhatInjection, depot = depot, when = from), ""),
            Lever::Airlift => (
                tr!(l, ResWhatAirlift, depot = depot, when = from),
                l.t(Msg::ResPerDay),
            ),
            Lever::ProtectedReserve => (tr!(l, ResWhatProtected, depot = depot, when = from), ""),
        };
        let short = match unit {
            "million litres" => "M L",
            "thousand litres" => "k L",
            _ => "L",
        };
        let short = if per_day.is_empty() {
            short.to_string()
        } else {
            tr!(l, ResShortPerDay, short = short)
        };
        let unit = crate::report::lang::volume_unit_name(l, unit);
        // Enough decimals to tell the ends of the final bracket apart.
        let tol = r.tolerance / div;
        let decimals = if tol > 0.0 && tol.is_finite() {
            (-tol.log10()).ceil().clamp(0.0, 3.0) as usize
        } else {
            1
        };
        let classes = r.classes.join(", ");
        let conf = 100.0 * q.confidence;
        let mut d = ReserveData {
            pts,
            div,
            short,
            decimals,
            conf,
            step: crate::report::study::reserve_step(r),
            header: Header::default(),
            notes: Vec::new(),
            y_title: tr!(l, ResYTitle, classes = classes),
            x_title: format!("{what} ({unit}{per_day})"),
            zoom_x_title: tr!(l, ResZoomTitle, unit = unit, per_day = per_day),
            x1: nice_top(xmax_raw.max(1.0) * 1.05 / div, 8),
            y0: 0.0,
            zoom: None,
            lang: l,
        };
        d.header = d.header(s, q, r, replications, seed, facts);
        d.notes = d.notes(q, r, replications);
        // The y axis starts at a round value under the lowest chance seen: the story is
        // near the target.
        let floor_of = |xs: &mut dyn Iterator<Item = f64>| {
            let low = xs.fold(conf - 5.0, f64::min);
            ((low - 2.0) / 10.0).floor().clamp(0.0, 9.0) * 10.0
        };
        d.y0 = floor_of(&mut d.pts.iter().map(|(_, p)| 100.0 * p));
        // A zoom on the answer when its neighbourhood is a sliver of the whole search.
        let zoom = if r.reachable && r.answer > 0.0 && r.answer.is_finite() {
            let a = r.mc_interval.0.min(r.bracket.0);
            let b = fin(r.mc_interval.1).unwrap_or(r.bracket.1).max(r.bracket.1);
            let w = (b - a).max(r.tolerance).max(1e-9);
            let (za, zb) = ((a - 0.8 * w).max(0.0) / div, (b + 0.8 * w) / div);
            (zb - za < 0.25 * d.x1).then_some((za, zb))
        } else {
            None
        };
        d.zoom = zoom.map(|(za, zb)| ReserveZoom {
            x0: za,
            x1: zb,
            y0: floor_of(
                &mut d
                    .pts
                    .iter()
                    .filter(|(x, _)| x / div >= za && x / div <= zb)
                    .map(|(_, p)| 100.0 * p),
            ),
        });
        d
    }

    /// A value in litres as text in the axis unit, in its language: "12.5 M L".
    pub(crate) fn show(&self, v: f64) -> String {
        let (x, short, decimals) = (v / self.div, &self.short, self.decimals);
        let l = self.lang;
        if x == x.round() && x.abs() < 1000.0 {
            format!("{x:.0} {short}")
        } else if x.abs() >= 1000.0 {
            format!("{} {short}", l.thousands(x))
        } else {
            format!("{} {short}", l.digits(&format!("{x:.decimals$}")))
        }
    }

    /// `v` rounded up to the step: the answer and the top of its interval as quoted.
    pub(crate) fn round_up(&self, v: f64) -> f64 {
        (v / self.step).ceil() * self.step
    }

    /// `v` rounded down to the step: the bottom of the answer's interval as quoted.
    pub(crate) fn round_down(&self, v: f64) -> f64 {
        (v / self.step).floor() * self.step
    }

    /// Title, subtitle and legend.
    fn header(
        &self,
        s: &Scenario,
        q: &ReserveQuery,
        r: &ReserveResult,
        replications: u64,
        seed: u64,
        facts: &str,
    ) -> Header {
        let lang = self.lang;
        let conf = lang.digits(&format!("{:.0}", self.conf));
        let classes = r.classes.join(", ");
        let who = if r.classes.len() == 1 {
            tr!(lang, ResWhoOne, classes = classes)
        } else {
            tr!(lang, ResWhoMany, classes = classes)
        };
        let days = f64::from(q.days.saturating_sub(1));
        Header {
            title: tr!(
                lang,
                ResTitle,
                name = s.name,
                lever = lang.t(match q.lever {
                    Lever::InitialStock if q.from == 0 => Msg::LeverInitialStock,
                    Lever::InitialStock => Msg::ResLeverInjection,
                    Lever::Airlift => Msg::LeverAirlift,
                    Lever::ProtectedReserve => Msg::LeverProtectedReserve,
                }),
                conf = conf
            ),
            subtitle: tr!(
                lang,
                ResSubtitle,
                who = who,
                when = when_in(lang, s.start_date, days),
                by = lang.t(match q.lever {
                    Lever::InitialStock if q.from == 0 => Msg::LeverInitialStock,
                    Lever::InitialStock => Msg::ResByInjected,
                    Lever::Airlift => Msg::ResByAirlift,
                    Lever::ProtectedReserve => Msg::ResBySetAside,
                }),
                ens = if r.evaluations == 1 {
                    tr!(lang, ResOneEnsemble)
                } else {
                    tr!(lang, ResEnsembles, n = r.evaluations)
                },
                runs = runs_in(lang, replications),
                seed = seed,
                facts = facts_tail(facts)
            ),
            legend: {
                let mut l = vec![
                    Legend::new(Swatch::Marker(BLUE), lang.t(Msg::ResLegendChance)),
                    Legend::new(
                        Swatch::Line(VERMILLION, 3.0, true),
                        tr!(lang, ResLegendTarget, conf = conf),
                    ),
                ];
                if r.reachable {
                    l.push(Legend::new(
                        Swatch::Line(INK, 3.0, false),
                        lang.t(Msg::ResLegendAnswer),
                    ));
                }
                if r.reachable && r.answer > 0.0 {
                    let (a, b) = r.mc_interval;
                    let span = if a.is_finite() && b.is_finite() && b > a {
                        tr!(
                            lang,
                            ResSpan,
                            a = self.show(self.round_down(a)),
                            b = self.show(self.round_up(b))
                        )
                    } else if a.is_finite() && b > a {
                        tr!(lang, ResSpanFrom, v = self.show(self.round_down(a)))
                    } else {
                        String::new()
                    };
                    l.push(Legend::new(
                        Swatch::Fill(SKY, 0.35),
                        tr!(lang, ResLegendMc, span = span),
                    ));
                }
                l.push(Legend::new(
                    Swatch::Line(GREY, 2.5, true),
                    lang.t(Msg::ResLegendScenario),
                ));
                l
            },
        }
    }

    /// The notes under the chart: the answer and its bracket, its Monte Carlo interval,
    /// the depot's capacity, the airlift's rotations.
    fn notes(&self, q: &ReserveQuery, r: &ReserveResult, replications: u64) -> Vec<String> {
        let l = self.lang;
        let conf = l.digits(&format!("{:.0}", self.conf));
        let p1 = |x: f64| l.digits(&format!("{:.1}", 100.0 * x));
        let show = |v: f64| self.show(v);
        let mut note_lines = Vec::new();
        if !r.reachable {
            note_lines.push(tr!(
                l,
                ResNotReachable,
                v = show(r.bracket.0),
                p = p1(r.p_bracket.0),
                conf = conf
            ));
        } else if r.answer == 0.0 {
            note_lines.push(tr!(l, ResNoneNeeded, p = p1(r.p_bracket.1), conf = conf));
        } else {
            note_lines.push(tr!(
                l,
                ResAnswerNote,
                v = show(self.round_up(r.answer)),
                current = show(r.current),
                a = show(r.bracket.0),
                pa = p1(r.p_bracket.0),
                b = show(r.bracket.1),
                pb = p1(r.p_bracket.1)
            ));
            let upper = if r.mc_interval.1.is_finite() {
                show(self.round_up(r.mc_interval.1))
            } else {
                l.t(Msg::ReserveBeyondRange).to_string()
            };
            note_lines.push(tr!(
                l,
                ResMcNote,
                runs = runs_in(l, replications),
                se = p1(r.se),
                lo = show(self.round_down(r.mc_interval.0)),
                hi = upper
            ));
        }
        if (r.exceeds_capacity || !r.reachable)
            && let Some((v, pc)) = r.at_capacity
        {
            let m = if r.reachable {
                Msg::ResCapExceeds
            } else {
                Msg::ResCapBeyond
            };
            note_lines.push(crate::report::fill(
                l.t(m),
                &[("cap", &show(r.capacity)), ("v", &show(v)), ("p", &p1(pc))],
            ));
        }
        if q.lever == Lever::Airlift && r.reachable {
            note_lines.push(tr!(
                l,
                ResRotations,
                rot = l.digits(&format!(
                    "{:.1}",
                    crate::report::study::quoted_answer(r) / q.payload_litres
                )),
                payload = l.thousands(q.payload_litres)
            ));
        }
        note_lines
    }
}
