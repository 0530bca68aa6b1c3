//! Whole-text snapshots (`expect-test`) of what a planner reads in the terminal: the
//! `check` summary, the headline of a small run and the `network` text, on the tutorial.
//! A change to any of them shows as a diff here; if the change is meant, update the
//! snapshot with `UPDATE_EXPECT=1 cargo test --test integration snapshots` and review it.

use std::process::Output;

use expect_test::expect;

use crate::common::{blockade, root};

/// Runs `blockade` from the crate root (so that paths print as typed) and returns stdout;
/// the command must succeed with nothing on stderr.
fn stdout_of(args: &[&str]) -> String {
    let o: Output = blockade()
        .current_dir(root())
        .args(args)
        .output()
        .expect("blockade runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    assert_eq!(err, "", "{args:?}: nothing on stderr");
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

#[test]
fn check_summary_of_the_tutorial() {
    expect![[r#"
        networks/tutorial.ron: ok — "tutorial"
          network   5 nodes (1 source, 1 depot, 3 waypoints), 5 segments, 2 tags
          supply    2,500,000 L/day from 1 source (54.3 truckloads/day)
          demand    2,200,000 L/day at 1 depot, 3 classes
          stock     20,000,000 L at day 0 (9.1 days of demand), capacity 40,000,000 L
          fleet     400 trucks x 46,000 L = 18,400,000 L
          horizon   90 days from 2025-09-01 to 2025-11-30; 500 replications, seed 7
          escorts   2 at day 0, threshold 0.05
          events    3 (1 RiskMultiplier, 1 EscortUnits, 1 Airlift)
          budget    about 7.6 MB of memory; at least 199 events per replication, 9.9e4 in all (limit 1e10)
    "#]].assert_eq(&stdout_of(&["check", "networks/tutorial.ron"]));
}

#[test]
fn network_text_of_the_tutorial() {
    expect![[r#"
        Network analysis of "tutorial" at baseline (no events applied)
          max flow        54.3 trucks/day = 2,500,000 L/day
          demand          2,200,000 L/day; margin +300,000 L/day (114% of demand)
          risk-adjusted   2,047,485 L/day expected to arrive (93% of demand) under the dispatch plan
          min cut         no segment
                          and the supply of Dakar

        Most critical segments (max flow lost when the segment alone is closed)
          rank segment    name                          capacity      flow       drop  drop %
          1    DKR-TMB    Dakar–Tambacounda                150.0      54.3       54.3  100.0%
          2    TMB-KAY    Tambacounda–Kayes                150.0      14.3       14.3   26.4%
          3    KAY-BKO    Kayes–Bamako                     150.0      14.3       14.3   26.4%
          4    TMB-KIT    Tambacounda–Kita                  40.0      40.0        0.0    0.0%
          5    KIT-BKO    Kita–Bamako                       40.0      40.0        0.0    0.0%
          (capacity, flow and drop in trucks/day)

        Worst-case interdiction (the k segments whose joint closure cuts max flow most)
          k = 1  DKR-TMB                                  leaves    0.0 trucks/day (0%)  [exact]
          k = 2  DKR-TMB + TMB-KAY                        leaves    0.0 trucks/day (0%)  [exact]
          k = 3  DKR-TMB + TMB-KAY + TMB-KIT              leaves    0.0 trucks/day (0%)  [exact]

        Dispatch plan (within roads, supply, fleet and escorts: the protected demand first by roads that need no escort, then most fuel expected to arrive, least loss, least transit time)
          route                                        trucks/day     days P(attack)  arrive %
          DKR→TMB→KIT→BKO                                    40.0      4.3      3.0%     99.1%
          DKR→TMB→KAY→BKO                                     5.0      5.3      6.9%     97.9%
    "#]]
    .assert_eq(&stdout_of(&["network", "networks/tutorial.ron"]));
}

#[test]
fn headline_of_a_small_tutorial_run() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("run");
    let out_text = out.to_str().expect("a UTF-8 path");
    let text = stdout_of(&[
        "run",
        "networks/tutorial.ron",
        "-n",
        "20",
        "--no-sensitivity",
        "--threads",
        "1",
        "--size",
        "400x250",
        "--out",
        out_text,
    ]);
    expect![[r#"
        tutorial — 20 replications, seed 7
          fuel now          20 million L = 9.1 days of demand (rationing below 5 days)
          P(rationing by)   1 Oct 2025 (day 30): 70 %, 31 Oct 2025 (day 60): 100 %, 29 Nov 2025 (day 89): 100 %
          first rationing   median 30 Sep 2025 (day 29); P10 23 Sep 2025 (day 22), P90 12 Oct 2025 (day 41)
          days rationed     35 days on average (P90 45)
          P(dry by)         1 Oct 2025 (day 30): 0 %, 31 Oct 2025 (day 60): 0 %, 29 Nov 2025 (day 89): 0 %
          first dry day     none within the 90-day horizon; 100 % of runs never dry
          unmet protected   0 L on average (essential)
          unmet by class    mean per run: rationed + dry
            essential       0 L (0.0 % of its demand): 0 L rationed, 0 L dry
            transport       15.5 million L (19 % of its demand): 15.5 million L rationed, 0 L dry
            households      13.8 million L (19 % of its demand): 13.8 million L rationed, 0 L dry
          tankers lost      52 on average (1.5 million L burned, 370,000 L seized)
          outputs           21 files in <out>
    "#]].assert_eq(&text.replace(out_text, "<out>"));
}
