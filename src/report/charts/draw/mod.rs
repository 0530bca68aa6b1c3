//! What every chart shares: the bundled font, the palette, a pixel canvas over any plotters
//! backend, the header (title, subtitle, legend), axes with ticks, and rendering to PNG and
//! SVG files.
//!
//! Charts are laid out in pixels, not with plotters' chart builder: each chart computes its
//! plot rectangles, maps data with [`Axes`], and draws text where it knows it fits (widths
//! are measured with the bundled font, so the layout is the same on every machine).

mod axes;
mod canvas;
mod header;
#[cfg(test)]
mod tests;

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

pub(crate) use axes::*;
pub(crate) use canvas::*;
pub(crate) use header::*;

/// The font family every chart uses; registered from the bundled files.
pub(crate) const FAMILY: &str = "DejaVu Sans";
static REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

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

/// Something drawable on a canvas: one chart.
pub(crate) trait Chart {
    /// Draws the chart on a white canvas.
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res;
}

/// What one chart drew: its PNG file and the bytes written there, and its SVG file when
/// asked for. The report embeds these bytes: it never reads a chart back from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnChart {
    /// The PNG file written.
    pub png: PathBuf,
    /// The bytes of that PNG, as written.
    pub png_bytes: Vec<u8>,
    /// The SVG file written beside it (`ChartOptions::svg`), if any.
    pub svg: Option<PathBuf>,
}

impl DrawnChart {
    /// The files written: the PNG, then the SVG if any.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut v = vec![self.png.clone()];
        v.extend(self.svg.clone());
        v
    }
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
    render_drawn(chart, png, opts).map(|d| d.files())
}

/// Draws `chart` like [`render`] and returns what it drew, the PNG's bytes included: the
/// one place a chart becomes a PNG (drawn into a buffer, encoded in memory, written once).
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub(crate) fn render_drawn<C: Chart>(
    chart: &C,
    png: &Path,
    opts: &ChartOptions,
) -> Result<DrawnChart, ReportError> {
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
    let mut out = DrawnChart {
        png: png.to_path_buf(),
        png_bytes: bytes,
        svg: None,
    };
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
        out.svg = Some(svg);
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
