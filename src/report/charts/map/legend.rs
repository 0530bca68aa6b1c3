//! The map's legend panel: road colours and widths, markers, the roads it lists by name,
//! the scale bar.

use super::*;

/// What the legend on the right of the map shows.
pub(super) struct Panel {
    /// Largest segment capacity, trucks per day.
    pub(super) max_cap: f64,
    /// Line width of a capacity, before scaling.
    pub(super) cap_bounds: [f64; 3],
    /// Whether any segment is in the minimum cut.
    pub(super) has_cut: bool,
    /// Whether any segment is closed under the conditions shown.
    pub(super) has_closed: bool,
    /// Kilometres per pixel, for the scale bar (geographic maps only).
    pub(super) km_per_px: Option<f64>,
    /// The most critical segments: short name and share of the max flow lost (or, in
    /// risk mode, the most dangerous: short name and attack probability).
    pub(super) top_crit: Vec<(String, f64)>,
    /// What the road colours show.
    pub(super) mode: Mode,
}

/// The legend on the right of the map.
pub(super) fn legend_panel<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    (x, mut y): (i32, i32),
    w: i32,
    p: &Panel,
) -> Res {
    let st = cv.st;
    let hf = Font::bold(size::LEGEND, INK);
    let f = Font::new(size::LEGEND * 0.95, INK);
    let line_h = cv.cap(f) + st.px(17.0);
    let sw = st.px(54.0);
    let tx = x + sw + st.px(14.0);
    let fit = |t: &str| cv.fit(t, f, w - sw - st.px(14.0));
    let heading = |y: &mut i32, t: &str| -> Res {
        cv.text(&cv.fit(t, hf, w), (x, *y), hf, Align::Left, VAlign::Top)?;
        *y += cv.cap(hf) + st.px(16.0);
        Ok(())
    };
    let l = st.lang;
    heading(&mut y, l.t(Msg::MapPlaces))?;
    for (kind, label) in [
        (
            NodeKind::Source {
                supply_litres_per_day: 0.0,
                fleet_share: None,
            },
            l.t(Msg::MapLoadingPoint),
        ),
        (
            NodeKind::Depot(crate::scenario::Depot {
                capacity_litres: 0.0,
                initial_stock_litres: 0.0,
                demand: Vec::new(),
                rationing: crate::scenario::Rationing {
                    trigger_days: 0.0,
                    protected_priority: 0,
                    ration_fraction: 0.0,
                },
            }),
            l.t(Msg::MapDepot),
        ),
        (NodeKind::Waypoint, l.t(Msg::MapTown)),
    ] {
        node_marker(cv, &kind, (x + sw / 2, y + cv.cap(f) / 2))?;
        cv.text(&fit(label), (tx, y), f, Align::Left, VAlign::Top)?;
        y += line_h;
    }
    y += st.px(10.0);
    heading(&mut y, l.t(Msg::MapCapacity))?;
    // One line per width class, widest first, with its range of capacities.
    let b = p.cap_bounds;
    let num = |v: f64| l.digits(&tick_label(v, 1.0));
    let classes = [
        (3, tr!(l, MapCapOver, x = num(b[2]))),
        (2, format!("{}–{}", num(b[1]), num(b[2]))),
        (1, format!("{}–{}", num(b[0]), num(b[1]))),
        (0, tr!(l, MapCapUpTo, x = num(b[0]))),
    ];
    if p.max_cap > 0.0 {
        for (k, label) in classes {
            let mid = y + cv.cap(f) / 2;
            cv.line(
                vec![(x, mid), (x + sw, mid)],
                CRIT[0].to_rgba(),
                CAP_WIDTHS[k],
            )?;
            cv.text(&fit(&label), (tx, y), f, Align::Left, VAlign::Top)?;
            y += line_h;
        }
    }
    y += st.px(10.0);
    let (palette, labels, title) = match p.mode {
        Mode::Risk => (&RISK, &RISK_LABELS, Msg::MapLegendRisk),
        Mode::Losses => (&RISK, &LOSS_LABELS, Msg::MapLegendLosses),
        Mode::Criticality => (&CRIT, &CRIT_LABELS, Msg::MapLegendCrit),
    };
    heading(&mut y, l.t(title))?;
    for (c, label) in palette.iter().zip(labels.iter()) {
        let mid = y + cv.cap(f) / 2;
        cv.line(vec![(x, mid), (x + sw, mid)], c.to_rgba(), 9.0)?;
        cv.text(&fit(l.t(*label)), (tx, y), f, Align::Left, VAlign::Top)?;
        y += line_h;
    }
    if p.has_cut {
        y += st.px(10.0);
        let mid = y + cv.cap(f) / 2;
        cv.line(vec![(x, mid), (x + sw, mid)], INK.to_rgba(), 16.0)?;
        cv.line(vec![(x, mid), (x + sw, mid)], CRIT[0].to_rgba(), 9.0)?;
        cut_mark(cv, (x, mid), (x + sw, mid), 9.0)?;
        cv.text(
            &fit(l.t(Msg::MapCut1)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += cv.cap(f) + st.px(10.0);
        cv.text(
            &fit(l.t(Msg::MapCut2)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += line_h;
    }
    if p.has_closed {
        y += st.px(10.0);
        let mid = y + cv.cap(f) / 2;
        cv.dashed((x, mid), (x + sw, mid), CLOSED.to_rgba(), 4.0)?;
        let c = (x + sw / 2, mid);
        cv.circle(c, st.px(13.0), WHITE.to_rgba(), true)?;
        cv.cross(c, st.px(9.0), CLOSED.to_rgba(), 4.0)?;
        cv.text(
            &fit(l.t(Msg::MapClosedLegend)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += line_h;
    }
    if let Some(kpp) = p.km_per_px {
        y += st.px(10.0);
        heading(&mut y, l.t(Msg::MapScale))?;
        // A round length of about half the panel.
        let want = kpp * f64::from(w) * 0.5;
        let (_, step) = nice_ticks(0.0, want, 1);
        let km = [1.0, 0.5, 0.25, 0.2, 0.1]
            .iter()
            .map(|f| step * f)
            .find(|k| *k <= want)
            .unwrap_or(step)
            .max(1.0);
        let len = (km / kpp).round() as i32;
        let bh = st.px(9.0);
        cv.rect((x, y), (x + len / 2, y + bh), INK.to_rgba(), true)?;
        cv.rect((x + len / 2, y), (x + len, y + bh), WHITE.to_rgba(), true)?;
        cv.rect((x, y), (x + len, y + bh), INK.to_rgba(), false)?;
        cv.text(
            &format!("{} km", l.digits(&tick_label(km, km))),
            (x + len + st.px(12.0), y + bh / 2),
            f,
            Align::Left,
            VAlign::Middle,
        )?;
        y += bh + st.px(16.0);
    }
    if !p.top_crit.is_empty() {
        y += st.px(10.0);
        heading(
            &mut y,
            l.t(match p.mode {
                Mode::Risk => Msg::MapTopRisk,
                Mode::Losses => Msg::MapTopLosses,
                Mode::Criticality => Msg::MapTopCrit,
            }),
        )?;
        let pf = Font::new(size::LEGEND * 0.95, INK);
        for (k, (name, share)) in p.top_crit.iter().enumerate() {
            let share = match p.mode {
                Mode::Risk => l.percent(&format!("{:.1}", 100.0 * share)),
                Mode::Losses => l.digits(&tick_label(*share, 0.1)),
                Mode::Criticality => format!("−{}", l.percent(&format!("{:.0}", 100.0 * share))),
            };
            let sw_ = cv.width(&share, pf);
            cv.text(&share, (x + w, y), pf, Align::Right, VAlign::Top)?;
            let text = cv.fit(&format!("{}. {name}", k + 1), pf, w - sw_ - st.px(12.0));
            cv.text(&text, (x, y), pf, Align::Left, VAlign::Top)?;
            y += line_h;
        }
    }
    Ok(())
}
