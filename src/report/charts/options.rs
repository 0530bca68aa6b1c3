//! The options every chart is drawn with: its size in pixels (`--chart-size`), SVG
//! beside the PNG, the facts for subtitles, the language.

use std::fmt;
use std::str::FromStr;

use crate::scenario::SegmentId;

/// Size of a chart in pixels; parsed from `WIDTHxHEIGHT` (`1600x900`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ChartSize {
    /// Smallest width accepted.
    pub const MIN_WIDTH: u32 = 400;
    /// Smallest height accepted.
    pub const MIN_HEIGHT: u32 = 250;
    /// Largest width or height accepted.
    pub const MAX_SIDE: u32 = 8000;
}

impl Default for ChartSize {
    fn default() -> ChartSize {
        ChartSize {
            width: 1600,
            height: 900,
        }
    }
}

impl fmt::Display for ChartSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

impl FromStr for ChartSize {
    type Err = String;

    /// Parses `WIDTHxHEIGHT`, each side within [`ChartSize::MIN_WIDTH`] /
    /// [`ChartSize::MIN_HEIGHT`] and [`ChartSize::MAX_SIDE`].
    ///
    /// ```
    /// use blockade::report::ChartSize;
    /// let s: ChartSize = "1200x675".parse().unwrap();
    /// assert_eq!((s.width, s.height), (1200, 675));
    /// assert!("1200".parse::<ChartSize>().is_err());
    /// assert!("10x10".parse::<ChartSize>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<ChartSize, String> {
        let (w, h) = s
            .split_once(['x', 'X'])
            .ok_or_else(|| format!("expected WIDTHxHEIGHT in pixels, like 1600x900, got {s:?}"))?;
        let side = |v: &str, what: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("{what} {v:?} is not a whole number of pixels"))
        };
        let (width, height) = (side(w, "width")?, side(h, "height")?);
        if !(ChartSize::MIN_WIDTH..=ChartSize::MAX_SIDE).contains(&width)
            || !(ChartSize::MIN_HEIGHT..=ChartSize::MAX_SIDE).contains(&height)
        {
            return Err(format!(
                "chart size {width}x{height} is outside {}x{} to {m}x{m}",
                ChartSize::MIN_WIDTH,
                ChartSize::MIN_HEIGHT,
                m = ChartSize::MAX_SIDE
            ));
        }
        Ok(ChartSize { width, height })
    }
}

/// How charts are drawn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartOptions {
    /// Pixel size of every chart.
    pub size: ChartSize,
    /// Also write each chart as SVG, next to its PNG.
    pub svg: bool,
    /// Appended to the subtitle of [`network_map`]: the conditions the flow analysis is
    /// for and any `--set` overrides ("baseline: all roads open, events ignored · overrides:
    /// fleet.trucks=800"); empty for none. [`write_charts`] builds its own from the run.
    /// The study charts append it to their subtitle too (the `--set` overrides).
    pub facts: String,
    /// Segments closed under the conditions [`network_map`] shows (drawn dashed, marked
    /// with a cross); empty for baseline conditions.
    pub closed: Vec<SegmentId>,
    /// Separator and decimal mark of the CSV tables written beside the charts
    /// ([`crate::report::write_network`]).
    pub csv_locale: crate::report::CsvLocale,
    /// Language of titles, axes, legends and notes.
    pub lang: crate::report::Lang,
}

impl ChartOptions {
    /// Options for charts of `size`, with SVG copies if `svg`.
    pub fn new(size: ChartSize, svg: bool) -> ChartOptions {
        ChartOptions {
            size,
            svg,
            facts: String::new(),
            closed: Vec::new(),
            csv_locale: crate::report::CsvLocale::default(),
            lang: crate::report::Lang::default(),
        }
    }
}
