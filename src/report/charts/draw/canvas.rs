//! The pixel canvas over a plotters backend: text measured and placed with the bundled
//! font, lines, dashes, polygons, rectangles, circles; text made safe to draw.

use super::*;

/// A pixel canvas on a plotters drawing area.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    /// The whole image.
    pub root: &'a DrawingArea<DB, Shift>,
    /// Scale and backend.
    pub st: Style,
}

/// Cap height and baseline offsets as a share of the font size (DejaVu Sans, as drawn by
/// plotters' ab_glyph text and by SVG viewers).
pub(super) const CAP: f64 = 0.63;

impl<DB: DrawingBackend> Canvas<'_, DB> {
    pub(super) fn desc(&self, f: Font) -> FontDesc<'static> {
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
    pub(super) fn top_for_baseline(&self, size: f64, baseline: i32) -> i32 {
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
