//! A small dense simplex for the dispatch plan's linear programme: maximise several
//! objectives in lexicographic order subject to `A z <= b`, `z >= 0`, `b >= 0`.
//!
//! The plan's programme has that form (every constraint is a capacity with a non-negative
//! right-hand side), so the origin is feasible and no phase 1 is needed. The lexicographic
//! order is kept the exact way: once objective `k` is optimal, later stages only pivot on
//! columns whose reduced cost in every earlier objective is zero, which moves along the
//! face of earlier optima without leaving it. Bland's rule (lowest index enters, lowest
//! basic index leaves on ties) rules out cycling, and makes the result a deterministic
//! function of the input.
//!
//! Why not a general solver: the plan is solved hundreds of thousands of times per
//! ensemble on programmes of ten to a few hundred variables, where building a model for a
//! general solver costs more than solving it. The tests check this solver against
//! `good_lp` with its `microlp` backend and against enumeration.

thread_local! {
    /// The simplex tableau, the reduced-cost rows and the variables' places, kept between solves on a
    /// thread: a plan is solved many times per replication, and fresh buffers each time
    /// cost an allocation each per solve. Only speed depends on them.
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch {
            tableau: Vec::new(),
            reduced: Vec::new(),
            basis: Vec::new(),
            nonbasic: Vec::new(),
        })
    };
}

/// The working memory of [`LexLp::solve`] (see `SCRATCH`).
struct Scratch {
    tableau: Vec<f64>,
    reduced: Vec<Vec<f64>>,
    basis: Vec<usize>,
    nonbasic: Vec<usize>,
}

/// A right-hand side as the programme takes it: a capacity, never negative; a non-finite
/// one is 0 ("nothing may pass").
fn capacity(rhs: f64) -> f64 {
    if rhs.is_finite() { rhs.max(0.0) } else { 0.0 }
}

/// Tolerance on reduced costs and pivots.
const EPS: f64 = 1e-9;

/// A programme `max_lex (c_1 z, c_2 z, ...) s.t. A z <= b, z >= 0` with `b >= 0`.
#[derive(Debug, Clone, Default)]
pub(super) struct LexLp {
    /// Number of structural variables.
    n: usize,
    /// Constraint rows, sparse over structural variables, one after the other: row `i` is
    /// `coefs[starts[i]..starts[i + 1]]`.
    coefs: Vec<(usize, f64)>,
    /// Where each row starts in `coefs`, and where the last one ends.
    starts: Vec<usize>,
    /// Right-hand sides (>= 0).
    rhs: Vec<f64>,
}

impl LexLp {
    /// A programme over `n` non-negative variables and no constraint yet.
    #[cfg(test)]
    pub(super) fn new(n: usize) -> LexLp {
        LexLp::with_capacity(n, 0, 0)
    }

    /// [`LexLp::new`] with room for `rows` constraints of `coefs` coefficients in all.
    pub(super) fn with_capacity(n: usize, rows: usize, coefs: usize) -> LexLp {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        LexLp {
            n,
            coefs: Vec::with_capacity(coefs),
            starts,
            rhs: Vec::with_capacity(rows),
        }
    }

    /// Adds `sum coef z_j <= rhs`. A negative `rhs` is clamped to 0 (capacities are
    /// never negative; a clamped row says "nothing may pass").
    pub(super) fn le(&mut self, coef: impl IntoIterator<Item = (usize, f64)>, rhs: f64) {
        self.coefs.extend(coef);
        debug_assert!(
            self.coefs[*self.starts.last().unwrap_or(&0)..]
                .iter()
                .all(|(j, _)| *j < self.n)
        );
        self.starts.push(self.coefs.len());
        self.rhs.push(capacity(rhs));
    }

    /// Sets the right-hand side of row `i`, clamped as [`LexLp::le`] clamps it.
    pub(super) fn set_rhs(&mut self, i: usize, rhs: f64) {
        self.rhs[i] = capacity(rhs);
    }

    /// Number of constraint rows so far: the index the next [`LexLp::le`] row gets.
    pub(super) fn rows(&self) -> usize {
        self.rhs.len()
    }

    /// The coefficients of row `i`, to change in place (the variables stay).
    pub(super) fn row_mut(&mut self, i: usize) -> &mut [(usize, f64)] {
        &mut self.coefs[self.starts[i]..self.starts[i + 1]]
    }

    /// Maximises `objectives[0]`, then `objectives[1]` among its optima, and so on.
    /// Returns the values of the structural variables. A direction in which an objective
    /// grows without bound (not possible in the plan's programme) ends that stage.
    ///
    /// The tableau is the condensed (Tucker) one: a column per non-basic variable only,
    /// `m x (n + 1)` instead of `m x (n + m + 1)`; a pivot swaps the entering and the
    /// leaving variable's labels. It takes the same pivots as the full tableau and computes
    /// every number in it with the same operations, so the result is the same bit for bit
    /// (the tests check it against a full tableau).
    ///
    /// # Complexity
    /// Each pivot is **O(m x n)**; the number of pivots is small in practice (exponential
    /// in the worst case, as for every simplex method).
    pub(super) fn solve(&self, objectives: &[Vec<f64>]) -> Vec<f64> {
        let m = self.rhs.len();
        // Tableau: m rows of n non-basic columns, then the right-hand side.
        let stride = self.n + 1;
        SCRATCH.with_borrow_mut(|s| {
            let Scratch {
                tableau,
                reduced,
                basis,
                nonbasic,
            } = s;
            tableau.clear();
            tableau.resize(m * stride, 0.0);
            reduced.resize_with(objectives.len(), Vec::new);
            reduced.truncate(objectives.len());
            self.solve_in(objectives, tableau, reduced, basis, nonbasic)
        })
    }

    /// [`LexLp::solve`] on a zeroed tableau of `m x (n + 1)`, with one reduced-cost row
    /// per objective in `d`, and `basis` and `nonbasic` (any contents).
    fn solve_in(
        &self,
        objectives: &[Vec<f64>],
        t: &mut [f64],
        d: &mut [Vec<f64>],
        basis: &mut Vec<usize>,
        nonbasic: &mut Vec<usize>,
    ) -> Vec<f64> {
        let m = self.rhs.len();
        let n = self.n;
        let stride = n + 1;
        // Variables are numbered as in the full tableau: structurals 0..n, then row i's
        // slack n + i. The slacks start basic.
        for i in 0..m {
            for &(j, a) in &self.coefs[self.starts[i]..self.starts[i + 1]] {
                t[i * stride + j] += a;
            }
            t[i * stride + n] = self.rhs[i];
        }
        basis.clear();
        basis.extend(n..n + m);
        nonbasic.clear();
        nonbasic.extend(0..n);
        // Reduced costs of each objective, per non-basic column (a basic variable's is 0).
        for (v, c) in d.iter_mut().zip(objectives) {
            v.clear();
            v.extend_from_slice(&c[..n]);
        }
        for k in 0..d.len() {
            // Entering: the lowest-numbered variable with a positive reduced cost in
            // objective k and a zero one in every earlier objective.
            while let Some(col) = (0..n)
                .filter(|&c| d[k][c] > EPS && (0..k).all(|i| d[i][c].abs() <= EPS))
                .min_by_key(|&c| nonbasic[c])
            {
                // Leaving: minimum ratio; ties to the lowest basic variable index.
                let mut leave: Option<(usize, f64)> = None;
                for i in 0..m {
                    let a = t[i * stride + col];
                    if a > EPS {
                        let ratio = t[i * stride + n] / a;
                        let better = match leave {
                            None => true,
                            Some((r, best)) => {
                                ratio < best - EPS || (ratio <= best + EPS && basis[i] < basis[r])
                            }
                        };
                        if better {
                            leave = Some((i, ratio));
                        }
                    }
                }
                let Some((r, _)) = leave else {
                    break;
                };
                pivot(t, stride, m, r, col, d);
                std::mem::swap(&mut basis[r], &mut nonbasic[col]);
            }
        }
        let mut z = vec![0.0; n];
        for (i, &b) in basis.iter().enumerate() {
            if b < n {
                z[b] = t[i * stride + n].max(0.0);
            }
        }
        z
    }
}

/// Pivots the condensed tableau on row `r`, column `j`, updating the reduced-cost rows:
/// column `j` becomes the leaving variable's.
///
/// Each number is computed as the full tableau computes it. There the leaving variable's
/// column is the unit column of row `r`: divided by the pivot it is `1 / p` in row `r`,
/// `0 - f * (1 / p)` by elimination in a row whose entry in column `j` is `f`. Setting
/// column `j` to that unit column before the same division and elimination gives those
/// numbers exactly.
fn pivot(t: &mut [f64], stride: usize, m: usize, r: usize, j: usize, d: &mut [Vec<f64>]) {
    let p = t[r * stride + j];
    t[r * stride + j] = 1.0;
    for x in &mut t[r * stride..(r + 1) * stride] {
        *x /= p;
    }
    let (before, rest) = t.split_at_mut(r * stride);
    let (row_r, after) = rest.split_at_mut(stride);
    let eliminate = |row: &mut [f64]| {
        let f = row[j];
        row[j] = 0.0;
        if f != 0.0 {
            for (x, y) in row.iter_mut().zip(row_r.iter()) {
                *x -= f * y;
            }
        }
    };
    for row in before.chunks_mut(stride) {
        eliminate(row);
    }
    for row in after.chunks_mut(stride).take(m - r - 1) {
        eliminate(row);
    }
    for dk in d.iter_mut() {
        eliminate(dk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_maximum() {
        // max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18: (2, 6), value 36.
        let mut lp = LexLp::new(2);
        lp.le(vec![(0, 1.0)], 4.0);
        lp.le(vec![(1, 2.0)], 12.0);
        lp.le(vec![(0, 3.0), (1, 2.0)], 18.0);
        let z = lp.solve(&[vec![3.0, 5.0]]);
        assert!((z[0] - 2.0).abs() < 1e-12 && (z[1] - 6.0).abs() < 1e-12);
    }

    #[test]
    fn later_objectives_break_ties_only() {
        // max x + y (x + y <= 10, x <= 8, y <= 8), then max y - x among those: (2, 8).
        let mut lp = LexLp::new(2);
        lp.le(vec![(0, 1.0), (1, 1.0)], 10.0);
        lp.le(vec![(0, 1.0)], 8.0);
        lp.le(vec![(1, 1.0)], 8.0);
        let z = lp.solve(&[vec![1.0, 1.0], vec![-1.0, 1.0]]);
        assert!((z[0] - 2.0).abs() < 1e-12 && (z[1] - 8.0).abs() < 1e-12);
        // And the other way round: (8, 2).
        let z = lp.solve(&[vec![1.0, 1.0], vec![1.0, -1.0]]);
        assert!((z[0] - 8.0).abs() < 1e-12 && (z[1] - 2.0).abs() < 1e-12);
        // A second objective never trades away the first.
        let z = lp.solve(&[vec![1.0, 1.0], vec![-1.0, -1.0]]);
        assert!((z[0] + z[1] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn matches_microlp_on_random_programmes() {
        use good_lp::{
            Expression, ProblemVariables, Solution, SolverModel, constraint, microlp, variable,
        };
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..200 {
            let n = rng.random_range(1..7usize);
            let m = rng.random_range(1..7usize);
            let mut lp = LexLp::new(n);
            let mut vars = ProblemVariables::new();
            let x: Vec<_> = (0..n).map(|_| vars.add(variable().min(0.0))).collect();
            let c: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..3.0)).collect();
            let obj: Expression = x.iter().zip(&c).map(|(v, k)| *k * *v).sum();
            let mut model = vars.maximise(obj).using(microlp);
            for _ in 0..m {
                let mut row: Vec<(usize, f64)> = Vec::new();
                for j in 0..n {
                    if rng.random_bool(0.7) {
                        row.push((j, rng.random_range(0.1..4.0)));
                    }
                }
                let b = rng.random_range(0.0..20.0);
                let e: Expression = row.iter().map(|(j, a)| *a * x[*j]).sum();
                model.add_constraint(constraint!(e <= b));
                lp.le(row, b);
            }
            // Keep every programme bounded.
            for (j, v) in x.iter().enumerate() {
                model.add_constraint(constraint!(*v <= 50.0));
                lp.le(vec![(j, 1.0)], 50.0);
            }
            let sol = model.solve().unwrap();
            let theirs: f64 = x.iter().zip(&c).map(|(v, k)| k * sol.value(*v)).sum();
            let z = lp.solve(std::slice::from_ref(&c));
            let ours: f64 = z.iter().zip(&c).map(|(v, k)| k * v).sum();
            assert!(
                (ours - theirs).abs() <= 1e-7 * theirs.abs().max(1.0),
                "ours {ours} vs microlp {theirs}"
            );
        }
    }

    /// The full simplex tableau (`m x (n + m + 1)`, slack columns kept), with the entering
    /// and leaving rules of [`LexLp::solve`]: the textbook form of the condensed tableau.
    fn full_tableau(lp: &LexLp, objectives: &[Vec<f64>]) -> Vec<f64> {
        let (n, m) = (lp.n, lp.rhs.len());
        let width = n + m;
        let stride = width + 1;
        let mut t = vec![0.0; m * stride];
        for i in 0..m {
            for &(j, a) in &lp.coefs[lp.starts[i]..lp.starts[i + 1]] {
                t[i * stride + j] += a;
            }
            t[i * stride + n + i] = 1.0;
            t[i * stride + width] = lp.rhs[i];
        }
        let mut basis: Vec<usize> = (n..width).collect();
        let mut d: Vec<Vec<f64>> = objectives
            .iter()
            .map(|c| {
                let mut v = vec![0.0; width];
                v[..n].copy_from_slice(&c[..n]);
                v
            })
            .collect();
        for k in 0..d.len() {
            while let Some(j) =
                (0..width).find(|&j| d[k][j] > EPS && (0..k).all(|i| d[i][j].abs() <= EPS))
            {
                let mut leave: Option<(usize, f64)> = None;
                for i in 0..m {
                    let a = t[i * stride + j];
                    if a > EPS {
                        let ratio = t[i * stride + width] / a;
                        let better = leave.is_none_or(|(r, best)| {
                            ratio < best - EPS || (ratio <= best + EPS && basis[i] < basis[r])
                        });
                        if better {
                            leave = Some((i, ratio));
                        }
                    }
                }
                let Some((r, _)) = leave else { break };
                let p = t[r * stride + j];
                for x in &mut t[r * stride..(r + 1) * stride] {
                    *x /= p;
                }
                let row_r = t[r * stride..(r + 1) * stride].to_vec();
                let rows = t.chunks_mut(stride).enumerate().filter(|(i, _)| *i != r);
                for row in rows
                    .map(|(_, row)| row)
                    .chain(d.iter_mut().map(|v| &mut v[..]))
                {
                    let f = row[j];
                    if f != 0.0 {
                        for (x, y) in row.iter_mut().zip(&row_r) {
                            *x -= f * y;
                        }
                        row[j] = 0.0;
                    }
                }
                basis[r] = j;
            }
        }
        let mut z = vec![0.0; n];
        for (i, &b) in basis.iter().enumerate() {
            if b < n {
                z[b] = t[i * stride + width].max(0.0);
            }
        }
        z
    }

    #[test]
    fn condensed_tableau_equals_the_full_one_bit_for_bit() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(17);
        let mut pivoted = 0;
        for case in 0..400 {
            let n = rng.random_range(1..9usize);
            let m = rng.random_range(1..9usize);
            let mut lp = LexLp::new(n);
            for _ in 0..m {
                // Half the cases on small integers, where ties and degenerate pivots are
                // common; the others on real numbers.
                let mut row: Vec<(usize, f64)> = Vec::new();
                for j in 0..n {
                    if rng.random_bool(0.7) {
                        let a = if case % 2 == 0 {
                            f64::from(rng.random_range(0..4u8))
                        } else {
                            rng.random_range(0.05..4.0)
                        };
                        row.push((j, a));
                    }
                }
                let b = if case % 2 == 0 {
                    f64::from(rng.random_range(0..10u8))
                } else {
                    rng.random_range(0.0..20.0)
                };
                lp.le(row, b);
            }
            for j in 0..n {
                lp.le(vec![(j, 1.0)], 10.0);
            }
            let objs: Vec<Vec<f64>> = (0..3)
                .map(|_| (0..n).map(|_| rng.random_range(-1.0..3.0)).collect())
                .collect();
            let ours = lp.solve(&objs);
            let theirs = full_tableau(&lp, &objs);
            let bits = |z: &[f64]| z.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(&ours),
                bits(&theirs),
                "case {case}: {ours:?} vs {theirs:?}"
            );
            pivoted += usize::from(ours.iter().any(|&x| x > 0.0));
        }
        // The comparison is not between two zero vectors.
        assert!(
            pivoted > 300,
            "only {pivoted} of 400 programmes moved off the origin"
        );
    }

    /// Every vertex of `{A z <= b, z >= 0}` by brute force: each choice of `n` tight
    /// constraints among the rows and the bounds, solved by Gaussian elimination.
    fn vertices(n: usize, rows: &[(Vec<f64>, f64)]) -> Vec<Vec<f64>> {
        let mut all: Vec<(Vec<f64>, f64)> = rows.to_vec();
        for j in 0..n {
            let mut e = vec![0.0; n];
            e[j] = -1.0;
            all.push((e, 0.0));
        }
        let mut out = Vec::new();
        let k = all.len();
        let mut pick: Vec<usize> = (0..n).collect();
        loop {
            // Solve the n tight rows.
            let mut m: Vec<Vec<f64>> = pick
                .iter()
                .map(|&i| {
                    let mut r = all[i].0.clone();
                    r.push(all[i].1);
                    r
                })
                .collect();
            let mut ok = true;
            for col in 0..n {
                let Some(p) = (col..n).max_by(|a, b| m[*a][col].abs().total_cmp(&m[*b][col].abs()))
                else {
                    ok = false;
                    break;
                };
                if m[p][col].abs() < 1e-9 {
                    ok = false;
                    break;
                }
                m.swap(col, p);
                let pivot_row = m[col].clone();
                for (r, row) in m.iter_mut().enumerate() {
                    if r != col {
                        let f = row[col] / pivot_row[col];
                        for (x, y) in row.iter_mut().zip(&pivot_row) {
                            *x -= f * y;
                        }
                    }
                }
            }
            if ok {
                let z: Vec<f64> = (0..n).map(|i| m[i][n] / m[i][i]).collect();
                let feasible = all
                    .iter()
                    .all(|(a, b)| a.iter().zip(&z).map(|(x, y)| x * y).sum::<f64>() <= b + 1e-7);
                if feasible {
                    out.push(z);
                }
            }
            // Next combination.
            let mut i = n;
            loop {
                if i == 0 {
                    return out;
                }
                i -= 1;
                if pick[i] < k - n + i {
                    pick[i] += 1;
                    for j in i + 1..n {
                        pick[j] = pick[j - 1] + 1;
                    }
                    break;
                }
            }
        }
    }

    #[test]
    fn lexicographic_optimum_matches_vertex_enumeration() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..150 {
            let n = rng.random_range(1..5usize);
            let m = rng.random_range(1..5usize);
            let mut lp = LexLp::new(n);
            let mut rows = Vec::new();
            for _ in 0..m {
                // Small integers make ties (the case the later objectives are for) common.
                let a: Vec<f64> = (0..n)
                    .map(|_| f64::from(rng.random_range(0..3u8)))
                    .collect();
                let b = f64::from(rng.random_range(0..10u8));
                lp.le(a.iter().enumerate().map(|(j, x)| (j, *x)), b);
                rows.push((a, b));
            }
            for j in 0..n {
                let mut a = vec![0.0; n];
                a[j] = 1.0;
                lp.le(vec![(j, 1.0)], 10.0);
                rows.push((a, 10.0));
            }
            let objs: Vec<Vec<f64>> = (0..3)
                .map(|_| {
                    (0..n)
                        .map(|_| f64::from(rng.random_range(-1..3i8)))
                        .collect()
                })
                .collect();
            let value = |z: &[f64]| -> Vec<f64> {
                objs.iter()
                    .map(|c| c.iter().zip(z).map(|(x, y)| x * y).sum())
                    .collect()
            };
            // Lexicographic best over the vertices (an optimum is always at one).
            let best = vertices(n, &rows)
                .into_iter()
                .map(|z| value(&z))
                .fold(None::<Vec<f64>>, |acc, v| match acc {
                    None => Some(v),
                    Some(a) => {
                        let better = v
                            .iter()
                            .zip(&a)
                            .find(|(x, y)| (*x - *y).abs() > 1e-7)
                            .is_some_and(|(x, y)| x > y);
                        Some(if better { v } else { a })
                    }
                })
                .unwrap();
            let got = value(&lp.solve(&objs));
            for (g, b) in got.iter().zip(&best) {
                assert!(
                    (g - b).abs() < 1e-6,
                    "lexicographic values {got:?}, best vertex {best:?}"
                );
            }
        }
    }
}
