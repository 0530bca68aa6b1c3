//! What a map shows, computed before any drawing: the header, the notes known before
//! labels are placed, each road's colour class, colour, width and whether it is closed or
//! in the minimum cut, the roads the legend lists by name, and the legend panel. Where
//! the labels go is decided while painting, from the text widths of the bundled font and
//! the geometry drawn (`labels.rs`).

use super::*;

/// How one road is drawn.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RoadStyle {
    /// Its colour class: criticality, attack risk or losses, as the map's mode says.
    pub(super) class: usize,
    /// The colour of that class.
    pub(super) color: RGBColor,
    /// Line width, before scaling: its capacity class's.
    pub(super) width: f64,
    /// Closed under the conditions shown: dashed dark grey with a cross at its middle.
    pub(super) closed: bool,
    /// In the minimum cut (criticality maps only): outlined in black, with a bar across.
    pub(super) in_cut: bool,
}

/// What a map shows, apart from where its labels go.
pub(super) struct MapData {
    /// Title and subtitle (the legend is the panel on the right).
    pub(super) header: Header,
    /// The notes under the map known before labels are placed.
    pub(super) notes: Vec<String>,
    /// Where the nodes are, in degrees (the projection to pixels is the painter's).
    pub(super) places: NodePlaces,
    /// Per segment, in scenario order, how it is drawn.
    pub(super) roads: Vec<RoadStyle>,
    /// The order roads are drawn in: lowest class first (so the worst is on top), ties
    /// in scenario order.
    pub(super) order: Vec<usize>,
    /// The roads the legend lists by name (most critical, dangerous or deadly first, at
    /// most three) and their value: share of the maximum flow lost, attack probability or
    /// tankers lost per run.
    pub(super) listed: Vec<(SegmentId, f64)>,
    /// The legend panel; its scale bar (`km_per_px`) is left to the painter, who knows
    /// the projection.
    pub(super) panel: Panel,
}

/// A road's name on the map: "Kayes–Diéma", or with each end's short name.
pub(super) fn road_name(s: &Scenario, i: SegmentId, short: bool) -> String {
    let g = s.segment(i);
    let pick = |n: &str| {
        let (full, sh) = map_names(n);
        if short { sh } else { full }
    };
    format!(
        "{}–{}",
        pick(&s.node(g.from).name),
        pick(&s.node(g.to).name)
    )
}

impl MapData {
    /// The data of `chart`, in words of `l`.
    pub(super) fn new(chart: &MapChart, l: crate::report::Lang) -> MapData {
        let s = chart.s;
        let tl = s.fleet.truck_litres;
        let demand = s.total_demand_litres_per_day();
        let (div, unit) = if demand.max(chart.mf.trucks_per_day * tl) >= 1e5 {
            (1e6, "M L")
        } else {
            (1.0, "L")
        };
        let fmt_l = |v: f64| {
            if div > 1.0 && v / div < 10.0 {
                l.digits(&format!("{:.2} {unit}", v / div))
            } else if div > 1.0 {
                l.digits(&format!("{:.1} {unit}", v / div))
            } else {
                format!("{} {unit}", l.thousands(v))
            }
        };
        let mut subtitle = tr!(
            l,
            MapSubtitle,
            n = l.digits(&tick_label(chart.mf.trucks_per_day, 0.1)),
            flow = fmt_l(chart.mf.trucks_per_day * tl),
            demand = fmt_l(demand)
        );
        if !chart.facts.is_empty() {
            subtitle.push_str(" · ");
            subtitle.push_str(chart.facts);
        }
        let header = Header {
            title: match chart.mode {
                Mode::Risk => tr!(l, MapTitleRisk, name = s.name),
                Mode::Losses => tr!(l, MapTitleLosses, name = s.name),
                Mode::Criticality => tr!(l, MapTitleCrit, name = s.name),
            },
            subtitle,
            legend: Vec::new(),
        };
        let places = place_nodes(s);
        let notes = chart.notes_above(&places, l);

        // Roads: capacity class for the width, a colour class for the colour.
        let max_cap = s
            .segments
            .iter()
            .map(|g| g.capacity_trucks_per_day)
            .filter(|c| c.is_finite())
            .fold(0.0, f64::max);
        let cap_bounds = capacity_bounds(max_cap);
        let total = chart.mf.trucks_per_day;
        let mut class = vec![0usize; s.segments.len()];
        for c in chart.crit {
            if let Some(slot) = class.get_mut(c.segment.index()) {
                *slot = if total > 0.0 {
                    crit_class(c.drop_trucks_per_day / total)
                } else {
                    0
                };
            }
        }
        if let Some(risk) = chart.risk {
            for (i, slot) in class.iter_mut().enumerate() {
                let v = risk.get(i).copied().unwrap_or(0.0);
                *slot = if chart.mode == Mode::Losses {
                    loss_class(v)
                } else {
                    risk_class(v)
                };
            }
        }
        let palette = if chart.risk.is_some() { &RISK } else { &CRIT };
        let roads = s
            .segments
            .iter()
            .enumerate()
            .map(|(i, g)| RoadStyle {
                class: class[i],
                color: palette[class[i]],
                width: CAP_WIDTHS[capacity_class(g.capacity_trucks_per_day, &cap_bounds)],
                closed: chart.closed.iter().any(|c| c.index() == i),
                in_cut: chart.risk.is_none() && chart.mf.min_cut.iter().any(|c| c.index() == i),
            })
            .collect();
        let mut order: Vec<usize> = (0..s.segments.len()).collect();
        order.sort_by_key(|i| (class[*i], *i));

        // The roads the legend lists by name (the most critical, or the most dangerous).
        let listed: Vec<(SegmentId, f64)> = match chart.risk {
            None => chart
                .crit
                .iter()
                .filter(|c| c.drop_trucks_per_day > 0.0 && total > 0.0)
                .take(3)
                .map(|c| (c.segment, c.drop_trucks_per_day / total))
                .collect(),
            Some(risk) => {
                let mut by: Vec<usize> = (0..s.segments.len().min(risk.len()))
                    .filter(|i| risk[*i] > 0.0)
                    .collect();
                by.sort_by(|a, b| risk[*b].total_cmp(&risk[*a]).then(a.cmp(b)));
                by.into_iter()
                    .take(3)
                    .map(|i| (SegmentId(i as u32), risk[i]))
                    .collect()
            }
        };
        let panel = Panel {
            max_cap,
            cap_bounds,
            has_cut: chart.risk.is_none() && !chart.mf.min_cut.is_empty(),
            mode: chart.mode,
            has_closed: !chart.closed.is_empty(),
            km_per_px: None,
            top_crit: listed
                .iter()
                .map(|(seg, v)| (road_name(s, *seg, false), *v))
                .collect(),
        };
        MapData {
            header,
            notes,
            places,
            roads,
            order,
            listed,
            panel,
        }
    }
}

impl MapChart<'_> {
    /// The notes under the map that are known before labels are placed: nodes not shown
    /// or placed from their neighbours, no coordinates, roads closed that day, sources
    /// that limit the flow.
    pub(super) fn notes_above(&self, lay: &NodePlaces, l: crate::report::Lang) -> Vec<String> {
        let s = self.s;
        let mut note_lines: Vec<String> = Vec::new();
        let missing: Vec<&str> = s
            .nodes
            .iter()
            .zip(&lay.pos)
            .filter(|(_, p)| p.is_none())
            .map(|(nd, _)| nd.name.as_str())
            .collect();
        if !missing.is_empty() {
            note_lines.push(tr!(l, MapNotShown, names = missing.join(", ")));
        }
        if !lay.guessed.is_empty() {
            let names: Vec<&str> = lay
                .guessed
                .iter()
                .map(|i| s.nodes[*i].name.as_str())
                .collect();
            note_lines.push(tr!(l, MapPlacedBetween, names = names.join(", ")));
        }
        if !lay.geo {
            note_lines.push(tr!(l, MapNoCoordinates));
        }
        if !self.closed.is_empty() {
            let names: Vec<String> = self
                .closed
                .iter()
                .filter(|c| c.index() < s.segments.len())
                .map(|c| {
                    let g = s.segment(*c);
                    format!(
                        "{}–{}",
                        map_names(&s.node(g.from).name).0,
                        map_names(&s.node(g.to).name).0
                    )
                })
                .collect();
            note_lines.push(tr!(l, MapClosedThatDay, names = names.join(", ")));
        }
        if !self.mf.source_limited.is_empty() {
            let names: Vec<String> = self
                .mf
                .source_limited
                .iter()
                .map(|id| map_names(&s.node(*id).name).0)
                .collect();
            note_lines.push(tr!(l, MapSupplyLimits, names = names.join(", ")));
        }
        note_lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Lang;

    /// The bundled network `file`, its baseline flow analysis and attack risk.
    fn bundled(file: &str) -> (Scenario, MaxFlow, Vec<Criticality>, Vec<f64>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let s = crate::scenario::load(&path).expect("bundled").scenario;
        let net = crate::network::Network::build(&s);
        let c = crate::network::Conditions::baseline(&s);
        let (mf, crit) = (net.max_flow(&c), net.criticality(&c));
        let risk = attack_risk_on(&s, 0.0);
        (s, mf, crit, risk)
    }

    #[test]
    fn a_closed_road_is_drawn_closed_and_the_cut_and_widths_follow_the_network() {
        let (s, mut mf, crit, _) = bundled("networks/tutorial.ron");
        // A cut through the third segment (the analysis gives none on the open tutorial).
        mf.min_cut = vec![SegmentId(2)];
        let shut = SegmentId(1);
        let closed = [shut];
        let chart = MapChart {
            s: &s,
            mf: &mf,
            crit: &crit,
            facts: "",
            closed: &closed,
            risk: None,
            mode: Mode::Criticality,
            record: None,
        };
        let d = MapData::new(&chart, Lang::En);
        assert_eq!(d.roads.len(), s.segments.len());
        for (i, r) in d.roads.iter().enumerate() {
            assert_eq!(r.closed, i == shut.index(), "segment {i}");
            assert_eq!(
                r.in_cut,
                mf.min_cut.iter().any(|c| c.index() == i),
                "segment {i}"
            );
            assert_eq!(r.color, CRIT[r.class]);
        }
        assert!(
            d.roads.iter().any(|r| r.in_cut),
            "Bamako's network has a minimum cut"
        );
        // The closure is said under the map and in the legend.
        let name = road_name(&s, shut, false);
        assert!(
            d.notes
                .contains(&format!("Closed on that day (×): {name}.")),
            "{:?}",
            d.notes
        );
        assert!(d.panel.has_closed && d.panel.has_cut);
        // The widest road is in the widest class; a narrower one is never wider.
        let caps: Vec<f64> = s
            .segments
            .iter()
            .map(|g| g.capacity_trucks_per_day)
            .collect();
        for (i, r) in d.roads.iter().enumerate() {
            for (j, q) in d.roads.iter().enumerate() {
                if caps[i] < caps[j] {
                    assert!(r.width <= q.width, "{i} {j}");
                }
            }
        }
        let widest = (0..caps.len())
            .max_by(|a, b| caps[*a].total_cmp(&caps[*b]))
            .expect("roads");
        assert_eq!(d.roads[widest].width, CAP_WIDTHS[3]);
        // Drawn from the lowest class up, and the legend lists the most critical first.
        let classes: Vec<usize> = d.order.iter().map(|i| d.roads[*i].class).collect();
        assert!(classes.windows(2).all(|w| w[0] <= w[1]), "{classes:?}");
        assert!(d.listed.len() <= 3);
        assert_eq!(d.panel.top_crit.len(), d.listed.len());
        assert!(
            d.listed.windows(2).all(|w| w[0].1 >= w[1].1),
            "{:?}",
            d.listed
        );
        assert!(
            d.header
                .title
                .ends_with("road network: capacity and critical segments")
        );
    }

    #[test]
    fn a_risk_map_colours_each_road_by_its_risk_and_lists_the_most_dangerous() {
        let (s, mf, crit, risk) = bundled("networks/tutorial.ron");
        let chart = MapChart {
            s: &s,
            mf: &mf,
            crit: &crit,
            facts: "on day 0",
            closed: &[],
            risk: Some(&risk),
            mode: Mode::Risk,
            record: None,
        };
        let d = MapData::new(&chart, Lang::En);
        for (i, r) in d.roads.iter().enumerate() {
            assert_eq!(r.class, risk_class(risk[i]), "segment {i}");
            assert_eq!(r.color, RISK[r.class]);
            assert!(!r.in_cut && !r.closed);
        }
        assert!(!d.panel.has_cut && !d.panel.has_closed);
        let mut by: Vec<usize> = (0..risk.len()).filter(|i| risk[*i] > 0.0).collect();
        by.sort_by(|a, b| risk[*b].total_cmp(&risk[*a]).then(a.cmp(b)));
        let want: Vec<(SegmentId, f64)> = by
            .iter()
            .take(3)
            .map(|i| (SegmentId(*i as u32), risk[*i]))
            .collect();
        assert!(!want.is_empty(), "the tutorial's roads are attacked");
        assert_eq!(d.listed, want);
        assert!(
            d.header.subtitle.ends_with(" · on day 0"),
            "{}",
            d.header.subtitle
        );
    }
}
