//! `blockade calibrate`: observation files with errors are refused with every problem at
//! its line and column; a calibration that rejects everything says so, exits 1 and writes
//! no calibrated-inputs file; a small calibration writes the calibrated-inputs file and
//! its tables and charts.

use std::process::Output;

use super::common::{
    blockade, networks_dir, root, small_tutorial_calibration, tutorial_observation,
    write_observations,
};

fn calibrate(args: &[&str]) -> Output {
    blockade()
        .current_dir(root())
        .arg("calibrate")
        .args(args)
        .output()
        .expect("blockade runs")
}

const PRIORS: [&str; 4] = [
    "--prior",
    "segments[KAY-BKO].risk=Uniform(0, 0.12)",
    "--prior",
    "segments[KIT-BKO].risk=Uniform(0, 0.06)",
];

#[test]
fn observation_errors_are_all_reported_with_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let obs = dir.path().join("obs.ron");
    std::fs::write(
        &obs,
        "Observations(\n    observations: [\n        (id: \"a\", source: \"§3b\", from: \"2025-09-01\", to: \"2025-09-30\",\n         what: TrucksLost(segments: [\"KAY-NOPE\"]), value: Range(lo: 5, hi: 50)),\n        (id: \"b\", source: \"§3c\", from: \"2025-09-01\", to: \"2026-09-30\",\n         what: Stock(depot: \"NOWHERE\"), value: About(value: 1, sd: 1)),\n    ],\n)\n",
    )
    .expect("write");
    let mut args = vec![
        "networks/tutorial.ron",
        "--observed",
        obs.to_str().expect("utf-8"),
        "-q",
    ];
    args.extend(PRIORS);
    let out = calibrate(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown segment `KAY-NOPE`"), "{err}");
    assert!(err.contains("obs.ron:4:38"), "{err}");
    assert!(err.contains("unknown depot `NOWHERE`"), "{err}");
    assert!(err.contains("2026-09-30 is outside"), "{err}");

    std::fs::write(&obs, "Observations(\n  observations: [],\n  extra: 1,\n)\n").expect("write");
    let out = calibrate(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("obs.ron:3:"), "{err}");
}

#[test]
fn a_calibration_that_rejects_everything_writes_no_inputs_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let obs = dir.path().join("obs.ron");
    // A thousand trucks lost on a road that carries a few hundred: no point comes near.
    write_observations(
        &obs,
        &[tutorial_observation(
            "impossible",
            r#"TrucksLost(segments: ["KAY-BKO"])"#,
            "About(value: 1000, sd: 10)",
        )],
    );
    let out_dir = dir.path().join("out");
    let mut args = small_tutorial_calibration(obs.to_str().expect("utf-8"), "64");
    args.extend(["--out", out_dir.to_str().expect("utf-8")]);
    let out = calibrate(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("every point is implausible"), "{err}");
    assert!(err.contains("impossible"), "{err}");
    assert!(!out_dir.join("calibrated-inputs.ron").exists());
}

#[test]
fn a_small_calibration_writes_its_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let obs = dir.path().join("obs.ron");
    write_observations(
        &obs,
        &[
            tutorial_observation(
                "north",
                r#"TrucksLost(segments: ["KAY-BKO"])"#,
                "Range(lo: 2, hi: 30)",
            ),
            tutorial_observation("south", r#"Attacks(tags: ["south"])"#, "AtLeast(value: 1)"),
            tutorial_observation(
                "bko",
                r#"TrucksDelivered(depot: "BKO")"#,
                "AtLeast(value: 1000)",
            ),
        ],
    );
    let out_dir = dir.path().join("out");
    let mut args = small_tutorial_calibration(obs.to_str().expect("utf-8"), "96");
    args.extend(["--out", out_dir.to_str().expect("utf-8"), "-q"]);
    let out = calibrate(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ron = std::fs::read_to_string(out_dir.join("calibrated-inputs.ron")).expect("written");
    assert!(ron.contains("CalibratedInputs("), "{ron}");
    assert!(
        ron.contains("\"segments[KAY-BKO].risk\", \"segments[KIT-BKO].risk\""),
        "{ron}"
    );
    for f in [
        "calibration-waves.csv",
        "calibration-inputs.csv",
        "calibration-observed.csv",
        "calibration-points.csv",
        "calibration-marginals.png",
        "calibration-pairs.png",
        "calibration-observed.png",
        "calibration-timeline.png",
    ] {
        assert!(out_dir.join(f).is_file(), "{f} missing");
    }
    let observed = std::fs::read_to_string(out_dir.join("calibration-observed.csv")).expect("csv");
    assert!(observed.contains("points_ruled_out_alone"), "{observed}");

    // A forecast runs on the retained points: every replication of `run --inputs` takes
    // one of them, in turn, and nothing else.
    let retained: Vec<Vec<f64>> = ron
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('[')?
                .strip_suffix("],")
                .map(str::to_string)
        })
        .filter(|l| !l.contains('"'))
        .map(|l| {
            l.split(',')
                .map(|x| x.trim().parse::<f64>().expect("number"))
                .collect()
        })
        .collect();
    assert!(!retained.is_empty(), "{ron}");
    let run_dir = dir.path().join("run");
    let run = blockade()
        .current_dir(root())
        .args([
            "run",
            "networks/tutorial.ron",
            "--set",
            "segments[KAY-BKO].risk=Uncertain(Uniform(0, 0.12))",
            "--set",
            "segments[KIT-BKO].risk=Uncertain(Uniform(0, 0.06))",
            "--inputs",
        ])
        .arg(out_dir.join("calibrated-inputs.ron"))
        .args(["--replications", "6", "-q", "--out"])
        .arg(&run_dir)
        .output()
        .expect("blockade runs");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run_dir.join("charts/stock-calibrated.png").is_file());
    let csv = std::fs::read_to_string(run_dir.join("inputs.csv")).expect("inputs.csv");
    let mut rows = csv.lines().skip(1);
    for r in 0..6 {
        let row = rows.next().expect("one row per replication");
        let cells: Vec<&str> = row.split(',').collect();
        let point: usize = cells[1].parse().expect("calibrated point");
        assert_eq!(point, r % retained.len() + 1, "{row}");
        let values: Vec<f64> = cells[2..]
            .iter()
            .map(|x| x.parse().expect("value"))
            .collect();
        for (v, want) in values.iter().zip(&retained[point - 1]) {
            assert!(
                (v - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{row} against {want}"
            );
        }
    }
}

#[test]
fn exclude_leaves_an_observation_out_and_refuses_an_unknown_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let obs = dir.path().join("obs.ron");
    // The impossible observation rejects everything; left out, the other one calibrates.
    std::fs::write(
        &obs,
        "Observations(observations: [\n (id: \"impossible\", source: \"test\", from: \"2025-09-01\", to: \"2025-11-29\", what: TrucksLost(segments: [\"KAY-BKO\"]), value: About(value: 1000, sd: 10)),\n (id: \"bko\", source: \"test\", from: \"2025-09-01\", to: \"2025-11-29\", what: TrucksDelivered(depot: \"BKO\"), value: AtLeast(value: 1)),\n])",
    )
    .expect("write");
    let out_dir = dir.path().join("out");
    let mut args = vec![
        "networks/tutorial.ron",
        "--observed",
        obs.to_str().expect("utf-8"),
        "--out",
        out_dir.to_str().expect("utf-8"),
        "--points",
        "4",
        "--replications-per-point",
        "2",
        "--budget",
        "8",
    ];
    args.extend(PRIORS);
    let mut unknown = args.clone();
    unknown.extend(["--exclude", "nope"]);
    let out = calibrate(&unknown);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--exclude nope"), "{err}");
    args.extend(["--exclude", "impossible"]);
    let out = calibrate(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("left out (--exclude): impossible"), "{text}");
    let observed = std::fs::read_to_string(out_dir.join("calibration-observed.csv")).expect("csv");
    assert!(!observed.contains("impossible"), "{observed}");
}

#[test]
fn the_bamako_observations_check_against_their_scenario() {
    let s = blockade::scenario::load(&networks_dir().join("bamako-2025.ron"))
        .expect("bamako-2025 loads")
        .scenario;
    let obs = blockade::scenario::observations::load(
        &networks_dir().join("bamako-2025-observations.ron"),
        &s,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(obs.len() >= 10, "{} observations", obs.len());
    for o in &obs {
        assert!(
            o.source.starts_with('§'),
            "{}: source `{}` cites no section",
            o.id,
            o.source
        );
    }
}
