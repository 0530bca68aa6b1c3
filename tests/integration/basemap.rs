//! The network map is drawn over West Africa's sea, land and borders (Natural Earth),
//! compiled into the program: the map of `mali.ron` shows them.

use crate::common;

#[test]
fn the_mali_map_shows_sea_and_land_under_the_network() {
    let dir = std::env::temp_dir().join(format!("blockade-basemap-{}", std::process::id()));
    let file = common::networks_dir().join("mali.ron");
    let o = common::run(&[
        "network".as_ref(),
        file.as_os_str(),
        "--json".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let img = image::open(dir.join("network.png"))
        .expect("a PNG")
        .to_rgb8();
    let total = f64::from(img.width() * img.height());
    let share = |rgb: [u8; 3]| img.pixels().filter(|p| p.0 == rgb).count() as f64 / total;
    let sea = share([228, 238, 246]);
    let land = share([247, 245, 239]);
    assert!(sea > 0.02, "sea covers {sea:.3} of the map");
    assert!(land > 0.15, "land covers {land:.3} of the map");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_risk_maps_show_the_blockade_days_risks() {
    use blockade::report::{attack_risk_on, worst_day};
    let file = common::networks_dir().join("bamako-2025.ron");
    let s = blockade::scenario::load(&file).unwrap().scenario;
    let worst = worst_day(&s);
    let sum = |d: f64| attack_risk_on(&s, d).iter().sum::<f64>();
    // Before the 3 Sept declaration (day 2) the roads are at their pre-blockade risks.
    assert!(worst >= 2, "worst day {worst}");
    assert!(sum(f64::from(worst)) > 2.0 * sum(0.0));
    for d in 0..s.horizon_days {
        assert!(
            sum(f64::from(d)) <= sum(f64::from(worst)) + 1e-12,
            "day {d}"
        );
    }
    // A segment closed on that day carries no risk.
    let on_day_15 = attack_risk_on(&s, 15.0);
    let kay_die = s.segments.iter().position(|g| g.id == "KAY-DIE").unwrap();
    assert_eq!(on_day_15[kay_die], 0.0, "Kayes–Diéma is closed on 16 Sept");
    // `network --out` and `run` draw them.
    let dir = std::env::temp_dir().join(format!("blockade-riskmap-{}", std::process::id()));
    let o = common::run(&[
        "network".as_ref(),
        file.as_os_str(),
        "--at-day".as_ref(),
        "15".as_ref(),
        "--json".as_ref(),
        "--out".as_ref(),
        dir.join("net").as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    image::open(dir.join("net").join("network-risk.png")).expect("network-risk.png");
    let o = common::run(&[
        "run".as_ref(),
        file.as_os_str(),
        "-n".as_ref(),
        "4".as_ref(),
        "-q".as_ref(),
        "--out".as_ref(),
        dir.join("run").as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    image::open(dir.join("run").join("charts").join("risk.png")).expect("risk.png");
    image::open(dir.join("run").join("charts").join("losses-map.png")).expect("losses-map.png");
    let md = std::fs::read_to_string(dir.join("run").join("report.md")).unwrap();
    assert!(md.contains("charts/risk.png") && md.contains("charts/losses-map.png"));
    std::fs::remove_dir_all(&dir).ok();
}
