//! Charts and the report page: every PNG decodes at the asked size and is not blank, every
//! SVG is well formed, the report links only files that exist and embeds every chart, the
//! same run gives the same bytes, and degenerate runs (one replication, one day, nothing
//! delivered, never dry, dry from day 0, no dates, no coordinates) still draw every chart.
//!
//! No pixel is compared with a golden image: looking at the charts is a manual step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use blockade::ensemble::{self, Options, Summary};
use blockade::network::{Conditions, Network};
use blockade::report::{self, ChartOptions, ChartSize, RunInfo};
use blockade::scenario::{self, Scenario};

use crate::common::{networks_dir, run};

/// A fresh, empty temporary folder for one test.
fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-charts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}

fn load(ron: &str) -> Scenario {
    crate::common::scenario_from(ron, "test.ron")
}

fn simulate(s: &Scenario, replications: u64) -> Summary {
    let net = Network::build(s);
    let opts = Options {
        replications,
        seed: s.seed,
        threads: Some(1),
    };
    ensemble::run(s, &net, &opts, &|_| {}).expect("ledger balances")
}

fn info(s: &Scenario) -> RunInfo {
    RunInfo {
        overrides: vec!["fleet.trucks=50".into()],
        scenario_hash: scenario::export::fingerprint(s),
        ..RunInfo::default()
    }
}

/// Draws every chart and the report of `s` into a fresh folder; returns it and the files.
fn draw(
    name: &str,
    s: &Scenario,
    replications: u64,
    opts: &ChartOptions,
) -> (PathBuf, Vec<PathBuf>) {
    let dir = temp_dir(name);
    let sum = simulate(s, replications);
    let info = info(s);
    let flow = report::FlowBaseline::new(&Network::build(s), s);
    let charts = report::write_charts(&dir, s, &sum, &info, &flow, opts)
        .unwrap_or_else(|e| panic!("{name}: charts: {e}"));
    let mut files = charts.files();
    files.extend(
        report::write_report(&dir, s, &sum, &info, &flow, &charts)
            .unwrap_or_else(|e| panic!("{name}: report: {e}")),
    );
    (dir, files)
}

/// Decodes a PNG; asserts its size and that it is not blank: enough non-white pixels and
/// some spread of brightness.
pub fn assert_png(path: &Path, size: ChartSize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let img = image::load_from_memory(&bytes)
        .unwrap_or_else(|e| panic!("{}: does not decode: {e}", path.display()))
        .to_rgb8();
    assert_eq!(
        (img.width(), img.height()),
        (size.width, size.height),
        "{}",
        path.display()
    );
    let n = f64::from(img.width() * img.height());
    let mut sum = 0.0;
    let mut sq = 0.0;
    let mut inked = 0usize;
    for p in img.pixels() {
        let l = 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]);
        sum += l;
        sq += l * l;
        if l < 200.0 {
            inked += 1;
        }
    }
    let var = sq / n - (sum / n).powi(2);
    assert!(
        inked as f64 > 0.005 * n,
        "{}: nearly blank ({inked} dark pixels)",
        path.display()
    );
    assert!(
        var > 100.0,
        "{}: no contrast (variance {var:.1})",
        path.display()
    );
}

/// A minimal well-formedness check of an SVG: one root element, and every tag opened is
/// closed in order.
pub fn assert_svg(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(text.contains("<svg"), "{}: no <svg", path.display());
    assert!(
        text.trim_end().ends_with("</svg>"),
        "{}: no </svg> at the end",
        path.display()
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("{}: unclosed <", path.display()));
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "{}: </{name}> closes the wrong element",
                path.display()
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "{}: unclosed {stack:?}", path.display());
}

/// Image links of report.md: `](charts/x.png)`.
fn md_links(md: &str) -> Vec<String> {
    md.split("](")
        .skip(1)
        .filter_map(|s| s.split_once(')').map(|(l, _)| l.to_string()))
        .collect()
}

/// The report links only files that exist, embeds each of them, fetches nothing and runs
/// no script.
fn assert_report(dir: &Path) {
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    let links = md_links(&md);
    for l in &links {
        assert!(
            l.starts_with("charts/") && l.ends_with(".png"),
            "odd link {l}"
        );
        assert!(
            dir.join(l).is_file(),
            "report.md links {l}, which does not exist"
        );
    }
    let pngs = std::fs::read_dir(dir.join("charts"))
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
            })
            .count()
        })
        .unwrap_or(0);
    // The map under the blockade's conditions replaces the all-open baseline map in the
    // report (issue 12); the baseline stays in the folder.
    let risk_map = dir.join("charts/risk.png").is_file();
    let shown = if risk_map && dir.join("charts/network.png").is_file() {
        assert!(
            !links.iter().any(|l| l == "charts/network.png"),
            "the run report shows the baseline map beside the blockade's"
        );
        pngs - 1
    } else {
        pngs
    };
    assert_eq!(links.len(), shown, "report.md must show every chart drawn");
    assert_eq!(
        html.matches("src=\"data:image/png;base64,").count(),
        shown,
        "report.html must embed every chart"
    );
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "http://",
        "https://",
        "<link",
        "src=\"charts",
        "@import",
    ] {
        assert!(!lower.contains(bad), "report.html contains {bad}");
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
}

/// A small scenario: a port, a junction without coordinates, a city.
fn small(
    name: &str,
    start: bool,
    horizon: u32,
    supply: f64,
    stock: f64,
    risk: f64,
    events: &str,
) -> String {
    let capacity = stock.max(10_000_000.0);
    let start = if start {
        "start_date: \"2025-09-01\","
    } else {
        ""
    };
    format!(
        r#"Scenario(
    name: "{name}",
    description: "A small test scenario.",
    {start}
    horizon_days: {horizon},
    seed: 3,
    replications: 20,
    nodes: [
        Source(id: "SRC", name: "Port", lat: 14.7, lon: -17.4, supply_litres_per_day: {supply}),
        Waypoint(id: "MID", name: "Junction"),
        Depot(id: "DEP", name: "City", lat: 12.6, lon: -8.0,
            capacity_litres: {capacity}, initial_stock_litres: {stock},
            demand: [
                (name: "essential", litres_per_day: 100000, priority: 1),
                (name: "other", litres_per_day: 200000, priority: 2),
            ],
            rationing: (trigger_days: 3, protected_priority: 1, ration_fraction: 0.5)),
    ],
    segments: [
        (from: "SRC", to: "MID", km: 500, transit_days: Fixed(1.0), capacity_trucks_per_day: 20, risk: {risk}),
        (from: "MID", to: "DEP", km: 500, transit_days: Fixed(1.0), capacity_trucks_per_day: 20, risk: {risk}),
    ],
    fleet: (trucks: 50, truck_litres: 40000),
    dispatch: (warm_start: false),
    events: [{events}],
)"#
    )
}

/// Every file a run of `s` should have written.
fn check_all(dir: &Path, files: &[PathBuf], size: ChartSize, svg: bool) {
    let mut pngs = 0;
    for f in files {
        assert!(f.is_file(), "{} listed but missing", f.display());
        match f.extension().and_then(|e| e.to_str()) {
            Some("png") => {
                assert_png(f, size);
                pngs += 1;
            }
            Some("svg") => assert_svg(f),
            _ => {}
        }
    }
    assert!(pngs >= 7, "{pngs} PNGs in {}", dir.display());
    let svgs = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .count();
    assert_eq!(svgs, if svg { pngs } else { 0 });
    assert_report(dir);
}

#[test]
fn tutorial_run_draws_every_chart_and_the_report() {
    let s = scenario::load(&networks_dir().join("tutorial.ron"))
        .expect("tutorial loads")
        .scenario;
    let opts = ChartOptions::new(ChartSize::default(), true);
    let (dir, files) = draw("tutorial", &s, 40, &opts);
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for want in [
        "stock.png",
        "dry-and-rationing.png",
        "demand-served.png",
        "fleet.png",
        "deliveries.png",
        "losses.png",
        "first-dry.png",
        "network.png",
        "network.svg",
        "report.html",
        "report.md",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "missing {want} in {names:?}"
        );
    }
    check_all(&dir, &files, ChartSize::default(), true);
    // The report carries the run's facts and the headline.
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    for want in [
        "# tutorial: fuel supply under blockade",
        "fleet.trucks=50",
        "| Seed | 7 |",
        "blockade declared",
        "Chance of rationing and of running dry, by date",
        "Where the fleet is",
        "Under these assumptions",
        "Most critical segments",
        "Dakar–Tambacounda",
    ] {
        assert!(md.contains(want), "report.md lacks {want:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_run_gives_the_same_bytes() {
    let s = scenario::load(&networks_dir().join("tutorial.ron"))
        .expect("tutorial loads")
        .scenario;
    let opts = ChartOptions::new(
        ChartSize {
            width: 800,
            height: 450,
        },
        true,
    );
    let read_all = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut m = BTreeMap::new();
        for sub in [dir.to_path_buf(), dir.join("charts")] {
            for e in std::fs::read_dir(&sub).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    let rel = p.strip_prefix(dir).unwrap().display().to_string();
                    m.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
        m
    };
    let (a, _) = draw("same-a", &s, 10, &opts);
    let (b, _) = draw("same-b", &s, 10, &opts);
    let (fa, fb) = (read_all(&a), read_all(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two identical runs");
    }
    assert!(
        fa.contains_key("report.html") && fa.len() >= 16,
        "{:?}",
        fa.keys()
    );
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn chart_size_is_respected() {
    let s = load(&small("sized", true, 30, 400_000.0, 2_000_000.0, 0.05, ""));
    let size = ChartSize {
        width: 640,
        height: 400,
    };
    let (dir, files) = draw("sized", &s, 5, &ChartOptions::new(size, false));
    check_all(&dir, &files, size, false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn degenerate_runs_still_draw_every_chart() {
    let ev = r#"(day: 2, label: "road closed", effect: Close(segments: ["MID-DEP"])),
               (day: 5, until: 9, label: "airlift", effect: Airlift(depot: "DEP", litres_per_day: 50000))"#;
    let cases: Vec<(&str, String, u64)> = vec![
        (
            "one-replication",
            small(
                "one-replication",
                true,
                40,
                400_000.0,
                2_000_000.0,
                0.05,
                ev,
            ),
            1,
        ),
        (
            "one-day",
            small("one-day", true, 1, 400_000.0, 2_000_000.0, 0.05, ""),
            5,
        ),
        (
            "all-zero",
            small("all-zero", true, 30, 0.0, 0.0, 0.0, ""),
            5,
        ),
        (
            "never-dry",
            small("never-dry", true, 60, 0.0, 1.0e12, 0.0, ""),
            5,
        ),
        (
            "dry-from-day-0",
            small("dry-from-day-0", false, 20, 0.0, 0.0, 0.05, ev),
            5,
        ),
        (
            "no-dates-long",
            small("no-dates-long", false, 900, 250_000.0, 1_000_000.0, 0.1, ev),
            3,
        ),
    ];
    for (name, ron, reps) in cases {
        let s = load(&ron);
        let (dir, files) = draw(
            name,
            &s,
            reps,
            &ChartOptions::new(ChartSize::default(), true),
        );
        check_all(&dir, &files, ChartSize::default(), true);
    }
}

#[test]
fn several_depots_get_one_stock_chart_each() {
    let ron = r#"Scenario(
    name: "two-cities",
    start_date: "2025-01-01",
    horizon_days: 20,
    replications: 5,
    nodes: [
        Source(id: "SRC", name: "Port", lat: 5.3, lon: -4.0, supply_litres_per_day: 500000),
        Depot(id: "A", name: "North", lat: 12.0, lon: -8.0, capacity_litres: 5000000, initial_stock_litres: 1000000,
            demand: [(name: "all", litres_per_day: 200000, priority: 1)],
            rationing: (trigger_days: 2, protected_priority: 1, ration_fraction: 0.5)),
        Depot(id: "B/2", name: "East", lat: 12.3, lon: -1.5, capacity_litres: 5000000, initial_stock_litres: 3000000,
            demand: [(name: "all", litres_per_day: 100000, priority: 1)],
            rationing: (trigger_days: 2, protected_priority: 1, ration_fraction: 0.5)),
    ],
    segments: [
        (from: "SRC", to: "A", km: 900, transit_days: Fixed(2.0), capacity_trucks_per_day: 10, risk: 0.02),
        (from: "SRC", to: "B/2", km: 900, transit_days: Fixed(2.0), capacity_trucks_per_day: 10, risk: 0.02),
    ],
    fleet: (trucks: 30, truck_litres: 40000),
    dispatch: (warm_start: false),
)"#;
    let s = load(ron);
    let (dir, files) = draw("two-cities", &s, 5, &ChartOptions::default());
    for want in ["stock-A.png", "stock-B_2.png"] {
        assert!(dir.join("charts").join(want).is_file(), "missing {want}");
    }
    assert!(!dir.join("charts").join("stock.png").exists());
    check_all(&dir, &files, ChartSize::default(), false);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn network_map_alone_and_without_coordinates() {
    // No node has coordinates: a schematic.
    let ron = small("no-coordinates", true, 10, 400_000.0, 2_000_000.0, 0.05, "")
        .replace("lat: 14.7, lon: -17.4, ", "")
        .replace("lat: 12.6, lon: -8.0,", "");
    let s = load(&ron);
    assert!(s.nodes.iter().all(|n| n.lat.is_none()));
    let net = Network::build(&s);
    let c = Conditions::baseline(&s);
    let dir = temp_dir("map");
    let path = dir.join("net.png");
    let opts = ChartOptions {
        svg: true,
        facts: "overrides: none".into(),
        ..ChartOptions::default()
    };
    report::network_map(&s, &net.max_flow(&c), &net.criticality(&c), &path, &opts)
        .expect("map drawn");
    assert_png(&path, ChartSize::default());
    assert_svg(&path.with_extension("svg"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_without_charts_links_nothing() {
    let s = load(&small("bare", true, 10, 400_000.0, 2_000_000.0, 0.05, ""));
    let sum = simulate(&s, 3);
    let dir = temp_dir("bare");
    let flow = report::FlowBaseline::new(&Network::build(&s), &s);
    let files = report::write_report(&dir, &s, &sum, &info(&s), &flow, &report::RunCharts::none())
        .expect("report");
    assert_eq!(files.len(), 2);
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md_links(&md).is_empty(), "{md}");
    assert!(md.contains("No charts were drawn"));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<img"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The page embeds the PNG bytes `write_charts` returned: with `charts/` removed before the
/// report is written, every figure is still there, each one byte for byte the PNG drawn.
#[test]
fn report_embeds_the_charts_it_was_given_without_reading_the_disk() {
    let s = scenario::load(&networks_dir().join("tutorial.ron"))
        .expect("tutorial loads")
        .scenario;
    let sum = simulate(&s, 5);
    let info = info(&s);
    let dir = temp_dir("in-memory");
    let flow = report::FlowBaseline::new(&Network::build(&s), &s);
    let charts = report::write_charts(&dir, &s, &sum, &info, &flow, &ChartOptions::default())
        .expect("charts");
    for d in charts.drawn() {
        assert_eq!(
            std::fs::read(&d.png).unwrap(),
            d.png_bytes,
            "{}",
            d.png.display()
        );
    }
    std::fs::remove_dir_all(dir.join("charts")).unwrap();
    report::write_report(&dir, &s, &sum, &info, &flow, &charts).expect("report");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let links = md_links(&md);
    assert!(links.len() >= 5, "{links:?}");
    let images: Vec<&str> = html
        .split("src=\"data:image/png;base64,")
        .skip(1)
        .map(|t| &t[..t.find('"').unwrap()])
        .collect();
    assert_eq!(images.len(), links.len());
    for (link, b64) in links.iter().zip(&images) {
        let png = charts.png(link).unwrap_or_else(|| panic!("{link} drawn"));
        assert!(unbase64(b64) == png, "{link}: the page embeds other bytes");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Decodes standard base64 with padding (written here, apart from the library's encoder).
fn unbase64(text: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().take_while(|c| *c != b'=') {
        let v = A.iter().position(|a| *a == c).expect("a base64 letter") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn run_command_writes_charts_svg_and_report() {
    let dir = temp_dir("cli");
    let file = networks_dir().join("tutorial.ron");
    let o = run(&[
        "run".as_ref(),
        file.as_os_str(),
        "-n".as_ref(),
        "8".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
        "--svg".as_ref(),
        "--size".as_ref(),
        "800x450".as_ref(),
        "-q".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_png(
        &dir.join("charts").join("stock.png"),
        ChartSize {
            width: 800,
            height: 450,
        },
    );
    assert_svg(&dir.join("charts").join("network.svg"));
    assert_report(&dir);
    let bad = run(&[
        "run".as_ref(),
        file.as_os_str(),
        "--size".as_ref(),
        "800".as_ref(),
    ]);
    // A usage error exits 1; 2 is kept for an invalid scenario (issue 12).
    assert_eq!(
        bad.status.code(),
        Some(1),
        "a malformed --size is a usage error"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_headline_agrees_with_the_terminal_headline() {
    let s = scenario::load(&networks_dir().join("tutorial.ron"))
        .expect("tutorial loads")
        .scenario;
    let sum = simulate(&s, 30);
    let dir = temp_dir("headline");
    let flow = report::FlowBaseline::new(&Network::build(&s), &s);
    report::write_report(&dir, &s, &sum, &info(&s), &flow, &report::RunCharts::none())
        .expect("report");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let head = report::headline(&s, &sum, &info(&s));
    // The unmet demand of each class: "essential  400 L (0.0 % of its demand): 0 L
    // rationed, 400 L dry" -> the same litres in the report's class table.
    for line in head.lines().filter(|l| l.contains("of its demand)")) {
        let litres = line
            .split_whitespace()
            .skip(1)
            .take_while(|w| !w.starts_with('('))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(md.contains(&litres), "report.md lacks {litres:?} ({line})");
    }
    // P(dry by) at each key day: "1 Oct 2025 (day 30): 0 %" -> the key-date table row of
    // that day ends with the same share.
    let probs = head
        .lines()
        .find(|l| l.contains("P(dry by)"))
        .expect("probabilities in the headline");
    for part in probs.trim_end_matches(" %").split(" %, ") {
        let (day, p) = part
            .split_once("(day ")
            .and_then(|(_, r)| r.split_once("): "))
            .expect("(day N): P %");
        let row = md
            .lines()
            .find(|l| l.contains(&format!("(day {day}) |")) && l.matches('|').count() == 4)
            .unwrap_or_else(|| panic!("no key-date row for day {day}"));
        let want = format!("{} % |", p.trim());
        assert!(row.ends_with(&want), "{row:?} should end with {want:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Leftmost and rightmost columns with ink (a pixel darker than light grey).
fn inked_columns(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let img = image::load_from_memory(&bytes)
        .unwrap_or_else(|e| panic!("{}: does not decode: {e}", path.display()))
        .to_rgb8();
    let mut cols = (u32::MAX, 0);
    for (x, _, p) in img.enumerate_pixels() {
        if p.0.iter().any(|c| *c < 200) {
            cols = (cols.0.min(x), cols.1.max(x));
        }
    }
    cols
}

/// The losses chart's column header ("tankers · fuel lost") sits above the longest bar's
/// value: on Bamako it ran into the right margin and was cut at the edge. Nothing may be
/// drawn nearer the right edge than the title is to the left one, in English or French.
#[test]
fn the_losses_header_keeps_out_of_the_right_margin() {
    let s = scenario::load(&networks_dir().join("bamako-2025.ron"))
        .expect("bamako loads")
        .scenario;
    let mut sum = simulate(&s, 40);
    // The worst case: the longest bar ends exactly at the axis' last tick (60 tankers), so
    // the header starts at the plot's right edge.
    let top = (0..sum.segments.len())
        .max_by(|a, b| {
            sum.segments[*a]
                .trucks_lost
                .total_cmp(&sum.segments[*b].trucks_lost)
        })
        .expect("segments");
    let g = &mut sum.segments[top];
    let k = 60.0 / g.trucks_lost;
    g.trucks_lost *= k;
    g.fuel_lost *= k;
    g.fuel_seized *= k;
    let info = RunInfo::default();
    for lang in [report::Lang::En, report::Lang::Fr] {
        let dir = temp_dir(&format!("losses-{lang:?}"));
        let mut opts = ChartOptions::new(ChartSize::default(), false);
        opts.lang = lang;
        let flow = report::FlowBaseline::new(&Network::build(&s), &s);
        report::write_charts(&dir, &s, &sum, &info, &flow, &opts).expect("charts");
        let path = dir.join("charts").join("losses.png");
        let (left, right) = inked_columns(&path);
        let width = ChartSize::default().width;
        assert!(
            width - 1 - right >= left,
            "{lang:?}: ink at column {right} of {width}, within the right margin of {left} px"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
