//! The charts of the studies: a sweep's KPI against the varied value, the tornado of a
//! one-at-a-time sensitivity, and the reserve search. What they share: readable names for
//! `--vary` paths and KPI axes with units, which live in the chart kit (`kit/study.rs`).
//! One file per chart; this module gathers the imports they share.

mod corridors;
mod reserve;
mod sweep;
mod tornado;

pub(crate) use corridors::CorridorChart;
pub(crate) use reserve::ReserveChart;
pub(crate) use sweep::SweepChart;
pub(crate) use tornado::TornadoChart;

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, GRID, Header, INK, Legend, MUTED, ORANGE, Res,
    SKY, Style, Swatch, Tick, VAlign, VERMILLION, frame, header, nice_top, notes, size,
    value_ticks, x_axis, x_axis_height, y_axis, y_axis_width,
};
use super::kit::{
    KpiScale, LINES, ValueScale, empty_message, facts_tail, path_name, runs_in, sig3, volume_unit,
    when_in,
};
use crate::ensemble::{
    Estimate, Kpi, Lever, ReserveQuery, ReserveResult, Seeds, SweepResult, Tornado, TornadoBar,
};
use crate::report::{Lang, Msg, thousands};
use crate::scenario::Scenario;
use crate::tr;
