//! A run to test chart data on: the tutorial network, a few replications, one thread.

use super::super::Ctx;
use super::super::draw::TimeAxis;
use crate::ensemble::Summary;
use crate::report::Lang;
use crate::scenario::Scenario;

/// The bundled scenario `networks/<file>`, loaded and checked.
pub(crate) use crate::scenario::bundled as bundled_scenario;

/// A scenario and its summary; tests change either before asking for a chart's data.
pub(crate) struct TestRun {
    /// The scenario.
    pub s: Scenario,
    /// Its summary.
    pub sum: Summary,
}

impl TestRun {
    /// The bundled tutorial, `replications` runs, seed 7.
    pub(crate) fn tutorial(replications: u64) -> TestRun {
        TestRun::bundled("tutorial.ron", replications)
    }

    /// The bundled network `networks/<file>`, `replications` runs, seed 7.
    pub(crate) fn bundled(file: &str, replications: u64) -> TestRun {
        let s = bundled_scenario(file);
        let net = crate::network::Network::build(&s);
        let opts = crate::ensemble::Options {
            replications,
            seed: 7,
            threads: Some(1),
        };
        let sum = crate::ensemble::run(&s, &net, &opts, &|_| {}).expect("ledger balances");
        TestRun { s, sum }
    }

    /// The charts' context of this run, in English, with no run facts.
    pub(crate) fn ctx(&self) -> Ctx<'_> {
        Ctx {
            s: &self.s,
            sum: &self.sum,
            facts: String::new(),
            time: TimeAxis {
                start: self.s.start_date,
                days: self.sum.layout.days as f64,
                lang: Lang::En,
            },
        }
    }
}
