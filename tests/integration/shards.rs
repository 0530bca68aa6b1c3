//! Sharded runs (issue 14): `run --shard I/N` ×N then `merge` gives the unsharded run's
//! outputs byte for byte; merge refuses missing, repeated and foreign shards and writes
//! nothing; `--keep-replications` reads back and its means are `daily.csv`'s; a shard is
//! the same bytes on any thread count. Studies (sweep, tornado) and calibrations (in
//! rounds of one wave) shard and merge to their unsharded bytes too; shards of different
//! commands are refused.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::common;
use blockade::model::Series;

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-shards-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn blockade(args: &[&OsStr]) -> std::process::Output {
    common::run(args)
}

fn ok(o: &std::process::Output) {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(dir.join(&rel)).unwrap() {
            let e = e.unwrap();
            let r = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                stack.push(r);
            } else {
                out.push(r);
            }
        }
    }
    out.sort();
    out
}

/// `a` and `b` hold the same files with the same bytes.
fn same_tree(a: &Path, b: &Path) {
    same_files(a, b, 10);
}

/// `a` and `b` hold the same files (more than `least`) with the same bytes.
fn same_files(a: &Path, b: &Path, least: usize) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(
        fa,
        fb,
        "{} and {} hold different files",
        a.display(),
        b.display()
    );
    assert!(fa.len() > least, "too few outputs: {fa:?}");
    for f in &fa {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{} differs between {} and {}",
            f.display(),
            a.display(),
            b.display()
        );
    }
}

/// Runs `scenario` unsharded into `whole`, as 4 shards into `shards` (threads 1 and 2
/// alternating), merges them into `merged`; returns the shard files.
fn run_sharded(
    scenario: &Path,
    flags: &[&str],
    whole: &Path,
    shards: &Path,
    merged: &Path,
) -> Vec<PathBuf> {
    let mut args: Vec<&OsStr> = vec!["run".as_ref(), scenario.as_os_str(), "--quiet".as_ref()];
    args.extend(flags.iter().map(OsStr::new));
    let mut w = args.clone();
    w.extend(["--out".as_ref(), whole.as_os_str()]);
    ok(&blockade(&w));
    let mut paths = Vec::new();
    for i in 0..4 {
        let sh = format!("{i}/4");
        let threads = if i % 2 == 0 { "1" } else { "2" };
        let mut s = args.clone();
        s.extend([
            "--shard".as_ref(),
            OsStr::new(&sh),
            "--threads".as_ref(),
            OsStr::new(threads),
            "--out".as_ref(),
            shards.as_os_str(),
        ]);
        ok(&blockade(&s));
        paths.push(shards.join(format!("shard-{i}-of-4.arrow")));
    }
    // The shard folder holds the four files and nothing else.
    assert_eq!(files(shards).len(), 4);
    // Given in any order.
    let mut m: Vec<&OsStr> = vec!["merge".as_ref(), "--quiet".as_ref()];
    m.extend(paths.iter().rev().map(|p| p.as_os_str()));
    m.extend(["--out".as_ref(), merged.as_os_str()]);
    ok(&blockade(&m));
    paths
}

#[test]
fn four_shards_merge_to_the_unsharded_bytes_with_sensitivity_and_replications() {
    let base = tmp("tutorial");
    let (whole, shards, merged) = (base.join("whole"), base.join("shards"), base.join("merged"));
    let scenario = common::networks_dir().join("tutorial.ron");
    // 10 replications: blocks of 2, 3, 2, 3; the sensitivity's 6: 1, 2, 1, 2.
    let paths = run_sharded(
        &scenario,
        &[
            "-n",
            "10",
            "--sensitivity-replications",
            "6",
            "--keep-replications",
        ],
        &whole,
        &shards,
        &merged,
    );
    same_tree(&whole, &merged);
    assert!(whole.join("replications.arrow").is_file());

    // Thread counts do not reach a shard's bytes: shard 1 (written on 2 threads) again on 1.
    let again = base.join("again");
    let o = blockade(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "-n".as_ref(),
        "10".as_ref(),
        "--sensitivity-replications".as_ref(),
        "6".as_ref(),
        "--keep-replications".as_ref(),
        "--quiet".as_ref(),
        "--shard".as_ref(),
        "1/4".as_ref(),
        "--threads".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        again.as_os_str(),
    ]);
    ok(&o);
    assert_eq!(
        std::fs::read(&paths[1]).unwrap(),
        std::fs::read(again.join("shard-1-of-4.arrow")).unwrap()
    );

    // Missing, repeated and foreign shards: named, exit 1, nothing written.
    let refused = |files: &[&Path], expect: &[&str]| {
        let out = base.join("refused");
        let mut m: Vec<&OsStr> = vec!["merge".as_ref()];
        m.extend(files.iter().map(|p| p.as_os_str()));
        m.extend(["--out".as_ref(), out.as_os_str()]);
        let o = blockade(&m);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        for e in expect {
            assert!(err.contains(e), "`{e}` not in: {err}");
        }
        assert!(!out.exists(), "a refused merge wrote {}", out.display());
    };
    refused(
        &[&paths[0], &paths[1], &paths[3]],
        &["shard 2 of 4 (replications 5 to 6) is missing"],
    );
    let p0 = paths[0].to_string_lossy().into_owned();
    refused(
        &[&paths[0], &paths[1], &paths[2], &paths[3], &paths[0]],
        &["shard 0 of 4 is given 2 times", &p0],
    );
    let foreign = base.join("foreign");
    ok(&blockade(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "-n".as_ref(),
        "10".as_ref(),
        "--sensitivity-replications".as_ref(),
        "6".as_ref(),
        "--keep-replications".as_ref(),
        "--seed".as_ref(),
        "99".as_ref(),
        "--quiet".as_ref(),
        "--shard".as_ref(),
        "2/4".as_ref(),
        "--out".as_ref(),
        foreign.as_os_str(),
    ]));
    let f = foreign.join("shard-2-of-4.arrow");
    refused(
        &[&paths[0], &paths[1], &f, &paths[3]],
        &["seed 99, but", "not a shard of the same run"],
    );
    // Not a shard file at all.
    let csv = whole.join("daily.csv");
    refused(&[&paths[0], &csv], &["daily.csv"]);
    let _ = std::fs::remove_dir_all(&base);
}

/// `replications.arrow` reads back (with the same crate) and its means are `daily.csv`'s.
#[test]
fn kept_replications_read_back_and_average_to_daily_csv() {
    let base = tmp("kept");
    let scenario = common::networks_dir().join("tutorial.ron");
    let n = 12u64;
    ok(&blockade(&[
        "run".as_ref(),
        scenario.as_os_str(),
        "-n".as_ref(),
        OsStr::new(&n.to_string()),
        "--no-sensitivity".as_ref(),
        "--keep-replications".as_ref(),
        "--quiet".as_ref(),
        "--out".as_ref(),
        base.as_os_str(),
    ]));
    let s = blockade::scenario::load(&scenario).unwrap().scenario;
    let mut r = blockade::report::replications::ReplicationsReader::open(
        &base.join("replications.arrow"),
        &s,
    )
    .unwrap();
    let header: serde_json::Value = serde_json::from_str(r.header()).unwrap();
    assert_eq!(header["replications"], n);
    assert_eq!(header["command"], "run");
    let mut records = Vec::new();
    while let Some(x) = r.next_record() {
        records.push(x.unwrap());
    }
    assert_eq!(
        records.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        (0..n).collect::<Vec<_>>()
    );
    // The records are the simulation's own: replication 5 again, alone.
    let layout = blockade::model::Layout::new(&s);
    let net = blockade::network::Network::build(&s);
    let mut cache = blockade::model::PlanCache::new();
    let direct = blockade::model::simulate(&s, &net, &layout, s.seed, 5, &mut cache).unwrap();
    assert_eq!(records[5].1[Series::Stock], direct[Series::Stock]);
    assert_eq!(records[5].1[Series::Served], direct[Series::Served]);
    assert_eq!(records[5].1.ledger, direct.ledger);

    // Means over replications against daily.csv (rounded as printed there).
    let text = std::fs::read_to_string(base.join("daily.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .map(|c| c.parse::<f64>().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name} not in {head:?}"))
    };
    let d = layout.days;
    let mean = |f: &dyn Fn(&blockade::model::RunRecord) -> f64| {
        records.iter().map(|(_, r)| f(r)).sum::<f64>() / n as f64
    };
    let mut checked = 0;
    for k in [0, d / 3, d / 2, d - 1] {
        let stock = mean(&|r| r[Series::Stock][k]);
        let c = rows[k][col("stock_mean_litres")];
        assert!(
            (stock - c).abs() <= 0.51,
            "day {k}: stock mean {stock} vs daily.csv {c}"
        );
        for i in layout.class_ids() {
            let name = layout.class_name(&s, i);
            let served = mean(&|r| r.daily(Series::Served, i)[k]);
            let c = rows[k][col(&format!("{name}_served_mean_litres"))];
            assert!(
                (served - c).abs() <= 0.51,
                "day {k} {name}: served {served} vs {c}"
            );
            checked += 1;
        }
        let fleet = mean(&|r| r[Series::Fleet][k]);
        let c = rows[k][col("fleet_mean_trucks")];
        assert!(
            (fleet - c).abs() <= 0.0051 + 1e-9 * fleet.abs(),
            "day {k}: fleet {fleet} vs {c}"
        );
    }
    assert!(checked >= 4);
    let _ = std::fs::remove_dir_all(&base);
}

/// The bundled Bamako scenario, few replications, with its sensitivity: 4 shards + merge
/// = the unsharded run, byte for byte.
#[test]
fn bamako_four_shards_merge_to_the_unsharded_bytes() {
    let base = tmp("bamako");
    let (whole, shards, merged) = (base.join("whole"), base.join("shards"), base.join("merged"));
    let scenario = common::networks_dir().join("bamako-2025.ron");
    run_sharded(
        &scenario,
        &["-n", "6", "--sensitivity-replications", "4"],
        &whole,
        &shards,
        &merged,
    );
    same_tree(&whole, &merged);
    let _ = std::fs::remove_dir_all(&base);
}

/// Runs `blockade <args> --quiet`, returning the output.
fn run_args(args: &[&str]) -> std::process::Output {
    let mut a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    a.push("--quiet".as_ref());
    blockade(&a)
}

/// A sweep over a 2 x 2 grid, a tornado, a corridor study and a comparison, each in shards
/// (threads 1 and 2 alternating) then merged: the unsharded outputs, byte for byte. Shards of another command mixed in
/// are refused, naming the command.
#[test]
fn studies_in_shards_merge_to_the_unsharded_bytes() {
    let base = tmp("studies");
    let scenario = common::networks_dir().join("tutorial.ron");
    let scen = scenario.to_str().unwrap();
    let d = |n: &str| base.join(n).to_string_lossy().into_owned();
    let sweep = [
        "sweep",
        scen,
        "--vary",
        "fleet.trucks=20,60",
        "--vary",
        "segments[KAY-BKO].risk=0.02,0.08",
        "--kpi",
        "first_dry_day_median",
        "--kpi",
        "unmet_total",
        "-n",
        "10",
    ];
    let tornado = [
        "tornado",
        scen,
        "--vary",
        "fleet.trucks=20,60",
        "--vary",
        "segments[KAY-BKO].risk=0.02,0.08",
        "-n",
        "6",
    ];
    let corridors = ["corridors", scen, "-n", "6"];
    // A second scenario with the same depots, classes and segments: fewer tankers.
    std::fs::create_dir_all(&base).unwrap();
    let fewer = base.join("fewer.ron");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let changed = text.replacen("trucks: 400,", "trucks: 150,", 1);
    assert_ne!(text, changed);
    std::fs::write(&fewer, changed).unwrap();
    let fewer_s = fewer.to_string_lossy().into_owned();
    let compare = ["compare", scen, &fewer_s, "-n", "6"];
    for (study, shards) in [
        (&sweep[..], 4),
        (&tornado[..], 3),
        (&corridors[..], 2),
        (&compare[..], 3),
    ] {
        let name = study[0];
        let whole = d(&format!("{name}-whole"));
        ok(&run_args(&[study, &["--out", &whole]].concat()));
        let dir = d(&format!("{name}-shards"));
        let mut paths = Vec::new();
        for i in 0..shards {
            let sh = format!("{i}/{shards}");
            let threads = if i % 2 == 0 { "1" } else { "2" };
            ok(&run_args(
                &[
                    study,
                    &["--shard", &sh, "--threads", threads, "--out", &dir],
                ]
                .concat(),
            ));
            paths.push(format!("{dir}/{name}-shard-{i}-of-{shards}.arrow"));
        }
        assert_eq!(files(Path::new(&dir)).len(), shards);
        let merged = d(&format!("{name}-merged"));
        let mut m = vec!["merge"];
        m.extend(paths.iter().rev().map(String::as_str));
        m.extend(["--out", &merged]);
        ok(&run_args(&m));
        same_files(Path::new(&whole), Path::new(&merged), 2);
    }

    // A sweep's shards with a run's: refused, the command named, nothing written.
    let run_dir = d("run-shards");
    ok(&run_args(&[
        "run", scen, "-n", "10", "--shard", "1/4", "--out", &run_dir,
    ]));
    let out = d("mixed");
    let sw = d("sweep-shards");
    let o = run_args(&[
        "merge",
        &format!("{sw}/sweep-shard-0-of-4.arrow"),
        &format!("{run_dir}/shard-1-of-4.arrow"),
        &format!("{sw}/sweep-shard-2-of-4.arrow"),
        &format!("{sw}/sweep-shard-3-of-4.arrow"),
        "--out",
        &out,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("shard-1-of-4.arrow: command run, but") && err.contains("has sweep"),
        "{err}"
    );
    assert!(!Path::new(&out).exists(), "a refused merge wrote {out}");
    let _ = std::fs::remove_dir_all(&base);
}

/// A calibration in rounds (each wave: 3 shards, then merge; the next wave `--continue`s
/// from the state the merge wrote) ends with the unsharded calibration's outputs, byte for
/// byte, after more than one wave. A state of another calibration is refused.
#[test]
fn a_calibration_in_shard_rounds_merges_to_the_unsharded_bytes() {
    let base = tmp("calibrate");
    std::fs::create_dir_all(&base).unwrap();
    let obs = base.join("obs.ron");
    std::fs::write(
        &obs,
        "Observations(observations: [\n (id: \"north\", source: \"test\", from: \"2025-09-01\", to: \"2025-11-29\", what: TrucksLost(segments: [\"KAY-BKO\"]), value: Range(lo: 2, hi: 30)),\n (id: \"south\", source: \"test\", from: \"2025-09-01\", to: \"2025-11-29\", what: Attacks(tags: [\"south\"]), value: AtLeast(value: 1)),\n (id: \"bko\", source: \"test\", from: \"2025-09-01\", to: \"2025-11-29\", what: TrucksDelivered(depot: \"BKO\"), value: AtLeast(value: 1000)),\n])",
    )
    .unwrap();
    let scenario = common::networks_dir().join("tutorial.ron");
    let d = |n: &str| base.join(n).to_string_lossy().into_owned();
    let obs_s = obs.to_string_lossy().into_owned();
    let args = [
        "calibrate",
        scenario.to_str().unwrap(),
        "--observed",
        &obs_s,
        "--points",
        "8",
        "--replications-per-point",
        "4",
        "--block",
        "2",
        "--budget",
        "200",
        "--prior",
        "segments[KAY-BKO].risk=Uniform(0, 0.12)",
        "--prior",
        "segments[KIT-BKO].risk=Uniform(0, 0.06)",
    ];
    let whole = d("whole");
    ok(&run_args(&[&args[..], &["--out", &whole]].concat()));
    let (shards, merged) = (d("shards"), d("merged"));
    let state = format!("{shards}/calibration-state.json");
    let mut rounds = 0;
    while !Path::new(&merged).exists() {
        rounds += 1;
        assert!(rounds <= 5, "more rounds than --waves");
        let mut paths = Vec::new();
        for i in 0..3 {
            let sh = format!("{i}/3");
            let mut a = [&args[..], &["--shard", &sh, "--out", &shards]].concat();
            if rounds > 1 {
                a.extend(["--continue", &state]);
            }
            ok(&run_args(&a));
            paths.push(format!("{shards}/calibrate-shard-{i}-of-3.arrow"));
        }
        let mut m = vec!["merge"];
        m.extend(paths.iter().map(String::as_str));
        m.extend(["--out", &merged]);
        ok(&run_args(&m));
    }
    assert!(rounds > 1, "one wave only: the rounds were not exercised");
    same_files(Path::new(&whole), Path::new(&merged), 5);

    // Another seed cannot continue this calibration's state.
    let o = run_args(
        &[
            &args[..],
            &[
                "--seed",
                "99",
                "--shard",
                "0/3",
                "--out",
                &d("other"),
                "--continue",
                &state,
            ],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("not the state of this calibration"), "{err}");
    let _ = std::fs::remove_dir_all(&base);
}

/// A run with uncertain inputs (each replication its own draws) in 3 shards, then merged:
/// the unsharded outputs byte for byte, the inputs tables, the importance and the twin
/// ensemble at the medians included.
#[test]
fn a_run_with_uncertain_inputs_in_shards_merges_to_the_unsharded_bytes() {
    let base = tmp("uncertain");
    let scenario = common::networks_dir().join("bamako-2025-uncertain.ron");
    let (whole, shards, merged) = (base.join("whole"), base.join("shards"), base.join("merged"));
    let mut args: Vec<&OsStr> = vec![
        "run".as_ref(),
        scenario.as_os_str(),
        "-n".as_ref(),
        "12".as_ref(),
        // (the sensitivity's shards are tested above; with inputs it is the same code)
        "--no-sensitivity".as_ref(),
        "--quiet".as_ref(),
    ];
    let mut w = args.clone();
    w.extend(["--out".as_ref(), whole.as_os_str()]);
    ok(&blockade(&w));
    args.extend(["--out".as_ref(), shards.as_os_str()]);
    let mut paths = Vec::new();
    for i in 0..3 {
        let sh = format!("{i}/3");
        let mut s = args.clone();
        s.extend(["--shard".as_ref(), OsStr::new(&sh)]);
        ok(&blockade(&s));
        paths.push(shards.join(format!("shard-{i}-of-3.arrow")));
    }
    let mut m: Vec<&OsStr> = vec!["merge".as_ref(), "--quiet".as_ref()];
    m.extend(paths.iter().map(|p| p.as_os_str()));
    m.extend(["--out".as_ref(), merged.as_os_str()]);
    ok(&blockade(&m));
    assert!(whole.join("inputs.csv").is_file());
    same_tree(&whole, &merged);
    let _ = std::fs::remove_dir_all(&base);
}

/// The bundled Bamako scenario, swept over the escort units in 4 shards and merged: the
/// unsharded sweep's bytes (the study test above uses the tutorial).
#[test]
fn a_bamako_sweep_in_four_shards_merges_to_the_unsharded_bytes() {
    let base = tmp("bamako-sweep");
    let scenario = common::networks_dir().join("bamako-2025.ron");
    let scen = scenario.to_str().unwrap();
    let d = |n: &str| base.join(n).to_string_lossy().into_owned();
    let sweep = ["sweep", scen, "--vary", "escorts.units=6,12", "-n", "8"];
    let whole = d("whole");
    ok(&run_args(&[&sweep[..], &["--out", &whole]].concat()));
    let dir = d("shards");
    let mut paths = Vec::new();
    for i in 0..4 {
        let sh = format!("{i}/4");
        ok(&run_args(
            &[&sweep[..], &["--shard", &sh, "--out", &dir]].concat(),
        ));
        paths.push(format!("{dir}/sweep-shard-{i}-of-4.arrow"));
    }
    let merged = d("merged");
    let mut m = vec!["merge"];
    m.extend(paths.iter().map(String::as_str));
    m.extend(["--out", &merged]);
    ok(&run_args(&m));
    same_files(Path::new(&whole), Path::new(&merged), 2);
    let _ = std::fs::remove_dir_all(&base);
}
