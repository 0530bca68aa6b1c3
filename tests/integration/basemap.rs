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
