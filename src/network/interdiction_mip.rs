//! Exact worst-case interdiction as a mixed-integer program (Wood 1993, "Deterministic
//! network interdiction"), for the budgets where the branch and bound of
//! `interdiction.rs` runs out of work.
//!
//! The max flow left after closing a set equals the capacity of a minimum cut that does
//! not pay for closed edges. With `a_v = 1` for a node on the source side (`a = 1` at the
//! super-source, `0` at the super-sink and at every depot, whose edge to the super-sink is
//! uncapped), `b_e = 1` for an edge cut and paid, `g_e = 1` for an edge closed (only the
//! representative segment of a candidate class may be):
//!
//! ```text
//! minimise   sum c_e b_e
//! subject to b_e + g_e >= a_u - a_v       for every edge e = (u, v) of positive capacity
//!            sum g_e <= k
//!            sum c_e b_e <= upper         (the heuristic's value: a starting bound)
//!            a, b, g binary
//! ```
//!
//! Its optimum is the least flow any `k` closures leave. The answer is checked: the set
//! found is closed and its max flow solved exactly on the grid; if that differs from the
//! program's value beyond rounding, the caller keeps the heuristic.

use good_lp::{
    Expression, Solution, SolverModel, Variable, constraint, microlp, variable, variables,
};

use super::Network;
use super::flow::Weighted;

/// Most candidate classes the program is built for; beyond, the labelled heuristic stands
/// (the solver's time grows quickly with the number of binary variables).
pub const MIP_MAX_CLASSES: usize = 400;

impl Network {
    /// Positions (in `classes`, sorted) of at most `k` classes whose closure leaves the
    /// least max flow on `w`, and that least flow as the program computed it, found with
    /// `upper` as a bound on the optimum; `None` if the solver fails. Classes are given by
    /// their representative segment.
    pub(super) fn interdiction_mip(
        &self,
        w: &Weighted,
        classes: &[usize],
        k: usize,
        upper: f64,
    ) -> Option<(Vec<usize>, f64)> {
        let g = &w.graph;
        let mut vars = variables!();
        let (s, t) = (self.super_source, self.super_sink);
        // a_v per node: constant 1 at the super-source, 0 at the super-sink and depots.
        let side: Vec<Option<Variable>> = (0..g.node_count())
            .map(|v| {
                let fixed = v == s.index()
                    || v == t.index()
                    || self.depot_slot.get(v).is_some_and(Option::is_some);
                (!fixed).then(|| vars.add(variable().binary()))
            })
            .collect();
        let a = |v: usize| -> Expression {
            match side[v] {
                Some(x) => x.into(),
                None if v == s.index() => 1.0.into(),
                None => 0.0.into(),
            }
        };
        let class_of: std::collections::HashMap<usize, usize> =
            classes.iter().enumerate().map(|(p, &e)| (e, p)).collect();
        let mut objective = Expression::from(0.0);
        let mut cuts = Vec::new();
        let mut closes: Vec<(usize, Variable)> = Vec::new();
        for e in g.edge_indices() {
            let cap = w.get(e.index());
            let (u, v) = g.edge_endpoints(e)?;
            if cap <= 0.0 || v == t {
                continue; // nothing to cut, or a depot's uncapped edge (depots are 0 already)
            }
            let b = vars.add(variable().binary());
            objective += cap * b;
            // An edge from the source side (a = 1) to the sink side (a = 0) is cut or closed.
            let mut lhs = a(v.index()) - a(u.index()) + b;
            if let Some(&p) = class_of.get(&e.index()) {
                let gv = vars.add(variable().binary());
                closes.push((p, gv));
                lhs += gv;
            }
            cuts.push(constraint!(lhs >= 0.0));
        }
        let budget: Expression = closes.iter().map(|(_, gv)| *gv).sum();
        let mut model = vars
            .minimise(objective.clone())
            .using(microlp)
            .with(constraint!(budget <= k as f64));
        if upper.is_finite() {
            // A little slack: the bound must not cut off the optimum through rounding.
            let bound = objective.clone();
            model = model.with(constraint!(bound <= upper * (1.0 + 1e-9) + 1e-9));
        }
        for c in cuts {
            model = model.with(c);
        }
        let solution = model.solve().ok()?;
        let mut set: Vec<usize> = closes
            .iter()
            .filter(|(_, gv)| solution.value(*gv) > 0.5)
            .map(|(p, _)| *p)
            .collect();
        set.sort_unstable();
        Some((set, solution.eval(&objective)))
    }
}
