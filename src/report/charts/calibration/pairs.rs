//! The pairs chart of a calibration: every pair of inputs, retained points over the prior.

use super::*;

/// A number short enough for a small cell: `17M`, `250k`, `0.05`.
pub(super) fn compact(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{}M", sig3(v / 1e6))
    } else if v.abs() >= 1e4 {
        format!("{}k", sig3(v / 1e3))
    } else {
        sig3(v)
    }
}

/// Most inputs in the pairs plot.
pub(super) const MAX_PAIRS: usize = 6;

/// Pairs plot: every pair of inputs (at most [`MAX_PAIRS`], those narrowed most), the first wave's points (grey) and the retained ones
/// (blue), each axis over the prior's range; the input's name on the diagonal.
pub(crate) struct PairsChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the names of its inputs).
    pub s: &'a Scenario,
}

impl Chart for PairsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let c = self.c;
        let kept = c.retained();
        // At most MAX_PAIRS inputs, those the observations narrow most (smallest retained
        // share of the prior's range), in file order: more cells than that cannot be read.
        let ranges = c.ranges();
        let mut shown: Vec<usize> = (0..c.inputs.len()).collect();
        shown.sort_by(|x, y| {
            ranges[*x]
                .share()
                .total_cmp(&ranges[*y].share())
                .then(x.cmp(y))
        });
        shown.truncate(MAX_PAIRS);
        shown.sort_unstable();
        let which = if shown.len() < c.inputs.len() {
            format!(
                "the {} of {} inputs narrowed most (all: calibration-points.csv); ",
                shown.len(),
                c.inputs.len()
            )
        } else {
            String::new()
        };
        let top = header(
            cv,
            &Header {
                title: format!("{}: retained inputs, two at a time", self.s.name),
                subtitle: format!(
                    "{which}{} retained points over the first wave's {}; axes span the priors",
                    kept.len(),
                    c.waves[0].points.len()
                ),
                legend: vec![
                    Legend::new(
                        Swatch::Fill(PRIOR, 1.0),
                        "first wave (a Latin hypercube over the prior)",
                    ),
                    Legend::new(Swatch::Fill(BLUE, 0.85), "retained"),
                ],
            },
        )?;
        let m = cv.margin();
        let k = shown.len();
        let side = ((cv.st.w - 2 * m).min(cv.st.h - top - m)) / k.max(1) as i32;
        let x_start = m + ((cv.st.w - 2 * m) - side * k as i32) / 2;
        let f = Font::new(size::LABEL * 0.85, INK);
        for (ia, &a) in shown.iter().enumerate() {
            for (ib, &b) in shown.iter().enumerate() {
                let (x0, y0) = (x_start + ib as i32 * side, top + ia as i32 * side);
                let pad = cv.st.px(6.0);
                let ax = Axes {
                    l: x0 + pad,
                    t: y0 + pad,
                    r: x0 + side - pad,
                    b: y0 + side - pad,
                    x0: c.inputs[b].dist.plot_range().0,
                    x1: c.inputs[b].dist.plot_range().1,
                    y0: c.inputs[a].dist.plot_range().0,
                    y1: c.inputs[a].dist.plot_range().1,
                };
                cv.rect((ax.l, ax.t), (ax.r, ax.b), GREY.to_rgba(), false)?;
                if a == b {
                    let (lo, hi) = c.inputs[a].dist.plot_range();
                    // The input's name on up to three lines, then its prior range.
                    let mut lines = wrap(
                        cv,
                        &input_name(self.s, &c.inputs[a].path),
                        f,
                        side - 4 * pad,
                        3,
                    );
                    let pf = Font::new(size::LABEL * 0.8, MUTED);
                    lines.push(cv.fit(
                        &format!("{}–{}", compact(lo), compact(hi)),
                        pf,
                        side - 2 * pad,
                    ));
                    let n = lines.len() as i32;
                    for (i, l) in lines.iter().enumerate() {
                        cv.text(
                            l,
                            (
                                (ax.l + ax.r) / 2,
                                (ax.t + ax.b) / 2 + (2 * i as i32 - (n - 1)) * cv.cap(f),
                            ),
                            if i + 1 < lines.len() { f } else { pf },
                            Align::Center,
                            VAlign::Middle,
                        )?;
                    }
                    continue;
                }
                let r = cv.st.px(3.5).max(2);
                for p in &c.waves[0].points {
                    cv.circle(ax.p(p.values[b], p.values[a]), r, PRIOR.to_rgba(), true)?;
                }
                for p in &kept {
                    cv.circle(ax.p(p.values[b], p.values[a]), r, BLUE.mix(0.85), true)?;
                }
            }
        }
        Ok(())
    }
}
