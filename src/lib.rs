//! # blockade
//!
//! A simulator of fuel supply under blockade. Road and supply corridors form a flow
//! network; a discrete-event engine moves tanker convoys over it through attacks,
//! escorts, closures and rationing; a Monte Carlo ensemble turns the planners'
//! assumptions into probabilities: how many days of fuel remain, how likely the pumps
//! run dry by a date, which corridor matters most.
//!
//! The layers, each using only those before it: [`scenario`] (the file format, every
//! check) → [`network`] (flow analysis, the dispatch plan) → [`engine`] and [`model`] (one
//! replication) → [`ensemble`] (many, in parallel, folded in order) → [`calibrate`] and
//! [`report`] (history matching; every file written). The command line is in the binary.
//! `ARCHITECTURE.md` has the map of modules and where to start reading.
//!
//! The whole pipeline on the tutorial network, as `blockade run` walks it:
//!
//! ```
//! use std::path::Path;
//! use blockade::{ensemble, model, network, report, scenario};
//!
//! // 1. Load and validate: a checked `Scenario`, or every problem at once with its
//! //    file:line:col (`ScenarioError::Invalid`).
//! let loaded = scenario::load(Path::new("networks/tutorial.ron")).expect("the tutorial is valid");
//! assert!(loaded.warnings.is_empty());
//! let s = &loaded.scenario;
//!
//! // 2. The road network as a flow network: at most so many loaded trucks a day reach the
//! //    depots, and never more litres than the sources supply.
//! let net = network::Network::build(s);
//! let flow = net.analyse(s, &network::Conditions::baseline(s), 1, None);
//! let supply: f64 = s.sources().map(|(_, litres_per_day)| litres_per_day).sum();
//! assert!(flow.max_flow_trucks_per_day > 0.0);
//! assert!(flow.max_flow_trucks_per_day * flow.truck_litres <= supply + 1e-6);
//!
//! // 3. One ensemble of a few replications. Each replication checks its fuel ledger;
//! //    a ledger that does not balance is an `Err` (a bug), never a result.
//! let opts = ensemble::Options { replications: 8, seed: s.seed, threads: Some(1) };
//! let summary = ensemble::run(s, &net, &opts, &|_| {}).expect("fuel is conserved");
//! assert_eq!(summary.replications, 8);
//!
//! // 4. Headline numbers: the chance of a dry pump by the horizon is a probability, and
//! //    convoys delivered fuel.
//! let p_dry = *summary.p_dry_by.last().expect("one value per day");
//! assert!((0.0..=1.0).contains(&p_dry));
//! let delivered: f64 = summary.means(model::Series::Delivered).flatten().sum();
//! assert!(delivered > 0.0);
//! let m = report::Measures::new(s, &summary);
//! assert_eq!(m.n, 8);
//! assert!(m.days_now > 0.0);
//! ```

#![deny(missing_docs)]

pub mod calibrate;
pub mod engine;
pub mod ensemble;
pub mod model;
pub mod network;
pub mod report;
pub mod scenario;
