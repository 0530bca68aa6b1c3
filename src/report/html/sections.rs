//! The report's longer sections, each a function that pushes its [`Block`]s: uncertain
//! inputs, assumptions, routes, sensitivity and the network's flow analysis.

use super::*;

/// The section of a run with uncertain inputs, in `l`: which inputs, the fan with and
/// without them, and their ranking by first-order index.
pub(super) fn inputs_blocks(
    l: Lang,
    b: &mut Vec<Block>,
    drawn: &Drawn,
    s: &Scenario,
    sum: &Summary,
    x: &InputsInfo,
) {
    let t = &x.table;
    b.push(Block::Heading(tr!(l, InHeading)));
    let file = t
        .file
        .as_ref()
        .map_or(String::new(), |f| tr!(l, InParaFile, file = f));
    let compare = compare_sentence(l, s, sum, x);
    b.push(Block::Para(if t.inputs.len() == 1 {
        tr!(l, InParaOne, file = file, compare = compare)
    } else {
        tr!(
            l,
            InParaMany,
            n = t.inputs.len(),
            file = file,
            compare = compare
        )
    }));
    if drawn.has(INPUTS_FAN) {
        b.push(Block::Figure {
            file: format!("charts/{INPUTS_FAN}"),
            title: tr!(l, InFigFanTitle),
            caption: tr!(l, InFigFanCaption),
        });
    }
    if drawn.has(CALIBRATED_FAN) {
        b.push(Block::Figure {
            file: format!("charts/{CALIBRATED_FAN}"),
            title: tr!(l, InFigCalTitle),
            caption: tr!(l, InFigCalCaption),
        });
    }
    let imp = x.importance.as_ref();
    let mut head = vec![tr!(l, InColInput), tr!(l, InColRange), tr!(l, InColMedian)];
    if let Some(m) = imp {
        head.extend(
            m.measures
                .iter()
                .map(|me| tr!(l, InColShare, measure = measure_words(&me.key, l))),
        );
    }
    // Inputs by their `--set` paths (as inputs.csv and the JSON name them) and ranges as
    // the scenario writes them; medians rounded for reading (full values in the JSON).
    let rows: Vec<Vec<String>> = ranked(x)
        .into_iter()
        .map(|i| {
            let input = &t.inputs[i];
            let mut row = vec![
                format!("{} ({})", input.path, source_words(t.sources[i], l)),
                dist_text(&input.dist),
                median_text(t.medians[i], l),
            ];
            if let Some(m) = imp {
                let r = m.rows.iter().find(|r| r.input == i);
                row.extend(
                    (0..m.measures.len())
                        .map(|j| l.digits(&index_text(r.and_then(|r| r.indices[j].as_ref())))),
                );
            }
            row
        })
        .collect();
    // One cell per column of the head: the median has its own (it was written in the
    // range's cell, which shifted every index one column left).
    let mut cols = vec![Col::Text, Col::Text, Col::Num];
    cols.extend(imp.map_or(Vec::new(), |m| vec![Col::Num; m.measures.len()]));
    b.push(Block::Table { head, rows, cols });
    if drawn.has(INPUT_IMPORTANCE) {
        b.push(Block::Figure {
            file: format!("charts/{INPUT_IMPORTANCE}"),
            title: tr!(l, InFigImportanceTitle),
            caption: tr!(l, InFigImportanceCaption),
        });
    }
    b.push(Block::Note(tr!(l, InNote, method = method_text_in(imp, l))));
}

/// The assumptions: depots and demand, sources, fleet and escorts, events.
pub(super) fn assumptions(l: Lang, b: &mut Vec<Block>, s: &Scenario) {
    b.push(Block::Heading(tr!(l, HeadAssumptions)));
    b.push(Block::Sub(tr!(l, SubDepotsDemand)));
    let mut rows = Vec::new();
    for (id, d) in s.depots() {
        let dem = d.demand_litres_per_day();
        let dos = if dem > 0.0 {
            tr!(l, SpanDays, h = l.num(d.initial_stock_litres / dem, 1))
        } else {
            tr!(l, NoDemand)
        };
        rows.push(vec![
            s.node(id).name.clone(),
            litres(l, d.initial_stock_litres),
            dos,
            litres(l, d.capacity_litres),
            tr!(
                l,
                RationingRule,
                days = l.num_short(d.rationing.trigger_days),
                p = d.rationing.protected_priority,
                share = pct(l, d.rationing.ration_fraction)
            ),
        ]);
    }
    b.push(Block::Table {
        head: vec![
            tr!(l, ColDepot),
            tr!(l, ColInitialStock),
            tr!(l, ColDaysOfSupplyDay0),
            tr!(l, ColCapacity),
            tr!(l, ColRationing),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num, Col::Text],
    });
    let mut rows = Vec::new();
    for (id, d) in s.depots() {
        for c in &d.demand {
            rows.push(vec![
                s.node(id).name.clone(),
                c.name.clone(),
                c.priority.to_string(),
                tr!(l, PerDay, x = litres(l, c.litres_per_day)),
                if d.is_protected(c) {
                    tr!(l, WordProtected)
                } else {
                    tr!(l, WordRationed)
                },
            ]);
        }
    }
    b.push(Block::Table {
        head: vec![
            tr!(l, ColDepot),
            tr!(l, ColDemandClass),
            tr!(l, ColPriority),
            tr!(l, ColBaselineDemandShort),
            tr!(l, ColUnderRationing),
        ],
        rows,
        cols: vec![Col::Text, Col::Text, Col::Num, Col::Num, Col::Text],
    });

    b.push(Block::Sub(tr!(l, SubSources)));
    let tl = s.fleet.truck_litres;
    let rows: Vec<Vec<String>> = s
        .sources()
        .map(|(id, supply)| {
            vec![
                s.node(id).name.clone(),
                tr!(l, PerDay, x = litres(l, supply)),
                l.num(supply / tl, 1),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColSource),
            tr!(l, ColSupply),
            tr!(l, ColTruckloadsPerDay),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num],
    });

    b.push(Block::Sub(tr!(l, SubFleet)));
    let e = &s.escorts;
    let policy = match e.policy {
        EscortPolicy::Required => tr!(l, PolicyRequired),
        EscortPolicy::IfFree => tr!(l, PolicyIfFree),
    };
    b.push(Block::Table {
        head: vec![tr!(l, ColItem), tr!(l, ColValue)],
        rows: vec![
            vec![
                tr!(l, RowFleet),
                tr!(
                    l,
                    FleetValue,
                    n = l.thousands(f64::from(s.fleet.trucks)),
                    litres = litres(l, tl)
                ),
            ],
            vec![
                tr!(l, RowConvoys),
                tr!(
                    l,
                    ConvoysValue,
                    every = l.num_short(s.dispatch.convoy_interval_days),
                    max = s.dispatch.max_convoy,
                    replan = l.num_short(s.dispatch.replan_days)
                ),
            ],
            vec![
                tr!(l, RowEscorts),
                tr!(
                    l,
                    EscortsValue,
                    n = e.units,
                    s = l.plural(u64::from(e.units)),
                    above = pct(l, e.threshold),
                    policy = policy
                ),
            ],
            vec![
                tr!(l, RowEscortEffect),
                tr!(
                    l,
                    EscortEffectValue,
                    risk = l.digits(&e.risk_factor.to_string()),
                    loss = l.digits(&e.loss_factor.to_string())
                ),
            ],
        ],
        cols: vec![Col::Text, Col::Text],
    });

    b.push(Block::Sub(tr!(l, SubEvents)));
    if s.events.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoEvents)));
    } else {
        let mut evs: Vec<&crate::scenario::Event> = s.events.iter().collect();
        evs.sort_by(|a, b| a.day.total_cmp(&b.day));
        let rows = evs
            .iter()
            .map(|e| {
                vec![
                    date_and_day(l, s, e.day),
                    e.until.map_or("—".into(), |u| date_and_day(l, s, u)),
                    e.display_label(),
                    effect_text(l, s, &e.effect),
                ]
            })
            .collect();
        b.push(Block::Table {
            head: vec![
                tr!(l, ColStarts),
                tr!(l, ColUntil),
                tr!(l, ColLabel),
                tr!(l, ColWhatHappens),
            ],
            rows,
            cols: vec![Col::Date, Col::Date, Col::Text, Col::Text],
        });
    }
}

/// The routes the plan used most: trucks per day asked for and dispatched.
pub(super) fn routes_table(l: Lang, b: &mut Vec<Block>, s: &Scenario, sum: &Summary) {
    if sum.routes.is_empty() {
        return;
    }
    let days = sum.layout.days.max(1) as f64;
    b.push(Block::Sub(tr!(l, SubRoutes)));
    b.push(Block::Para(tr!(
        l,
        ParaRoutes,
        days = sum.layout.days,
        n = sum.routes.len().min(8),
        of = sum.routes.len()
    )));
    let rows = sum
        .routes
        .iter()
        .take(8)
        .map(|r| {
            vec![
                super::super::tables::route_names(s, &r.segments).0,
                l.num(r.planned_trucks / days, 1),
                l.num(r.dispatched_trucks / days, 1),
                if r.planned_trucks > 0.0 {
                    pct_plain(l, r.dispatched_trucks / r.planned_trucks)
                } else {
                    "—".into()
                },
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColRoute),
            tr!(l, ColPlanned),
            tr!(l, ColDispatched),
            tr!(l, ColShare),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num],
    });
}

/// The words of a sensitivity's design in `l`: its two ends ("50 %" and "150 %" of the
/// value, or the "10th" and "90th" percentiles of the range) and its messages.
pub(super) struct DesignWords {
    pub low: String,
    pub high: String,
    /// How it was computed ({n} inputs, {low}, {high}, {runs}).
    pub method: Msg,
    /// The base case ({method}, {runs}, {base}).
    pub base: Msg,
    /// The note under the three inputs that matter most ({n}, {low}, {high}, {runs}, {section}).
    pub note_top: Msg,
    /// When no input moves the measure (same holes).
    pub none_moves: Msg,
}

impl DesignWords {
    pub(super) fn of(l: Lang, design: SensitivityDesign) -> DesignWords {
        match design {
            SensitivityDesign::Percentiles => {
                let (lo, hi) = crate::ensemble::UNCERTAIN_QUANTILES;
                let w = |q: f64| fill(Msg::Ordinal.text(l), &[("n", &format!("{:.0}", 100.0 * q))]);
                DesignWords {
                    low: w(lo),
                    high: w(hi),
                    method: Msg::SensMethodPct,
                    base: Msg::ParaSensBasePct,
                    note_top: Msg::NoteTopInputsPct,
                    none_moves: Msg::ParaNoInputMovesPct,
                }
            }
            _ => {
                let step = crate::ensemble::SENSITIVITY_STEP;
                let w = |x: f64| l.percent(&format!("{:.0}", 100.0 * x));
                DesignWords {
                    low: w(1.0 - step),
                    high: w(1.0 + step),
                    method: Msg::SensMethod,
                    base: Msg::ParaSensBase,
                    note_top: Msg::NoteTopInputs,
                    none_moves: Msg::ParaNoInputMoves,
                }
            }
        }
    }
}

/// The built-in sensitivity: how it was computed and every input, largest swing first.
pub(super) fn sensitivity_section(l: Lang, s: &Scenario, b: &mut Vec<Block>, info: &RunInfo) {
    let Some(sens) = &info.sensitivity else {
        return;
    };
    b.push(Block::Heading(tr!(l, SubWhatWouldChange)));
    let w = DesignWords::of(l, sens.design);
    let method = fill(
        w.method.text(l),
        &[
            ("n", &sens.rows.len()),
            ("low", &w.low),
            ("high", &w.high),
            ("runs", &sens.replications),
        ],
    );
    let base = litres_mc(l, sens.base, sens.rows.first().map_or(0.0, |r| r.swing_se));
    b.push(Block::Para(fill(
        w.base.text(l),
        &[
            ("method", &method),
            ("runs", &sens.replications),
            ("base", &base),
        ],
    )));
    if !sens.skipped.is_empty() {
        b.push(Block::Para(tr!(
            l,
            ParaSensSkippedInputs,
            list = sens
                .skipped
                .iter()
                .map(|x| super::super::input_label(l, s, x))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let rows = sens
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                super::super::input_label(l, s, &r.input.kind),
                input_value(l, &r.input.low),
                input_value(l, &r.input.base),
                input_value(l, &r.input.high),
                litres_mc(l, r.at_low, r.swing_se),
                litres_mc(l, r.at_high, r.swing_se),
                format!(
                    "{} ± {}",
                    litres_mc(l, r.swing(), r.swing_se),
                    litres_mc(l, r.swing_se, r.swing_se / 10.0)
                ),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColRank),
            tr!(l, ColInput),
            tr!(l, ColLow),
            tr!(l, ColBase),
            tr!(l, ColHigh),
            tr!(l, ColUnmetAtLow),
            tr!(l, ColAtHigh),
            tr!(l, ColSwing),
        ],
        rows,
        cols: vec![
            Col::Num,
            Col::Text,
            Col::Text,
            Col::Text,
            Col::Text,
            Col::Num,
            Col::Num,
            Col::Num,
        ],
    });
}

/// The flow analysis under baseline conditions.
pub(super) fn network(l: Lang, b: &mut Vec<Block>, s: &Scenario, flow: &FlowBaseline) {
    let (mf, crit) = (&flow.max_flow, &flow.criticality);
    let tl = s.fleet.truck_litres;
    let demand = s.total_demand_litres_per_day();
    b.push(Block::Heading(tr!(l, HeadNetwork)));
    let ratio = if demand > 0.0 {
        tr!(
            l,
            NetRatio,
            share = pct(l, mf.trucks_per_day * tl / demand),
            demand = tr!(l, PerDay, x = litres(l, demand))
        )
    } else {
        String::new()
    };
    b.push(Block::Para(tr!(
        l,
        ParaMaxFlow,
        n = l.num(mf.trucks_per_day, 1),
        litres = tr!(l, PerDay, x = litres(l, mf.trucks_per_day * tl)),
        ratio = ratio
    )));
    if !mf.source_limited.is_empty() {
        let names: Vec<String> = mf
            .source_limited
            .iter()
            .map(|id| s.node(*id).name.clone())
            .collect();
        b.push(Block::Para(tr!(
            l,
            ParaSupplyLimit,
            names = names.join(", ")
        )));
    }
    b.push(Block::Sub(tr!(l, SubMinCut)));
    if mf.min_cut.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoMinCut)));
    } else {
        let rows = mf
            .min_cut
            .iter()
            .map(|id| {
                let g = s.segment(*id);
                vec![
                    s.segment_label(*id),
                    g.id.clone(),
                    l.num(g.capacity_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(tr!(l, ParaMinCut)));
        b.push(Block::Table {
            head: vec![tr!(l, ColSegment), tr!(l, ColId), tr!(l, ColCapacityTrucks)],
            rows,
            cols: vec![Col::Text, Col::Text, Col::Num],
        });
    }
    b.push(Block::Sub(tr!(l, SubMostCritical)));
    let top: Vec<_> = crit
        .iter()
        .filter(|c| c.drop_trucks_per_day > 0.0)
        .take(5)
        .collect();
    if top.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoCritical)));
    } else {
        let rows = top
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let share = if mf.trucks_per_day > 0.0 {
                    c.drop_trucks_per_day / mf.trucks_per_day
                } else {
                    0.0
                };
                vec![
                    (k + 1).to_string(),
                    s.segment_label(c.segment),
                    l.num(c.drop_trucks_per_day, 1),
                    pct(l, share),
                    l.num(c.remaining_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(tr!(l, ParaCritical)));
        b.push(Block::Table {
            head: vec![
                tr!(l, ColRank),
                tr!(l, ColSegment),
                tr!(l, ColDrop),
                tr!(l, ColShareMaxFlow),
                tr!(l, ColMaxFlowWithout),
            ],
            rows,
            cols: vec![Col::Num, Col::Text, Col::Num, Col::Num, Col::Num],
        });
    }
}
