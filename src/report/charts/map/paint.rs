//! Painting the marks of the map: node markers by kind, the minimum cut's bars and marks.

use super::*;

/// A pixel point as floats.
pub(super) fn pf(p: (i32, i32)) -> (f64, f64) {
    (f64::from(p.0), f64::from(p.1))
}

/// The size of the marker of a node of `kind`, outline included: radius of its disc, or
/// half the side of its square (`true`).
pub(super) fn marker_size<DB: DrawingBackend>(cv: &Canvas<DB>, kind: &NodeKind) -> (f64, bool) {
    let st = cv.st;
    match kind {
        NodeKind::Depot(_) => (
            f64::from(st.px(13.0)) + f64::from(st.px(2.0).max(1)) / 2.0,
            false,
        ),
        NodeKind::Source { .. } => (
            f64::from(st.px(10.0)) + f64::from(st.px(1.5).max(1)) / 2.0,
            true,
        ),
        NodeKind::Waypoint => (
            f64::from(st.px(5.5)) + f64::from(st.px(2.0).max(1)) / 2.0,
            false,
        ),
    }
}

/// The ends of the bar [`cut_mark`] draws across the segment `a`–`b` of width `w`; `None`
/// for a segment too short to have a direction.
pub(super) fn cut_bar<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    a: (i32, i32),
    b: (i32, i32),
    w: f64,
) -> Option<((i32, i32), (i32, i32))> {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 1.0 {
        return None;
    }
    let (nx, ny) = (-dy / len, dx / len);
    let mid = (f64::from(a.0 + b.0) / 2.0, f64::from(a.1 + b.1) / 2.0);
    let half = (w + 24.0) * cv.st.k / 2.0;
    let p = |s: f64| {
        (
            (mid.0 + nx * s).round() as i32,
            (mid.1 + ny * s).round() as i32,
        )
    };
    Some((p(-half), p(half)))
}

/// A short black bar across the segment's middle: this segment is in the minimum cut.
pub(super) fn cut_mark<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    a: (i32, i32),
    b: (i32, i32),
    w: f64,
) -> Res {
    match cut_bar(cv, a, b, w) {
        Some((p, q)) => cv.line(vec![p, q], INK.to_rgba(), 6.0),
        None => Ok(()),
    }
}

/// Draws the marker of a node of `kind` at `p`.
pub(super) fn node_marker<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    kind: &NodeKind,
    p: (i32, i32),
) -> Res {
    let st = cv.st;
    match kind {
        NodeKind::Depot(_) => {
            let r = st.px(13.0);
            cv.circle(p, r, GREEN.to_rgba(), true)?;
            cv.circle(p, r, INK.to_rgba(), false)
        }
        NodeKind::Source { .. } => {
            let r = st.px(10.0);
            cv.rect((p.0 - r, p.1 - r), (p.0 + r, p.1 + r), BLUE.to_rgba(), true)?;
            cv.rect((p.0 - r, p.1 - r), (p.0 + r, p.1 + r), INK.to_rgba(), false)
        }
        NodeKind::Waypoint => {
            let r = st.px(5.5);
            cv.circle(p, r, WHITE.to_rgba(), true)?;
            cv.circle(p, r, INK.to_rgba(), false)
        }
    }
}

/// Sea, land and borders of the basemap (Natural Earth), clipped to `map`.
pub(super) fn paint_basemap<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    map: (i32, i32, i32, i32),
    proj: &Projection,
    kx: f64,
) -> Res {
    let base = basemap::west_africa();
    let frame = (
        f64::from(map.0),
        f64::from(map.1),
        f64::from(map.2),
        f64::from(map.3),
    );
    cv.rect((map.0, map.1), (map.2, map.3), SEA.to_rgba(), true)?;
    let project = |(lon, lat): (f64, f64)| -> (f64, f64) {
        let (x, y) = proj.px((lon * kx, lat));
        (f64::from(x), f64::from(y))
    };
    let rings: Vec<Vec<(i32, i32)>> = base
        .countries
        .iter()
        .flat_map(|c| c.rings.iter())
        .map(|r| {
            let pts: Vec<(f64, f64)> = r.iter().map(|p| project(*p)).collect();
            basemap::clip(&pts, frame)
                .into_iter()
                .map(|(x, y)| (x.round() as i32, y.round() as i32))
                .collect()
        })
        .filter(|r: &Vec<(i32, i32)>| r.len() >= 3)
        .collect();
    for r in &rings {
        cv.poly(r.clone(), LAND.to_rgba())?;
    }
    for r in &rings {
        let mut closed = r.clone();
        closed.push(r[0]);
        cv.line(closed, BORDER.to_rgba(), 1.4)?;
    }
    Ok(())
}

/// The graticule: meridians and parallels at round degrees, labelled at the map's edges.
pub(super) fn paint_graticule<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    map: (i32, i32, i32, i32),
    proj: &Projection,
    kx: f64,
) -> Res {
    let (mx, my, scale) = (proj.mx, proj.my, proj.scale);
    let lon_lo = (mx - f64::from(map.2 - map.0) / 2.0 / scale) / kx;
    let lon_hi = (mx + f64::from(map.2 - map.0) / 2.0 / scale) / kx;
    let lat_lo = my - f64::from(map.3 - map.1) / 2.0 / scale;
    let lat_hi = my + f64::from(map.3 - map.1) / 2.0 / scale;
    let gf = Font::new(size::NOTE * 0.85, RGBColor(150, 150, 150));
    let (lons, _) = nice_ticks(lon_lo, lon_hi, 6);
    for lon in lons {
        let x = proj.px((lon * kx, my)).0;
        if x > map.0 && x < map.2 {
            cv.line(vec![(x, map.1), (x, map.3)], GRID.to_rgba(), 1.0)?;
            let t = format!("{}°{}", lon.abs(), if lon < 0.0 { "W" } else { "E" });
            let t = if lon == 0.0 { "0°".into() } else { t };
            cv.text(
                &t,
                (x + cv.st.px(4.0), map.3 - cv.st.px(4.0)),
                gf,
                Align::Left,
                VAlign::Baseline,
            )?;
        }
    }
    let (lats, _) = nice_ticks(lat_lo, lat_hi, 5);
    for lat in lats {
        let y = proj.px((mx, lat)).1;
        if y > map.1 && y < map.3 {
            cv.line(vec![(map.0, y), (map.2, y)], GRID.to_rgba(), 1.0)?;
            let t = format!("{}°{}", lat.abs(), if lat < 0.0 { "S" } else { "N" });
            let t = if lat == 0.0 { "0°".into() } else { t };
            cv.text(
                &t,
                (map.0 + cv.st.px(4.0), y - cv.st.px(4.0)),
                gf,
                Align::Left,
                VAlign::Baseline,
            )?;
        }
    }
    Ok(())
}
