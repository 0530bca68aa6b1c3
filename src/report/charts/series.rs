//! Daily series against the date: demand served by class, deliveries by corridor, and
//! where the fleet is.
//!
//! Over 600 lines by two: three charts of daily series (served, deliveries, fleet) with
//! their data steps and 160 lines of tests.

use plotters::prelude::*;

use super::Ctx;
use super::draw::{
    Canvas, Chart, GREY, Header, INK, Legend, PALE, Res, SERIES, Swatch, frame, nice_top,
};
use super::kit::{daily_frame, empty_message, mid_line, step_band, step_line, volume_unit};
use crate::model::{ClassId, Line, Series};
use crate::report::Msg;
use crate::report::lang::volume_unit_name;
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
    /// The fleet's mean size at each day's settle (the line over the bands).
    pub fleet: Vec<f64>,
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
            fleet: sum.mean(Series::Fleet, Line::One).to_vec(),
        }
    }
}

impl Chart for FleetChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let time = self.ctx.time;
        let l = cv.st.lang;
        let d = FleetData::new(self.ctx, l);
        let ax = daily_frame(cv, &d.header, &d.note, &time, d.y1, l.t(Msg::ChTankers))?;
        for (i, (lower, upper)) in d.bands.iter().enumerate() {
            cv.poly(
                step_band(&ax, lower, upper),
                SERIES[i % SERIES.len()].mix(0.85),
            )?;
        }
        cv.line(step_line(&ax, &d.fleet), INK.to_rgba(), 2.0)?;
        frame(cv, &ax)
    }
}

/// Expected litres served and not served per day, stacked by priority class.
pub(crate) struct ServedChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// One class's part of the served chart, in the chart's unit per day: the stack below it,
/// the top of what it was served (solid) and the top of what it asked for (pale above).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ServedBand {
    /// The stack of the classes before, day by day.
    pub base: Vec<f64>,
    /// `base` plus the mean served (never above the mean asked for).
    pub served: Vec<f64>,
    /// `base` plus the mean asked for: where the next class starts.
    pub wanted: Vec<f64>,
}

/// What the served chart says, computed before any drawing: each class's band, the total
/// demand line, the unit, the words.
#[derive(Debug, Clone)]
pub(crate) struct ServedData {
    /// Title, subtitle and legend (one entry per class, then the total and the shading).
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// The y axis title: "thousand litres per day".
    pub axis_title: String,
    /// Top of the y axis, in the unit.
    pub y1: f64,
    /// Per demand class, in layout order, its band.
    pub bands: Vec<ServedBand>,
    /// Mean demand of all classes per day, in the unit.
    pub total: Vec<f64>,
    /// No demand on any day: the plot says so.
    pub empty: bool,
}

impl ServedData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: crate::report::Lang) -> ServedData {
        let (s, sum) = (ctx.s, ctx.sum);
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
        let header = Header {
            title: tr!(l, ChServedTitle, name = s.name),
            subtitle: tr!(l, ChServedSubtitle, facts = ctx.facts),
            legend,
        };
        let mut bands = Vec::with_capacity(classes);
        let mut base = vec![0.0; days];
        for i in 0..classes {
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
            bands.push(ServedBand {
                base,
                served,
                wanted: wanted.clone(),
            });
            base = wanted;
        }
        ServedData {
            header,
            note: tr!(l, ChServedNote, runs = l.thousands(sum.replications as f64)),
            axis_title: tr!(l, ChUnitPerDay, unit = volume_unit_name(l, unit)),
            y1: nice_top(1.04 * total.iter().copied().fold(0.0, f64::max) / div, 5),
            bands,
            empty: total.iter().all(|v| *v <= 0.0),
            total: total.iter().map(|v| v / div).collect(),
        }
    }
}

impl Chart for ServedChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let time = self.ctx.time;
        let l = cv.st.lang;
        let d = ServedData::new(self.ctx, l);
        let ax = daily_frame(cv, &d.header, &d.note, &time, d.y1, &d.axis_title)?;
        for (i, b) in d.bands.iter().enumerate() {
            let c = SERIES[i % SERIES.len()];
            cv.poly(step_band(&ax, &b.base, &b.served), c.mix(0.9))?;
            cv.poly(step_band(&ax, &b.served, &b.wanted), c.mix(PALE))?;
        }
        cv.line(step_line(&ax, &d.total), INK.to_rgba(), 2.5)?;
        frame(cv, &ax)?;
        if d.empty {
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

/// What the deliveries chart says, computed before any drawing: the sources that
/// delivered (and the airlift), stacked, the demand line, the unit, the words.
#[derive(Debug, Clone)]
pub(crate) struct DeliveriesData {
    /// Each day's value is the mean of the last [`SMOOTH_DAYS`] (horizons of four weeks
    /// or more), drawn as a line through mid-days rather than steps.
    pub smooth: bool,
    /// Title, subtitle and legend (one entry per layer, then demand).
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// The y axis title: "thousand litres per day (mean of the last 7 days)".
    pub axis_title: String,
    /// Top of the y axis, in the unit.
    pub y1: f64,
    /// Per layer ("via Dakar", ..., the airlift last), its name and its band in the
    /// unit per day: the stack below it and the stack up to its top.
    pub layers: Vec<(String, Vec<f64>, Vec<f64>)>,
    /// Demand of every depot per day, in the unit.
    pub demand: Vec<f64>,
}

impl DeliveriesData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: crate::report::Lang) -> DeliveriesData {
        let (s, sum) = (ctx.s, ctx.sum);
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
        let header = Header {
            title: tr!(l, ChDeliveriesTitle, name = s.name),
            subtitle: tr!(
                l,
                ChDeliveriesSubtitle,
                smooth = if smooth { l.t(Msg::ChMeanLast7) } else { "" },
                facts = ctx.facts
            ),
            legend,
        };
        let note = tr!(
            l,
            ChDeliveriesNote,
            runs = l.thousands(sum.replications as f64),
            smooth = if smooth {
                l.t(Msg::ChDeliveriesSmoothNote)
            } else {
                ""
            }
        );
        let unit = volume_unit_name(l, unit);
        let axis_title = if smooth {
            tr!(l, ChUnitPerDayMean7, unit = unit)
        } else {
            tr!(l, ChUnitPerDay, unit = unit)
        };
        let mut base = vec![0.0; days];
        let mut bands = Vec::with_capacity(layers.len());
        for (name, v) in layers {
            let upper: Vec<f64> = (0..days).map(|k| base[k] + v[k].max(0.0) / div).collect();
            bands.push((name, base, upper.clone()));
            base = upper;
        }
        DeliveriesData {
            smooth,
            header,
            note,
            axis_title,
            y1: nice_top(1.04 * max / div, 5),
            layers: bands,
            demand: demand.iter().map(|v| v / div).collect(),
        }
    }
}

impl Chart for DeliveriesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let time = self.ctx.time;
        let l = cv.st.lang;
        let d = DeliveriesData::new(self.ctx, l);
        let ax = daily_frame(cv, &d.header, &d.note, &time, d.y1, &d.axis_title)?;
        for (i, (_, base, upper)) in d.layers.iter().enumerate() {
            let band = if d.smooth {
                let mut pts = mid_line(&ax, upper);
                let mut low = mid_line(&ax, base);
                low.reverse();
                pts.extend(low);
                pts
            } else {
                step_band(&ax, base, upper)
            };
            cv.poly(band, SERIES[i % SERIES.len()].mix(0.85))?;
        }
        cv.line(step_line(&ax, &d.demand), INK.to_rgba(), 2.5)?;
        frame(cv, &ax)?;
        if d.layers.is_empty() {
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
        let run = crate::report::charts::kit::TestRun::tutorial(4);
        let (s, sum) = (&run.s, &run.sum);
        let ctx = run.ctx();
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
    fn each_served_band_is_as_thick_as_its_class_served_and_not_served() {
        let run = crate::report::charts::kit::TestRun::tutorial(4);
        let sum = &run.sum;
        let d = ServedData::new(&run.ctx(), crate::report::Lang::En);
        let classes = sum.layout.classes.len();
        let days = sum.layout.days;
        assert_eq!(d.bands.len(), classes);
        // One legend entry per class, then the total and the shading.
        assert_eq!(d.header.legend.len(), classes + 2);
        let raw_total: Vec<f64> = (0..days)
            .map(|k| {
                (0..classes)
                    .map(|i| sum.mean(Series::Demand, ClassId(i as u32))[k])
                    .sum()
            })
            .collect();
        let (div, _) = volume_unit(raw_total.iter().copied().fold(0.0, f64::max));
        assert!(!d.empty, "the tutorial has demand");
        for (i, b) in d.bands.iter().enumerate() {
            if i > 0 {
                assert_eq!(b.base, d.bands[i - 1].wanted);
            }
            for k in 0..days {
                let (served, demand) = (
                    sum.mean(Series::Served, ClassId(i as u32))[k],
                    sum.mean(Series::Demand, ClassId(i as u32))[k],
                );
                let solid = (b.served[k] - b.base[k]) * div;
                let pale = (b.wanted[k] - b.served[k]) * div;
                assert!(
                    (solid - served.min(demand)).abs() <= 1e-6 * demand.max(1.0),
                    "{solid} {served}"
                );
                assert!(
                    (pale - (demand - served).max(0.0)).abs() <= 1e-6 * demand.max(1.0),
                    "{pale}"
                );
            }
        }
        // The line is the total demand, and it tops the stack.
        let top = &d.bands[classes - 1].wanted;
        for k in 0..days {
            assert!((d.total[k] - top[k]).abs() <= 1e-9 * top[k].max(1.0));
            assert!((d.total[k] * div - raw_total[k]).abs() <= 1e-6 * raw_total[k].max(1.0));
        }
        assert!(d.y1 >= d.total.iter().copied().fold(0.0, f64::max));
    }

    #[test]
    fn the_deliveries_layers_are_the_sources_that_delivered_averaged_over_a_week() {
        let run = crate::report::charts::kit::TestRun::tutorial(4);
        let sum = &run.sum;
        let d = DeliveriesData::new(&run.ctx(), crate::report::Lang::En);
        let days = sum.layout.days;
        // 90 days: smoothed, and said so on the axis.
        assert!(d.smooth);
        assert!(
            d.axis_title.contains("mean of the last 7 days"),
            "{}",
            d.axis_title
        );
        let mut delivered: Vec<(String, Vec<f64>)> = sum
            .layout
            .sources
            .iter()
            .zip(sum.means(Series::Delivered))
            .filter(|(_, v)| v.iter().any(|x| *x > 0.0))
            .map(|(id, v)| (format!("via {}", run.s.node(*id).name), v.to_vec()))
            .collect();
        assert!(!delivered.is_empty(), "the tutorial's fuel arrives");
        // The airlift and one-off deliveries are the last layer.
        let air = sum.mean(Series::Airlifted, Line::One);
        assert!(air.iter().any(|x| *x > 0.0), "the tutorial flies fuel in");
        delivered.push(("airlift and one-off deliveries".to_string(), air.to_vec()));
        assert_eq!(d.layers.len(), delivered.len());
        let raw_max = d.demand.iter().copied().fold(0.0, f64::max);
        assert!(raw_max > 0.0);
        let demand: Vec<f64> = (0..days)
            .map(|k| sum.depot_demand.iter().map(|x| x[k]).sum())
            .collect();
        // The unit: the demand line, in litres, over the line as drawn.
        let div = demand[0] / d.demand[0];
        for ((name, base, upper), (want_name, v)) in d.layers.iter().zip(&delivered) {
            assert_eq!(name, want_name);
            let avg = trailing_average(v, SMOOTH_DAYS);
            for k in 0..days {
                let thick = (upper[k] - base[k]) * div;
                assert!(
                    (thick - avg[k].max(0.0)).abs() <= 1e-6 * avg[k].max(1.0),
                    "{thick} {}",
                    avg[k]
                );
            }
        }
        assert!(d.y1 >= d.demand.iter().copied().fold(0.0, f64::max));
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
