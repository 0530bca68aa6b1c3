//! The dispatch plan (docs/model.md §5 "Dispatch plan", §9 "Plan cost"): routes and quotas
//! that respect road capacity, source supply, the fleet based at each source and the
//! escort units, found as the exact optimum of a linear programme over candidate routes.
//!
//! The programme, for candidate routes `r` (simple paths from a source to a depot over
//! usable segments) with quota `x_r` (loaded trucks/day) and, for routes that need an
//! escort, escorted convoys per day `c_r`:
//!
//! ```text
//! maximise   sum_d y_d                            (0) protected cover, truckloads/day
//! then max   sum_r x_r v_r                        (1) value, truckloads/day
//! then min   sum_r x_r (-ln s_r)                   (2) expected loss
//! then min   sum_r x_r T_r                         (3) transit time
//! subject to sum_{r through e} x_r <= capacity_e   for every open segment e
//!            sum_{r from j} x_r <= supply_j        for every source j (trucks/day)
//!            sum_{r from j} x_r RT_r <= fleet_j    for every source j (trucks)
//!            x_r <= c_r M                          for every escorted route
//!            sum_r c_r cycle_r <= escort units
//!            y_d <= P_d,  y_d <= sum_{r to d, secure} s_r x_r   for every depot d
//! ```
//!
//! Stage (0) is blockade's addition to the specification's programme (docs/model-notes.md,
//! "Protected cover"): `P_d` is the baseline demand of depot `d`'s protected classes in
//! truckloads a day, and a route is *secure* when it needs no escort (its unescorted attack
//! probability is at most `escorts.threshold`). The plan first brings the protected
//! classes' demand by secure routes, as far as they can carry it, and only then maximises
//! the expected deliveries; a depot with no protected demand or no secure route has no
//! `y_d`, and then the programme is the specification's. The routes of the plan come out
//! in decreasing `v_r`: the order in which the dispatcher serves them when a source has
//! fewer loaded trucks than the quotas ask for.
//!
//! The convoy rates `c_r` appear in no objective, and the smallest that carries `x_r` is
//! `x_r / M`, so the last two rows hold for some `c >= 0` exactly when
//! `sum_r x_r cycle_r / M <= escort units`: the simplex solves that form, over the quotas
//! alone (the same optima, in a tableau about half the size).
//!
//! where `s_r` is the route's survival on the loaded leg (escorted where it needs an
//! escort), `T_r` its mean loaded transit, `RT_r` its mean round trip (loaded leg plus the
//! empty return, the unloading wait ignored), `M` the trucks one escort may protect
//! (`escorts.max_convoy`), `cycle_r` the escort's cycle (`2 T_r`, or
//! `max(turnaround_days, T_r)`), and the value of one truck sent
//! `v_r = s_r - L_r x attrition_horizon_days / max(RT_r, convoy_interval_days)`: the
//! truckload that arrives, minus the deliveries its expected loss `L_r` (trucks lost per
//! truck sent, loaded leg and empty return) would have made over the attrition horizon.
//! The three objectives are solved in order (lexicographic), each later stage moving only
//! along the optima of the earlier ones, by the small simplex of `lp.rs`.
//!
//! When some route needs an escort the programme is solved twice. The first solve gives
//! each escorted route its convoy rate and so its convoy size; the second adds to the
//! round trip `RT_r` half the time between its convoys (trucks wait, loaded, for the next
//! escorted departure) and the days a convoy of that size is held at capacity gates (an
//! escorted convoy stays together), and adds the hold to `T_r` in `cycle_r`. The plan is the
//! exact optimum of that second programme.
//!
//! Long (over 600 lines, 25 of tests) because the programme's set-up, its solution and the
//! reading back of routes and quotas are one piece: the variables' order is shared by all three.
//!
//! Over 600 lines: the programme above, the candidate routes it is written over, the
//! rows built from them and the plan read back from its solution share the private
//! `Candidate` and `Programme` types; the docs and tests of each sit beside it.

use super::lp::LexLp;
use super::{Conditions, Network};
use crate::scenario::{NodeId, SegmentId, SourceId};

/// Most candidate routes enumerated per source. Road networks have far fewer simple
/// paths; past the cap the plan is optimal over the routes enumerated first (depth first,
/// by segment index), and [`Plan::routes_capped`] says so.
pub const MAX_ROUTES_PER_SOURCE: usize = 2_000;

/// Every simple path from each source to any depot over segments with positive capacity,
/// depth first by segment index (a path may pass through a depot to another), at most
/// [`MAX_ROUTES_PER_SOURCE`] per source. Returns `(source slot, segment indices)` and
/// whether a source hit the cap.
pub(super) fn simple_paths(
    nodes: usize,
    segments: &[super::SegmentData],
    sources: &[NodeId],
    is_depot: &[Option<usize>],
) -> (Vec<(usize, Vec<usize>)>, bool) {
    let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (i, g) in segments.iter().enumerate() {
        if g.capacity > 0.0 {
            out_of[g.from.index()].push(i);
        }
    }
    let mut all = Vec::new();
    let mut capped = false;
    for (j, src) in sources.iter().enumerate() {
        let mut found = 0;
        let mut on_path = vec![false; nodes];
        on_path[src.index()] = true;
        let mut stack: Vec<(usize, usize)> = vec![(src.index(), 0)];
        let mut path: Vec<usize> = Vec::new();
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if found >= MAX_ROUTES_PER_SOURCE {
                capped = true;
                break;
            }
            if *k >= out_of[v].len() {
                stack.pop();
                on_path[v] = false;
                path.pop();
                continue;
            }
            let e = out_of[v][*k];
            *k += 1;
            let u = segments[e].to.index();
            if on_path[u] {
                continue;
            }
            on_path[u] = true;
            path.push(e);
            if is_depot[u].is_some() {
                all.push((j, path.clone()));
                found += 1;
            }
            stack.push((u, 0));
        }
    }
    (all, capped)
}

/// Unescorted probability that a convoy entering a segment is attacked.
///
/// `p = 1 - exp(-h)` with hazard `h = -ln(1 - risk) x multiplier`, so multiplier 1 gives
/// back `risk` exactly, large multipliers never exceed 1, multiplier 0 gives 0 (even for
/// `risk = 1`) and `risk = 1` with a positive multiplier gives 1.
///
/// # Example
/// ```
/// use blockade::network::attack_probability;
/// assert!((attack_probability(0.05, 1.0) - 0.05).abs() < 1e-15);
/// assert!((attack_probability(0.05, 2.0) - (1.0 - 0.95f64 * 0.95)).abs() < 1e-15);
/// assert_eq!(attack_probability(1.0, 0.0), 0.0);
/// assert_eq!(attack_probability(1.0, 0.5), 1.0);
/// ```
pub fn attack_probability(risk: f64, multiplier: f64) -> f64 {
    attack_probability_at_rate(risk, hazard_rate(risk), multiplier)
}

/// The attack rate of a segment with base `risk`: `-ln(1 - risk)`, so that the attack
/// probability under `multiplier` is `1 - exp(-rate x multiplier)`. Computed once per
/// segment by whoever asks [`attack_probability_at_rate`] many times.
pub fn hazard_rate(risk: f64) -> f64 {
    -(-risk).ln_1p()
}

/// [`attack_probability`] with the segment's [`hazard_rate`] already computed: the same
/// number, bit for bit.
pub fn attack_probability_at_rate(risk: f64, rate: f64, multiplier: f64) -> f64 {
    if multiplier <= 0.0 || risk <= 0.0 {
        return 0.0;
    }
    if risk >= 1.0 {
        return 1.0;
    }
    let h = rate * multiplier;
    -(-h).exp_m1()
}

/// The plan cost of a segment: `-ln(1 - p x loss_fraction)`, with `p` from
/// [`attack_probability`]. Additive along a route: `exp(-sum)` is the route's expected
/// share of trucks that arrive. Infinite when every truck is lost (`p x loss_fraction = 1`).
///
/// # Example
/// ```
/// use blockade::network::loss_cost;
/// let c = loss_cost(0.1, 1.0, 0.5) + loss_cost(0.2, 1.0, 0.5);
/// assert!(((-c).exp() - 0.95 * 0.9).abs() < 1e-15);
/// assert_eq!(loss_cost(1.0, 1.0, 1.0), f64::INFINITY);
/// ```
pub fn loss_cost(risk: f64, multiplier: f64, loss_fraction: f64) -> f64 {
    let q = attack_probability(risk, multiplier) * loss_fraction;
    if q >= 1.0 {
        f64::INFINITY
    } else {
        -(-q).ln_1p()
    }
}

/// A dispatch plan: routes with quotas.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Routes with a positive quota, in candidate order (by source, then depth first by
    /// segment index).
    pub routes: Vec<Route>,
    /// Sum of the quotas, loaded trucks per day.
    pub total_trucks_per_day: f64,
    /// Per source (in node order of the sources): trucks the plan keeps busy
    /// (`sum quota x round trip`).
    pub fleet_use: Vec<(NodeId, f64)>,
    /// Escort units the plan keeps busy (`sum c_r x cycle_r` at the minimum `c_r`), and the
    /// units available.
    pub escort_use: (f64, f64),
    /// Whether some source had more than [`MAX_ROUTES_PER_SOURCE`] candidate routes.
    pub routes_capped: bool,
}

impl Plan {
    /// Expected loaded trucks per day that arrive (quota x survival, summed): the
    /// risk-adjusted throughput of docs/model.md §4.
    pub fn expected_arrivals_trucks_per_day(&self) -> f64 {
        self.routes
            .iter()
            .map(|r| r.trucks_per_day * r.survival)
            .sum()
    }

    /// Whether the fleet of some source limits the plan under `c` (its use is within
    /// 0.1 % of the trucks based there).
    pub fn fleet_binds(&self, c: &Conditions) -> bool {
        self.fleet_use.iter().any(|&(id, used)| {
            let have = c.fleet_trucks[id.index()];
            have > 0.0 && used >= 0.999 * have
        })
    }

    /// Whether every source's fleet covers what the plan keeps busy under `c`.
    pub fn fits_fleet(&self, c: &Conditions) -> bool {
        self.fleet_use
            .iter()
            .all(|&(id, used)| used <= c.fleet_trucks[id.index()] * (1.0 + 1e-9) + 1e-9)
    }

    /// Whether the escort units limit the plan (their use is within 0.1 % of them).
    pub fn escorts_bind(&self) -> bool {
        let (used, have) = self.escort_use;
        self.routes.iter().any(|r| r.escorted) && used >= 0.999 * have
    }
}

/// A route of the plan, from a source to a depot, with its quota.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Where trucks load.
    pub source: NodeId,
    /// Where they unload.
    pub depot: NodeId,
    /// Segments in travel order.
    pub segments: Vec<SegmentId>,
    /// Quota in loaded trucks per day.
    pub trucks_per_day: f64,
    /// Unescorted probability that a convoy is attacked at least once: `1 - prod(1 - p_i)`.
    pub attack_probability: f64,
    /// Whether its convoys need an escort (escorts required and the unescorted attack
    /// probability above the threshold).
    pub escorted: bool,
    /// Escorted convoys per day (0 for routes without escorts): how often the dispatcher
    /// sends one, each with the trucks accumulated for it.
    pub escorted_convoys_per_day: f64,
    /// Expected share of trucks that arrive on the loaded leg, as its convoys travel
    /// (escorted where they need an escort): `prod(1 - p_i x loss_fraction_i)`.
    pub survival: f64,
    /// Sum of the segments' mean transit times, days.
    pub mean_transit_days: f64,
    /// Mean round trip, days: the loaded leg and the empty return.
    pub round_trip_days: f64,
}

/// What the programme needs of one candidate route.
#[derive(Debug, Clone)]
struct Candidate {
    source: SourceId,
    depot: NodeId,
    /// The route's segments: `Network::paths[path]`.
    path: usize,
    attack_probability: f64,
    escorted: bool,
    survival: f64,
    loss_cost: f64,
    transit: f64,
    round_trip: f64,
    escort_cycle: f64,
    /// Expected trucks lost per truck sent (loaded leg and empty return).
    lost: f64,
    value: f64,
}

impl Network {
    /// Solves the dispatch plan under `c` (see the module documentation for the programme).
    ///
    /// Candidate routes are the simple paths from each source with supply to any depot over
    /// open segments with positive capacity where an attack does not certainly kill every
    /// truck; routes whose value `v_r` is not positive are never worth sending a truck on
    /// and are left out. The programme is solved exactly (to the solver's floating-point
    /// tolerance, 1e-9); quotas below 1e-6 trucks/day are dropped.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// Route enumeration **O(R x |V|)** for **R** candidate routes, then three or four
    /// simplex stages (four with a protected cover) over **R + D** variables and
    /// **|E| + 2 |S| + 2 D + 1** constraints, **D** the depots covered.
    ///
    /// # Example
    /// Two roads from a port to a city; the safe one takes 10 trucks/day, the risky one the
    /// other 20:
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// let ron = r#"Scenario(name: "two", fleet: (trucks: 1000, truck_litres: 1000),
    ///   nodes: [
    ///     Source(id: "P", name: "Port", supply_litres_per_day: 30_000),
    ///     Depot(id: "C", name: "City", capacity_litres: 1, initial_stock_litres: 0,
    ///           demand: [(name: "all", litres_per_day: 1, priority: 1)]),
    ///   ],
    ///   segments: [
    ///     (id: "risky", from: "P", to: "C", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 100, risk: 0.02),
    ///     (id: "safe", from: "P", to: "C", km: 1, transit_days: Fixed(3), capacity_trucks_per_day: 10, risk: 0.0),
    ///   ],
    /// )"#;
    /// let s = blockade::scenario::load_str(ron, Path::new("two.ron")).unwrap().scenario;
    /// let plan = Network::build(&s).plan(&Conditions::baseline(&s));
    /// assert!((plan.total_trucks_per_day - 30.0).abs() < 1e-6);
    /// let quota = |id: &str| plan.routes.iter()
    ///     .find(|r| s.segment(r.segments[0]).id == id).unwrap().trucks_per_day;
    /// assert!((quota("safe") - 10.0).abs() < 1e-6 && (quota("risky") - 20.0).abs() < 1e-6);
    /// ```
    pub fn plan(&self, c: &Conditions) -> Plan {
        let relaxed = self.plan_fleet_unlimited(c);
        if relaxed.fits_fleet(c) {
            relaxed
        } else {
            self.plan_fleet_limited(c)
        }
    }

    /// The plan under `c` with no fleet constraint. When it fits the fleet it is also the
    /// optimum with the constraint, which is how [`Network::plan`] uses it; a cache may key
    /// it on the conditions without the fleet.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    pub fn plan_fleet_unlimited(&self, c: &Conditions) -> Plan {
        self.solve_plan(c, false)
    }

    /// The plan under `c` with the fleet constraint always stated.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    pub fn plan_fleet_limited(&self, c: &Conditions) -> Plan {
        self.solve_plan(c, true)
    }

    /// What every fleet-limited plan under conditions like `c` starts from: the
    /// candidate routes and the programme's constraints. They depend on everything in `c`
    /// but the fleet, so a cache keyed like [`Network::plan_fleet_unlimited`] may keep
    /// them and solve the fleet-limited plans of any fleet with
    /// [`Network::plan_fleet_limited_from`].
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    pub fn plan_start(&self, c: &Conditions) -> PlanStart {
        self.check(c);
        let candidates = self.candidates(c);
        let programme = programme(self, c, &candidates, true);
        PlanStart {
            candidates,
            programme,
        }
    }

    /// [`Network::plan_fleet_limited`] under `c` from `start`, made by
    /// [`Network::plan_start`] under conditions that differ from `c` in the fleet at most:
    /// the same plan, bit for bit, without enumerating the routes or building the
    /// programme again.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    pub fn plan_fleet_limited_from(&self, start: &PlanStart, c: &Conditions) -> Plan {
        self.check(c);
        let mut programme = start.programme.clone();
        for &(row, source) in &programme.fleet_rows {
            programme.lp.set_rhs(row, c.fleet_trucks[source]);
        }
        self.finish_plan(c, start.candidates.clone(), programme)
    }

    fn solve_plan(&self, c: &Conditions, limit_fleet: bool) -> Plan {
        self.check(c);
        let candidates = self.candidates(c);
        let programme = programme(self, c, &candidates, limit_fleet);
        self.finish_plan(c, candidates, programme)
    }

    /// The plan from the candidates and the programme's constraints under `c`.
    fn finish_plan(
        &self,
        c: &Conditions,
        mut candidates: Vec<Candidate>,
        mut programme: Programme,
    ) -> Plan {
        let p = &self.plan_params;
        let mut x = solve(&programme, &candidates);
        let mut rates = convoy_rates(p, c, &candidates, &x);
        // Trucks gathered for an escorted departure wait, loaded, at the source: on average
        // half the time between departures. An escorted convoy larger than a road's daily
        // capacity is held at its gate, with its escort, until its last truck is through.
        // Both times are part of the trucks' round trip (the fleet they tie up, and the
        // trips a lost one would have made), and the hold is part of the escort's cycle, so
        // the programme is solved again with them, at the convoy rates and sizes of the
        // first solve.
        if candidates.iter().any(|k| k.escorted) {
            for ((cand, rate), &q) in candidates.iter_mut().zip(&rates).zip(&x) {
                if cand.escorted {
                    let period = if *rate > 0.0 {
                        1.0 / rate
                    } else {
                        p.convoy_interval_days
                    };
                    let size = if *rate > 0.0 && q > MIN_QUOTA {
                        q / rate
                    } else {
                        0.0
                    };
                    let held = self.gate_wait(cand.path, size);
                    cand.round_trip += 0.5 * period + held;
                    cand.escort_cycle = escort_cycle(p, cand.transit, held);
                    cand.value = value_of(p, cand.survival, cand.lost, cand.round_trip);
                }
            }
            // Only the fleet and escort rows' coefficients (and the objectives) changed:
            // the same programme as one built anew, without building it.
            for &(row, _) in &programme.fleet_rows {
                for (r, coef) in programme.lp.row_mut(row) {
                    *coef = candidates[*r].round_trip;
                }
            }
            if let Some(row) = programme.escort_row {
                let m = f64::from(p.escort_max_convoy);
                for (r, coef) in programme.lp.row_mut(row) {
                    *coef = candidates[*r].escort_cycle / m;
                }
            }
            x = solve(&programme, &candidates);
            rates = convoy_rates(p, c, &candidates, &x);
        }
        let mut routes = Vec::new();
        let mut fleet = vec![0.0; self.sources.len()];
        let mut escort_need = 0.0;
        for ((cand, &q), &rate) in candidates.iter().zip(&x).zip(&rates) {
            if q <= MIN_QUOTA {
                continue;
            }
            fleet[cand.source.index()] += q * cand.round_trip;
            if cand.escorted {
                escort_need += q / f64::from(p.escort_max_convoy) * cand.escort_cycle;
            }
            routes.push((
                cand.value,
                Route {
                    source: self.sources[cand.source.index()],
                    depot: cand.depot,
                    segments: self.paths[cand.path]
                        .1
                        .iter()
                        .map(|&e| SegmentId(e as u32))
                        .collect(),
                    trucks_per_day: q,
                    attack_probability: cand.attack_probability,
                    escorted: cand.escorted,
                    escorted_convoys_per_day: rate,
                    survival: cand.survival,
                    mean_transit_days: cand.transit,
                    round_trip_days: cand.round_trip,
                },
            ));
        }
        // The dispatcher serves the routes in this order when a source has fewer loaded
        // trucks than the quotas ask for: the most valuable truck sent first, not the
        // order in which the file happens to list the roads.
        routes.sort_by(|a, b| b.0.total_cmp(&a.0));
        let routes: Vec<Route> = routes.into_iter().map(|(_, r)| r).collect();
        Plan {
            total_trucks_per_day: routes.iter().map(|r| r.trucks_per_day).sum(),
            routes,
            fleet_use: self
                .sources
                .iter()
                .zip(&fleet)
                .map(|(&id, &used)| (id, used))
                .collect(),
            escort_use: (escort_need, c.escort_units),
            routes_capped: self.paths_capped,
        }
    }

    /// Candidate routes under `c`: the network's simple paths ([`Network::paths`]) from a
    /// source with supply whose segments are all usable now.
    fn candidates(&self, c: &Conditions) -> Vec<Candidate> {
        let p = &self.plan_params;
        // Each segment's attack probabilities once, then products along the paths.
        let hazards: Vec<Hazards> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, g)| {
                // At multiplier 1 (most segments, most of the time) the network has them.
                let m = c.risk_multiplier[i];
                if m == 1.0 {
                    g.at_one
                } else {
                    Hazards::of(g, m, p)
                }
            })
            .collect();
        let usable: Vec<bool> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, g)| c.open[i] && hazards[i].unescorted * g.loss_fraction < 1.0)
            .collect();
        self.paths
            .iter()
            .enumerate()
            .filter(|(_, (j, segs))| {
                c.supply_trucks_per_day[self.sources[*j].index()] > 0.0
                    && segs.iter().all(|&e| usable[e])
            })
            .filter_map(|(k, (j, segs))| self.candidate(&hazards, k, *j, segs, p))
            .fold(Vec::with_capacity(self.paths.len()), |mut v, cand| {
                v.push(cand);
                v
            })
    }

    /// The mean days an escorted convoy of `size` trucks is held at the capacity gates of
    /// path `path`: it stays together (docs/model.md §9), so at a gate of `cap` trucks a day
    /// it moves on when its last truck is through, `ceil(size / cap) - 1` calendar days
    /// after the day it arrived; arriving at a uniform time of day, it waits half a day
    /// less on average. Other traffic through the gate is not counted.
    fn gate_wait(&self, path: usize, size: f64) -> f64 {
        self.paths[path]
            .1
            .iter()
            .map(|&e| {
                let cap = self.segments[e].capacity;
                let days = (size / cap).ceil() - 1.0;
                if cap.is_finite() && cap > 0.0 && days >= 1.0 {
                    days - 0.5
                } else {
                    0.0
                }
            })
            .sum()
    }

    /// The figures of one candidate route; `None` if it is not worth a truck.
    fn candidate(
        &self,
        hazards: &[Hazards],
        path: usize,
        source: usize,
        segs: &[usize],
        p: &PlanParams,
    ) -> Option<Candidate> {
        let mut free = 1.0;
        let mut transit = 0.0;
        for &e in segs {
            free *= 1.0 - hazards[e].unescorted;
            transit += self.segments[e].transit_mean;
        }
        let attack = 1.0 - free;
        let escorted = p.escorts_required && attack > p.escort_threshold;
        let mut survival = 1.0;
        let mut back = 1.0;
        for &e in segs {
            let g = &self.segments[e];
            let h = &hazards[e];
            survival *= if escorted {
                1.0 - h.escorted * (g.loss_fraction * p.escort_loss_factor).min(1.0)
            } else {
                1.0 - h.unescorted * g.loss_fraction
            };
            back *= 1.0 - h.back * g.loss_fraction;
        }
        let round_trip = 2.0 * transit;
        let lost = (1.0 - survival) + survival * (1.0 - back);
        let value = value_of(p, survival, lost, round_trip);
        if value <= 0.0 || survival <= 0.0 {
            return None;
        }
        let escort_cycle = escort_cycle(p, transit, 0.0);
        Some(Candidate {
            source: SourceId(source as u32),
            depot: self.segments[*segs.last()?].to,
            path,
            attack_probability: attack,
            escorted,
            survival,
            loss_cost: -survival.ln(),
            transit,
            round_trip,
            escort_cycle,
            lost,
            value,
        })
    }
}

/// A segment's attack probabilities under the plan's conditions.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Hazards {
    unescorted: f64,
    escorted: f64,
    back: f64,
}

impl Hazards {
    /// The attack probabilities of segment `g` under risk multiplier `m`: alone, under
    /// escort, and on the way back empty.
    pub(super) fn of(g: &super::SegmentData, m: f64, p: &PlanParams) -> Hazards {
        let at = |x: f64| attack_probability_at_rate(g.risk, g.rate, x);
        Hazards {
            unescorted: at(m),
            escorted: at(m * p.escort_risk_factor),
            back: at(m * g.return_risk_factor),
        }
    }
}

/// What the plan takes from the scenario besides the graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PlanParams {
    pub(super) convoy_interval_days: f64,
    pub(super) attrition_horizon_days: f64,
    pub(super) escorts_required: bool,
    pub(super) escort_threshold: f64,
    pub(super) escort_risk_factor: f64,
    pub(super) escort_loss_factor: f64,
    pub(super) escort_max_convoy: u32,
    pub(super) turnaround_days: Option<f64>,
}

/// Quotas below this (trucks/day) are solver noise and dropped.
const MIN_QUOTA: f64 = 1e-6;

/// Value of one truck sent (truckloads): what arrives, less the deliveries its expected
/// loss would have made over the attrition horizon.
fn value_of(p: &PlanParams, survival: f64, lost: f64, round_trip: f64) -> f64 {
    survival - lost * p.attrition_horizon_days / round_trip.max(p.convoy_interval_days)
}

/// The days an escort is busy with one convoy on a route of mean driving time `transit`
/// whose convoy is also held `held` days at capacity gates: the loaded leg and the drive
/// back (driving only), or `max(turnaround_days, loaded leg)`.
fn escort_cycle(p: &PlanParams, transit: f64, held: f64) -> f64 {
    match p.turnaround_days {
        Some(d) => d.max(transit + held),
        None => 2.0 * transit + held,
    }
}

/// Escorted convoys per day for each candidate with quota `x`: as often as the escort
/// units allow (the minimum rate `x / max_convoy` scaled by `units / units needed`), but
/// never more than one a departure interval nor less than one truck a convoy. Scarce
/// escorts mean fewer, larger convoys. 0 for routes without escort or quota.
fn convoy_rates(p: &PlanParams, c: &Conditions, cands: &[Candidate], x: &[f64]) -> Vec<f64> {
    let m = f64::from(p.escort_max_convoy);
    let need: f64 = cands
        .iter()
        .zip(x)
        .filter(|(k, q)| k.escorted && **q > MIN_QUOTA)
        .map(|(k, q)| q / m * k.escort_cycle)
        .sum();
    let spread = if need > 0.0 {
        (c.escort_units / need).max(1.0)
    } else {
        1.0
    };
    cands
        .iter()
        .zip(x)
        .map(|(k, &q)| {
            if k.escorted && q > MIN_QUOTA {
                (q / m * spread).min(1.0 / p.convoy_interval_days).min(q)
            } else {
                0.0
            }
        })
        .collect()
}

/// The plan's constraints, and which rows are the fleet's, with their source slots
/// (their coefficients are the candidates' round trips, their right-hand sides the
/// sources' fleets).
#[derive(Debug, Clone)]
struct Programme {
    lp: LexLp,
    fleet_rows: Vec<(usize, usize)>,
    /// The escort row, when some candidate needs an escort (coefficients `cycle_r / M`).
    escort_row: Option<usize>,
    /// Number of protected-cover variables, after the quotas (one per depot covered).
    cover: usize,
}

/// The candidate routes and the programme's constraints under some conditions, for any
/// fleet: see [`Network::plan_start`].
#[derive(Debug, Clone)]
pub struct PlanStart {
    candidates: Vec<Candidate>,
    programme: Programme,
}

/// The constraints of the plan's programme under `c` (see the module documentation).
fn programme(net: &Network, c: &Conditions, cands: &[Candidate], limit_fleet: bool) -> Programme {
    let p = &net.plan_params;
    let n_routes = cands.len();
    // Variables: the quotas (the escorted-convoy rates are projected out: module
    // documentation).
    let escorted: Vec<usize> = (0..n_routes).filter(|&r| cands[r].escorted).collect();
    // Road capacity: the candidates through each segment, in candidate order (a
    // compressed-row list built in two passes, so no list per segment).
    let n_seg = net.segments.len();
    let mut start = vec![0usize; n_seg + 1];
    for cand in cands {
        for &g in &net.paths[cand.path].1 {
            start[g + 1] += 1;
        }
    }
    for e in 0..n_seg {
        start[e + 1] += start[e];
    }
    // Protected cover: for each depot with protected demand and a route to it that needs
    // no escort (unescorted attack probability at most the threshold), a variable `y_d`,
    // at most that demand and at most the expected arrivals of those routes; the first
    // objective maximises their sum.
    let threshold = p.escort_threshold;
    let secure = |r: usize| cands[r].attack_probability <= threshold;
    let cover: Vec<(usize, f64)> = net
        .depots
        .iter()
        .zip(&net.protected_trucks_per_day)
        .filter(|&(&d, &need)| {
            need > 0.0 && (0..n_routes).any(|r| cands[r].depot == d && secure(r))
        })
        .map(|(&d, &need)| (d.index(), need))
        .collect();
    let mut lp = LexLp::with_capacity(
        n_routes + cover.len(),
        n_seg + 2 * net.sources.len() + 1 + 2 * cover.len(),
        start[n_seg] + 2 * n_routes + escorted.len() + 2 * cover.len() + n_routes,
    );
    for (k, &(d, need)) in cover.iter().enumerate() {
        let y = n_routes + k;
        lp.le([(y, 1.0)], need);
        lp.le(
            std::iter::once((y, 1.0)).chain(
                (0..n_routes)
                    .filter(|&r| cands[r].depot.index() == d && secure(r))
                    .map(|r| (r, -cands[r].survival)),
            ),
            0.0,
        );
    }
    let mut fill = start.clone();
    let mut through = vec![0usize; start[n_seg]];
    for (r, cand) in cands.iter().enumerate() {
        for &g in &net.paths[cand.path].1 {
            through[fill[g]] = r;
            fill[g] += 1;
        }
    }
    let mut feeding = vec![false; net.sources.len()];
    for e in 0..n_seg {
        let row = &through[start[e]..start[e + 1]];
        let cap = net.segments[e].capacity;
        // A road that could carry all the supply of the sources that use it never binds:
        // leave its row out (the optimum is the same, the simplex smaller).
        feeding.fill(false);
        for &r in row {
            feeding[cands[r].source.index()] = true;
        }
        let most: f64 = net
            .sources
            .iter()
            .zip(&feeding)
            .filter(|(_, f)| **f)
            .map(|(s, _)| c.supply_trucks_per_day[s.index()])
            .sum();
        if !row.is_empty() && cap.is_finite() && cap < most {
            lp.le(row.iter().map(|&r| (r, 1.0)), cap);
        }
    }
    // Supply and fleet, per source.
    let mut fleet_rows = Vec::new();
    for (j, src) in net.sources.iter().enumerate() {
        let of_source = || (0..n_routes).filter(move |&r| cands[r].source.index() == j);
        if of_source().next().is_none() {
            continue;
        }
        lp.le(
            of_source().map(|r| (r, 1.0)),
            c.supply_trucks_per_day[src.index()],
        );
        if limit_fleet {
            fleet_rows.push((lp.rows(), src.index()));
            lp.le(
                of_source().map(|r| (r, cands[r].round_trip)),
                c.fleet_trucks[src.index()],
            );
        }
    }
    // Escorts: each escorted convoy carries at most `M` trucks and the escorts' cycles
    // fit: `sum_r x_r cycle_r / M <= units` over the escorted routes.
    let mut escort_row = None;
    if !escorted.is_empty() {
        let mm = f64::from(p.escort_max_convoy);
        if mm >= 1.0 {
            escort_row = Some(lp.rows());
            lp.le(
                escorted.iter().map(|&r| (r, cands[r].escort_cycle / mm)),
                c.escort_units,
            );
        } else {
            // No truck may travel under escort (validation never lets this happen).
            for &r in &escorted {
                lp.le([(r, 1.0)], 0.0);
            }
        }
    }
    Programme {
        lp,
        fleet_rows,
        escort_row,
        cover: cover.len(),
    }
}

/// The quotas of the lexicographic optimum of `programme` over `cands` (see the module
/// documentation): with a protected cover, its stage first; the cover variables are
/// dropped from the result.
fn solve(programme: &Programme, cands: &[Candidate]) -> Vec<f64> {
    thread_local! {
        /// The objectives' rows, kept between solves on a thread (an allocation each saved
        /// per solve; only speed depends on it).
        static OBJECTIVES: std::cell::RefCell<[Vec<f64>; 4]> =
            const { std::cell::RefCell::new([Vec::new(), Vec::new(), Vec::new(), Vec::new()]) };
    }
    let cover = programme.cover;
    OBJECTIVES.with_borrow_mut(|objectives| {
        let [protected, value, loss, transit] = objectives;
        let pad = std::iter::repeat_n(0.0, cover);
        protected.clear();
        if cover > 0 {
            protected.extend(std::iter::repeat_n(0.0, cands.len()));
            protected.extend(std::iter::repeat_n(1.0, cover));
        }
        value.clear();
        value.extend(cands.iter().map(|r| r.value).chain(pad.clone()));
        loss.clear();
        loss.extend(cands.iter().map(|r| -r.loss_cost).chain(pad.clone()));
        transit.clear();
        transit.extend(cands.iter().map(|r| -r.transit).chain(pad));
        let mut x = if cover > 0 {
            programme.lp.solve(&objectives[..])
        } else {
            programme.lp.solve(&objectives[1..])
        };
        x.truncate(cands.len());
        x
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_probability_matches_hazard_formula() {
        assert_eq!(attack_probability(0.0, 5.0), 0.0);
        assert_eq!(attack_probability(0.3, 0.0), 0.0);
        assert!((attack_probability(0.3, 1.0) - 0.3).abs() < 1e-15);
        // Multiplier 3 on risk 0.1: 1 - 0.9^3.
        assert!((attack_probability(0.1, 3.0) - 0.271).abs() < 1e-15);
        assert!(attack_probability(0.5, 1e9) <= 1.0);
        assert_eq!(attack_probability(1.0, 1.0), 1.0);
    }

    #[test]
    fn a_plan_from_a_kept_start_is_the_plan_solved_anew() {
        // Bamako: escorted routes (the second solve), several sources; fleets from plenty
        // to scarce, each solved from one start made under another fleet.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/networks/bamako-2025.ron");
        let s = crate::scenario::load(std::path::Path::new(path))
            .unwrap()
            .scenario;
        let net = Network::build(&s);
        let c0 = Conditions::baseline(&s);
        let start = net.plan_start(&c0);
        let mut binds = 0;
        for scale in [2.0, 1.0, 0.6, 0.3, 0.1, 0.0] {
            let mut c = c0.clone();
            for (i, f) in c.fleet_trucks.iter_mut().enumerate() {
                *f = (*f * scale * (1.0 + 0.1 * i as f64)).floor();
            }
            let anew = net.plan_fleet_limited(&c);
            assert_eq!(
                net.plan_fleet_limited_from(&start, &c),
                anew,
                "scale {scale}"
            );
            binds += usize::from(anew.fleet_binds(&c));
        }
        assert!(
            binds >= 2,
            "the fleet should bind in some of these: {binds}"
        );
    }

    #[test]
    fn loss_cost_is_log_survival() {
        assert_eq!(loss_cost(0.0, 1.0, 0.3), 0.0);
        let c = loss_cost(0.05, 6.0, 0.3);
        let p = 1.0 - 0.95f64.powi(6);
        assert!(((-c).exp() - (1.0 - 0.3 * p)).abs() < 1e-15);
        assert_eq!(loss_cost(1.0, 2.0, 1.0), f64::INFINITY);
        assert!(loss_cost(1.0, 2.0, 0.5).is_finite());
    }
}
