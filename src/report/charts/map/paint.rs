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
