//! Plot rectangles with linear scales, round ticks and their labels, the y and x axes,
//! the frame, and the time axis of a run (day numbers or dates).

use super::*;

/// A plot rectangle with linear scales.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Axes {
    /// Left edge, pixels.
    pub l: i32,
    /// Top edge, pixels.
    pub t: i32,
    /// Right edge, pixels.
    pub r: i32,
    /// Bottom edge, pixels.
    pub b: i32,
    /// Data x at the left edge.
    pub x0: f64,
    /// Data x at the right edge.
    pub x1: f64,
    /// Data y at the bottom edge.
    pub y0: f64,
    /// Data y at the top edge.
    pub y1: f64,
}

impl Axes {
    /// Pixel column of data `x` (clamped a little outside the plot).
    pub fn x(&self, x: f64) -> i32 {
        let span = if self.x1 > self.x0 {
            self.x1 - self.x0
        } else {
            1.0
        };
        let f = ((x - self.x0) / span).clamp(-0.01, 1.01);
        let f = if f.is_finite() { f } else { 0.0 };
        self.l + (f * f64::from(self.r - self.l)).round() as i32
    }

    /// Pixel row of data `y`, clamped to the plot.
    pub fn y(&self, y: f64) -> i32 {
        let span = if self.y1 > self.y0 {
            self.y1 - self.y0
        } else {
            1.0
        };
        let f = ((y - self.y0) / span).clamp(0.0, 1.0);
        let f = if f.is_nan() { 0.0 } else { f };
        self.b - (f * f64::from(self.b - self.t)).round() as i32
    }

    /// Pixel of a data point.
    pub fn p(&self, x: f64, y: f64) -> (i32, i32) {
        (self.x(x), self.y(y))
    }
}

/// A tick: data value and label.
pub(crate) type Tick = (f64, String);

/// Round tick values covering `[lo, hi]`, about `target` of them, and the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let (lo, hi) = if hi > lo && (hi - lo).is_finite() {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // 2.5 only below 1, where 0.25 reads well; above, 2.5 and 25 need a decimal or look odd.
    let mults: &[f64] = if mag >= 1.0 {
        &[1.0, 2.0, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    };
    let step = mults
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag);
    let mut v = Vec::new();
    let mut i = (lo / step - 1e-9).ceil() as i64;
    loop {
        let x = i as f64 * step;
        if x > hi + step * 1e-9 || v.len() > 100 {
            break;
        }
        v.push(if x.abs() < step * 1e-9 { 0.0 } else { x });
        i += 1;
    }
    (v, step)
}

/// The smallest round value >= `v` that [`nice_ticks`] would end on, for an axis from 0.
pub(crate) fn nice_top(v: f64, target: usize) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let (_, step) = nice_ticks(0.0, v, target);
    ((v / step - 1e-9).ceil() * step).max(step)
}

/// Formats a tick value with the decimals its step needs.
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    let d = (0..=6)
        .find(|d| {
            let x = step.abs() * 10f64.powi(*d);
            (x - x.round()).abs() < 1e-6 * x.max(1.0)
        })
        .unwrap_or(6) as usize;
    let s = if v.abs() >= 10_000.0 && d == 0 {
        crate::report::thousands(v)
    } else {
        format!("{v:.d$}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Value ticks for an axis from `lo` to `hi`.
pub(crate) fn value_ticks(lo: f64, hi: f64, target: usize, suffix: &str) -> Vec<Tick> {
    let (v, step) = nice_ticks(lo, hi, target);
    v.into_iter()
        .map(|x| (x, format!("{}{suffix}", tick_label(x, step))))
        .collect()
}

/// Draws horizontal grid lines and y tick labels on the left (or right) of `ax`, and the
/// axis title turned upwards.
pub(crate) fn y_axis<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    ax: &Axes,
    ticks: &[Tick],
    title: &str,
    right: bool,
) -> Res {
    let f = Font::new(size::TICK, INK);
    let gap = cv.st.px(10.0);
    let mut widest = 0;
    for (v, label) in ticks {
        let label = &cv.st.lang.digits(label);
        let y = ax.y(*v);
        if !right {
            cv.line(vec![(ax.l, y), (ax.r, y)], GRID.to_rgba(), 1.0)?;
        }
        if right {
            cv.text(label, (ax.r + gap, y), f, Align::Left, VAlign::Middle)?;
        } else {
            cv.text(label, (ax.l - gap, y), f, Align::Right, VAlign::Middle)?;
        }
        widest = widest.max(cv.width(label, f));
    }
    let tf = Font::new(size::AXIS, INK);
    let x = if right {
        ax.r + gap + widest + cv.st.px(14.0) + cv.cap(tf) / 2
    } else {
        ax.l - gap - widest - cv.st.px(14.0) - cv.cap(tf) / 2
    };
    let title = cv.fit(title, tf, ax.b - ax.t);
    cv.text_up(&title, (x, (ax.t + ax.b) / 2), tf)
}

/// Width needed left of a plot for y tick labels and the axis title.
pub(crate) fn y_axis_width<DB: DrawingBackend>(cv: &Canvas<DB>, ticks: &[Tick]) -> i32 {
    let f = Font::new(size::TICK, INK);
    let widest = ticks.iter().map(|(_, l)| cv.width(l, f)).max().unwrap_or(0);
    cv.st.px(10.0) + widest + cv.st.px(14.0) + cv.cap(Font::new(size::AXIS, INK)) + cv.st.px(6.0)
}

/// Height needed under a plot for x tick labels and an axis title.
pub(crate) fn x_axis_height<DB: DrawingBackend>(cv: &Canvas<DB>, titled: bool) -> i32 {
    let tick = cv.cap(Font::new(size::TICK, INK)) + cv.st.px(14.0);
    if titled {
        tick + cv.cap(Font::new(size::AXIS, INK)) + cv.st.px(18.0)
    } else {
        tick
    }
}

/// Draws vertical grid lines; with `labels`, tick labels under the plot and the title.
///
/// A label is centred under its tick, kept inside the canvas's margins; the first may reach
/// 30 px left of the axis, under the y axis's labels (so that a long first date leaves room
/// for the next month's), no further (so that a right panel's first label stays clear of
/// the left panel's axis). A label that would touch the previous one is skipped, except
/// that a first date with its year ("1 sept. 2025") that would push the second label out
/// is written without the year when the title gives day 0's date, year and all.
pub(crate) fn x_axis<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    ax: &Axes,
    ticks: &[Tick],
    title: Option<&str>,
    labels: bool,
) -> Res {
    let f = Font::new(size::TICK, INK);
    let y = ax.b + cv.st.px(12.0);
    let gap = cv.st.px(8.0);
    // Where a label of text `label` under value `v` starts, and its width.
    let place = |v: f64, label: &str| {
        let w = cv.width(label, f);
        let left = (ax.x(v) - w / 2)
            .max(ax.l - cv.st.px(30.0))
            .max(cv.margin() / 2)
            .min(cv.st.w - cv.margin() / 2 - w);
        (left, w)
    };
    let texts: Vec<String> = ticks.iter().map(|(_, l)| cv.st.lang.digits(l)).collect();
    let mut texts = texts;
    if let (Some(t), [(v0, _), (v1, _), ..]) = (title, ticks) {
        let (first, second) = (&texts[0], &texts[1]);
        if let Some((head, year)) = first.rsplit_once(' ')
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && head.chars().any(char::is_alphabetic)
            && t.contains(year)
        {
            let (l0, w0) = place(*v0, first);
            if place(*v1, second).0 <= l0 + w0 + gap {
                texts[0] = head.to_string();
            }
        }
    }
    let mut last_right = i32::MIN;
    for ((v, _), label) in ticks.iter().zip(&texts) {
        let x = ax.x(*v);
        cv.line(vec![(x, ax.t), (x, ax.b)], GRID.to_rgba(), 1.0)?;
        cv.line(
            vec![(x, ax.b), (x, ax.b + cv.st.px(6.0))],
            GREY.to_rgba(),
            1.0,
        )?;
        if labels {
            let (left, w) = place(*v, label);
            if left > last_right + gap {
                cv.text(label, (left, y), f, Align::Left, VAlign::Top)?;
                last_right = left + w;
            }
        }
    }
    if let (Some(t), true) = (title, labels) {
        let tf = Font::new(size::AXIS, INK);
        let ty = y + cv.cap(f) + cv.st.px(16.0);
        cv.text(t, ((ax.l + ax.r) / 2, ty), tf, Align::Center, VAlign::Top)?;
    }
    Ok(())
}

/// Draws the plot frame: left and bottom axis lines.
pub(crate) fn frame<DB: DrawingBackend>(cv: &Canvas<DB>, ax: &Axes) -> Res {
    cv.line(
        vec![(ax.l, ax.t), (ax.l, ax.b), (ax.r, ax.b)],
        GREY.to_rgba(),
        1.5,
    )
}

/// The time axis of a run: day numbers, or dates when the scenario has a start date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeAxis {
    /// Date of day 0.
    pub start: Option<Date>,
    /// Days on the axis (the horizon).
    pub days: f64,
    /// Language of dates and titles.
    pub lang: Lang,
}

impl TimeAxis {
    /// The label of time `x` (days since the start of day 0), for notes: "3 Sep 2025" or
    /// "day 63".
    pub fn label(&self, x: f64) -> String {
        match self.start {
            Some(d) => self.lang.date(d.plus_days(x.floor() as i64), true),
            None => tr!(self.lang, DayN, d = x.floor()),
        }
    }

    /// The axis title.
    pub fn title(&self) -> String {
        match self.start {
            Some(d) => tr!(self.lang, AxisDate, d = self.lang.date(d, true)),
            None => tr!(self.lang, AxisDayOfRun),
        }
    }

    /// Ticks: month starts (or weeks, days, quarters, years) with dates; round day numbers
    /// without.
    pub fn ticks(&self) -> Vec<Tick> {
        let len = self.days.max(1.0);
        let Some(start) = self.start else {
            let (v, step) = nice_ticks(0.0, len, 8);
            return v.into_iter().map(|x| (x, tick_label(x, step))).collect();
        };
        let n = len.ceil() as i64;
        let mut xs: Vec<i64> = Vec::new();
        if len <= 16.0 {
            xs.extend(0..=n);
        } else if len <= 50.0 {
            xs.extend((0..=n).step_by(7));
        } else {
            for k in 0..=n {
                let (_, m, d) = start.plus_days(k).ymd();
                let keep = if len <= 110.0 {
                    d == 1 || d == 15
                } else if len <= 400.0 {
                    d == 1
                } else if len <= 1100.0 {
                    d == 1 && (m - 1) % 3 == 0
                } else {
                    d == 1 && m == 1
                };
                if keep {
                    xs.push(k);
                }
            }
            if len > 4000.0 {
                let every = (len / 365.0 / 10.0).ceil() as usize;
                xs = xs.into_iter().step_by(every.max(1)).collect();
            }
        }
        if xs.len() < 2 {
            xs = vec![0, n];
        }
        let mut out = Vec::new();
        let mut last_year = None;
        for k in xs {
            let d = start.plus_days(k);
            let y = d.ymd().0;
            out.push((k as f64, self.lang.date(d, last_year != Some(y))));
            last_year = Some(y);
        }
        out
    }
}
