//! Integration tests of the scenario format, in one test binary:
//! `cargo test --test integration`.
//!
//! - `charts`: charts and the report page of a run, degenerate runs, determinism.
//! - `check_errors`: one fixture per error and warning, with its exact location.
//! - `cli`: exit codes and output of `blockade check` and `blockade export`.
//! - `roundtrip`: every bundled scenario checks clean and survives export/import.
//! - `fuzz`: mutated scenarios never make `blockade` panic or hang.
//! - `hostile`: the reproducers of the hostile-input review (issue 15), each refused or
//!   handled: a -0 day, far dates, tiny intervals, devices as includes, failed writes,
//!   the memory budget, flag bounds, names as formulas and control characters.
//! - `network`: max flow, min cut, criticality, interdiction and the dispatch plan on
//!   hand-computed graphs, property tests on random ones, and the Mali network's cut.
//! - `simulation`: closed forms, rationing, determinism, conservation, behaviour, edge cases.
//! - `studies`: reserve search, sweeps, common random numbers, tornado, comparison.
//! - `studies_charts`: the charts of the study commands, degenerate studies, determinism,
//!   closed segments on the map.

mod charts;
mod check_errors;
mod cli;
mod common;
mod fuzz;
mod hostile;
mod network;
mod roundtrip;
mod simulation;
mod studies;
mod studies_charts;
