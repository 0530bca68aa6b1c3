//! Integration tests of the scenario format, in one test binary:
//! `cargo test --test integration`.
//!
//! - `check_errors`: one fixture per error and warning, with its exact location.
//! - `cli`: exit codes and output of `blockade check` and `blockade export`.
//! - `roundtrip`: every bundled scenario checks clean and survives export/import.
//! - `fuzz`: mutated scenarios never make `blockade` panic or hang.
//! - `simulation`: closed forms, rationing, determinism, conservation, behaviour, edge cases.

mod check_errors;
mod cli;
mod common;
mod fuzz;
mod roundtrip;
mod simulation;
