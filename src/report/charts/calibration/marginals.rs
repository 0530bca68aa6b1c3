//! The marginals chart of a calibration: one panel per uncertain input, the prior sample
//! of the first wave (grey) against the retained points (blue), as shares over the
//! prior's range.

use super::*;
use crate::calibrate::InputRange;

/// Bars in each panel.
const BINS: usize = 12;

/// Marginal histograms: one panel per input, the prior sample of the first wave (grey) and
/// the retained points (blue), over the prior's range.
pub(crate) struct MarginalsChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the names of its inputs).
    pub s: &'a Scenario,
}

/// One input's panel as it is said: its name, the verdict on its range, and the two
/// histograms over the prior's range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MarginalPanel {
    /// The input's name with its unit.
    pub name: String,
    /// "retained 0.1–0.3", "not identified", or too few points to judge.
    pub verdict: String,
    /// The x range: the prior's plot range (one unit wide when it has none).
    pub range: (f64, f64),
    /// Share of the first wave's points in each of [`BINS`] equal bins.
    pub prior: Vec<f64>,
    /// Share of the retained points in each bin.
    pub retained: Vec<f64>,
    /// Top of the y axis: the highest share with a tenth to spare.
    pub y1: f64,
}

impl MarginalPanel {
    /// The panel of an input named `name`, whose retained range is `range`, over the x
    /// range `(lo, hi)`, with the first wave's values `prior` and the retained `kept`, its
    /// verdict in `l`.
    pub(crate) fn new(
        name: String,
        range: &InputRange,
        (lo, hi): (f64, f64),
        prior: &[f64],
        kept: &[f64],
        l: Lang,
    ) -> MarginalPanel {
        let verdict = if !range.enough_points() {
            tr!(l, CalMTooFew, n = range.points)
        } else if range.identified() {
            tr!(
                l,
                CalMRetained,
                a = l.digits(&sig3(range.retained.0)),
                b = l.digits(&sig3(range.retained.1))
            )
        } else {
            tr!(l, CalMNotIdentified)
        };
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let prior = shares(prior, lo, hi);
        let retained = shares(kept, lo, hi);
        let y1 = prior
            .iter()
            .chain(&retained)
            .copied()
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.1;
        MarginalPanel {
            name,
            verdict,
            range: (lo, hi),
            prior,
            retained,
            y1,
        }
    }
}

/// The share of `vals` in each of [`BINS`] equal bins over `lo`–`hi`; values outside
/// count in the end bins.
fn shares(vals: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let mut h = [0.0; BINS];
    for v in vals {
        let b = (((v - lo) / (hi - lo)) * BINS as f64).floor();
        h[(b.max(0.0) as usize).min(BINS - 1)] += 1.0;
    }
    let n = vals.len().max(1) as f64;
    h.iter().map(|x| x / n).collect()
}

/// What the marginals chart says, computed before any drawing.
#[derive(Debug, Clone)]
pub(crate) struct MarginalsData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the panels.
    pub note: String,
    /// One panel per input, in the calibration's order.
    pub panels: Vec<MarginalPanel>,
}

impl MarginalsData {
    /// The data of calibration `c` on scenario `s`, in words of `l`.
    pub(crate) fn new(c: &Calibration, s: &Scenario, l: Lang) -> MarginalsData {
        let kept = c.retained();
        let ranges = c.ranges();
        let header = Header {
            title: tr!(l, CalMTitle, name = s.name),
            subtitle: tr!(
                l,
                CalMSubtitle,
                waves = c.waves.len(),
                n = c.replications,
                kept = match kept.len() {
                    1 => tr!(l, CalOnePoint),
                    k => tr!(l, CalPoints, k = k),
                },
                last = c.final_wave().map_or(0, |w| w.points.len())
            ),
            legend: vec![
                Legend::new(Swatch::Fill(PRIOR, 1.0), l.t(Msg::CalMLegendPrior)),
                Legend::new(Swatch::Fill(BLUE, 0.85), l.t(Msg::CalMLegendRetained)),
            ],
        };
        let first = &c.waves[0].points;
        let panels = c
            .inputs
            .iter()
            .enumerate()
            .map(|(j, input)| {
                let prior: Vec<f64> = first.iter().map(|p| p.values[j]).collect();
                let kept: Vec<f64> = kept.iter().map(|p| p.values[j]).collect();
                MarginalPanel::new(
                    input_name(s, &input.path, l),
                    &ranges[j],
                    input.dist.plot_range(),
                    &prior,
                    &kept,
                    l,
                )
            })
            .collect();
        MarginalsData {
            header,
            note: tr!(l, CalMNote),
            panels,
        }
    }
}

impl Chart for MarginalsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = MarginalsData::new(self.c, self.s, cv.st.lang);
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let m = cv.margin();
        let (cols, rows) = grid(d.panels.len(), cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(10.0)) / rows as i32,
        );
        for (j, p) in d.panels.iter().enumerate() {
            let (col, row) = ((j % cols) as i32, (j / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            let tf = Font::bold(size::LABEL, INK);
            // The input's name on up to two lines, then the verdict.
            let line_h = cv.cap(tf) + cv.st.px(6.0);
            let lines = wrap(cv, &p.name, tf, pw - cv.st.px(20.0), 2);
            for (i, l) in lines.iter().enumerate() {
                cv.text(
                    l,
                    (x0 + cv.st.px(10.0), y0 + i as i32 * line_h),
                    tf,
                    Align::Left,
                    VAlign::Top,
                )?;
            }
            let vf = Font::new(size::LABEL * 0.9, MUTED);
            cv.text(
                &short(cv, &p.verdict, vf, pw - cv.st.px(20.0)),
                (x0 + cv.st.px(10.0), y0 + 2 * line_h + cv.st.px(4.0)),
                vf,
                Align::Left,
                VAlign::Top,
            )?;
            let (lo, hi) = p.range;
            let ax = Axes {
                l: x0 + cv.st.px(14.0),
                t: y0 + 3 * cv.cap(tf) + cv.st.px(34.0),
                r: x0 + pw - cv.st.px(24.0),
                b: y0 + ph - cv.st.px(44.0),
                x0: lo,
                x1: hi,
                y0: 0.0,
                y1: p.y1,
            };
            ticks_x(cv, &ax, lo, hi, true)?;
            let bw = (hi - lo) / BINS as f64;
            for b in 0..BINS {
                let (a, z) = (lo + b as f64 * bw, lo + (b + 1) as f64 * bw);
                let gap = cv.st.px(1.0);
                if p.prior[b] > 0.0 {
                    cv.rect(
                        (ax.x(a) + gap, ax.y(p.prior[b])),
                        (ax.x(z) - gap, ax.b),
                        PRIOR.to_rgba(),
                        true,
                    )?;
                }
                if p.retained[b] > 0.0 {
                    let mid = (ax.x(a) + ax.x(z)) / 2;
                    let q = (ax.x(z) - ax.x(a)) / 4;
                    cv.rect(
                        (mid - q, ax.y(p.retained[b])),
                        (mid + q, ax.b),
                        BLUE.mix(0.85),
                        true,
                    )?;
                }
            }
            frame(cv, &ax)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(retained: (f64, f64), points: usize) -> InputRange {
        InputRange {
            path: "fleet.trucks".into(),
            prior: (0.0, 1.0),
            retained,
            points,
            inputs: 2,
        }
    }

    #[test]
    fn a_marginal_panel_counts_shares_per_bin_and_says_its_verdict() {
        // Twelve bins over 0–1.2: 0.05 in the first, 0.15 in the second, 1.15 and the
        // out-of-range 5.0 in the last, -1 in the first.
        let prior = [0.05, 0.15, 1.15, 5.0, -1.0];
        let kept = [0.15, 0.16];
        let p = MarginalPanel::new(
            "x".into(),
            &range((0.1, 0.3), 5),
            (0.0, 1.2),
            &prior,
            &kept,
            Lang::En,
        );
        let mut want = vec![0.0; BINS];
        want[0] = 0.4;
        want[1] = 0.2;
        want[BINS - 1] = 0.4;
        assert_eq!(p.prior, want);
        assert_eq!(p.retained[1], 1.0);
        assert_eq!(p.retained.iter().sum::<f64>(), 1.0);
        assert!((p.y1 - 1.1).abs() < 1e-12);
        assert_eq!(p.range, (0.0, 1.2));
        assert_eq!(p.verdict, "retained 0.100–0.300");
        let fr = MarginalPanel::new(
            "x".into(),
            &range((0.1, 0.3), 5),
            (0.0, 1.2),
            &prior,
            &kept,
            Lang::Fr,
        );
        assert_eq!(fr.verdict, "retenue 0,100–0,300");
        // Over half the prior's width retained: not identified.
        let p = MarginalPanel::new(
            "x".into(),
            &range((0.1, 0.9), 5),
            (0.0, 1.0),
            &prior,
            &kept,
            Lang::En,
        );
        assert_eq!(p.verdict, "not identified");
        // No more retained points than inputs: no judgement.
        let p = MarginalPanel::new(
            "x".into(),
            &range((0.1, 0.2), 2),
            (0.0, 1.0),
            &prior,
            &[],
            Lang::En,
        );
        assert_eq!(p.verdict, "too few retained points (2) to judge a range");
        assert!(p.retained.iter().all(|x| *x == 0.0));
    }

    #[test]
    fn a_prior_without_width_still_spans_one_unit() {
        let p = MarginalPanel::new(
            "x".into(),
            &range((3.0, 3.0), 5),
            (3.0, 3.0),
            &[3.0],
            &[3.0],
            Lang::En,
        );
        assert_eq!(p.range, (3.0, 4.0));
        assert_eq!(p.prior[0], 1.0);
    }
}
