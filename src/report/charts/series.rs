//! Daily series against the date: the chances of rationing and of running dry, demand
//! served by class, deliveries by corridor, and where the fleet is.

use plotters::prelude::*;

use super::Ctx;
use super::draw::{
    Align, Axes, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, PALE, Res, SERIES, SKY,
    Swatch, VAlign, VERMILLION, frame, header, nice_top, notes, size, value_ticks, x_axis,
    x_axis_height, y_axis, y_axis_width,
};
use super::kit::{empty_message, mid_line, step_band, step_line, volume_unit};
use crate::model::{ClassId, Line, Series};
use crate::report::Msg;
use crate::report::lang::volume_unit_name;
use crate::report::measures::pct_mc_in;
use crate::tr;

/// Trailing moving average: day k is the mean of the `window` days ending on day k
/// (fewer at the start). Never shows a value before the day it happened.
pub(crate) fn trailing_average(v: &[f64], window: usize) -> Vec<f64> {
    (0..v.len())
        .map(|k| {
            let lo = (k + 1).saturating_sub(window.max(1));
            v[lo..=k].iter().sum::<f64>() / (k + 1 - lo) as f64
        })
        .collect()
}

/// Days averaged in the deliveries chart, for horizons of at least four weeks.
const SMOOTH_DAYS: usize = 7;

/// Lays out a time plot under `top` and above `bottom` with `ticks` on the left.
fn time_axes<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    top: i32,
    bottom: i32,
    ticks: &[(f64, String)],
    days: f64,
    y1: f64,
) -> Axes {
    let m = cv.margin();
    Axes {
        l: m + y_axis_width(cv, ticks),
        t: top + cv.st.px(10.0),
        r: cv.st.w - m,
        b: bottom - x_axis_height(cv, true),
        x0: 0.0,
        x1: days,
        y0: 0.0,
        y1,
    }
}

/// The chances of rationing and of a dry day by each date: the share of runs whose
/// first rationing (or dry) day is on or before the date, the `daily.csv` columns
/// `p_rationing_by_day` and `p_dry_by_day` of that day's row.
pub(crate) struct DryChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// The first day on which `by[k]` (a share in %) reaches `level`, if any.
pub(crate) fn crossing(by: &[f64], level: f64) -> Option<usize> {
    by.iter().position(|p| *p >= level)
}

impl Chart for DryChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, sum, time) = (self.ctx.s, self.ctx.sum, self.ctx.time);
        let st = cv.st;
        let l = st.lang;
        let pct_mc = |p: f64, n: u64| pct_mc_in(l, p, n);
        let by: Vec<f64> = sum.p_dry_by.iter().map(|p| 100.0 * p).collect();
        let rat: Vec<f64> = sum.p_rationing_by.iter().map(|p| 100.0 * p).collect();
        let last_day = (by.len().max(1) - 1) as f64;
        let last = by.last().copied().unwrap_or(0.0);
        let last_r = rat.last().copied().unwrap_or(0.0);
        let h = Header {
            title: tr!(l, ChDryTitle, name = s.name),
            subtitle: tr!(
                l,
                ChDrySubtitle,
                r = pct_mc(last_r / 100.0, sum.replications),
                day = time.label(last_day),
                d = pct_mc(last / 100.0, sum.replications),
                facts = self.ctx.facts
            ),
            legend: vec![
                Legend::new(Swatch::Line(SKY, 3.5, false), l.t(Msg::ChDryLegRationing)),
                Legend::new(Swatch::Line(VERMILLION, 3.5, false), l.t(Msg::ChDryLegDry)),
                Legend::new(
                    Swatch::Line(GREY, 2.0, true),
                    tr!(l, ChDryLegLevels, a = l.percent("50"), b = l.percent("90")),
                ),
            ],
        };
        let top = header(cv, &h)?;
        let bottom = notes(cv, &[tr!(l, ChDryNote)])?;
        let ticks = value_ticks(0.0, 100.0, 5, "");
        let ax = time_axes(cv, top, bottom, &ticks, time.days, 100.0);
        y_axis(cv, &ax, &ticks, l.t(Msg::ChShareOfRunsPct), false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        let zeros = vec![0.0; by.len()];
        cv.poly(step_band(&ax, &zeros, &by), VERMILLION.mix(0.12))?;
        for level in [50.0, 90.0] {
            cv.dashed(
                (ax.l, ax.y(level)),
                (ax.r, ax.y(level)),
                GREY.to_rgba(),
                2.0,
            )?;
        }
        cv.line(step_line(&ax, &rat), SKY.to_rgba(), 3.5)?;
        cv.line(step_line(&ax, &by), VERMILLION.to_rgba(), 3.5)?;
        frame(cv, &ax)?;
        // The final share of running dry, at the end of its curve.
        let end_text = tr!(
            l,
            ChDryBy,
            p = pct_mc(last / 100.0, sum.replications),
            day = time.label(last_day)
        );
        let ef = Font::bold(size::LABEL, VERMILLION);
        let ey = ax.y(last) - st.px(10.0);
        let ey = if (ey - ax.y(50.0)).abs() < st.px(30.0) || (ey - ax.y(90.0)).abs() < st.px(30.0) {
            ax.y(last) + st.px(12.0) + cv.cap(ef)
        } else {
            ey
        };
        cv.text(
            &end_text,
            (ax.r - st.px(10.0), ey),
            ef,
            Align::Right,
            VAlign::Baseline,
        )?;
        // The crossings of the dry curve.
        let f = Font::bold(size::LABEL, INK);
        let gap = st.px(10.0);
        for level in [50.0, 90.0] {
            let y = ax.y(level);
            match crossing(&by, level) {
                Some(k) => {
                    let x = ax.x(k as f64);
                    cv.dashed((x, y), (x, ax.b), INK.mix(0.7), 2.0)?;
                    cv.circle((x, y), st.px(7.0), INK.to_rgba(), true)?;
                    let p = l.percent(&format!("{level:.0}"));
                    let text = match s.start_date {
                        Some(_) => tr!(
                            l,
                            ChDryBy,
                            p = p,
                            day = tr!(
                                l,
                                DateDay,
                                date = time.label(k as f64),
                                day = tr!(l, DayN, d = k)
                            )
                        ),
                        None => tr!(l, ChDryBy, p = p, day = tr!(l, DayN, d = k)),
                    };
                    let w = cv.width(&text, f);
                    let (tx, al) = if x + gap + w < ax.r {
                        (x + gap, Align::Left)
                    } else {
                        (x - gap, Align::Right)
                    };
                    cv.text(&text, (tx, y - gap), f, al, VAlign::Baseline)?;
                }
                None => {
                    let text = tr!(
                        l,
                        ChDryNotReached,
                        p = l.percent(&format!("{level:.0}")),
                        day = time.label(last_day)
                    );
                    cv.text(
                        &text,
                        (ax.r - gap, y - gap),
                        Font::new(size::LABEL, MUTED),
                        Align::Right,
                        VAlign::Baseline,
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// Where the fleet is at each settle, stacked: mean trucks per state.
pub(crate) struct FleetChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// What the fleet chart says, computed before any drawing: the states stacked day by day,
/// the fleet's size, the header and the note.
#[derive(Debug, Clone)]
pub(crate) struct FleetData {
    /// Per truck state (in [`crate::model::TruckState::ALL`] order), its band: the stack
    /// below it and the stack up to its top, mean trucks at each day's settle.
    pub bands: Vec<(Vec<f64>, Vec<f64>)>,
    /// Title, subtitle and legend (one entry per state).
    pub header: Header,
    /// The note under the chart: escorts, or that there are none.
    pub note: String,
    /// Top of the y axis, trucks: room above the fleet's initial size.
    pub y1: f64,
}

impl FleetData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: crate::report::Lang) -> FleetData {
        use crate::model::TruckState;
        let (s, sum) = (ctx.s, ctx.sum);
        let days = sum.layout.days;
        let legend: Vec<Legend> = TruckState::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Legend::new(
                    Swatch::Fill(SERIES[i % SERIES.len()], 0.85),
                    crate::report::lang::truck_state(l, *t),
                )
            })
            .collect();
        let max_escorts = sum
            .mean(Series::EscortUnits, Line::One)
            .iter()
            .copied()
            .fold(0.0, f64::max);
        let header = Header {
            title: tr!(l, ChFleetTitle, name = s.name),
            subtitle: tr!(l, ChFleetSubtitle, facts = ctx.facts),
            legend,
        };
        let waits: f64 = sum
            .mean(Series::ConvoysWaitingForEscort, Line::One)
            .iter()
            .sum::<f64>()
            / days.max(1) as f64;
        let note = if max_escorts > 0.0 {
            tr!(
                l,
                ChFleetEscortNote,
                units = l.num(
                    sum.mean(Series::EscortUnits, Line::One).iter().sum::<f64>()
                        / days.max(1) as f64,
                    1
                ),
                busy = l.num(
                    sum.mean(Series::EscortsInUse, Line::One)
                        .iter()
                        .sum::<f64>()
                        / days.max(1) as f64,
                    1
                ),
                waits = l.num(waits, 1),
                runs = l.thousands(sum.replications as f64)
            )
        } else {
            tr!(
                l,
                ChFleetNoEscortNote,
                runs = l.thousands(sum.replications as f64)
            )
        };
        let fleet0 = f64::from(s.fleet.trucks);
        let mut bands = Vec::with_capacity(crate::model::TruckState::ALL.len());
        let mut base = vec![0.0; days];
        for layer in sum.means(Series::FleetState) {
            let upper: Vec<f64> = (0..days).map(|k| base[k] + layer[k].max(0.0)).collect();
            bands.push((base, upper.clone()));
            base = upper;
        }
        FleetData {
            bands,
            header,
            note,
            y1: nice_top(1.04 * fleet0.max(1.0), 5),
        }
    }
}

impl Chart for FleetChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (sum, time) = (self.ctx.sum, self.ctx.time);
        let l = cv.st.lang;
        let d = FleetData::new(self.ctx, l);
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let y1 = d.y1;
        let ticks = value_ticks(0.0, y1, 5, "");
        let ax = time_axes(cv, top, bottom, &ticks, time.days, y1);
        y_axis(cv, &ax, &ticks, l.t(Msg::ChTankers), false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        for (i, (lower, upper)) in d.bands.iter().enumerate() {
            cv.poly(
                step_band(&ax, lower, upper),
                SERIES[i % SERIES.len()].mix(0.85),
            )?;
        }
        cv.line(
            step_line(&ax, sum.mean(Series::Fleet, Line::One)),
            INK.to_rgba(),
            2.0,
        )?;
        frame(cv, &ax)
    }
}

/// Expected litres served and not served per day, stacked by priority class.
pub(crate) struct ServedChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

impl Chart for ServedChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, sum, time) = (self.ctx.s, self.ctx.sum, self.ctx.time);
        let l = cv.st.lang;
        let days = sum.layout.days;
        let classes = sum.layout.classes.len();
        let total: Vec<f64> = (0..days)
            .map(|k| {
                (0..classes)
                    .map(|i| sum.mean(Series::Demand, ClassId(i as u32))[k])
                    .sum()
            })
            .collect();
        let (div, unit) = volume_unit(total.iter().copied().fold(0.0, f64::max));
        let mut legend: Vec<Legend> = (0..classes)
            .map(|i| {
                let (d, c) = sum.layout.classes[ClassId(i as u32)];
                let prio = s
                    .depot(sum.layout.depots[d.index()])
                    .and_then(|dep| dep.demand.get(c))
                    .map_or(String::new(), |cl| tr!(l, ChPriority, p = cl.priority));
                Legend::new(
                    Swatch::Split(SERIES[i % SERIES.len()]),
                    format!("{}{prio}", sum.layout.class_name(s, ClassId(i as u32))),
                )
            })
            .collect();
        legend.push(Legend::new(
            Swatch::Line(INK, 2.5, false),
            l.t(Msg::ChTotalDemand),
        ));
        legend.push(Legend::new(Swatch::Split(GREY), l.t(Msg::ChSolidPale)));
        let h = Header {
            title: tr!(l, ChServedTitle, name = s.name),
            subtitle: tr!(l, ChServedSubtitle, facts = self.ctx.facts),
            legend,
        };
        let top = header(cv, &h)?;
        let bottom = notes(
            cv,
            &[tr!(
                l,
                ChServedNote,
                runs = l.thousands(sum.replications as f64)
            )],
        )?;
        let y1 = nice_top(1.04 * total.iter().copied().fold(0.0, f64::max) / div, 5);
        let ticks = value_ticks(0.0, y1, 5, "");
        let ax = time_axes(cv, top, bottom, &ticks, time.days, y1);
        y_axis(
            cv,
            &ax,
            &ticks,
            &tr!(l, ChUnitPerDay, unit = volume_unit_name(l, unit)),
            false,
        )?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        let mut base = vec![0.0; days];
        for i in 0..classes {
            let c = SERIES[i % SERIES.len()];
            let served: Vec<f64> = (0..days)
                .map(|k| {
                    base[k]
                        + sum.mean(Series::Served, ClassId(i as u32))[k]
                            .clamp(0.0, sum.mean(Series::Demand, ClassId(i as u32))[k].max(0.0))
                            / div
                })
                .collect();
            let wanted: Vec<f64> = (0..days)
                .map(|k| base[k] + sum.mean(Series::Demand, ClassId(i as u32))[k].max(0.0) / div)
                .collect();
            cv.poly(step_band(&ax, &base, &served), c.mix(0.9))?;
            cv.poly(step_band(&ax, &served, &wanted), c.mix(PALE))?;
            base = wanted;
        }
        let scaled: Vec<f64> = total.iter().map(|v| v / div).collect();
        cv.line(step_line(&ax, &scaled), INK.to_rgba(), 2.5)?;
        frame(cv, &ax)?;
        if total.iter().all(|v| *v <= 0.0) {
            empty_message(cv, &ax, l.t(Msg::ChNoDemand))?;
        }
        Ok(())
    }
}

/// Expected litres arriving per day by loading source, stacked, against demand.
pub(crate) struct DeliveriesChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

impl Chart for DeliveriesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, sum, time) = (self.ctx.s, self.ctx.sum, self.ctx.time);
        let l = cv.st.lang;
        let days = sum.layout.days;
        let smooth = days >= 4 * SMOOTH_DAYS;
        let prep = |v: &[f64]| {
            if smooth {
                trailing_average(v, SMOOTH_DAYS)
            } else {
                v.to_vec()
            }
        };
        let mut layers: Vec<(String, Vec<f64>)> = sum
            .layout
            .sources
            .iter()
            .zip(sum.means(Series::Delivered))
            .filter(|(_, v)| v.iter().any(|x| *x > 0.0))
            .map(|(id, v)| (tr!(l, ChVia, name = s.node(*id).name), prep(v)))
            .collect();
        if sum
            .mean(Series::Airlifted, Line::One)
            .iter()
            .any(|x| *x > 0.0)
        {
            layers.push((
                tr!(l, ChAirliftLayer),
                prep(sum.mean(Series::Airlifted, Line::One)),
            ));
        }
        let demand: Vec<f64> = (0..days)
            .map(|k| sum.depot_demand.iter().map(|d| d[k]).sum())
            .collect();
        let stacked_max = (0..days)
            .map(|k| layers.iter().map(|(_, v)| v[k].max(0.0)).sum::<f64>())
            .fold(0.0, f64::max);
        let max = stacked_max.max(demand.iter().copied().fold(0.0, f64::max));
        let (div, unit) = volume_unit(max);
        let mut legend: Vec<Legend> = layers
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                Legend::new(Swatch::Fill(SERIES[i % SERIES.len()], 0.85), name.clone())
            })
            .collect();
        legend.push(Legend::new(
            Swatch::Line(INK, 2.5, false),
            l.t(Msg::ChDemandAll),
        ));
        let h = Header {
            title: tr!(l, ChDeliveriesTitle, name = s.name),
            subtitle: tr!(
                l,
                ChDeliveriesSubtitle,
                smooth = if smooth { l.t(Msg::ChMeanLast7) } else { "" },
                facts = self.ctx.facts
            ),
            legend,
        };
        let top = header(cv, &h)?;
        let bottom = notes(
            cv,
            &[tr!(
                l,
                ChDeliveriesNote,
                runs = l.thousands(sum.replications as f64),
                smooth = if smooth {
                    l.t(Msg::ChDeliveriesSmoothNote)
                } else {
                    ""
                }
            )],
        )?;
        let y1 = nice_top(1.04 * max / div, 5);
        let ticks = value_ticks(0.0, y1, 5, "");
        let ax = time_axes(cv, top, bottom, &ticks, time.days, y1);
        let unit = volume_unit_name(l, unit);
        let ytitle = if smooth {
            tr!(l, ChUnitPerDayMean7, unit = unit)
        } else {
            tr!(l, ChUnitPerDay, unit = unit)
        };
        y_axis(cv, &ax, &ticks, &ytitle, false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        let mut base = vec![0.0; days];
        for (i, (_, v)) in layers.iter().enumerate() {
            let upper: Vec<f64> = (0..days).map(|k| base[k] + v[k].max(0.0) / div).collect();
            let band = if smooth {
                let mut pts = mid_line(&ax, &upper);
                let mut low = mid_line(&ax, &base);
                low.reverse();
                pts.extend(low);
                pts
            } else {
                step_band(&ax, &base, &upper)
            };
            cv.poly(band, SERIES[i % SERIES.len()].mix(0.85))?;
            base = upper;
        }
        let scaled: Vec<f64> = demand.iter().map(|v| v / div).collect();
        cv.line(step_line(&ax, &scaled), INK.to_rgba(), 2.5)?;
        frame(cv, &ax)?;
        if layers.is_empty() {
            empty_message(cv, &ax, l.t(Msg::ChNoFuelArrived))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fleet_data_stacks_each_state_on_the_ones_before() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("networks/tutorial.ron");
        let s = crate::scenario::load(&path).expect("bundled").scenario;
        let net = crate::network::Network::build(&s);
        let opts = crate::ensemble::Options {
            replications: 4,
            seed: 7,
            threads: Some(1),
        };
        let sum = crate::ensemble::run(&s, &net, &opts, &|_| {}).expect("ledger balances");
        let ctx = Ctx {
            s: &s,
            sum: &sum,
            facts: String::new(),
            time: super::super::draw::TimeAxis {
                start: s.start_date,
                days: sum.layout.days as f64,
                lang: crate::report::Lang::En,
            },
        };
        let d = FleetData::new(&ctx, crate::report::Lang::En);
        let n = crate::model::TruckState::ALL.len();
        assert_eq!(d.bands.len(), n);
        assert_eq!(d.header.legend.len(), n);
        let days = sum.layout.days;
        // The first band starts at 0; each band starts where the one before ends and is as
        // thick as its state's mean count.
        assert!(d.bands[0].0.iter().all(|v| *v == 0.0));
        for (i, (lower, upper)) in d.bands.iter().enumerate() {
            assert_eq!(lower.len(), days);
            if i > 0 {
                assert_eq!(lower, &d.bands[i - 1].1);
            }
            for k in 0..days {
                let thick = upper[k] - lower[k];
                let want =
                    sum.mean(Series::FleetState, crate::model::TruckState::ALL[i])[k].max(0.0);
                assert!(
                    (thick - want).abs() <= 1e-9 * upper[k].max(1.0),
                    "{thick} {want}"
                );
            }
        }
        // The axis holds the fleet as it started.
        assert!(d.y1 >= f64::from(s.fleet.trucks));
    }

    #[test]
    fn the_average_never_shows_a_delivery_before_its_day() {
        let mut v = vec![0.0; 30];
        v[20] = 7.0;
        let a = trailing_average(&v, 7);
        assert!(a[..20].iter().all(|x| *x == 0.0), "{a:?}");
        assert_eq!(a[20], 1.0);
        assert_eq!(a[26], 1.0);
        assert_eq!(a[27], 0.0);
        // The start averages what there is.
        assert_eq!(trailing_average(&[2.0, 4.0], 7), [2.0, 3.0]);
    }
}
