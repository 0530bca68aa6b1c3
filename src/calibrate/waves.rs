//! Waves of evaluation: units of replications, their assembly into points, the calibration loop.

use super::*;

/// The blocks of replications at each point.
fn blocks_per_point(settings: &Settings) -> u64 {
    let n = settings.replications.max(1);
    n.div_ceil(settings.block.clamp(1, n))
}

/// The units of work of a wave of `points` points: a point × a block of replications,
/// numbered `point × blocks + block` (the order they are folded in).
pub fn unit_count(points: usize, settings: &Settings) -> u64 {
    points as u64 * blocks_per_point(settings)
}

/// What one unit of work gives: per observation, the sum and the sum of squares of its
/// simulated value over the unit's replications.
pub type UnitSums = Vec<(f64, f64)>;

/// Runs the units `units` (numbered as in [`unit_count`]) of the points with input values
/// `values`; their sums in unit order. Only the points those units touch are built.
///
/// # Errors
/// As [`evaluate`], for the points touched.
pub fn evaluate_units(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    values: &[Vec<f64>],
    settings: &Settings,
    units: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<UnitSums>, CalibrationError> {
    let n = settings.replications.max(1);
    let block = settings.block.clamp(1, n);
    let blocks = n.div_ceil(block);
    let touched = if units.is_empty() {
        0..0
    } else {
        (units.start / blocks) as usize..((units.end - 1) / blocks) as usize + 1
    };
    let worlds: Vec<_> = values[touched.clone()]
        .par_iter()
        .enumerate()
        .map(|(i, v)| {
            let p = touched.start + i;
            let sets = overrides(prior, v);
            match template.with(&sets) {
                Ok(l) => {
                    let net = Network::build(&l.scenario);
                    let layout = Layout::new(&l.scenario);
                    Ok((l.scenario, net, layout))
                }
                Err(e) => Err(CalibrationError::InvalidPoint {
                    values: sets
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    point: p,
                    diagnostics: match e {
                        ScenarioError::Invalid { diagnostics } => diagnostics,
                        other => vec![Diagnostic::error("", other.to_string())],
                    },
                }),
            }
        })
        .collect();
    let worlds = worlds.into_iter().collect::<Result<Vec<_>, _>>()?;
    let units: Vec<(usize, u64)> = units
        .map(|u| ((u / blocks) as usize - touched.start, u % blocks))
        .collect();
    let done = AtomicU64::new(0);
    let caches: Vec<Mutex<Option<(usize, PlanCache)>>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new(None))
        .collect();
    let k = observations.len();
    let sums: Vec<Result<UnitSums, ConservationError>> = units
        .par_iter()
        .map(|(p, b)| {
            let (s, net, layout) = &worlds[*p];
            let slot =
                rayon::current_thread_index().map_or(caches.len() - 1, |i| i.min(caches.len() - 1));
            let mut guard = caches[slot].lock().unwrap_or_else(|e| e.into_inner());
            // A plan cache serves one scenario: a new point starts a new cache.
            if guard.as_ref().is_some_and(|(q, _)| q != p) {
                *guard = None;
            }
            let (_, cache) = guard.get_or_insert_with(|| (*p, PlanCache::new()));
            let mut acc = vec![(0.0, 0.0); k];
            for r in b * block..((b + 1) * block).min(n) {
                let rec = model::simulate(s, net, layout, settings.seed, r, cache)?;
                for (a, o) in acc.iter_mut().zip(observations) {
                    let x = simulated(o, &rec, s.fleet.truck_litres);
                    a.0 += x;
                    a.1 += x * x;
                }
            }
            let m = ((b + 1) * block).min(n) - b * block;
            progress(done.fetch_add(m, Ordering::Relaxed) + m);
            Ok(acc)
        })
        .collect();
    Ok(sums.into_iter().collect::<Result<Vec<_>, _>>()?)
}

/// The points `us` (with input values `values`) from the sums of every unit of their
/// wave, in unit order: each point's units are added in block order, so the points are
/// the same whichever machine ran which unit.
///
/// # Panics
/// If `sums` does not hold one entry per unit (a bug of the caller).
pub fn assemble_points(
    us: &[Vec<f64>],
    values: Vec<Vec<f64>>,
    observations: &[Observation],
    settings: &Settings,
    sums: Vec<UnitSums>,
) -> Vec<Point> {
    let n = settings.replications.max(1);
    let blocks = blocks_per_point(settings);
    let k = observations.len();
    assert_eq!(sums.len() as u64, unit_count(us.len(), settings));
    let mut points = Vec::with_capacity(us.len());
    let mut it = sums.into_iter();
    for (p, u) in us.iter().enumerate() {
        let mut tot = vec![(0.0, 0.0); k];
        for _ in 0..blocks {
            let acc = it.next().expect("one result per unit");
            for (t, a) in tot.iter_mut().zip(acc) {
                t.0 += a.0;
                t.1 += a.1;
            }
        }
        let nf = n as f64;
        let mean: Vec<f64> = tot.iter().map(|t| t.0 / nf).collect();
        let variance: Vec<f64> = tot
            .iter()
            .zip(&mean)
            .map(|(t, m)| {
                if n > 1 {
                    ((t.1 - nf * m * m) / (nf - 1.0)).max(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        let implausibility = observations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                implausibility(
                    o,
                    mean[i],
                    variance[i],
                    n,
                    settings.discrepancy,
                    settings.ensemble_variance,
                )
            })
            .collect();
        points.push(Point {
            u: u.clone(),
            values: values[p].clone(),
            mean,
            variance,
            replications: n,
            implausibility,
        });
    }
    points
}

/// Smallest number of points a wave may have.
pub const MIN_POINTS: usize = 4;

/// History matching of `prior` on `template` against `observations`.
///
/// # Errors
/// [`CalibrationError`]: no inputs or observations, a budget too small for one wave, an
/// invalid point, a ledger failure.
pub fn calibrate(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    progress: Progress<'_>,
) -> Result<Calibration, CalibrationError> {
    let outcome = calibrate_with(prior, observations, settings, &mut |w, us, values| {
        let all = 0..unit_count(us.len(), settings);
        let p = |d| progress(w, d, us.len() as u64 * settings.replications.max(1));
        evaluate_units(template, prior, observations, values, settings, all, &p).map(Some)
    })?;
    match outcome {
        Outcome::Finished(c) => Ok(c),
        Outcome::Waiting { .. } => unreachable!("every wave's units are computed"),
    }
}

/// Where [`calibrate_with`] takes each wave's units from: given the wave (from 0), its
/// points (u-space) and their input values, the sums of every unit of the wave in unit
/// order ([`unit_count`]), or `None` when they are not available yet.
pub type WaveUnits<'a> = &'a mut (
            dyn FnMut(
    usize,
    &[Vec<f64>],
    &[Vec<f64>],
) -> Result<Option<Vec<UnitSums>>, CalibrationError>
                + Send
        );

/// How far [`calibrate_with`] got.
#[derive(Debug)]
pub enum Outcome {
    /// The waves stopped: the calibration.
    Finished(Calibration),
    /// Wave `wave`'s units were not available: the calibration stops there, to go on
    /// once they are (a sharded calibration computes one wave per round).
    Waiting {
        /// The wave (from 0).
        wave: usize,
        /// Its points (u-space).
        us: Vec<Vec<f64>>,
        /// Their input values.
        values: Vec<Vec<f64>>,
    },
}

/// [`calibrate`] with each wave's units from `units`: the waves, their boxes and the stop
/// rule are the same; only where the unit sums come from differs (computed here, or on
/// other machines and read back). Equal unit sums give an equal calibration.
///
/// # Errors
/// As [`calibrate`], and those of `units`.
pub fn calibrate_with(
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    units: WaveUnits<'_>,
) -> Result<Outcome, CalibrationError> {
    if prior.is_empty() {
        return Err(CalibrationError::NoInputs);
    }
    if observations.is_empty() {
        return Err(CalibrationError::NoObservations);
    }
    let per_point = settings.replications.max(1);
    let needed = per_point * MIN_POINTS as u64;
    if settings.budget < needed {
        return Err(CalibrationError::BudgetTooSmall {
            budget: settings.budget,
            needed,
        });
    }
    crate::ensemble::on_threads(settings.threads, || {
        calibrate_in_pool(prior, observations, settings, units)
    })
}

fn calibrate_in_pool(
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    units: WaveUnits<'_>,
) -> Result<Outcome, CalibrationError> {
    let k = prior.len();
    let per_point = settings.replications.max(1);
    let (mut lo, mut hi) = (vec![0.0; k], vec![1.0; k]);
    let mut waves: Vec<Wave> = Vec::new();
    let mut used = 0u64;
    let mut stop = Stop::MaxWaves;
    // Whether the last wave shrank the box the next one samples.
    let mut shrunk_last = false;
    for w in 0..settings.max_waves.max(1) {
        let affordable = ((settings.budget - used) / per_point) as usize;
        let n = settings.points.max(MIN_POINTS).min(affordable);
        if n < MIN_POINTS {
            stop = Stop::Budget;
            break;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed ^ 0x6c68_735f_7761_7665);
        rng.set_stream(w as u64);
        let us = latin_hypercube(n, &lo, &hi, &mut rng);
        let total = n as u64 * per_point;
        let values = point_values(prior, &us);
        let Some(sums) = units(w, &us, &values)? else {
            return Ok(Outcome::Waiting {
                wave: w,
                us,
                values,
            });
        };
        let points = assemble_points(&us, values, observations, settings, sums);
        used += total;
        let retained: Vec<usize> = points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.max_implausibility() <= settings.cutoff)
            .map(|(i, _)| i)
            .collect();
        let wave = Wave {
            box_lo: lo.clone(),
            box_hi: hi.clone(),
            points,
            retained,
        };
        let prev_mass = waves.last().map(Wave::mass);
        let mass = wave.mass();
        let empty = wave.retained.is_empty();
        // The next box: the retained points' bounding box, grown on each side by one stratum
        // or a tenth of this box's width, whichever is more, inside this box. Fewer than
        // k + 1 retained points cannot bound a region of k inputs: the box is kept, and the
        // next wave samples it again.
        let shrink = wave.retained.len() > k;
        if shrink {
            for j in 0..k {
                let margin = ((hi[j] - lo[j]) / n as f64).max(0.1 * (hi[j] - lo[j]));
                let (a, b) = wave
                    .retained
                    .iter()
                    .map(|i| wave.points[*i].u[j])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |acc, x| {
                        (acc.0.min(x), acc.1.max(x))
                    });
                if a.is_finite() {
                    let (nlo, nhi) = ((a - margin).max(lo[j]), (b + margin).min(hi[j]));
                    lo[j] = nlo;
                    hi[j] = nhi;
                }
            }
        }
        waves.push(wave);
        let shrunk_before = std::mem::replace(&mut shrunk_last, shrink);
        if empty {
            stop = if w == 0 {
                Stop::AllRejected
            } else {
                Stop::WaveRejected
            };
            break;
        }
        // Convergence is judged only on a wave whose box the previous wave shrank.
        if let Some(pm) = prev_mass
            && shrunk_before
            && mass > settings.stop_ratio * pm
        {
            stop = Stop::Converged;
            break;
        }
        if w + 1 == settings.max_waves.max(1) {
            stop = Stop::MaxWaves;
        }
    }
    if waves.is_empty() {
        return Err(CalibrationError::BudgetTooSmall {
            budget: settings.budget,
            needed: per_point * MIN_POINTS as u64,
        });
    }
    Ok(Outcome::Finished(Calibration {
        inputs: prior.to_vec(),
        observations: observations.to_vec(),
        settings: *settings,
        waves,
        stop,
        replications: used,
    }))
}
