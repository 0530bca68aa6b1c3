//! The daily output series of a replication, as one list.
//!
//! Every day-by-day quantity that a run reports per replication (stock, demand, served,
//! deliveries, the fleet census, escorts, losses, ...) is a variant of [`Series`]. The
//! variant carries everything the rest of the code needs to know about it: its name in the
//! per-replication file, its `daily.csv` column, what it has one line of (per depot, per
//! class, per source, per truck state or one), its unit and the digits `daily.csv` prints.
//! [`super::RunRecord`], the ensemble's streaming aggregate, the per-replication file and
//! `daily.csv` all loop over [`Series::ALL`]. A series is read one [`Line`] at a time, and
//! a line knows its shape: a class's line of a per-depot series is refused.
//!
//! **Adding a series**: one variant here (in `ALL`, and its row in `Series::info`), its
//! write in the world (`*self.rec.at_mut(Series::X, line, day) = ...`, `line` a depot,
//! class, source or truck state: a [`Line`]), and its line in `docs/outputs.md` (a test
//! fails if the docs miss one of its columns). The record, the aggregate's mean, `daily.csv` (at the end, or in its depot or class block) and
//! `replications.arrow` (after the series of format version 1) follow from the list.

use super::{ClassId, Layout, TruckState};
use crate::scenario::{DepotId, SourceId};

/// What a series has one day-by-day line of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// One line per depot, in file order.
    Depot,
    /// One line per demand class, in [`Layout::classes`] order.
    Class,
    /// One line per source, in file order.
    Source,
    /// One line per [`TruckState`], in census order.
    State,
    /// A single line.
    One,
}

impl Per {
    /// How many lines a series of this shape has in `layout`.
    pub fn count(self, layout: &Layout) -> usize {
        match self {
            Per::Depot => layout.depots.len(),
            Per::Class => layout.classes.len(),
            Per::Source => layout.sources.len(),
            Per::State => TruckState::ALL.len(),
            Per::One => 1,
        }
    }

    /// Its `i`-th line (the depot, class, source or truck state in place `i`; [`Line::One`]
    /// for a single line), for code that walks the lines of any shape in order.
    ///
    /// # Panics
    /// If `i` is past the truck states, or not 0 for [`Per::One`].
    pub fn line(self, i: usize) -> Line {
        match self {
            Per::Depot => Line::Depot(DepotId(i as u32)),
            Per::Class => Line::Class(ClassId(i as u32)),
            Per::Source => Line::Source(SourceId(i as u32)),
            Per::State => Line::State(TruckState::ALL[i]),
            Per::One => {
                assert_eq!(i, 0, "a series with one line has no line {i}");
                Line::One
            }
        }
    }

    /// Its lines in `layout`, in order.
    pub fn lines(self, layout: &Layout) -> impl Iterator<Item = Line> + use<> {
        (0..self.count(layout)).map(move |i| self.line(i))
    }
}

/// One line of a series: the depot, class, source or truck state it is about, or the
/// single line of a series [`Per::One`]. Reading a series at a line of another shape (a
/// class's line of the stock, which is per depot) is a bug and panics, so a class index
/// cannot be taken for a depot's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A depot's line of a series [`Per::Depot`].
    Depot(DepotId),
    /// A class's line of a series [`Per::Class`].
    Class(ClassId),
    /// A source's line of a series [`Per::Source`].
    Source(SourceId),
    /// A truck state's line of a series [`Per::State`].
    State(TruckState),
    /// The line of a series [`Per::One`].
    One,
}

impl Line {
    /// The shape of series this is a line of.
    pub fn per(self) -> Per {
        match self {
            Line::Depot(_) => Per::Depot,
            Line::Class(_) => Per::Class,
            Line::Source(_) => Per::Source,
            Line::State(_) => Per::State,
            Line::One => Per::One,
        }
    }

    /// The line's place among its series' lines.
    pub fn index(self) -> usize {
        match self {
            Line::Depot(d) => d.index(),
            Line::Class(c) => c.index(),
            Line::Source(s) => s.index(),
            Line::State(t) => t as usize,
            Line::One => 0,
        }
    }

    /// Its place among the lines of series `s`, checked against the series' shape.
    ///
    /// # Panics
    /// If `s` has lines of another shape (a bug in the caller).
    pub fn of(self, s: Series) -> usize {
        assert_eq!(self.per(), s.per(), "{self:?} is not a line of {s:?}");
        self.index()
    }
}

impl From<DepotId> for Line {
    fn from(d: DepotId) -> Line {
        Line::Depot(d)
    }
}

impl From<ClassId> for Line {
    fn from(c: ClassId) -> Line {
        Line::Class(c)
    }
}

impl From<SourceId> for Line {
    fn from(s: SourceId) -> Line {
        Line::Source(s)
    }
}

impl From<TruckState> for Line {
    fn from(t: TruckState) -> Line {
        Line::State(t)
    }
}

/// A daily output series of a replication (see the module doc for how to add one).
///
/// The discriminant is the series' place in [`Series::ALL`], which is the order of the
/// means in `daily.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Series {
    /// End-of-day stock per depot, litres.
    Stock,
    /// Baseline demand per class per day (`litres_per_day` x active demand factors), litres.
    Demand,
    /// Requested per class per day: the baseline, or its rationed share on a rationing day.
    Requested,
    /// Served per class per day, litres.
    Served,
    /// Unmet because of rationing (baseline - requested), per class per day, litres.
    Rationed,
    /// Unmet because the stock ran out (requested - served), per class per day, litres.
    Dry,
    /// Litres unloaded at depots per day, by the source where they were loaded.
    Delivered,
    /// Litres airlifted or delivered by events per day (accepted part).
    Airlifted,
    /// Trucks in the fleet at the end of each day.
    Fleet,
    /// The census at each settle: trucks per [`TruckState`].
    FleetState,
    /// Escort units in service at each settle.
    EscortUnits,
    /// Escort units busy (riding with a convoy or driving back) at each settle.
    EscortsInUse,
    /// Convoys queued for an escort at each settle.
    ConvoysWaitingForEscort,
    /// Trucks lost each day.
    TrucksLost,
    /// Litres burned each day.
    FuelDestroyed,
    /// Litres seized each day.
    FuelSeized,
    /// Convoys attacked each day.
    Attacks,
}

/// What the rest of the code knows about a series: one row of [`Series::info`].
struct Info {
    key: &'static str,
    csv: &'static str,
    per: Per,
    unit: &'static str,
    digits: usize,
}

impl Series {
    /// Number of series.
    pub const COUNT: usize = 17;

    /// Every series, in `daily.csv` order.
    pub const ALL: [Series; Series::COUNT] = [
        Series::Stock,
        Series::Demand,
        Series::Requested,
        Series::Served,
        Series::Rationed,
        Series::Dry,
        Series::Delivered,
        Series::Airlifted,
        Series::Fleet,
        Series::FleetState,
        Series::EscortUnits,
        Series::EscortsInUse,
        Series::ConvoysWaitingForEscort,
        Series::TrucksLost,
        Series::FuelDestroyed,
        Series::FuelSeized,
        Series::Attacks,
    ];

    fn info(self) -> Info {
        let i = |key, csv, per, unit, digits| Info {
            key,
            csv,
            per,
            unit,
            digits,
        };
        use Per::{Class, Depot, One, Source, State};
        match self {
            Series::Stock => i("stock", "{}stock_mean_litres", Depot, "litres", 1),
            Series::Demand => i("baseline", "{}_baseline_litres", Class, "litres", 1),
            Series::Requested => i("requested", "{}_requested_mean_litres", Class, "litres", 1),
            Series::Served => i("served", "{}_served_mean_litres", Class, "litres", 1),
            Series::Rationed => i(
                "unmet_rationed_daily",
                "{}_unmet_rationed_mean_litres",
                Class,
                "litres",
                1,
            ),
            Series::Dry => i(
                "unmet_dry_daily",
                "{}_unmet_dry_mean_litres",
                Class,
                "litres",
                1,
            ),
            Series::Delivered => i(
                "delivered",
                "delivered_from_{}_mean_litres",
                Source,
                "litres",
                1,
            ),
            Series::Airlifted => i("airlifted", "airlifted_mean_litres", One, "litres", 1),
            Series::Fleet => i("fleet", "fleet_mean_trucks", One, "trucks", 2),
            Series::FleetState => i("trucks", "trucks_{}_mean", State, "trucks", 2),
            Series::EscortUnits => i("escort_units", "escort_units_mean", One, "escort units", 3),
            Series::EscortsInUse => i(
                "escorts_in_use",
                "escorts_in_use_mean",
                One,
                "escort units",
                3,
            ),
            Series::ConvoysWaitingForEscort => i(
                "convoys_waiting_for_escort",
                "convoys_waiting_for_escort_mean",
                One,
                "convoys",
                3,
            ),
            Series::TrucksLost => i("trucks_lost", "trucks_lost_mean", One, "trucks", 4),
            Series::FuelDestroyed => i(
                "fuel_destroyed",
                "fuel_destroyed_mean_litres",
                One,
                "litres",
                1,
            ),
            Series::FuelSeized => i("fuel_seized", "fuel_seized_mean_litres", One, "litres", 1),
            Series::Attacks => i(
                "convoys_attacked",
                "convoys_attacked_mean",
                One,
                "convoys",
                4,
            ),
        }
    }

    /// The series' place in [`Series::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in the per-replication file (`served`, column `served:<class>`).
    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// Its `daily.csv` column for the line named `item`: the depot's column prefix (empty
    /// with one depot, `BKO_` with several), the class's column name, the source id or the
    /// truck state's key; a series [`Per::One`] ignores `item`.
    pub fn csv_column(self, item: &str) -> String {
        self.info().csv.replace("{}", item)
    }

    /// What it has one line of.
    pub fn per(self) -> Per {
        self.info().per
    }

    /// Its unit: `litres`, `trucks`, `convoys` or `escort units`.
    pub fn unit(self) -> &'static str {
        self.info().unit
    }

    /// Digits after the decimal point of its means in `daily.csv`.
    pub fn digits(self) -> usize {
        self.info().digits
    }

    /// Its values in one replication: `per().count(layout)` lines of `layout.days` values.
    pub fn values_in(self, layout: &Layout) -> usize {
        self.per().count(layout) * layout.days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_series_once_at_its_index() {
        for (i, s) in Series::ALL.iter().enumerate() {
            assert_eq!(s.index(), i, "{s:?}");
        }
        let keys: std::collections::BTreeSet<&str> = Series::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys.len(), Series::COUNT, "two series share a key");
    }

    #[test]
    fn a_line_is_read_only_from_a_series_of_its_shape() {
        assert_eq!(Line::Class(ClassId(2)).of(Series::Served), 2);
        assert_eq!(Line::Depot(DepotId(1)).of(Series::Stock), 1);
        assert_eq!(
            Line::State(TruckState::IdleAtSource).of(Series::FleetState),
            5
        );
        assert_eq!(Line::One.of(Series::Fleet), 0);
        let wrong = std::panic::catch_unwind(|| Line::Class(ClassId(0)).of(Series::Stock));
        assert!(
            wrong.is_err(),
            "a class's line read from the per-depot stock"
        );
        let wrong = std::panic::catch_unwind(|| Line::Depot(DepotId(0)).of(Series::Served));
        assert!(
            wrong.is_err(),
            "a depot's line read from a per-class series"
        );
    }

    #[test]
    fn a_csv_column_names_its_unit_and_its_item() {
        for s in Series::ALL {
            let column = s.csv_column("X");
            assert_eq!(
                column.ends_with("_litres"),
                s.unit() == "litres",
                "{column} ({})",
                s.unit()
            );
            assert_eq!(column.contains('X'), s.per() != Per::One, "{column}");
        }
    }
}

#[cfg(test)]
mod docs {
    use super::*;

    /// The section of `docs/outputs.md` that starts with heading `title`.
    fn section(title: &str) -> &'static str {
        let doc = include_str!("../../docs/outputs.md");
        let start = doc.find(title).expect("the section is in docs/outputs.md");
        let rest = &doc[start + title.len()..];
        &rest[..rest.find("\n### ").unwrap_or(rest.len())]
    }

    /// `docs/outputs.md` names every series' columns, in `daily.csv` and in the
    /// per-replication file (as the docs write an item: `<class>`, `<SOURCE>`, ...).
    #[test]
    fn outputs_doc_names_every_series() {
        let daily = section("### `daily.csv`");
        let arrow = section("### `replications.arrow`");
        for s in Series::ALL {
            let (items, item) = match s.per() {
                Per::Depot => (vec![String::new()], "<depot>"),
                Per::Class => (vec!["<class>".to_string()], "<class>"),
                Per::Source => (vec!["<SOURCE>".to_string()], "<source>"),
                Per::State => (
                    TruckState::ALL
                        .iter()
                        .map(|t| t.key().to_string())
                        .collect(),
                    "<state>",
                ),
                Per::One => (vec![String::new()], ""),
            };
            for i in items {
                let column = format!("`{}`", s.csv_column(&i));
                assert!(daily.contains(&column), "daily.csv: {column} ({s:?})");
            }
            let column = if s.per() == Per::One {
                format!("`{}`", s.key())
            } else {
                format!("`{}:{item}`", s.key())
            };
            assert!(
                arrow.contains(&column),
                "replications.arrow: {column} ({s:?})"
            );
        }
    }
}
