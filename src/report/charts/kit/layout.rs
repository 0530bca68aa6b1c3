//! Layout the charts share: the axes of a plot against time, the frame of a plot of
//! daily series, and which side of a marked point its label goes.

use plotters::prelude::*;

use super::super::draw::{
    Align, Axes, Canvas, Header, Res, TimeAxis, header, notes, value_ticks, x_axis, x_axis_height,
    y_axis, y_axis_width,
};

/// The frame of a plot of daily series: the header, one note under the plot, the days of
/// `time` across and 0 to `y1` up under `y_title`. Returns the axes to draw in.
pub(crate) fn daily_frame<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    head: &Header,
    note: &str,
    time: &TimeAxis,
    y1: f64,
    y_title: &str,
) -> Res<Axes> {
    let top = header(cv, head)?;
    let bottom = notes(cv, &[note.to_string()])?;
    let ticks = value_ticks(0.0, y1, 5, "");
    let ax = time_axes(cv, top, bottom, &ticks, time.days, y1);
    y_axis(cv, &ax, &ticks, y_title, false)?;
    x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
    Ok(ax)
}

/// Lays out a plot against time under `top` and above `bottom` with `ticks` on the left:
/// days 0 to `days` across, 0 to `y1` up.
pub(crate) fn time_axes<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    top: i32,
    bottom: i32,
    ticks: &[(f64, String)],
    days: f64,
    y1: f64,
) -> Axes {
    let m = cv.margin();
    Axes {
        l: m + y_axis_width(cv, ticks),
        t: top + cv.st.px(10.0),
        r: cv.st.w - m,
        b: bottom - x_axis_height(cv, true),
        x0: 0.0,
        x1: days,
        y0: 0.0,
        y1,
    }
}

/// Where the label of a point at `x` goes: `gap` to its right when a label `w` wide ends
/// before `right`, else `gap` to its left, ending there. The x of the text and its
/// alignment.
pub(crate) fn label_side(x: i32, w: i32, gap: i32, right: i32) -> (i32, Align) {
    if x + gap + w < right {
        (x + gap, Align::Left)
    } else {
        (x - gap, Align::Right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_goes_right_of_its_point_unless_it_would_pass_the_edge() {
        assert_eq!(label_side(100, 50, 10, 200), (110, Align::Left));
        // 100 + 10 + 90 reaches the edge: the label ends left of the point.
        assert_eq!(label_side(100, 90, 10, 200), (90, Align::Right));
    }
}
