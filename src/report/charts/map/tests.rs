//! Tests of the map: projection, label placement, legend, classes.

use super::*;

/// Distance from point `p` to the segment `a`–`b`.
fn point_seg(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// Distance from point `p` to the rectangle `r` (0 inside).
fn point_rect(p: (f64, f64), r: Rect) -> f64 {
    let dx = (f64::from(r.0) - p.0).max(p.0 - f64::from(r.2)).max(0.0);
    let dy = (f64::from(r.1) - p.1).max(p.1 - f64::from(r.3)).max(0.0);
    dx.hypot(dy)
}

/// Distance from the segment `a`–`b` to the rectangle `r`: 0 if they meet, else the
/// least of its ends to the rectangle and the rectangle's corners to it.
fn seg_rect(a: (f64, f64), b: (f64, f64), r: Rect) -> f64 {
    let rf = (
        f64::from(r.0),
        f64::from(r.1),
        f64::from(r.2),
        f64::from(r.3),
    );
    if crosses(a, b, rf) {
        return 0.0;
    }
    let corners = [(rf.0, rf.1), (rf.2, rf.1), (rf.2, rf.3), (rf.0, rf.3)];
    corners
        .iter()
        .map(|c| point_seg(*c, a, b))
        .chain([point_rect(a, r), point_rect(b, r)])
        .fold(f64::INFINITY, f64::min)
}

/// The geometry of the map of `file` as drawn at 1600 x 900, in `mode`, under the
/// conditions of `at_day` (baseline if `None`), and the three most critical segments.
fn drawn(file: &str, mode: Mode, at_day: Option<f64>) -> (Scenario, Geometry, Vec<usize>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let s = crate::scenario::load(&path)
        .expect("bundled scenario")
        .scenario;
    let net = crate::network::Network::build(&s);
    let c = match at_day {
        Some(d) => crate::network::Conditions::at_day(&s, d),
        None => crate::network::Conditions::baseline(&s),
    };
    let mf = net.max_flow(&c);
    let crit = net.criticality(&c);
    let closed: Vec<SegmentId> = (0..s.segments.len())
        .filter(|i| !c.open[*i])
        .map(|i| SegmentId(i as u32))
        .collect();
    let risk = attack_risk_on(&s, at_day.unwrap_or(0.0));
    let record = std::cell::RefCell::new(Geometry::default());
    let chart = MapChart {
        s: &s,
        mf: &mf,
        crit: &crit,
        facts: "",
        closed: &closed,
        risk: (mode != Mode::Criticality).then_some(risk.as_slice()),
        mode,
        record: Some(&record),
    };
    super::super::draw::register_fonts().expect("fonts");
    let (w, h) = (1600u32, 900u32);
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        chart
            .draw(&Canvas {
                root: &root,
                st: super::super::draw::Style::new(w, h, false),
            })
            .expect("drawn");
    }
    // The roads the legend lists: the three most critical, or the most dangerous.
    let mut by: Vec<(usize, f64)> = match mode {
        Mode::Criticality => crit
            .iter()
            .map(|c| (c.segment.index(), c.drop_trucks_per_day))
            .collect(),
        _ => risk.iter().copied().enumerate().collect(),
    };
    by.retain(|(_, v)| *v > 0.0);
    by.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = by.iter().take(3).map(|(i, _)| *i).collect();
    (s, record.into_inner(), top)
}

/// Every problem of a map's labels: a label box over a marker, over a road it does not
/// name or over another label; a leader line over a marker, road or label it does
/// not name; a road of `top` (the most critical) without a label of its own.
fn label_problems(s: &Scenario, g: &Geometry, top: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let named_nodes = |n: Names| -> Vec<usize> {
        match n {
            Names::Node(i) => vec![i],
            Names::Road(j) => vec![s.segments[j].from.index(), s.segments[j].to.index()],
            Names::Place => Vec::new(),
        }
    };
    let names_road = |n: Names, j: usize| n == Names::Road(j);
    let node_name = |m: Option<usize>| m.map_or("a capital".to_string(), |i| s.nodes[i].id.clone());
    // Whether point `p` is on the marker `m` (its disc or square).
    let on = |m: &Marker, p: (f64, f64), margin: f64| {
        let (dx, dy) = (p.0 - f64::from(m.at.0), p.1 - f64::from(m.at.1));
        if m.square {
            dx.abs() <= m.r + margin && dy.abs() <= m.r + margin
        } else {
            dx.hypot(dy) <= m.r + margin
        }
    };
    for (k, (n, text, r)) in g.labels.iter().enumerate() {
        for mk in &g.markers {
            let c = pf(mk.at);
            let hit = if mk.square {
                let sq = (
                    (c.0 - mk.r).floor() as i32,
                    (c.1 - mk.r).floor() as i32,
                    (c.0 + mk.r).ceil() as i32,
                    (c.1 + mk.r).ceil() as i32,
                );
                overlaps(sq, *r)
            } else {
                point_rect(c, *r) <= mk.r
            };
            if hit {
                out.push(format!(
                    "label `{text}` over the marker of {}",
                    node_name(mk.node)
                ));
            }
        }
        for (j, a, b, w) in &g.roads {
            if !names_road(*n, *j) && seg_rect(*a, *b, *r) <= w / 2.0 {
                out.push(format!("label `{text}` over road {}", s.segments[*j].id));
            }
        }
        for (m, t2, r2) in g.labels.iter().skip(k + 1) {
            let _ = m;
            if overlaps(*r, *r2) {
                out.push(format!("label `{text}` over label `{t2}`"));
            }
        }
    }
    for (n, a, b) in &g.leaders {
        let own = named_nodes(*n);
        let (a, b) = (pf(*a), pf(*b));
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        let steps = len.ceil().max(1.0) as usize;
        let mut seen: Vec<String> = Vec::new();
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
            // Inside the markers of what it names, a leader points at them.
            if g.markers
                .iter()
                .any(|mk| mk.node.is_some_and(|i| own.contains(&i)) && on(mk, p, 1.0))
            {
                continue;
            }
            for mk in &g.markers {
                if on(mk, p, 0.0) {
                    seen.push(format!("the marker of {}", node_name(mk.node)));
                }
            }
            for (j, ra, rb, w) in &g.roads {
                // Where a named node's roads meet at its marker, a leader leaving the
                // marker passes over them: not a crossing.
                let seg = &s.segments[*j];
                let at_junction = g.markers.iter().any(|mk| {
                    mk.node.is_some_and(|i| {
                        own.contains(&i) && (seg.from.index() == i || seg.to.index() == i)
                    }) && {
                        let k = if mk.square {
                            std::f64::consts::SQRT_2
                        } else {
                            1.0
                        };
                        let c = pf(mk.at);
                        (p.0 - c.0).hypot(p.1 - c.1) <= mk.r * k + w / 2.0 + 3.0
                    }
                });
                if !names_road(*n, *j) && !at_junction && point_seg(p, *ra, *rb) <= w / 2.0 {
                    seen.push(format!("road {}", seg.id));
                }
            }
            for (m, text, r) in &g.labels {
                if m != n && point_rect(p, *r) == 0.0 {
                    seen.push(format!("label `{text}`"));
                }
            }
        }
        seen.dedup();
        for x in seen {
            out.push(format!("leader of {n:?} over {x}"));
        }
    }
    for j in top {
        if !g.labels.iter().any(|(n, _, _)| *n == Names::Road(*j)) {
            out.push(format!(
                "critical road {} has no label of its own",
                s.segments[*j].id
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// No label sits over a marker, crosses a road it does not name or another label, and
/// no leader line does, on the bundled networks, on the baseline map and on the risk
/// map of the most dangerous day (with its closures); the three most critical roads
/// are each labelled.
#[test]
fn labels_hide_nothing_and_cross_no_other_road() {
    let mut all = Vec::new();
    for file in ["networks/mali.ron", "networks/bamako-2025.ron"] {
        for (mode, day) in [(Mode::Criticality, None), (Mode::Risk, Some(-1.0))] {
            let day = day.map(|_| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
                let s = crate::scenario::load(&path).expect("bundled").scenario;
                f64::from(worst_day(&s))
            });
            let (s, g, top) = drawn(file, mode, day);
            assert!(!g.labels.is_empty() && !g.roads.is_empty() && !g.markers.is_empty());
            for p in label_problems(&s, &g, &top) {
                all.push(format!("{file} {mode:?}: {p}"));
            }
        }
    }
    assert!(
        all.is_empty(),
        "{} problems:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn names_drop_notes_and_keep_a_short_form() {
    assert_eq!(
        map_names("Yamoussoukro (GESTOCI depot)"),
        ("Yamoussoukro".to_string(), "Yamoussoukro".to_string())
    );
    assert_eq!(
        map_names("Kidira / Diboli"),
        ("Kidira / Diboli".to_string(), "Diboli".to_string())
    );
    assert_eq!(map_names("Lomé (also Tema / Cotonou)").0, "Lomé");
}

/// The buckets find every box that overlaps and every line that crosses, as the
/// all-pairs test did (deterministic pseudo-random shapes, some touching edges).
#[test]
fn buckets_miss_nothing() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: i32| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as i32
    };
    let rects: Vec<Rect> = (0..300)
        .map(|_| {
            let (a, b) = (next(1000) - 50, next(700) - 50);
            (a, b, a + next(120), b + next(60))
        })
        .collect();
    let lines: Vec<((f64, f64), (f64, f64))> = (0..300)
        .map(|i| {
            let a = (f64::from(next(1000)), f64::from(next(700)));
            let b = match i % 3 {
                0 => (a.0, f64::from(next(700))),  // vertical
                1 => (f64::from(next(1000)), a.1), // horizontal
                _ => (f64::from(next(1000)), f64::from(next(700))),
            };
            (a, b)
        })
        .collect();
    for cell in [7, 48, 500] {
        let mut boxes = Buckets::new(cell);
        for (j, r) in rects.iter().enumerate() {
            boxes.insert_rect(j, *r);
        }
        let mut segs = Buckets::new(cell);
        for (j, (a, b)) in lines.iter().enumerate() {
            segs.insert_line(j, *a, *b);
        }
        for q in rects.iter().step_by(3) {
            let qf = (
                f64::from(q.0),
                f64::from(q.1),
                f64::from(q.2),
                f64::from(q.3),
            );
            let mut got = Vec::new();
            boxes.near(*q, |j| got.push(j));
            let (mut want_boxes, mut found_boxes) = (Vec::new(), Vec::new());
            for (j, r) in rects.iter().enumerate() {
                if overlaps(*r, *q) {
                    want_boxes.push(j);
                    if got.contains(&j) {
                        found_boxes.push(j);
                    }
                }
            }
            assert_eq!(want_boxes, found_boxes, "cell {cell}");
            let mut got = Vec::new();
            segs.near(*q, |j| got.push(j));
            let mut unique = got.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), got.len(), "each line once");
            for (j, (a, b)) in lines.iter().enumerate() {
                if crosses(*a, *b, qf) {
                    assert!(got.contains(&j), "cell {cell}: line {j} missed");
                }
            }
        }
    }
}

#[test]
fn crossing_test() {
    let r = (0.0, 0.0, 10.0, 10.0);
    assert!(crosses((-5.0, 5.0), (15.0, 5.0), r));
    assert!(!crosses((-5.0, 15.0), (15.0, 15.0), r));
    assert!(crosses((5.0, 5.0), (6.0, 6.0), r));
    assert!(!crosses((11.0, -1.0), (20.0, 5.0), r));
}

/// 200, 50 and 15 trucks a day (the bundled network's roads) fall in three different
/// width classes, and each class is half again as wide as the one below at least.
#[test]
fn capacity_widths_tell_200_50_and_15_apart() {
    let b = capacity_bounds(300.0);
    assert_eq!(b, [25.0, 75.0, 175.0]);
    let classes: Vec<usize> = [200.0, 50.0, 15.0]
        .iter()
        .map(|c| capacity_class(*c, &b))
        .collect();
    assert_eq!(classes, [3, 1, 0]);
    for w in CAP_WIDTHS.windows(2) {
        assert!(w[1] >= 1.5 * w[0], "{w:?}");
    }
    // Round bounds for other networks, and every capacity in some class.
    assert_eq!(capacity_bounds(150.0), [10.0, 30.0, 70.0]);
    assert_eq!(capacity_class(f64::NAN, &b), 0);
    assert_eq!(capacity_class(1e9, &b), 3);
}

#[test]
fn criticality_classes() {
    assert_eq!(crit_class(0.0), 0);
    assert_eq!(crit_class(f64::NAN), 0);
    assert_eq!(crit_class(0.05), 1);
    assert_eq!(crit_class(0.3), 3);
    assert_eq!(crit_class(1.0), 4);
}

#[test]
fn the_projection_fills_the_padded_map_at_one_scale_and_centres_a_lone_node() {
    // Two nodes 2 degrees apart east-west and 1 north-south in a 1000 x 600 map with 50 px
    // of padding: the x extent limits the scale (900 px / 2 degrees).
    let map = (0, 0, 1000, 600);
    let p = Projection::new(&[(0.0, 0.0), (2.0, 1.0)], map, 50.0);
    assert_eq!(p.scale, 450.0);
    assert_eq!(p.px((0.0, 0.0)), (50, 525));
    assert_eq!(p.px((2.0, 1.0)), (950, 75));
    // North is up: a larger latitude is a smaller pixel row.
    assert!(p.px((1.0, 1.0)).1 < p.px((1.0, 0.0)).1);
    // One node: scale 1, drawn in the middle of the map.
    let one = Projection::new(&[(5.0, 7.0)], map, 50.0);
    assert_eq!(one.scale, 1.0);
    assert_eq!(one.px((5.0, 7.0)), (500, 300));
}
