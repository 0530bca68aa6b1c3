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

/// The inputs a pairs plot shows: at most `max`, those with the smallest retained share
/// of the prior's range (the observations narrow them most; ties in file order), in file
/// order.
pub(crate) fn narrowest(shares: &[f64], max: usize) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..shares.len()).collect();
    shown.sort_by(|x, y| shares[*x].total_cmp(&shares[*y]).then(x.cmp(y)));
    shown.truncate(max);
    shown.sort_unstable();
    shown
}

/// An input of the pairs plot: its name and prior range on the diagonal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PairsInput {
    /// "attack risk, Kayes–Diéma", wrapped on up to three lines when drawn.
    pub name: String,
    /// The prior's plotted range: the axis of its row and column.
    pub range: (f64, f64),
    /// The range in words under the name: "0.01–0.2".
    pub range_text: String,
}

/// What the pairs chart says, computed before any drawing: the inputs shown and the
/// points, each as its values of those inputs.
#[derive(Debug, Clone)]
pub(crate) struct PairsData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The inputs shown ([`narrowest`]), in file order.
    pub inputs: Vec<PairsInput>,
    /// The first wave's points (grey), each its values of the inputs shown.
    pub first: Vec<Vec<f64>>,
    /// The retained points (blue), likewise.
    pub retained: Vec<Vec<f64>>,
}

impl PairsData {
    /// The data of calibration `c` on scenario `s`, in words of `l`.
    pub(crate) fn new(c: &Calibration, s: &Scenario, l: Lang) -> PairsData {
        let kept = c.retained();
        // At most MAX_PAIRS inputs, those the observations narrow most: more cells than
        // that cannot be read.
        let shares: Vec<f64> = c.ranges().iter().map(|r| r.share()).collect();
        let shown = narrowest(&shares, MAX_PAIRS);
        let which = if shown.len() < c.inputs.len() {
            tr!(l, CalPWhich, n = shown.len(), total = c.inputs.len())
        } else {
            String::new()
        };
        let header = Header {
            title: tr!(l, CalPTitle, name = s.name),
            subtitle: tr!(
                l,
                CalPSubtitle,
                which = which,
                kept = kept.len(),
                first = c.waves[0].points.len()
            ),
            legend: vec![
                Legend::new(Swatch::Fill(PRIOR, 1.0), l.t(Msg::CalPLegendFirst)),
                Legend::new(Swatch::Fill(BLUE, 0.85), l.t(Msg::CalPLegendRetained)),
            ],
        };
        let inputs = shown
            .iter()
            .map(|&a| {
                let (lo, hi) = c.inputs[a].dist.plot_range();
                PairsInput {
                    name: input_name(s, &c.inputs[a].path, l),
                    range: (lo, hi),
                    range_text: l.digits(&format!("{}–{}", compact(lo), compact(hi))),
                }
            })
            .collect();
        let values = |p: &crate::calibrate::Point| shown.iter().map(|&a| p.values[a]).collect();
        PairsData {
            header,
            inputs,
            first: c.waves[0].points.iter().map(values).collect(),
            retained: kept.iter().map(|p| values(p)).collect(),
        }
    }
}

impl Chart for PairsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = PairsData::new(self.c, self.s, cv.st.lang);
        let top = header(cv, &d.header)?;
        let m = cv.margin();
        let k = d.inputs.len();
        let side = ((cv.st.w - 2 * m).min(cv.st.h - top - m)) / k.max(1) as i32;
        let x_start = m + ((cv.st.w - 2 * m) - side * k as i32) / 2;
        let f = Font::new(size::LABEL * 0.85, INK);
        for (a, ya) in d.inputs.iter().enumerate() {
            for (b, xb) in d.inputs.iter().enumerate() {
                let (x0, y0) = (x_start + b as i32 * side, top + a as i32 * side);
                let pad = cv.st.px(6.0);
                let ax = Axes {
                    l: x0 + pad,
                    t: y0 + pad,
                    r: x0 + side - pad,
                    b: y0 + side - pad,
                    x0: xb.range.0,
                    x1: xb.range.1,
                    y0: ya.range.0,
                    y1: ya.range.1,
                };
                cv.rect((ax.l, ax.t), (ax.r, ax.b), GREY.to_rgba(), false)?;
                if a == b {
                    // The input's name on up to three lines, then its prior range.
                    let mut lines = wrap(cv, &ya.name, f, side - 4 * pad, 3);
                    let pf = Font::new(size::LABEL * 0.8, MUTED);
                    lines.push(cv.fit(&ya.range_text, pf, side - 2 * pad));
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
                for p in &d.first {
                    cv.circle(ax.p(p[b], p[a]), r, PRIOR.to_rgba(), true)?;
                }
                for p in &d.retained {
                    cv.circle(ax.p(p[b], p[a]), r, BLUE.mix(0.85), true)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairs_plot_shows_the_inputs_narrowed_most_in_file_order() {
        let shares = [0.9, 0.1, 0.5, 0.1, 1.0, 0.3, 0.2, 0.95];
        // The six smallest shares; of the two largest (0.95, 1.0) neither is shown.
        assert_eq!(narrowest(&shares, MAX_PAIRS), [0, 1, 2, 3, 5, 6]);
        // Ties in file order: of three equal shares, the first two.
        assert_eq!(narrowest(&[0.5, 0.5, 0.5], 2), [0, 1]);
        assert_eq!(narrowest(&[0.4], MAX_PAIRS), [0]);
    }

    #[test]
    fn a_compact_number_fits_a_small_cell() {
        assert_eq!(compact(17_000_000.0), "17.0M");
        assert_eq!(compact(250_000.0), "250k");
        assert_eq!(compact(0.05), "0.0500");
    }
}
