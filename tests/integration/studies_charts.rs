//! Charts of the study commands, run through the binary on the tutorial: every command
//! writes its PNGs next to its table, they decode at the asked size and are not blank, the
//! same inputs give the same bytes, and degenerate studies (one sweep point, a tornado where
//! nothing changes, a scenario compared with itself, a reserve of zero) still draw and never
//! panic. Also: the network map marks the segments closed on the day analysed.
//!
//! As for the run charts, no pixel is compared with a golden image.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use blockade::network::{Conditions, Network};
use blockade::report::{self, ChartOptions, ChartSize};
use blockade::scenario::{self, SegmentId};

use crate::charts::{assert_png, assert_svg};
use crate::common::{networks_dir, run};

/// A fresh, empty temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "blockade-studycharts-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}

fn tutorial() -> PathBuf {
    networks_dir().join("tutorial.ron")
}

/// Runs `blockade <args> -n 20 -q --out <out> <extra>`; asserts it exits with `code`.
fn study(args: &[&str], out: &Path, extra: &[&str], code: i32) {
    let mut v: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    v.extend(["-n", "20", "-q", "--out"].iter().map(OsStr::new));
    v.push(out.as_os_str());
    v.extend(extra.iter().map(OsStr::new));
    let o = run(&v);
    assert_eq!(
        o.status.code(),
        Some(code),
        "blockade {args:?}\nstderr:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("panicked"),
        "blockade {args:?} panicked"
    );
}

/// Every file in `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir).expect("output folder") {
        let p = e.expect("entry").path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            m.insert(name, std::fs::read(&p).unwrap());
        }
    }
    m
}

/// Asserts that `dir` holds exactly the PNGs `want` (and whatever else), each decoding
/// at `size` and not blank.
fn assert_pngs(dir: &Path, want: &[&str], size: ChartSize) {
    let have: Vec<String> = files(dir)
        .into_keys()
        .filter(|n| n.ends_with(".png"))
        .collect();
    let mut want_sorted: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want_sorted.sort();
    assert_eq!(have, want_sorted, "PNGs in {}", dir.display());
    for w in want {
        assert_png(&dir.join(w), size);
    }
}

const SWEEP_PNGS: [&str; 2] = [
    "sweep-unmet_protected_litres.png",
    "sweep-unmet_total_litres.png",
];

/// The four study commands, each writing into `root/<name>`.
fn run_all(root: &Path, extra: &[&str]) {
    let tut = tutorial();
    let tut = tut.to_str().unwrap();
    study(
        &[
            "sweep",
            tut,
            "--vary",
            "fleet.trucks=200,300,400",
            "--vary",
            "segments[KAY-BKO].risk=0.05,0.2",
        ],
        &root.join("sweep"),
        extra,
        0,
    );
    study(
        &[
            "tornado",
            tut,
            "--kpi",
            "unmet_total",
            "--vary",
            "fleet.trucks=200,600",
            "--vary",
            "escorts.risk_factor=0.3,0.8",
            "--vary",
            "nodes[BKO].initial_stock_litres=10000000,30000000",
        ],
        &root.join("tornado"),
        extra,
        0,
    );
    let mali = networks_dir().join("mali.ron");
    study(
        &["compare", tut, mali.to_str().unwrap()],
        &root.join("compare"),
        extra,
        0,
    );
    study(
        &[
            "reserve",
            tut,
            "--days",
            "60",
            "--set",
            "nodes[BKO].initial_stock_litres=0",
            "--set",
            "fleet.trucks=150",
        ],
        &root.join("reserve"),
        extra,
        0,
    );
}

#[test]
fn every_study_command_writes_its_charts_and_the_same_bytes_twice() {
    let root = temp_dir("all");
    let (a, b) = (root.join("a"), root.join("b"));
    run_all(&a, &[]);
    run_all(&b, &["--threads", "1"]);
    let size = ChartSize::default();
    assert_pngs(&a.join("sweep"), &SWEEP_PNGS, size);
    assert!(a.join("sweep").join("sweep.csv").is_file());
    assert_pngs(&a.join("tornado"), &["tornado.png"], size);
    assert!(a.join("tornado").join("tornado.csv").is_file());
    assert_pngs(
        &a.join("compare"),
        &["compare-stock.png", "compare-dry.png"],
        size,
    );
    assert!(a.join("compare").join("compare.csv").is_file());
    assert_pngs(&a.join("reserve"), &["reserve.png"], size);
    let json = std::fs::read_to_string(a.join("reserve").join("reserve.json")).unwrap();
    assert!(
        !json.contains("\"answer\": 0.0"),
        "this reserve needs a stock:\n{json}"
    );
    for cmd in ["sweep", "tornado", "compare", "reserve"] {
        let (fa, fb) = (files(&a.join(cmd)), files(&b.join(cmd)));
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (k, v) in &fa {
            assert!(v == &fb[k], "{cmd}/{k} differs between two identical runs");
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn study_charts_follow_size_and_svg_flags() {
    let dir = temp_dir("svg");
    let tut = tutorial();
    study(
        &[
            "sweep",
            tut.to_str().unwrap(),
            "--vary",
            "escorts.risk_factor=0.3,0.8",
            "--kpi",
            "trucks_lost",
        ],
        &dir,
        &["--svg", "--size", "800x450"],
        0,
    );
    let size = ChartSize {
        width: 800,
        height: 450,
    };
    assert_pngs(&dir, &["sweep-trucks_lost.png"], size);
    assert_svg(&dir.join("sweep-trucks_lost.svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn degenerate_studies_still_draw_readable_charts() {
    let root = temp_dir("degenerate");
    let tut = tutorial();
    let tut = tut.to_str().unwrap();
    let size = ChartSize::default();
    // A sweep with one point, and one over values that are not numbers.
    let one = root.join("one-point");
    study(&["sweep", tut, "--vary", "fleet.trucks=400"], &one, &[], 0);
    assert_pngs(&one, &SWEEP_PNGS, size);
    let words = root.join("categories");
    study(
        &[
            "sweep",
            tut,
            "--vary",
            "interdiction.on_attack=Continue,TurnBack",
            "--kpi",
            "trucks_lost",
        ],
        &words,
        &[],
        0,
    );
    assert_pngs(&words, &["sweep-trucks_lost.png"], size);
    // A tornado where nothing changes: the fleet at its base value twice (swing 0).
    let flat = root.join("flat-tornado");
    study(
        &[
            "tornado",
            tut,
            "--kpi",
            "unmet_total",
            "--vary",
            "fleet.trucks=400,400",
        ],
        &flat,
        &[],
        0,
    );
    assert_pngs(&flat, &["tornado.png"], size);
    let csv = std::fs::read_to_string(flat.join("tornado.csv")).unwrap();
    let swing: f64 = csv
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(6))
        .and_then(|v| v.parse().ok())
        .expect("a swing");
    assert_eq!(swing, 0.0, "{csv}");
    // A scenario compared with itself.
    let itself = root.join("itself");
    study(&["compare", tut, tut], &itself, &[], 0);
    assert_pngs(&itself, &["compare-stock.png", "compare-dry.png"], size);
    // A reserve where none is needed.
    let zero = root.join("zero-reserve");
    study(&["reserve", tut], &zero, &[], 0);
    assert_pngs(&zero, &["reserve.png"], size);
    let json = std::fs::read_to_string(zero.join("reserve.json")).unwrap();
    assert!(json.contains("\"answer\": 0.0"), "{json}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_map_marks_closed_segments() {
    let s = scenario::load(&tutorial()).expect("tutorial").scenario;
    let net = Network::build(&s);
    let c = Conditions::baseline(&s);
    let (mf, crit) = (net.max_flow(&c), net.criticality(&c));
    let dir = temp_dir("closed-map");
    let open = dir.join("open.png");
    let closed = dir.join("closed.png");
    report::network_map(&s, &mf, &crit, &open, &ChartOptions::default()).expect("map");
    let opts = ChartOptions {
        closed: vec![SegmentId(2)],
        ..ChartOptions::default()
    };
    report::network_map(&s, &mf, &crit, &closed, &opts).expect("map");
    assert_png(&closed, ChartSize::default());
    assert!(
        std::fs::read(&open).unwrap() != std::fs::read(&closed).unwrap(),
        "a closed segment must show on the map"
    );
    // Through the binary: the day's closures of the Bamako scenario.
    let out = dir.join("n10");
    let o = run(&[
        "network".as_ref(),
        networks_dir().join("bamako-2025.ron").as_os_str(),
        "--at-day".as_ref(),
        "10".as_ref(),
        "-k".as_ref(),
        "1".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("closed"));
    assert_png(&out.join("network.png"), ChartSize::default());
    let _ = std::fs::remove_dir_all(&dir);
}
