//! # blockade
//!
//! A simulator of fuel supply under blockade. Road and supply corridors form a flow
//! network; a discrete-event engine moves tanker convoys over it through attacks,
//! escorts, closures and rationing; a Monte Carlo ensemble turns the planners'
//! assumptions into probabilities: how many days of fuel remain, how likely the pumps
//! run dry by a date, which corridor matters most.
//!
//! The path of data: [`scenario::load`] reads a RON file into a checked
//! [`scenario::Scenario`]. See `ARCHITECTURE.md` for the map of modules.
//!
//! ```
//! use std::path::Path;
//! let loaded = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap();
//! let s = &loaded.scenario;
//! assert!(s.total_demand_litres_per_day() > 0.0);
//! ```

#![deny(missing_docs)]

pub mod calibrate;
pub mod engine;
pub mod ensemble;
pub mod model;
pub mod network;
pub mod report;
pub mod scenario;
