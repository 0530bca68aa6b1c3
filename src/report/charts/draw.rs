//! What every chart shares: the bundled font, the palette, a pixel canvas over any plotters
//! backend, the header (title, subtitle, legend), axes with ticks, and rendering to PNG and
//! SVG files.
//!
//! Charts are laid out in pixels, not with plotters' chart builder: each chart computes its
//! plot rectangles, maps data with [`Axes`], and draws text where it knows it fits (widths
//! are measured with the bundled font, so the layout is the same on every machine).

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, register_font};

use super::ChartOptions;
use crate::report::{Lang, ReportError, write_atomic};
use crate::scenario::Date;
use crate::tr;

/// The font family every chart uses; registered from the bundled files.
pub(crate) const FAMILY: &str = "DejaVu Sans";
static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the bundled DejaVu Sans once per process. No system font is ever read.
pub(crate) fn register_fonts() -> Result<(), String> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the bundled DejaVu Sans font cannot be read".into())
    }
}

// The Okabe–Ito palette, safe for the common colour-vision deficiencies.
/// Okabe–Ito blue.
pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito orange.
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito bluish green.
pub(crate) const GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito reddish purple.
pub(crate) const PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Okabe–Ito sky blue.
pub(crate) const SKY: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito vermillion.
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito yellow (only for fills: too light for lines on white).
pub(crate) const YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Text.
pub(crate) const INK: RGBColor = RGBColor(25, 25, 25);
/// Secondary text.
pub(crate) const MUTED: RGBColor = RGBColor(85, 85, 85);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);
/// Neutral grey for markers and empty things.
pub(crate) const GREY: RGBColor = RGBColor(120, 120, 120);

/// Colours for series in order (classes, corridors), most distinct first.
pub(crate) const SERIES: [RGBColor; 7] = [BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW];

/// Font sizes in pixels at the reference size of 1600 x 900.
pub(crate) mod size {
    /// Chart title.
    pub const TITLE: f64 = 38.0;
    /// Subtitle.
    pub const SUBTITLE: f64 = 23.0;
    /// Legend entries.
    pub const LEGEND: f64 = 23.0;
    /// Axis titles.
    pub const AXIS: f64 = 24.0;
    /// Tick labels.
    pub const TICK: f64 = 22.0;
    /// Labels on the data.
    pub const LABEL: f64 = 21.0;
    /// Notes under the chart.
    pub const NOTE: f64 = 21.0;
}

/// The result of a drawing step: a message on failure.
pub(crate) type Res<T = ()> = Result<T, String>;

/// Turns any plotters error into a message.
pub(crate) fn err<E: Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Scale and backend facts for one rendering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Canvas width in pixels.
    pub w: i32,
    /// Canvas height in pixels.
    pub h: i32,
    /// Scale of every length against the 1600 x 900 reference.
    pub k: f64,
    /// Drawing SVG (text is placed by the viewer, baseline rules differ).
    pub svg: bool,
    /// Language of the text and of the numbers on the axes.
    pub lang: Lang,
}

impl Style {
    /// The style of a `w` x `h` canvas.
    pub fn new(w: u32, h: u32, svg: bool) -> Style {
        let k = (f64::from(w) / 1600.0).min(f64::from(h) / 900.0).max(0.25);
        Style {
            w: w as i32,
            h: h as i32,
            k,
            svg,
            lang: Lang::En,
        }
    }

    /// The same style, writing `lang`.
    pub fn with_lang(mut self, lang: Lang) -> Style {
        self.lang = lang;
        self
    }

    /// A length in pixels, scaled.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.k).round() as i32
    }

    /// A font size, scaled, never below 9 px.
    pub fn fs(&self, v: f64) -> f64 {
        (v * self.k).max(9.0)
    }
}

/// Horizontal alignment of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Starts at x.
    Left,
    /// Centred on x.
    Center,
    /// Ends at x.
    Right,
}

/// Vertical placement of text: where `y` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VAlign {
    /// `y` is the top of capital letters.
    Top,
    /// `y` is the middle of capital letters.
    Middle,
    /// `y` is the baseline.
    Baseline,
}

/// Text options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Font {
    /// Size at the reference scale.
    pub size: f64,
    /// Bold face.
    pub bold: bool,
    /// Colour.
    pub color: RGBColor,
}

impl Font {
    /// Regular text of `size` in `color`.
    pub fn new(size: f64, color: RGBColor) -> Font {
        Font {
            size,
            bold: false,
            color,
        }
    }

    /// Bold text of `size` in `color`.
    pub fn bold(size: f64, color: RGBColor) -> Font {
        Font {
            size,
            bold: true,
            color,
        }
    }
}

/// A pixel canvas on a plotters drawing area.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    /// The whole image.
    pub root: &'a DrawingArea<DB, Shift>,
    /// Scale and backend.
    pub st: Style,
}

/// Cap height and baseline offsets as a share of the font size (DejaVu Sans, as drawn by
/// plotters' ab_glyph text and by SVG viewers).
const CAP: f64 = 0.63;

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn desc(&self, f: Font) -> FontDesc<'static> {
        let style = if f.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(FAMILY), self.st.fs(f.size), style)
    }

    /// Width of `text` in pixels.
    pub fn width(&self, text: &str, f: Font) -> i32 {
        let style = TextStyle::from(self.desc(f));
        self.root
            .estimate_text_size(text, &style)
            .map(|(w, _)| w as i32)
            .unwrap_or_else(|_| (text.chars().count() as f64 * self.st.fs(f.size) * 0.55) as i32)
    }

    /// Height of capital letters in pixels.
    pub fn cap(&self, f: Font) -> i32 {
        (self.st.fs(f.size) * CAP * 0.86).round() as i32
    }

    /// The y to hand to plotters (text anchored at its top) so that the baseline lands on
    /// `baseline`.
    fn top_for_baseline(&self, size: f64, baseline: i32) -> i32 {
        // ab_glyph draws the baseline half a size below the anchor; an SVG viewer puts it
        // 0.76 em below, and plotters writes the em as size / 1.24.
        let off = if self.st.svg {
            0.76 * size / 1.24
        } else {
            0.5 * size
        };
        baseline - off.round() as i32
    }

    /// Draws `text` at `(x, y)`.
    pub fn text(&self, text: &str, (x, y): (i32, i32), f: Font, h: Align, v: VAlign) -> Res {
        if text.is_empty() {
            return Ok(());
        }
        let text = &*drawable(text);
        let size = self.st.fs(f.size);
        let cap = self.cap(f);
        let baseline = match v {
            VAlign::Top => y + cap,
            VAlign::Middle => y + cap / 2,
            VAlign::Baseline => y,
        };
        let hpos = match h {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let style = TextStyle::from(self.desc(f))
            .color(&f.color)
            .pos(Pos::new(hpos, VPos::Top));
        self.root
            .draw_text(text, &style, (x, self.top_for_baseline(size, baseline)))
            .map_err(err)
    }

    /// Draws `text` turned a quarter left (reading upwards), centred on `(x, y)`, where `x`
    /// is the middle of the letters' height.
    pub fn text_up(&self, text: &str, (x, y): (i32, i32), f: Font) -> Res {
        let text = &*drawable(text);
        let size = self.st.fs(f.size);
        let w = self.width(text, f);
        let cap = self.cap(f);
        // Rotated 270 degrees: the text's "down" points right. Its baseline is at x + cap/2.
        let baseline = x + cap / 2;
        let off = if self.st.svg {
            0.76 * size / 1.24
        } else {
            0.5 * size
        };
        let style = TextStyle::from(self.desc(f).transform(FontTransform::Rotate270))
            .color(&f.color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        // Both backends rotate about the anchor and then lay the text out as usual.
        self.root
            .draw_text(text, &style, (baseline - off.round() as i32, y + w / 2))
            .map_err(err)
    }

    /// The stroke width in pixels of a line of `width` (before scaling).
    pub fn stroke(&self, width: f64) -> u32 {
        // Even widths only: plotters rounds a wide line's end corners but truncates its
        // inner corners, so an odd width leans the first and last pieces by a pixel.
        let px = width * self.st.k;
        if px < 1.5 {
            1
        } else {
            ((px / 2.0).round() * 2.0).max(2.0) as u32
        }
    }

    /// A polyline. Repeated points are dropped: plotters joins wide lines badly around a
    /// zero-length piece.
    pub fn line(&self, mut pts: Vec<(i32, i32)>, color: RGBAColor, width: f64) -> Res {
        pts.dedup();
        if pts.len() < 2 {
            return Ok(());
        }
        let w = self.stroke(width);
        self.root
            .draw(&PathElement::new(
                pts,
                ShapeStyle {
                    color,
                    filled: false,
                    stroke_width: w,
                },
            ))
            .map_err(err)
    }

    /// A dashed straight line from `a` to `b`.
    pub fn dashed(&self, a: (i32, i32), b: (i32, i32), color: RGBAColor, width: f64) -> Res {
        let (dash, gap) = (9.0 * self.st.k, 6.0 * self.st.k);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let len = dx.hypot(dy);
        if len < 1.0 {
            return Ok(());
        }
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            let p = |s: f64| {
                (
                    a.0 + (dx * s / len).round() as i32,
                    a.1 + (dy * s / len).round() as i32,
                )
            };
            self.line(vec![p(t), p(e)], color, width)?;
            t = e + gap;
        }
        Ok(())
    }

    /// A filled polygon.
    pub fn poly(&self, mut pts: Vec<(i32, i32)>, color: RGBAColor) -> Res {
        pts.dedup();
        if pts.len() < 3 {
            return Ok(());
        }
        self.root
            .draw(&Polygon::new(pts, color.filled()))
            .map_err(err)
    }

    /// A rectangle, filled or outlined.
    pub fn rect(&self, a: (i32, i32), b: (i32, i32), color: RGBAColor, filled: bool) -> Res {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(self.st.px(1.5).max(1) as u32)
        };
        self.root.draw(&Rectangle::new([a, b], style)).map_err(err)
    }

    /// A circle of radius `r` pixels (already scaled).
    pub fn circle(&self, c: (i32, i32), r: i32, color: RGBAColor, filled: bool) -> Res {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(self.st.px(2.0).max(1) as u32)
        };
        self.root
            .draw(&Circle::new(c, r.max(1), style))
            .map_err(err)
    }

    /// A vertical error bar at `x` from `y0` to `y1` (pixels), with caps.
    pub fn error_bar_v(&self, x: i32, y0: i32, y1: i32, color: RGBColor) -> Res {
        let c = self.st.px(6.0);
        let col = color.to_rgba();
        self.line(vec![(x, y0), (x, y1)], col, 2.0)?;
        self.line(vec![(x - c, y0), (x + c, y0)], col, 2.0)?;
        self.line(vec![(x - c, y1), (x + c, y1)], col, 2.0)
    }

    /// A horizontal error bar at `y` from `x0` to `x1` (pixels), with caps.
    pub fn error_bar_h(&self, y: i32, x0: i32, x1: i32, color: RGBColor) -> Res {
        let c = self.st.px(6.0);
        let col = color.to_rgba();
        self.line(vec![(x0, y), (x1, y)], col, 2.0)?;
        self.line(vec![(x0, y - c), (x0, y + c)], col, 2.0)?;
        self.line(vec![(x1, y - c), (x1, y + c)], col, 2.0)
    }

    /// A cross (×) of half-size `r` pixels (already scaled) centred on `c`.
    pub fn cross(&self, c: (i32, i32), r: i32, color: RGBAColor, width: f64) -> Res {
        self.line(vec![(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)], color, width)?;
        self.line(vec![(c.0 - r, c.1 + r), (c.0 + r, c.1 - r)], color, width)
    }

    /// `text` shortened with an ellipsis to fit `max` pixels: the longest prefix (trailing
    /// blanks dropped) that fits with "…". The width of a prefix grows with its length, so
    /// the prefix is found by doubling, then bisection: the cost is the full text measured
    /// once plus a few measures of what fits, linear in the text's length (it was
    /// quadratic, one character dropped at a time).
    pub fn fit(&self, text: &str, f: Font, max: i32) -> String {
        if self.width(text, f) <= max {
            return text.to_string();
        }
        // Byte offset of the end of the first n characters, for n = 0..=len.
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .chain([text.len()])
            .collect();
        let top = ends.len().saturating_sub(1); // at most all characters but one
        let shortened = |n: usize| text[..ends[n - 1]].trim_end().to_string() + "…";
        let fits = |n: usize| self.width(&shortened(n), f) <= max;
        // Invariant: `lo` fits (or is 0: nothing does); `hi` does not fit (or is top + 1).
        let (mut lo, mut hi) = (0, 1);
        loop {
            if hi > top {
                hi = top + 1;
                break;
            }
            if !fits(hi) {
                break;
            }
            lo = hi;
            hi *= 2;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if lo == 0 { "…".into() } else { shortened(lo) }
    }

    /// Outer margin in pixels.
    pub fn margin(&self) -> i32 {
        self.st.px(28.0)
    }
}

/// `text` without the characters XML 1.0 forbids (control characters other than tab, line
/// feed and carriage return; U+FFFE, U+FFFF), which would make an SVG unreadable; line
/// breaks and tabs become spaces (a chart line is one line). Names are data: whatever a
/// scenario holds, the chart stays a valid file.
pub(crate) fn drawable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}';
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if bad(c) => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

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
fn swatch<DB: DrawingBackend>(cv: &Canvas<DB>, s: Swatch, x: i32, y: i32, w: i32, h: i32) -> Res {
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
pub(crate) fn x_axis<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    ax: &Axes,
    ticks: &[Tick],
    title: Option<&str>,
    labels: bool,
) -> Res {
    let f = Font::new(size::TICK, INK);
    let y = ax.b + cv.st.px(12.0);
    let mut last_right = i32::MIN;
    for (v, label) in ticks {
        let label = &cv.st.lang.digits(label);
        let x = ax.x(*v);
        cv.line(vec![(x, ax.t), (x, ax.b)], GRID.to_rgba(), 1.0)?;
        cv.line(
            vec![(x, ax.b), (x, ax.b + cv.st.px(6.0))],
            GREY.to_rgba(),
            1.0,
        )?;
        if labels {
            let w = cv.width(label, f);
            let left = (x - w / 2).max(ax.l - cv.st.px(20.0));
            let left = left.min(cv.st.w - cv.margin() / 2 - w);
            // Skip a label that would touch the previous one.
            if left > last_right + cv.st.px(8.0) {
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

/// Something drawable on a canvas: one chart.
pub(crate) trait Chart {
    /// Draws the chart on a white canvas.
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res;
}

/// Draws `chart` into `png` and, with `opts.svg`, into the same name with `.svg`; returns
/// the files written. Each file is written with [`write_atomic`].
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub(crate) fn render<C: Chart>(
    chart: &C,
    png: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let name = png
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let chart_err = |message: String| ReportError::Chart {
        name: name.clone(),
        message,
    };
    register_fonts().map_err(chart_err)?;
    let (w, h) = (opts.size.width, opts.size.height);
    if let Some(dir) = png.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    // Drawn into memory and encoded there: no temporary file that an interrupted run could
    // leave behind.
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    let drawn = (|| -> Res {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&Canvas {
            root: &root,
            st: Style::new(w, h, false).with_lang(opts.lang),
        })?;
        root.present().map_err(err)
    })();
    drawn.map_err(chart_err)?;
    let mut bytes = Vec::new();
    // The "up" filter on every row, not the adaptive choice per row: charts are flat
    // colours and straight lines, and on the Bamako run's charts it gives files half the
    // size (1.4 MB against 2.6 MB for the ten PNGs) for less filtering work.
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new_with_quality(
            &mut bytes,
            image::codecs::png::CompressionType::Default,
            image::codecs::png::FilterType::Up,
        ),
        &buf,
        w,
        h,
        image::ColorType::Rgb8,
    )
    .map_err(|e| chart_err(e.to_string()))?;
    write_atomic(png, &bytes)?;
    let mut out = vec![png.to_path_buf()];
    if opts.svg {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| chart_err(err(e)))?;
            chart
                .draw(&Canvas {
                    root: &root,
                    st: Style::new(w, h, true).with_lang(opts.lang),
                })
                .map_err(chart_err)?;
            root.present().map_err(|e| chart_err(err(e)))?;
        }
        let text = svg_font_fallback(&text);
        let svg = png.with_extension("svg");
        write_atomic(&svg, text.as_bytes())?;
        out.push(svg);
    }
    Ok(out)
}

/// Gives every `font-family` of an SVG generic fallbacks after DejaVu Sans, so a viewer
/// without that font draws a sans-serif face of similar width rather than its default
/// serif.
pub(crate) fn svg_font_fallback(svg: &str) -> String {
    svg.replace(
        &format!("font-family=\"{FAMILY}\""),
        &format!("font-family=\"{FAMILY}, Verdana, Arial, sans-serif\""),
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

/// "3 Sep 2025", or "3 Sep" without the year.
pub(crate) fn short_date(d: Date, year: bool) -> String {
    Lang::En.date(d, year)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `fit` gives what dropping one character at a time gave, and a 30,000-character name
    /// is shortened at once (it took 93 s, one measure per character dropped).
    #[test]
    fn fit_is_the_longest_prefix_and_linear() {
        register_fonts().unwrap();
        let mut text = String::new();
        let root = SVGBackend::with_string(&mut text, (800, 200)).into_drawing_area();
        let cv = Canvas {
            root: &root,
            st: Style::new(800, 200, true),
        };
        let f = Font::new(size::LABEL, INK);
        let slow = |t: &str, max: i32| -> String {
            if cv.width(t, f) <= max {
                return t.to_string();
            }
            let chars: Vec<char> = t.chars().collect();
            for n in (1..chars.len()).rev() {
                let s = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
                if cv.width(&s, f) <= max {
                    return s;
                }
            }
            "…".into()
        };
        for t in [
            "Kayes",
            "Tambacounda junction (N1)  and  more words",
            "éé ßß — x",
        ] {
            for max in [0, 5, 30, 60, 120, 400] {
                assert_eq!(cv.fit(t, f, max), slow(t, max), "{t:?} in {max} px");
            }
        }
        let long = "x".repeat(15_000) + " " + &"é".repeat(15_000);
        let start = std::time::Instant::now();
        let got = cv.fit(&long, f, 300);
        assert!(cv.width(&got, f) <= 300 && got.ends_with('…') && got.len() > 10);
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn drawable_text_has_no_xml_forbidden_characters() {
        assert_eq!(drawable("Kayes"), "Kayes");
        assert_eq!(drawable("a\u{1}b\nc\u{fffe}"), "a\u{fffd}b c\u{fffd}");
    }

    #[test]
    fn nice_ticks_are_round() {
        let (v, step) = nice_ticks(0.0, 7.3, 5);
        assert_eq!(step, 2.0);
        assert_eq!(v, vec![0.0, 2.0, 4.0, 6.0]);
        assert_eq!(nice_top(7.3, 5), 8.0);
        assert_eq!(nice_top(0.0, 5), 1.0);
        assert_eq!(nice_top(f64::NAN, 5), 1.0);
        let (v, _) = nice_ticks(3.0, 3.0, 5);
        assert!(!v.is_empty());
    }

    #[test]
    fn tick_labels_have_the_decimals_of_their_step() {
        assert_eq!(tick_label(2.5, 2.5), "2.5");
        assert_eq!(tick_label(0.25, 0.25), "0.25");
        assert_eq!(tick_label(20.0, 10.0), "20");
        assert_eq!(tick_label(-0.0, 1.0), "0");
        assert_eq!(tick_label(20000.0, 5000.0), "20,000");
        assert_eq!(tick_label(7.5, 2.5), "7.5");
        assert_eq!(tick_label(10.0, 2.5), "10.0");
        assert_eq!(tick_label(0.3, 0.1), "0.3");
    }

    #[test]
    fn date_ticks_fall_on_month_starts_with_the_year_once() {
        let t = TimeAxis {
            start: Date::parse("2025-09-01"),
            days: 180.0,
            lang: Lang::En,
        };
        let ticks = t.ticks();
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "1 Sep 2025",
                "1 Oct",
                "1 Nov",
                "1 Dec",
                "1 Jan 2026",
                "1 Feb"
            ]
        );
        assert_eq!(ticks[1].0, 30.0);
        let one = TimeAxis {
            start: Date::parse("2025-09-01"),
            days: 1.0,
            lang: Lang::En,
        };
        assert_eq!(one.ticks().len(), 2);
        let plain = TimeAxis {
            start: None,
            days: 90.0,
            lang: Lang::En,
        };
        assert_eq!(plain.ticks()[1].1, "20");
        assert_eq!(plain.label(63.4), "day 63");
    }
}
