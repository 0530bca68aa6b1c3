//! Painting a map from its data (`data.rs`): the header and notes, the projection to
//! pixels, the basemap, roads, markers, labels placed by the `Placer`, the legend panel
//! and the scale bar.
//!
//! Stays long (~530 lines): one `draw` whose steps share the pixel positions, the geometry
//! drawn so far and the placer's state; the label-placement loop is the next step to move
//! out (into `labels.rs`) as a function of that shared state.

use super::*;

impl Chart for MapChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let s = self.s;
        let st = cv.st;
        let l = st.lang;
        let m = cv.margin();
        let d = MapData::new(self, l);
        let top = header(cv, &d.header)? + st.px(4.0);
        let lay = &d.places;
        let mut geo = Geometry::default();

        let note_lines = &d.notes;
        // Labels shortened or left out are only known after placement; reserve a line for
        // each.
        let note_h = cv.cap(Font::new(size::NOTE, MUTED)) + st.px(12.0);
        let reserve = 2 * note_h;
        let bottom_notes = notes(cv, note_lines)?;
        let bottom = bottom_notes - reserve;

        // The legend panel on the right, the map on the left.
        let panel_w = st.px(400.0);
        let map = (m, top, st.w - m - panel_w - st.px(20.0), bottom);
        let pad = st.px(50.0) as f64;
        let placed: Vec<(f64, f64)> = lay.pos.iter().flatten().copied().collect();
        let proj = Projection::new(&placed, map, pad);
        let scale = proj.scale;
        let to_px = |p: (f64, f64)| proj.px(p);
        let px: Vec<Option<(i32, i32)>> = lay.pos.iter().map(|p| p.map(to_px)).collect();
        let geo_map = lay.geo && placed.len() >= 2;
        let near_node = |q: (i32, i32), r: i32| {
            px.iter()
                .flatten()
                .any(|p| (p.0 - q.0).abs() <= r && (p.1 - q.1).abs() <= r)
        };

        // Geography: sea, land, borders and country names (Natural Earth), under everything;
        // then the graticule.
        if geo_map {
            paint_basemap(cv, map, &proj, lay.kx)?;
        }
        if lay.geo && placed.len() >= 2 {
            paint_graticule(cv, map, &proj, lay.kx)?;
        }

        // Segments.
        let road = |i: usize| &d.roads[i];
        let ends = |i: usize| -> Option<((i32, i32), (i32, i32))> {
            let g = &s.segments[i];
            Some((px[g.from.index()]?, px[g.to.index()]?))
        };
        let order = &d.order;
        for &i in order {
            if let (true, Some((a, b))) = (road(i).in_cut, ends(i)) {
                let w = road(i).width + 7.0;
                cv.line(vec![a, b], INK.to_rgba(), w)?;
                geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(w))));
            }
        }
        for &i in order {
            if let Some((a, b)) = ends(i) {
                if road(i).closed {
                    // A white casing, so the dashes read as a road that is not there today.
                    cv.line(vec![a, b], WHITE.mix(0.9), 9.0)?;
                    cv.dashed(a, b, CLOSED.to_rgba(), 4.0)?;
                    geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(9.0))));
                } else {
                    let w = road(i).width;
                    cv.line(vec![a, b], road(i).color.to_rgba(), w)?;
                    geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(w))));
                }
            }
        }
        for &i in order {
            if let (true, Some((a, b))) = (road(i).closed, ends(i)) {
                let mid = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
                let r = st.px(9.0);
                cv.circle(mid, r + st.px(4.0), WHITE.to_rgba(), true)?;
                cv.cross(mid, r, CLOSED.to_rgba(), 4.0)?;
                geo.roads
                    .push((i, pf(mid), pf(mid), f64::from(2 * (r + st.px(4.0)))));
            }
        }
        for &i in order {
            if let (true, Some((a, b))) = (road(i).in_cut, ends(i)) {
                let w = road(i).width;
                cut_mark(cv, a, b, w)?;
                if let Some((p, q)) = cut_bar(cv, a, b, w) {
                    geo.roads.push((i, pf(p), pf(q), f64::from(cv.stroke(6.0))));
                }
            }
        }

        // Nodes.
        let node_r = |i: usize| -> i32 {
            match s.nodes[i].kind {
                NodeKind::Depot(_) => st.px(13.0),
                NodeKind::Source { .. } => st.px(10.0),
                NodeKind::Waypoint => st.px(5.5),
            }
        };
        for (i, p) in px.iter().enumerate() {
            if let Some(p) = *p {
                node_marker(cv, &s.nodes[i].kind, p)?;
                let (r, square) = marker_size(cv, &s.nodes[i].kind);
                geo.markers.push(Marker {
                    node: Some(i),
                    at: p,
                    r,
                    square,
                });
            }
        }

        // The roads the legend lists by name (the most critical, or the most dangerous):
        // each gets a label on the map too, since a short road (Kati–Bamako) can hide under
        // its end markers.
        let listed = &d.listed;

        // Capitals of the basemap that are not network nodes: a small square, drawn before
        // any label is placed so that none covers it; their names come last.
        let mut capitals: Vec<(&str, (i32, i32))> = Vec::new();
        if geo_map {
            for k in &basemap::west_africa().capitals {
                let (x, y) = to_px((k.at.0 * lay.kx, k.at.1));
                let r = st.px(4.0);
                if x - r < map.0 || x + r > map.2 || y - r < map.1 || y + r > map.3 {
                    continue;
                }
                if near_node((x, y), st.px(14.0)) {
                    continue; // the network node is the capital (Bamako, Dakar, ...)
                }
                cv.rect((x - r, y - r), (x + r, y + r), CAPITAL.to_rgba(), true)?;
                geo.markers.push(Marker {
                    node: None,
                    at: (x, y),
                    r: f64::from(r),
                    square: true,
                });
                capitals.push((&k.name, (x, y)));
            }
        }

        // Labels: depots and sources, then the roads the legend lists, then towns by
        // number of segments. Each takes the first free place among candidates near what
        // it names: free means inside the map, over no marker, label or leader line, and
        // clear of every road; further out, a leader line that crosses nothing but what
        // the label names. The full name first, then a short form (said in a note); a
        // label with no free place is left out (said in a note).
        let mut degrees = vec![0usize; s.nodes.len()];
        for g in &s.segments {
            degrees[g.from.index()] += 1;
            if g.to != g.from {
                degrees[g.to.index()] += 1;
            }
        }
        let rank = |i: usize| match s.nodes[i].kind {
            NodeKind::Depot(_) => 0,
            NodeKind::Source { .. } => 1,
            NodeKind::Waypoint => 3,
        };
        enum Item {
            Node(usize),
            Road(SegmentId),
        }
        let mut items: Vec<(usize, usize, usize, Item)> = (0..s.nodes.len())
            .filter(|i| px[*i].is_some())
            .map(|i| (rank(i), usize::MAX - degrees[i], i, Item::Node(i)))
            .collect();
        for (k, (seg, _)) in listed.iter().enumerate() {
            if ends(seg.index()).is_some() {
                items.push((2, k, seg.index(), Item::Road(*seg)));
            }
        }
        items.sort_by_key(|(a, b, c, _)| (*a, *b, *c));
        let mut placer = Placer::new(
            st.px(48.0).max(8),
            (map.0, map.1, map.2 + st.px(10.0), map.3),
            &geo,
            f64::from(st.px(2.0)),
            s.segments
                .iter()
                .map(|g| (g.from.index(), g.to.index()))
                .collect(),
        );
        let mut labels: Vec<Label> = Vec::new();
        let mut unlabelled: Vec<String> = Vec::new();
        let mut shortened: Vec<String> = Vec::new();
        let padding = st.px(3.0);
        let road_font = Font::bold(size::LABEL * 0.9, INK);
        for (_, _, _, item) in &items {
            let (names, texts, f, number) = match item {
                Item::Node(i) => {
                    let bold = rank(*i) < 2;
                    let f = if bold {
                        Font::bold(size::LABEL, INK)
                    } else {
                        Font::new(size::LABEL * 0.85, INK)
                    };
                    let (full, short) = map_names(&s.nodes[*i].name);
                    (Names::Node(*i), (full, short), f, None)
                }
                Item::Road(seg) => (
                    Names::Road(seg.index()),
                    (road_name(s, *seg, false), road_name(s, *seg, true)),
                    road_font,
                    listed.iter().position(|(g, _)| g == seg),
                ),
            };
            let mut texts_to_try = vec![texts.0.clone()];
            if texts.1 != texts.0 {
                texts_to_try.push(texts.1.clone());
            }
            // Last, a road's number in the legend's list.
            if let Some(k) = number {
                texts_to_try.push((k + 1).to_string());
            }
            let cap = cv.cap(f);
            let mut found: Option<Label> = None;
            for text in &texts_to_try {
                let w = cv.width(text, f);
                // The label box for a text whose top-left corner is at (x0, y0).
                let rect_at = |x0: i32, y0: i32| {
                    (
                        x0 - padding,
                        y0 - padding,
                        x0 + w + padding,
                        y0 + cap + padding,
                    )
                };
                // (top-left of the text, leader from, leader to)
                let mut cands: Vec<(Pt, Option<(Pt, Pt)>)> = Vec::new();
                match item {
                    Item::Node(i) => {
                        let (x, y) = px[*i].unwrap_or_default();
                        let r = node_r(*i);
                        let g = st.px(5.0);
                        for far in [1.0, 2.0, 3.0, 4.5, 6.5, 9.0] {
                            let d = (f64::from(r + g) * far) as i32
                                + if far > 1.0 { st.px(6.0) } else { 0 };
                            let dd = (f64::from(d) * 0.75) as i32;
                            let (hx, hy) =
                                ((f64::from(d) * 0.87) as i32, (f64::from(d) * 0.5) as i32);
                            for (ax, ay, al) in [
                                (x + d, y - cap / 2, Align::Left),
                                (x - d, y - cap / 2, Align::Right),
                                (x + dd, y - dd - cap, Align::Left),
                                (x + dd, y + dd, Align::Left),
                                (x - dd, y - dd - cap, Align::Right),
                                (x - dd, y + dd, Align::Right),
                                (x, y - d - cap, Align::Center),
                                (x, y + d, Align::Center),
                                (x + hx, y - hy - cap, Align::Left),
                                (x + hx, y + hy, Align::Left),
                                (x - hx, y - hy - cap, Align::Right),
                                (x - hx, y + hy, Align::Right),
                            ] {
                                let x0 = match al {
                                    Align::Left => ax,
                                    Align::Right => ax - w,
                                    Align::Center => ax - w / 2,
                                };
                                let lead = (far > 1.0).then(|| {
                                    let tx = match al {
                                        Align::Left => x0 - padding,
                                        Align::Right => x0 + w + padding,
                                        Align::Center => x0 + w / 2,
                                    };
                                    let ty = if ay + cap < y {
                                        ay + cap + padding
                                    } else if ay > y {
                                        ay - padding
                                    } else {
                                        ay + cap / 2
                                    };
                                    ((x, y), (tx, ty))
                                });
                                cands.push(((x0, ay), lead));
                            }
                        }
                    }
                    Item::Road(seg) => {
                        let (a, b) = ends(seg.index()).unwrap_or_default();
                        let (a, b) = (pf(a), pf(b));
                        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                        let len = dx.hypot(dy);
                        let hw = geo
                            .roads
                            .iter()
                            .filter(|r| r.0 == seg.index())
                            .map(|r| r.3 / 2.0)
                            .fold(0.0, f64::max);
                        let (ex, ey) = (
                            f64::from(w + 2 * padding) / 2.0,
                            f64::from(cap + 2 * padding) / 2.0,
                        );
                        let box_at = |c: (f64, f64)| {
                            (
                                (c.0 - ex).round() as i32 + padding,
                                (c.1 - ey).round() as i32 + padding,
                            )
                        };
                        // Beside the road, along it, on either side.
                        if len >= 1.0 {
                            let (nx, ny) = (-dy / len, dx / len);
                            let support = nx.abs() * ex + ny.abs() * ey;
                            let off = hw + f64::from(st.px(5.0)) + support;
                            for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
                                // Either side, then on the road itself (the one it names).
                                for side in [1.0, -1.0, 0.0] {
                                    let c = (
                                        a.0 + t * dx + side * nx * off,
                                        a.1 + t * dy + side * ny * off,
                                    );
                                    cands.push((box_at(c), None));
                                }
                            }
                        }
                        // Further out, with a leader line to the road's middle.
                        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                        for dist in [40.0, 70.0, 100.0, 140.0, 190.0, 250.0] {
                            let dist = dist * st.k;
                            for k in [0, 8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15] {
                                let angle = f64::from(k) * std::f64::consts::PI / 8.0;
                                let (ux, uy) = (angle.cos(), -angle.sin());
                                let support = f64::abs(ux) * ex + f64::abs(uy) * ey;
                                let c =
                                    (mid.0 + ux * (dist + support), mid.1 + uy * (dist + support));
                                let at = box_at(c);
                                let m = (mid.0.round() as i32, mid.1.round() as i32);
                                // The leader ends at the box's point nearest the road.
                                let r = rect_at(at.0, at.1);
                                let tip = (m.0.clamp(r.0, r.2), m.1.clamp(r.1, r.3));
                                cands.push((at, Some((m, tip))));
                            }
                        }
                    }
                }
                let (own_nodes, own_road) = match names {
                    Names::Node(i) => (vec![i], None),
                    Names::Road(j) => (
                        vec![s.segments[j].from.index(), s.segments[j].to.index()],
                        Some(j),
                    ),
                    Names::Place => (Vec::new(), None),
                };
                for (at, lead) in cands {
                    let rect = rect_at(at.0, at.1);
                    if !placer.box_free(rect, own_road) {
                        continue;
                    }
                    let lead = match lead {
                        Some((p, q)) => {
                            match placer.leader_free(pf(p), pf(q), &own_nodes, own_road, rect) {
                                Some(start) => {
                                    Some((if own_road.is_some() { p } else { start }, q))
                                }
                                None => continue,
                            }
                        }
                        None => None,
                    };
                    placer.take_box(rect);
                    if let Some((p, q)) = lead {
                        placer.take_leader(pf(p), pf(q));
                    }
                    found = Some(Label {
                        text: text.clone(),
                        at,
                        font: f,
                        leader: lead,
                        names,
                        road: own_road.map(|j| d.roads[j].color),
                    });
                    break;
                }
                if found.is_some() {
                    if *text != texts.0 {
                        shortened.push(format!("{} ({})", text, texts.0));
                    }
                    break;
                }
            }
            match found {
                Some(l) => labels.push(l),
                None => unlabelled.push(texts.0.clone()),
            }
        }
        for l in &labels {
            if let Some((a, b)) = l.leader {
                cv.line(vec![a, b], MUTED.mix(0.9), 1.5)?;
                if l.road.is_some() {
                    cv.circle(a, st.px(4.0), INK.to_rgba(), true)?;
                }
                geo.leaders.push((l.names, a, b));
            }
        }
        for l in &labels {
            let w = cv.width(&l.text, l.font);
            let (x0, y0) = l.at;
            let p = padding;
            let rect = (x0 - p, y0 - p, x0 + w + p, y0 + cv.cap(l.font) + p);
            cv.rect((rect.0, rect.1), (rect.2, rect.3), WHITE.mix(0.85), true)?;
            if let Some(c) = l.road {
                // A road's name is framed in the road's colour.
                cv.rect((rect.0, rect.1), (rect.2, rect.3), c.to_rgba(), false)?;
            }
            cv.text(&l.text, l.at, l.font, Align::Left, VAlign::Top)?;
            geo.labels.push((l.names, l.text.clone(), rect));
        }
        // Country names, then the names of the capitals drawn above, each placed only where
        // it covers no marker, no label and no road.
        if geo_map {
            let nf = Font::new(size::LABEL * 1.05, COUNTRY);
            for c in &basemap::west_africa().countries {
                let Some(at) = c.label else { continue };
                let (x, y) = to_px((at.0 * lay.kx, at.1));
                let text = crate::report::lang::country(l, &c.name).to_uppercase();
                let w = cv.width(&text, nf);
                let h = cv.cap(nf);
                // The label point, or a little above or below it: never near a network
                // marker, inside the frame.
                for dy in [0, -2, 2, -4, 4] {
                    let top = y - h / 2 + dy * h;
                    let rect = (
                        x - w / 2 - st.px(4.0),
                        top - st.px(4.0),
                        x + w / 2 + st.px(4.0),
                        top + h + st.px(4.0),
                    );
                    let inside =
                        rect.0 > map.0 && rect.2 < map.2 && rect.1 > map.1 && rect.3 < map.3;
                    let clear = !px.iter().flatten().any(|p| {
                        p.0 > rect.0 - st.px(12.0)
                            && p.0 < rect.2 + st.px(12.0)
                            && p.1 > rect.1 - st.px(12.0)
                            && p.1 < rect.3 + st.px(12.0)
                    });
                    if inside && clear && placer.box_free(rect, None) {
                        cv.text(&text, (x, top), nf, Align::Center, VAlign::Top)?;
                        geo.labels.push((
                            Names::Place,
                            text.clone(),
                            (x - w / 2, top, x - w / 2 + w, top + h),
                        ));
                        placer.take_box(rect);
                        break;
                    }
                }
            }

            let kf = Font::new(size::LABEL * 0.85, CAPITAL);
            for (name, (x, y)) in &capitals {
                let (x, y) = (*x, *y);
                let r = st.px(4.0);
                let w = cv.width(name, kf);
                let cap = cv.cap(kf);
                let g = st.px(6.0);
                let cands = [
                    (x + r + g, y - cap / 2),
                    (x - r - g - w, y - cap / 2),
                    (x - w / 2, y - r - g - cap),
                    (x - w / 2, y + r + g),
                ];
                for (x0, y0) in cands {
                    let rect = (
                        x0 - st.px(2.0),
                        y0 - st.px(2.0),
                        x0 + w + st.px(2.0),
                        y0 + cap + st.px(2.0),
                    );
                    let fits =
                        rect.0 >= map.0 && rect.1 >= map.1 && rect.2 <= map.2 && rect.3 <= map.3;
                    if fits && placer.box_free(rect, None) {
                        cv.text(name, (x0, y0), kf, Align::Left, VAlign::Top)?;
                        geo.labels.push((
                            Names::Place,
                            name.to_string(),
                            (x0, y0, x0 + w, y0 + cap),
                        ));
                        placer.take_box(rect);
                        break;
                    }
                }
            }
        }
        let mut left_out: Vec<String> = Vec::new();
        if !shortened.is_empty() {
            left_out.push(tr!(l, MapShortened, names = shortened.join(", ")));
        }
        if !unlabelled.is_empty() {
            left_out.push(tr!(l, MapNotLabelled, names = unlabelled.join(", ")));
        }
        for (k, line) in left_out.iter().enumerate() {
            cv.text(
                &cv.fit(line, Font::new(size::NOTE, MUTED), st.w - 2 * m),
                (m, bottom_notes - reserve + st.px(4.0) + k as i32 * note_h),
                Font::new(size::NOTE, MUTED),
                Align::Left,
                VAlign::Top,
            )?;
        }

        let km_per_px = (lay.geo && placed.len() >= 2 && scale.is_finite() && scale > 0.0)
            .then(|| 111.32 / scale);
        if let Some(r) = self.record {
            *r.borrow_mut() = geo;
        }
        legend_panel(
            cv,
            (st.w - m - panel_w, top + st.px(6.0)),
            panel_w,
            &Panel {
                km_per_px,
                ..d.panel
            },
        )
    }
}
