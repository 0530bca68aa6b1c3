//! The header of a chart (title, subtitle, legend entries with their swatches), wrapped
//! text, and the notes at the foot.

use super::*;

/// What a legend entry looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A line of this colour and width; dashed or not.
    Line(RGBColor, f64, bool),
    /// A filled box of this colour and opacity.
    Fill(RGBColor, f64),
    /// Half solid, half pale: served and not served.
    Split(RGBColor),
    /// A line with a round marker in the middle: a series of points.
    Marker(RGBColor),
    /// A vertical error bar with caps.
    ErrorBar(RGBColor),
    /// A line over a pale box: a median and its band.
    LineOnFill(RGBColor, f64),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct Legend {
    /// The swatch.
    pub swatch: Swatch,
    /// The text.
    pub label: String,
}

impl Legend {
    /// An entry.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Legend {
        Legend {
            swatch,
            label: label.into(),
        }
    }
}

/// Title, subtitle and legend at the top of a chart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Header {
    /// Names the scenario and what the chart shows.
    pub title: String,
    /// What was run: replications, seed, overrides.
    pub subtitle: String,
    /// Legend entries, laid out in rows under the subtitle.
    pub legend: Vec<Legend>,
}

/// Draws a swatch in the box `(x, y)`–`(x + w, y + h)`.
pub(super) fn swatch<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    s: Swatch,
    x: i32,
    y: i32,
    w: i32,
    h: i32,
) -> Res {
    match s {
        Swatch::Line(c, width, dashed) => {
            let mid = y + h / 2;
            if dashed {
                cv.dashed((x, mid), (x + w, mid), c.to_rgba(), width)
            } else {
                cv.line(vec![(x, mid), (x + w, mid)], c.to_rgba(), width)
            }
        }
        Swatch::Fill(c, a) => cv.rect((x, y), (x + w, y + h), c.mix(a), true),
        Swatch::Split(c) => {
            cv.rect((x, y), (x + w / 2, y + h), c.to_rgba(), true)?;
            cv.rect((x + w / 2, y), (x + w, y + h), c.mix(PALE), true)
        }
        Swatch::Marker(c) => {
            let mid = y + h / 2;
            cv.line(vec![(x, mid), (x + w, mid)], c.to_rgba(), 3.0)?;
            cv.circle((x + w / 2, mid), cv.st.px(6.0), c.to_rgba(), true)?;
            cv.circle((x + w / 2, mid), cv.st.px(6.0), WHITE.to_rgba(), false)
        }
        Swatch::ErrorBar(c) => {
            cv.error_bar_v(x + w / 2, y - cv.st.px(2.0), y + h + cv.st.px(2.0), c)
        }
        Swatch::LineOnFill(c, a) => {
            cv.rect((x, y), (x + w, y + h), c.mix(a), true)?;
            cv.line(vec![(x, y + h / 2), (x + w, y + h / 2)], c.to_rgba(), 3.5)
        }
    }
}

/// Opacity of the "not served" part of a class.
pub(crate) const PALE: f64 = 0.28;

/// Draws the header; returns the y below it.
pub(crate) fn header<DB: DrawingBackend>(cv: &Canvas<DB>, h: &Header) -> Res<i32> {
    let m = cv.margin();
    let st = cv.st;
    let title = Font::bold(size::TITLE, INK);
    let sub = Font::new(size::SUBTITLE, MUTED);
    let avail = st.w - 2 * m;
    let mut y = m;
    cv.text(
        &cv.fit(&h.title, title, avail),
        (m, y),
        title,
        Align::Left,
        VAlign::Top,
    )?;
    y += cv.cap(title) + st.px(18.0);
    if !h.subtitle.is_empty() {
        for line in wrap(cv, &h.subtitle, sub, avail, 2) {
            cv.text(&line, (m, y), sub, Align::Left, VAlign::Top)?;
            y += cv.cap(sub) + st.px(12.0);
        }
    }
    if !h.legend.is_empty() {
        y += st.px(8.0);
        let f = Font::new(size::LEGEND, INK);
        let (sw, sh) = (st.px(40.0), cv.cap(f).max(st.px(12.0)));
        let gap = st.px(10.0);
        let spacing = st.px(34.0);
        let row_h = sh + st.px(14.0);
        let mut x = m;
        for item in &h.legend {
            let label = cv.fit(&item.label, f, avail - sw - gap);
            let w = sw + gap + cv.width(&label, f);
            if x > m && x + w > m + avail {
                x = m;
                y += row_h;
            }
            swatch(cv, item.swatch, x, y, sw, sh)?;
            cv.text(&label, (x + sw + gap, y), f, Align::Left, VAlign::Top)?;
            x += w + spacing;
        }
        y += row_h;
    }
    Ok(y + st.px(6.0))
}

/// Splits `text` at spaces into at most `max_lines` lines of at most `width` pixels (the
/// last one shortened with an ellipsis if needed).
pub(crate) fn wrap<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    text: &str,
    f: Font,
    width: i32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if cv.width(&trial, f) <= width || cur.is_empty() {
            cur = trial;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest);
    }
    if let Some(last) = lines.last_mut() {
        *last = cv.fit(last, f, width);
    }
    lines
}

/// Draws notes at the bottom left, last line on the bottom margin; returns the y above
/// them.
pub(crate) fn notes<DB: DrawingBackend>(cv: &Canvas<DB>, lines: &[String]) -> Res<i32> {
    let f = Font::new(size::NOTE, MUTED);
    let m = cv.margin();
    let line_h = cv.cap(f) + cv.st.px(12.0);
    let mut wrapped: Vec<String> = Vec::new();
    for l in lines {
        wrapped.extend(wrap(cv, l, f, cv.st.w - 2 * m, 2));
    }
    let mut y = cv.st.h - m - cv.cap(f);
    for l in wrapped.iter().rev() {
        cv.text(l, (m, y), f, Align::Left, VAlign::Top)?;
        y -= line_h;
    }
    Ok(y + line_h - cv.st.px(if wrapped.is_empty() { 0.0 } else { 14.0 }))
}
