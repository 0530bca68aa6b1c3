//! The integration tests, in one test binary: `cargo test --test integration`.
//!
//! - `basemap`: the network map is drawn over sea, land and borders.
//! - `calibrate`: observation files with errors, everything rejected, the outputs written.
//! - `charts`: charts and the report page of a run, degenerate runs, determinism.
//! - `check_errors`: one case per error and warning (`valid.ron` with a few lines patched),
//!   with its exact location.
//! - `cli`: exit codes and output of `blockade check` and `blockade export`.
//! - `rough_edges`: the small fixes of issue 12, one test each.
//! - `roundtrip`: every bundled scenario checks clean and survives export/import.
//! - `dispatch`: the dispatch plan with fleet and escorts, against hand-computed plans and
//!   enumeration.
//! - `excel`: CSV byte-order mark, the French CSV style, `results.xlsx` read back.
//! - `geojson`: `network.geojson` parses and round-trips every id, lon/lat order.
//! - `folders`: `--set` folders, `compare` labels, the manifest that clears stale files.
//! - `french`: `run --lang fr` writes no English word of the message catalogue, and
//!   French numbers and dates.
//! - `fuzz`: mutated scenarios never make `blockade` panic or hang.
//! - `hostile`: the reproducers of the hostile-input review (issue 15), each refused or
//!   handled: a -0 day, far dates, tiny intervals, devices as includes, failed writes,
//!   the memory budget, flag bounds, names as formulas and control characters.
//! - `layers`: the modules form a straight stack; no path in code runs back up.
//! - `inputs`: uncertain inputs drawn per replication (any thread count), fixed by `--set`,
//!   calibrated points r % K, the first-order index, the outputs, bad `--inputs` files.
//! - `measures`: dry and rationing measures, "by day d", report = CSV, the fleet census,
//!   the built-in sensitivity, `--as-of`.
//! - `metamorphic`: docs/model.md §7b, harder conditions never lower unmet demand (common
//!   random numbers, paired standard errors), on the bundled and generated scenarios.
//! - `patch`: scenario files made from `tests/fixtures/valid.ron` by a few line edits,
//!   written into a temporary directory (helpers, no test).
//! - `network`: max flow, min cut, criticality, interdiction and the dispatch plan on
//!   hand-computed graphs, property tests on random ones, and the Mali network's cut.
//! - `shards`: `run --shard` ×4 + `merge` = the unsharded run, byte for byte; refused merges;
//!   `--keep-replications` read back.
//! - `simulation`: closed forms, rationing, determinism, conservation, behaviour, edge cases.
//! - `snapshots`: whole-text snapshots (`expect-test`) of the `check` summary, a run's
//!   headline and the `network` text of the tutorial.
//! - `standalone`: no tracked file refers outside the repository; cited docs exist.
//! - `studies`: reserve search, sweeps, common random numbers, tornado, comparison.
//! - `studies_charts`: the charts of the study commands, degenerate studies, determinism,
//!   closed segments on the map.
//! - `uncertain`: uncertain inputs in a scenario file: checked, exported, fixed or
//!   re-ranged by `--set`.

mod basemap;
mod calibrate;
mod charts;
mod check_errors;
mod cli;
mod common;
mod dispatch;
mod excel;
mod folders;
mod french;
mod fuzz;
mod geojson;
mod hostile;
mod inputs;
mod layers;
mod measures;
mod metamorphic;
mod network;
mod patch;
mod rough_edges;
mod roundtrip;
mod shards;
mod simulation;
mod snapshots;
mod standalone;
mod studies;
mod studies_charts;
mod uncertain;
