//! The chart kit: what the charts share beyond the drawing primitives of `draw.rs`: step
//! lines and percentile fans, the empty-plot message, the colours of a series of lines,
//! volume units and number words, and the study charts' names and scales for `--vary`
//! paths and KPIs. A chart file imports only from here, `draw.rs` and the shared types of
//! the charts module (`Ctx`); never from another chart file.

#[cfg(test)]
mod fixture;
mod layout;
mod lines;
mod study;
mod words;

#[cfg(test)]
pub(crate) use fixture::{TestRun, bundled_scenario};
pub(crate) use layout::{daily_frame, label_side, time_axes};
pub(crate) use lines::{
    LINES, at_times, empty_message, fan, fan_legend, mid_line, pct_band, pct_line, step_band,
    step_line, trigger_legend,
};
pub(crate) use study::{KpiScale, ValueScale, facts_tail, other_unit_words, path_name};
pub(crate) use words::{runs_in, sig3, volume_unit, when_in};
