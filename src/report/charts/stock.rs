//! The fan chart of a depot's stock: days of supply on top, million litres below, with
//! percentile bands, the median, the rationing trigger and the scenario's events.

use plotters::prelude::*;

use super::Ctx;
use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, PURPLE, Res, Swatch,
    TimeAxis, VAlign, VERMILLION, frame, header, nice_top, notes, size, value_ticks, x_axis,
    x_axis_height, y_axis, y_axis_width,
};
use super::kit::{at_times, empty_message, fan, fan_legend, trigger_legend, volume_unit};
use crate::ensemble::Summary;
use crate::report::lang::volume_unit_name;
use crate::report::{Lang, Msg};
use crate::scenario::Scenario;
use crate::tr;

/// The fan chart of depot `depot` (index into the layout's depots).
pub(crate) struct StockChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
    /// Depot index.
    pub depot: usize,
}

/// Events that start on the same day, shown as one marker.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    /// Start day.
    pub day: f64,
    /// End day, if every event of the group ends.
    pub until: Option<f64>,
    /// Label.
    pub label: String,
    /// Short label, used when the label does not fit.
    pub short: String,
}

/// The scenario's events grouped by start day, in time order, within `[0, days]`.
pub(crate) fn markers(l: Lang, s: &Scenario, days: f64) -> Vec<Marker> {
    let mut evs: Vec<&crate::scenario::Event> = s
        .events
        .iter()
        .filter(|e| e.day.is_finite() && e.day >= 0.0 && e.day <= days)
        .collect();
    evs.sort_by(|a, b| a.day.total_cmp(&b.day));
    let mut out: Vec<Marker> = Vec::new();
    let mut i = 0;
    while i < evs.len() {
        let day = evs[i].day;
        let group: Vec<_> = evs[i..]
            .iter()
            .take_while(|e| e.day == day)
            .copied()
            .collect();
        i += group.len();
        let labels: Vec<String> = group.iter().map(|e| e.display_label()).collect();
        let until = if group.iter().all(|e| e.until.is_some()) {
            group
                .iter()
                .filter_map(|e| e.until)
                .fold(None, |m: Option<f64>, u| Some(m.map_or(u, |m| m.max(u))))
        } else {
            None
        };
        let (label, short) = group_label(l, &labels);
        out.push(Marker {
            day,
            until: until.map(|u| u.min(days)),
            label,
            short,
        });
    }
    out
}

/// The label of a group of events and a shorter form: one event's label as is; several
/// sharing a prefix ("blockade: VH roads", "blockade: M roads") as "blockade (8 events)";
/// otherwise the first label and a count.
fn group_label(lang: Lang, labels: &[String]) -> (String, String) {
    let short = |l: &str| -> String {
        let head = l.split(':').next().unwrap_or(l).trim();
        let chars: Vec<char> = head.chars().collect();
        if chars.len() > 18 {
            chars[..16]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…"
        } else {
            head.to_string()
        }
    };
    match labels {
        [] => (String::new(), String::new()),
        [one] => (one.clone(), short(one)),
        many => {
            let n = many.len();
            // The most common prefix before a colon, if at least half the labels share it.
            let mut best: Option<(&str, usize)> = None;
            for l in many {
                if let Some((p, _)) = l.split_once(':') {
                    let c = many
                        .iter()
                        .filter(|x| x.split_once(':').is_some_and(|(q, _)| q == p))
                        .count();
                    if best.is_none_or(|(_, b)| c > b) {
                        best = Some((p, c));
                    }
                }
            }
            let head = match best {
                Some((p, c)) if 2 * c >= n => p.trim().to_string(),
                _ => many[0].clone(),
            };
            (
                tr!(lang, ChEventsGroup, head = head, n = n),
                format!("{} ({n})", short(&head)),
            )
        }
    }
}

/// Where a marker's label goes in the lane above the plot.
#[derive(Debug, Clone)]
struct Placed {
    row: usize,
    x: i32,
    until_x: Option<i32>,
    text: String,
    /// Text ends at the marker (right-aligned) rather than starting there.
    left: bool,
}

/// Places labels in rows, earliest first, each in the first row where it does not touch
/// the previous label; returns the placements and the markers left unlabelled.
fn place_labels<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    ax: &Axes,
    ms: &[Marker],
    max_rows: usize,
) -> (Vec<Placed>, Vec<Marker>) {
    let f = Font::new(size::LABEL, INK);
    let gap = cv.st.px(6.0);
    let sep = cv.st.px(14.0);
    let right_edge = cv.st.w - cv.margin();
    let mut row_end: Vec<i32> = vec![i32::MIN; max_rows];
    let mut placed = Vec::new();
    let mut left_out = Vec::new();
    for m in ms {
        let x = ax.x(m.day);
        let until_x = m.until.map(|u| ax.x(u));
        let mut done = false;
        for text in [&m.label, &m.short] {
            let w = cv.width(text, f);
            let (start, end, left) = if x + gap + w <= right_edge {
                (x, x + gap + w, false)
            } else {
                (x - gap - w, x, true)
            };
            let end = end.max(until_x.unwrap_or(end));
            if let Some(row) = (0..max_rows).find(|r| row_end[*r] + sep <= start) {
                row_end[row] = end;
                placed.push(Placed {
                    row,
                    x,
                    until_x,
                    text: text.clone(),
                    left,
                });
                done = true;
                break;
            }
        }
        if !done {
            left_out.push(m.clone());
        }
    }
    (placed, left_out)
}

/// Largest finite value of the P95s.
fn top(v: &[[f64; 5]]) -> f64 {
    v.iter()
        .map(|p| p[4])
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max)
}

/// What the stock chart of one depot shows, before any drawing: the fans in litres and
/// in days of supply, the rationing trigger, the storage capacity when it fits the scale,
/// the axis ranges and the scenario's events.
#[derive(Debug, Clone)]
pub(crate) struct StockData {
    /// The depot's name.
    pub name: String,
    /// Stock in litres at the times 0..=days (day 0 the initial stock): P5, P25, P50, P75,
    /// P95.
    pub litres: Vec<[f64; 5]>,
    /// Days of supply at the same times: stock over that day's demand (infinite on a day
    /// without demand).
    pub dos: Vec<[f64; 5]>,
    /// The depot has demand on some day, so days of supply are drawn (the upper panel).
    pub has_dos: bool,
    /// The rationing trigger in days of supply, when days of supply are drawn.
    pub trigger: Option<f64>,
    /// The storage capacity in litres, drawn only when positive and within 1.6 times the
    /// highest P95 (higher, it would flatten the fan).
    pub capacity: Option<f64>,
    /// The highest finite P95 of the stock, litres.
    pub lit_top_raw: f64,
    /// Top of the days-of-supply axis: room for the fan and for the trigger with a
    /// quarter to spare.
    pub dos_top: f64,
    /// Divisor of the litres panel's unit.
    pub div: f64,
    /// Name of the litres panel's unit ("million litres").
    pub unit: &'static str,
    /// Top of the litres axis, in that unit: room for the fan and the capacity line.
    pub lit_top: f64,
    /// The scenario's events, grouped by start day.
    pub markers: Vec<Marker>,
}

impl StockData {
    /// The data of depot `depot` (index into the layout's depots) of `sum`, with event
    /// labels in `l`.
    pub(crate) fn new(s: &Scenario, sum: &Summary, depot: usize, l: Lang) -> StockData {
        let id = sum.layout.depots[depot];
        let name = s.node(id).name.clone();
        let dep = s.depot(id);
        let days = sum.layout.days;
        let init = dep.map_or(0.0, |d| d.initial_stock_litres);
        let litres = at_times(init, &sum.stock_pct[depot]);
        let demand = &sum.depot_demand[depot];
        let dem: Vec<f64> = (0..=days)
            .map(|j| demand.get(j.saturating_sub(1)).copied().unwrap_or(0.0))
            .collect();
        let has_dos = dem.iter().any(|d| *d > 0.0);
        let dos: Vec<[f64; 5]> = litres
            .iter()
            .zip(&dem)
            .map(|(p, d)| p.map(|v| if *d > 0.0 { v / d } else { f64::INFINITY }))
            .collect();
        let trigger = dep.map(|d| d.rationing.trigger_days).filter(|_| has_dos);
        let capacity = dep.map(|d| d.capacity_litres);
        let lit_top_raw = top(&litres);
        let capacity = capacity.filter(|c| *c > 0.0 && *c <= 1.6 * lit_top_raw.max(1.0));
        let dos_top = nice_top(top(&dos).max(trigger.unwrap_or(0.0) * 1.25), 5);
        let (div, unit) = volume_unit(lit_top_raw.max(capacity.unwrap_or(0.0)));
        let lit_top = nice_top(lit_top_raw.max(capacity.unwrap_or(0.0)) / div, 4);
        StockData {
            name,
            litres,
            dos,
            has_dos,
            trigger,
            capacity,
            lit_top_raw,
            dos_top,
            div,
            unit,
            lit_top,
            markers: markers(l, s, days as f64),
        }
    }
}

impl Chart for StockChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, sum) = (self.ctx.s, self.ctx.sum);
        let st = cv.st;
        let m = cv.margin();
        let days = sum.layout.days;
        let time = TimeAxis {
            start: s.start_date,
            days: days.max(1) as f64,
            lang: st.lang,
        };
        let l = st.lang;
        let StockData {
            name,
            litres,
            dos,
            has_dos,
            trigger,
            capacity: show_capacity,
            lit_top_raw,
            dos_top,
            div,
            unit,
            lit_top,
            markers: ms,
        } = StockData::new(s, sum, self.depot, l);
        let single = sum.replications <= 1;
        let mut legend = if single {
            vec![Legend::new(
                Swatch::Line(BLUE, 3.5, false),
                l.t(Msg::ChOnlyRun),
            )]
        } else {
            fan_legend(l, None)
        };
        if let Some(t) = trigger {
            legend.push(trigger_legend(l, t));
        }
        if !ms.is_empty() {
            legend.push(Legend::new(
                Swatch::Line(GREY, 2.0, true),
                l.t(Msg::ChScenarioEvent),
            ));
        }
        if show_capacity.is_some() {
            legend.push(Legend::new(
                Swatch::Line(PURPLE, 2.5, true),
                l.t(Msg::ChStorageCapacity),
            ));
        }
        let h = Header {
            title: tr!(l, ChStockTitle, name = s.name, depot = name),
            subtitle: tr!(l, ChStockSubtitle, facts = self.ctx.facts),
            legend,
        };
        let mut y = header(cv, &h)?;

        // Plot scales (needed for the left margin before the lane can be laid out).
        let dos_ticks = value_ticks(0.0, dos_top, 5, "");
        let lit_ticks = value_ticks(0.0, lit_top, 4, "");
        let left = m + y_axis_width(cv, &dos_ticks).max(y_axis_width(cv, &lit_ticks));
        let right = st.w - m;
        let probe = Axes {
            l: left,
            t: 0,
            r: right,
            b: 0,
            x0: 0.0,
            x1: time.days,
            y0: 0.0,
            y1: 1.0,
        };

        // The events lane.
        let lf = Font::new(size::LABEL, INK);
        let row_h = cv.cap(lf) + st.px(16.0);
        let (placed, left_out) = place_labels(cv, &probe, &ms, 5);
        let rows = placed.iter().map(|p| p.row + 1).max().unwrap_or(0);
        let lane_top = y;
        if rows > 0 {
            y += rows as i32 * row_h + st.px(8.0);
        }

        let mut note_lines = Vec::new();
        if !left_out.is_empty() {
            let list: Vec<String> = left_out
                .iter()
                .map(|mk| format!("{} {}", time.label(mk.day), mk.label))
                .collect();
            note_lines.push(tr!(l, ChEventsNotLabelled, list = list.join("; ")));
        }
        if !has_dos {
            note_lines.push(tr!(l, ChNoDemandDepot));
        }
        let bottom = notes(cv, &note_lines)? - x_axis_height(cv, true);
        let ticks = time.ticks();

        let avail = bottom - y;
        let gap = st.px(30.0);
        let (top_ax, lit_t) = if has_dos {
            let split = y + ((avail - gap) as f64 * 0.58) as i32;
            let ax = Axes {
                l: left,
                t: y,
                r: right,
                b: split,
                x0: 0.0,
                x1: time.days,
                y0: 0.0,
                y1: dos_top,
            };
            (Some(ax), split + gap)
        } else {
            (None, y)
        };
        let lit_ax = Axes {
            l: left,
            t: lit_t,
            r: right,
            b: bottom,
            x0: 0.0,
            x1: time.days,
            y0: 0.0,
            y1: lit_top,
        };

        if let Some(ax) = &top_ax {
            y_axis(cv, ax, &dos_ticks, l.t(Msg::ChDaysOfSupply), false)?;
            x_axis(cv, ax, &ticks, None, false)?;
            fan(cv, ax, &dos, BLUE)?;
            if let Some(t) = trigger {
                cv.dashed((ax.l, ax.y(t)), (ax.r, ax.y(t)), VERMILLION.to_rgba(), 3.0)?;
            }
        }
        y_axis(cv, &lit_ax, &lit_ticks, volume_unit_name(l, unit), false)?;
        x_axis(cv, &lit_ax, &ticks, Some(&time.title()), true)?;
        let scaled: Vec<[f64; 5]> = litres.iter().map(|p| p.map(|v| v / div)).collect();
        fan(cv, &lit_ax, &scaled, BLUE)?;
        if let Some(c) = show_capacity {
            let yc = lit_ax.y(c / div);
            cv.dashed((lit_ax.l, yc), (lit_ax.r, yc), PURPLE.to_rgba(), 2.5)?;
        }

        // Event lines through both panels, then the zero lines and frames on top.
        let first_t = top_ax.as_ref().map_or(lit_ax.t, |a| a.t);
        for mk in &ms {
            let x = lit_ax.x(mk.day);
            cv.dashed((x, first_t), (x, lit_ax.b), GREY.mix(0.75), 2.0)?;
        }
        if lit_top_raw <= 0.0 {
            empty_message(cv, &lit_ax, l.t(Msg::ChDepotEmpty))?;
        }
        for ax in top_ax.iter().chain([&lit_ax]) {
            frame(cv, ax)?;
            cv.line(
                vec![(ax.l, ax.y(0.0)), (ax.r, ax.y(0.0))],
                INK.to_rgba(),
                2.0,
            )?;
        }

        // The lane: a tick at each marker, its label, and a bar for its duration.
        for p in &placed {
            let ry = lane_top + p.row as i32 * row_h;
            let cap = cv.cap(lf);
            cv.line(
                vec![(p.x, ry - st.px(2.0)), (p.x, ry + cap + st.px(6.0))],
                MUTED.to_rgba(),
                2.0,
            )?;
            if let Some(ux) = p.until_x.filter(|u| *u > p.x + 1) {
                let by = ry + cap + st.px(5.0);
                cv.line(vec![(p.x, by), (ux, by)], GREY.mix(0.7), 3.0)?;
            }
            let gap = st.px(6.0);
            if p.left {
                cv.text(&p.text, (p.x - gap, ry), lf, Align::Right, VAlign::Top)?;
            } else {
                cv.text(&p.text, (p.x + gap, ry), lf, Align::Left, VAlign::Top)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_share_a_prefix_or_count() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            group_label(
                Lang::En,
                &l(&["blockade: VH roads", "blockade: M roads", "Nioro"])
            )
            .0,
            "blockade (3 events)"
        );
        assert_eq!(
            group_label(Lang::En, &l(&["airlift", "escorts added"])).0,
            "airlift (2 events)"
        );
        assert_eq!(group_label(Lang::En, &l(&["airlift"])).0, "airlift");
        assert_eq!(
            group_label(Lang::En, &l(&["tankers held at Zégoua/Kadiana"])).1,
            "tankers held at…"
        );
    }

    #[test]
    fn the_first_point_is_the_initial_stock() {
        let v = at_times(10.0, &[[1.0, 2.0, 3.0, 4.0, 5.0]]);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0], [10.0; 5]);
        assert_eq!(top(&v), 10.0);
    }

    #[test]
    fn the_stock_data_of_the_tutorial_depot_says_what_the_chart_shows() {
        let run = crate::report::charts::kit::TestRun::tutorial(4);
        let (s, sum) = (&run.s, &run.sum);
        let d = StockData::new(s, sum, 0, Lang::En);
        let dep = s.depot(sum.layout.depots[0]).expect("a depot");
        // Time 0 is the initial stock; one point per day after it.
        assert_eq!(d.litres.len(), sum.layout.days + 1);
        assert_eq!(d.litres[0], [dep.initial_stock_litres; 5]);
        // The depot has demand: days of supply are stock over the day's demand, and the
        // rationing trigger is shown with room above it.
        assert!(d.has_dos);
        let t = dep.rationing.trigger_days;
        assert_eq!(d.trigger, Some(t));
        let dem0 = sum.depot_demand[0][0];
        assert!(dem0 > 0.0);
        assert_eq!(d.dos[1][2], d.litres[1][2] / dem0);
        assert!(d.dos_top >= 1.25 * t);
        assert!(d.dos.iter().all(|p| !p[4].is_finite() || p[4] <= d.dos_top));
        // The litres axis holds the highest P95 and the capacity line when it is drawn.
        assert!(d.lit_top * d.div >= d.lit_top_raw);
        if let Some(c) = d.capacity {
            assert!(c <= 1.6 * d.lit_top_raw.max(1.0) && d.lit_top * d.div >= c);
        }
        assert!(d.litres.iter().all(|p| p[0] <= p[2] && p[2] <= p[4]));
    }
}
