//! The per-replication file: every replication's daily series and totals, one row per
//! replication, in the Arrow IPC file format (Feather v2), which pandas
//! (`pandas.read_feather`), polars (`polars.read_ipc`) and R (`arrow::read_feather`) read
//! directly. `run --keep-replications` writes it as `replications.arrow`; the shard files
//! of `run --shard I/N` are the same format.
//!
//! One record batch per replication, written as the replication finishes (in replication
//! order), so the file never needs all replications in memory, and reading it back
//! ([`ReplicationsReader`]) gives the [`RunRecord`]s one at a time. Every number is
//! stored as the `f64` the simulation produced, so the records read back are bit for bit
//! the ones written, and folding them ([`crate::ensemble::Fold`]) gives the same summary.
//!
//! Columns (docs/outputs.md lists them with units): `replication`; the totals
//! (`first_dry_day`, `first_rationing_day`, `days_rationed`, per class `unmet:<class>`,
//! `unmet_rationed:<class>`, `unmet_dry:<class>`, then `served_total`, `delivered_total`,
//! `trucks_lost_total`, `fuel_destroyed_total`, `fuel_seized_total`,
//! `convoys_attacked_total`, `events`, `replans`); the fuel ledger (`ledger:<term>`); the
//! daily series, each a fixed-size list of one value per day (`stock:<depot>`,
//! `baseline:<class>`, `requested:<class>`, `served:<class>`, `unmet_rationed_daily:<class>`,
//! `unmet_dry_daily:<class>`, `delivered:<source>`, `airlifted`, `fleet`, `trucks_lost`,
//! `fuel_destroyed`, `fuel_seized`, `convoys_attacked`, `trucks:<state>`, `escorts_in_use`,
//! `escort_units`, `convoys_waiting_for_escort`, `rationing:<depot>`, `dry:<depot>`); the
//! segment totals, one list of one value per segment in file order (`segment_<stat>`);
//! and the routes of the plan (`route_segments`, `route_planned_trucks`,
//! `route_dispatched_trucks`). A `<class>` is `<depot id>/<class name>`.
//!
//! The schema's metadata holds one key, [`HEADER_KEY`], whose value is the caller's header
//! (JSON: what made the file); the footer may hold [`EXTRA_KEY`] (the caller's data that is
//! known only at the end).
//!
//! Long (over 600 lines) because the Arrow schema, the writer and the reader of one file
//! format stay together, so that a field added to the writer cannot be missed by the reader.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, FixedSizeListBuilder, Float64Builder, ListBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_ipc::reader::FileReader;
use arrow_ipc::writer::FileWriter;
use arrow_schema::{Field, Schema, SchemaRef};

use crate::model::{Layout, Per, RouteStat, RunRecord, SegmentStats, Series, TruckState};
use crate::scenario::{Scenario, SegmentId};

/// The schema metadata key of the header.
pub const HEADER_KEY: &str = "blockade";
/// The footer metadata key of the data written at the end.
pub const EXTRA_KEY: &str = "blockade.end";

/// A per-replication file that cannot be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ReplicationsError {
    /// The file could not be created, written, opened or read.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done: "write", "read".
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a per-replication file of this scenario (or is damaged).
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The daily series in the order of format version 1 (`blockade-replications/1`), which
/// differs from `daily.csv`'s and is kept so that files stay readable and byte-identical.
const SERIES_V1: [Series; 17] = [
    Series::Stock,
    Series::Demand,
    Series::Requested,
    Series::Served,
    Series::Rationed,
    Series::Dry,
    Series::Delivered,
    Series::Airlifted,
    Series::Fleet,
    Series::TrucksLost,
    Series::FuelDestroyed,
    Series::FuelSeized,
    Series::Attacks,
    Series::FleetState,
    Series::EscortsInUse,
    Series::EscortUnits,
    Series::ConvoysWaitingForEscort,
];

/// The daily series in the file's order: those of [`SERIES_V1`], then any other series of
/// [`Series::ALL`] in its order (a new series needs no edit here).
fn series() -> impl Iterator<Item = Series> {
    SERIES_V1
        .into_iter()
        .chain(Series::ALL.into_iter().filter(|s| !SERIES_V1.contains(s)))
}

const LEDGER: [&str; 8] = [
    "initial_stock",
    "loaded",
    "airlifted",
    "final_stock",
    "served",
    "destroyed",
    "seized",
    "in_trucks",
];

fn ledger_values(l: &crate::model::Ledger) -> [f64; 8] {
    [
        l.initial_stock,
        l.loaded,
        l.airlifted,
        l.final_stock,
        l.served,
        l.destroyed,
        l.seized,
        l.in_trucks,
    ]
}

fn ledger_from(v: [f64; 8]) -> crate::model::Ledger {
    crate::model::Ledger {
        initial_stock: v[0],
        loaded: v[1],
        airlifted: v[2],
        final_stock: v[3],
        served: v[4],
        destroyed: v[5],
        seized: v[6],
        in_trucks: v[7],
    }
}

const SEGMENT: [&str; 6] = [
    "convoys",
    "trucks",
    "attacks",
    "trucks_lost",
    "fuel_lost",
    "fuel_seized",
];

fn segment_values(s: &SegmentStats) -> [f64; 6] {
    [
        s.convoys,
        s.trucks,
        s.attacks,
        s.trucks_lost,
        s.fuel_lost,
        s.fuel_seized,
    ]
}

fn segment_from(v: [f64; 6]) -> SegmentStats {
    SegmentStats {
        convoys: v[0],
        trucks: v[1],
        attacks: v[2],
        trucks_lost: v[3],
        fuel_lost: v[4],
        fuel_seized: v[5],
    }
}

/// Everything the columns are named after: the layout and the names of its items.
struct Names {
    layout: Layout,
    depots: Vec<String>,
    classes: Vec<String>,
    sources: Vec<String>,
}

impl Names {
    fn new(s: &Scenario) -> Names {
        let layout = Layout::new(s);
        let depots = layout
            .depots
            .iter()
            .map(|d| s.node(*d).id.clone())
            .collect();
        let classes = layout
            .class_ids()
            .map(|i| {
                let (d, _) = layout.classes[i];
                let name = layout.class_name(s, i);
                if layout.depots.len() == 1 {
                    format!("{}/{name}", s.node(layout.depots[d.index()]).id)
                } else {
                    name
                }
            })
            .collect();
        let sources = layout
            .sources
            .iter()
            .map(|d| s.node(*d).id.clone())
            .collect();
        Names {
            layout,
            depots,
            classes,
            sources,
        }
    }

    fn labels(&self, per: Per) -> Vec<String> {
        match per {
            Per::Depot => self.depots.clone(),
            Per::Class => self.classes.clone(),
            Per::Source => self.sources.clone(),
            Per::State => TruckState::ALL
                .iter()
                .map(|t| t.key().to_string())
                .collect(),
            Per::One => vec![String::new()],
        }
    }

    /// Column names, in order.
    fn columns(&self) -> Vec<String> {
        let mut c: Vec<String> = ["replication", "first_dry_day", "first_rationing_day"]
            .map(String::from)
            .to_vec();
        c.push("days_rationed".into());
        for k in ["unmet", "unmet_rationed", "unmet_dry"] {
            c.extend(self.classes.iter().map(|n| format!("{k}:{n}")));
        }
        c.extend(
            [
                "served_total",
                "delivered_total",
                "trucks_lost_total",
                "fuel_destroyed_total",
                "fuel_seized_total",
                "convoys_attacked_total",
                "events",
                "replans",
            ]
            .map(String::from),
        );
        c.extend(LEDGER.iter().map(|l| format!("ledger:{l}")));
        for s in series() {
            for l in self.labels(s.per()) {
                c.push(if l.is_empty() {
                    s.key().to_string()
                } else {
                    format!("{}:{l}", s.key())
                });
            }
        }
        for k in ["rationing", "dry"] {
            c.extend(self.depots.iter().map(|n| format!("{k}:{n}")));
        }
        c.extend(SEGMENT.iter().map(|f| format!("segment_{f}")));
        c.extend(
            [
                "route_segments",
                "route_planned_trucks",
                "route_dispatched_trucks",
            ]
            .map(String::from),
        );
        c
    }

    /// The arrays of one batch of `records` (possibly none, for the schema).
    fn arrays(&self, records: &[(u64, &RunRecord)]) -> Vec<ArrayRef> {
        let l = &self.layout;
        let d = l.days;
        let mut out: Vec<ArrayRef> = Vec::new();
        let u64s = |f: &dyn Fn(u64, &RunRecord) -> u64| -> ArrayRef {
            let mut b = UInt64Builder::new();
            records
                .iter()
                .for_each(|(r, rec)| b.append_value(f(*r, rec)));
            Arc::new(b.finish())
        };
        let u32s = |f: &dyn Fn(&RunRecord) -> Option<u32>| -> ArrayRef {
            let mut b = UInt32Builder::new();
            records.iter().for_each(|(_, rec)| b.append_option(f(rec)));
            Arc::new(b.finish())
        };
        let f64s = |f: &dyn Fn(&RunRecord) -> f64| -> ArrayRef {
            let mut b = Float64Builder::new();
            records.iter().for_each(|(_, rec)| b.append_value(f(rec)));
            Arc::new(b.finish())
        };
        out.push(u64s(&|r, _| r));
        out.push(u32s(&|rec| rec.first_dry));
        out.push(u32s(&|rec| rec.first_rationing));
        out.push(u32s(&|rec| Some(rec.days_rationed())));
        for i in l.class_ids() {
            out.push(f64s(&|rec| rec.unmet_total(i)));
        }
        for i in l.class_ids() {
            out.push(f64s(&|rec| rec.unmet_rationed(i)));
        }
        for i in l.class_ids() {
            out.push(f64s(&|rec| rec.unmet_dry(i)));
        }
        for s in [
            Series::Served,
            Series::Delivered,
            Series::TrucksLost,
            Series::FuelDestroyed,
            Series::FuelSeized,
            Series::Attacks,
        ] {
            out.push(f64s(&|rec| rec[s].iter().sum()));
        }
        out.push(u64s(&|_, rec| rec.events));
        out.push(u64s(&|_, rec| rec.replans));
        for k in 0..LEDGER.len() {
            out.push(f64s(&|rec| ledger_values(&rec.ledger)[k]));
        }
        let list = |width: usize, f: &dyn Fn(&RunRecord) -> &[f64]| -> ArrayRef {
            let mut b = FixedSizeListBuilder::new(Float64Builder::new(), width as i32);
            for (_, rec) in records {
                b.values().append_slice(f(rec));
                b.append(true);
            }
            Arc::new(b.finish())
        };
        for s in series() {
            for line in s.per().lines(l) {
                out.push(list(d, &|rec| rec.daily(s, line)));
            }
        }
        let flags = |f: &dyn Fn(&RunRecord) -> &[bool]| -> ArrayRef {
            let mut b = FixedSizeListBuilder::new(BooleanBuilder::new(), d as i32);
            for (_, rec) in records {
                b.values().append_slice(f(rec));
                b.append(true);
            }
            Arc::new(b.finish())
        };
        for j in 0..l.depots.len() {
            out.push(flags(&|rec| &rec.rationing_day[j * d..(j + 1) * d]));
        }
        for j in 0..l.depots.len() {
            out.push(flags(&|rec| &rec.dry_day[j * d..(j + 1) * d]));
        }
        for k in 0..SEGMENT.len() {
            let mut b = FixedSizeListBuilder::new(Float64Builder::new(), l.segments as i32);
            for (_, rec) in records {
                for sg in &rec.segments {
                    b.values().append_value(segment_values(sg)[k]);
                }
                b.append(true);
            }
            out.push(Arc::new(b.finish()));
        }
        let mut segs = ListBuilder::new(ListBuilder::new(UInt32Builder::new()));
        let mut planned = ListBuilder::new(Float64Builder::new());
        let mut dispatched = ListBuilder::new(Float64Builder::new());
        for (_, rec) in records {
            for route in &rec.routes {
                let inner = segs.values();
                for sg in &route.segments {
                    inner.values().append_value(sg.0);
                }
                inner.append(true);
                planned.values().append_value(route.planned_trucks);
                dispatched.values().append_value(route.dispatched_trucks);
            }
            segs.append(true);
            planned.append(true);
            dispatched.append(true);
        }
        out.push(Arc::new(segs.finish()));
        out.push(Arc::new(planned.finish()));
        out.push(Arc::new(dispatched.finish()));
        out
    }

    fn schema(&self, header: &str) -> Schema {
        let fields: Vec<Field> = self
            .columns()
            .into_iter()
            .zip(self.arrays(&[]))
            .map(|(name, a)| {
                // The first-day columns are empty where there is no such day.
                let nullable = name.starts_with("first_");
                Field::new(name, a.data_type().clone(), nullable)
            })
            .collect();
        Schema::new_with_metadata(
            fields,
            arrow_schema::Metadata::new().with(HEADER_KEY, header),
        )
    }
}

/// Writes a per-replication file, one replication at a time; the file appears (atomically)
/// only at [`ReplicationsWriter::finish`].
pub struct ReplicationsWriter {
    names: Names,
    schema: SchemaRef,
    writer: FileWriter<BufWriter<tempfile::NamedTempFile>>,
    path: PathBuf,
}

impl ReplicationsWriter {
    /// Starts the file `path` for scenario `s`, with `header` in the schema's metadata.
    ///
    /// # Errors
    /// [`ReplicationsError::Io`] if the folder or the temporary file cannot be created.
    pub fn create(path: &Path, s: &Scenario, header: &str) -> Result<Self, ReplicationsError> {
        let io = |source| ReplicationsError::Io {
            action: "write",
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".blockade-").suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let tmp = builder.tempfile_in(dir).map_err(io)?;
        let names = Names::new(s);
        let schema = Arc::new(names.schema(header));
        let writer = FileWriter::try_new(BufWriter::new(tmp), &schema).map_err(|e| {
            ReplicationsError::Format {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        Ok(ReplicationsWriter {
            names,
            schema,
            writer,
            path: path.to_path_buf(),
        })
    }

    fn format_err(&self, e: impl std::fmt::Display) -> ReplicationsError {
        ReplicationsError::Format {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Appends replication `r` (callers push in replication order).
    ///
    /// # Errors
    /// [`ReplicationsError`] if it cannot be written.
    pub fn push(&mut self, r: u64, rec: &RunRecord) -> Result<(), ReplicationsError> {
        let batch = RecordBatch::try_new(self.schema.clone(), self.names.arrays(&[(r, rec)]))
            .map_err(|e| self.format_err(e))?;
        self.writer.write(&batch).map_err(|e| self.format_err(e))
    }

    /// Ends the file with `extra` in the footer's metadata ([`EXTRA_KEY`]), and moves it
    /// into place.
    ///
    /// # Errors
    /// [`ReplicationsError`] if it cannot be written or renamed.
    pub fn finish(mut self, extra: &str) -> Result<PathBuf, ReplicationsError> {
        self.writer.write_metadata(EXTRA_KEY, extra);
        self.writer.finish().map_err(|e| self.format_err(e))?;
        let path = self.path.clone();
        let io = |source| ReplicationsError::Io {
            action: "write",
            path: path.clone(),
            source,
        };
        let buf = self
            .writer
            .into_inner()
            .map_err(|e| ReplicationsError::Format {
                path: path.clone(),
                message: e.to_string(),
            })?;
        let tmp = buf.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(path)
    }
}

/// Reads a per-replication file back, one [`RunRecord`] at a time.
pub struct ReplicationsReader {
    names: Names,
    reader: FileReader<BufReader<File>>,
    path: PathBuf,
    header: String,
    extra: String,
    rows: Option<(RecordBatch, usize)>,
}

/// The header and footer data of the per-replication file at `path`, without reading its
/// replications.
///
/// # Errors
/// [`ReplicationsError`] if it cannot be opened or is not such a file.
pub fn read_header(path: &Path) -> Result<(String, String), ReplicationsError> {
    let reader = open(path)?;
    header_of(path, &reader)
}

fn open(path: &Path) -> Result<FileReader<BufReader<File>>, ReplicationsError> {
    let f = File::open(path).map_err(|source| ReplicationsError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    FileReader::try_new(BufReader::new(f), None).map_err(|e| ReplicationsError::Format {
        path: path.to_path_buf(),
        message: format!("not an Arrow IPC file written by blockade ({e})"),
    })
}

fn header_of(
    path: &Path,
    reader: &FileReader<BufReader<File>>,
) -> Result<(String, String), ReplicationsError> {
    let header = reader
        .schema()
        .metadata()
        .get(HEADER_KEY)
        .cloned()
        .ok_or_else(|| ReplicationsError::Format {
            path: path.to_path_buf(),
            message: "not a blockade replications or shard file (no header)".into(),
        })?;
    let extra = reader
        .custom_metadata()
        .get(EXTRA_KEY)
        .cloned()
        .unwrap_or_default();
    Ok((header, extra))
}

impl ReplicationsReader {
    /// Opens the file `path` written for scenario `s`.
    ///
    /// # Errors
    /// [`ReplicationsError`] if it cannot be opened, or its columns are not those of `s`.
    pub fn open(path: &Path, s: &Scenario) -> Result<Self, ReplicationsError> {
        let reader = open(path)?;
        let (header, extra) = header_of(path, &reader)?;
        let names = Names::new(s);
        let expected = names.schema(&header);
        let schema = reader.schema();
        if schema.fields() != expected.fields() {
            return Err(ReplicationsError::Format {
                path: path.to_path_buf(),
                message: "its columns are not those of this scenario".into(),
            });
        }
        Ok(ReplicationsReader {
            names,
            reader,
            path: path.to_path_buf(),
            header,
            extra,
            rows: None,
        })
    }

    /// The header (schema metadata [`HEADER_KEY`]).
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The footer data ([`EXTRA_KEY`]; empty if none).
    pub fn extra(&self) -> &str {
        &self.extra
    }

    fn format_err(&self, message: String) -> ReplicationsError {
        ReplicationsError::Format {
            path: self.path.clone(),
            message,
        }
    }

    /// The next replication: its index and record; `None` at the end.
    ///
    /// # Errors
    /// [`ReplicationsError::Format`] if the file is damaged.
    pub fn next_record(&mut self) -> Option<Result<(u64, RunRecord), ReplicationsError>> {
        loop {
            if let Some((batch, row)) = &self.rows
                && *row < batch.num_rows()
            {
                let (batch, row) = (batch.clone(), *row);
                self.rows = Some((batch.clone(), row + 1));
                return Some(self.record(&batch, row));
            }
            match self.reader.next()? {
                Ok(b) => self.rows = Some((b, 0)),
                Err(e) => return Some(Err(self.format_err(e.to_string()))),
            }
        }
    }

    fn record(&self, b: &RecordBatch, row: usize) -> Result<(u64, RunRecord), ReplicationsError> {
        let l = &self.names.layout;
        let d = l.days;
        let mut rec = RunRecord::new(l);
        let mut col = 0usize;
        let mut next = || {
            col += 1;
            b.column(col - 1).clone()
        };
        let bad = || self.format_err("a column does not have the expected type".into());
        let u64_at = |a: &ArrayRef| -> Result<u64, ReplicationsError> {
            Ok(a.as_primitive_opt::<UInt64Type>()
                .ok_or_else(bad)?
                .value(row))
        };
        let u32_at = |a: &ArrayRef| -> Result<Option<u32>, ReplicationsError> {
            let a = a.as_primitive_opt::<UInt32Type>().ok_or_else(bad)?;
            Ok(a.is_valid(row).then(|| a.value(row)))
        };
        let f64_at = |a: &ArrayRef| -> Result<f64, ReplicationsError> {
            Ok(a.as_primitive_opt::<Float64Type>()
                .ok_or_else(bad)?
                .value(row))
        };
        let f64_list = |a: &ArrayRef| -> Result<Vec<f64>, ReplicationsError> {
            let v = a.as_fixed_size_list_opt().ok_or_else(bad)?.value(row);
            Ok(v.as_primitive_opt::<Float64Type>()
                .ok_or_else(bad)?
                .values()
                .to_vec())
        };
        let r = u64_at(&next())?;
        rec.first_dry = u32_at(&next())?;
        rec.first_rationing = u32_at(&next())?;
        // The totals are derived from the series: skipped.
        for _ in 0..(1 + 3 * l.classes.len() + 6) {
            next();
        }
        rec.events = u64_at(&next())?;
        rec.replans = u64_at(&next())?;
        let mut ledger = [0.0; 8];
        for v in &mut ledger {
            *v = f64_at(&next())?;
        }
        rec.ledger = ledger_from(ledger);
        for s in series() {
            let width = self.names.labels(s.per()).len();
            let target = &mut rec[s];
            for j in 0..width {
                let v = f64_list(&next())?;
                if v.len() != d {
                    return Err(bad());
                }
                target[j * d..(j + 1) * d].copy_from_slice(&v);
            }
        }
        for which in 0..2 {
            for j in 0..l.depots.len() {
                let a = next();
                let v = a.as_fixed_size_list_opt().ok_or_else(bad)?.value(row);
                let v = v.as_boolean_opt().ok_or_else(bad)?;
                let target = if which == 0 {
                    &mut rec.rationing_day
                } else {
                    &mut rec.dry_day
                };
                for k in 0..d {
                    target[j * d + k] = v.value(k);
                }
            }
        }
        let mut seg = vec![[0.0; 6]; l.segments];
        for k in 0..SEGMENT.len() {
            let v = f64_list(&next())?;
            if v.len() != l.segments {
                return Err(bad());
            }
            for (row, x) in seg.iter_mut().zip(v) {
                row[k] = x;
            }
        }
        rec.segments = seg.into_iter().map(segment_from).collect();
        let segs = next();
        let segs = segs.as_list_opt::<i32>().ok_or_else(bad)?.value(row);
        let segs = segs.as_list_opt::<i32>().ok_or_else(bad)?;
        let planned = next();
        let planned = planned.as_list_opt::<i32>().ok_or_else(bad)?.value(row);
        let planned = planned.as_primitive_opt::<Float64Type>().ok_or_else(bad)?;
        let dispatched = next();
        let dispatched = dispatched.as_list_opt::<i32>().ok_or_else(bad)?.value(row);
        let dispatched = dispatched
            .as_primitive_opt::<Float64Type>()
            .ok_or_else(bad)?;
        if planned.len() != segs.len() || dispatched.len() != segs.len() {
            return Err(bad());
        }
        rec.routes = (0..segs.len())
            .map(|i| -> Result<RouteStat, ReplicationsError> {
                let s = segs.value(i);
                let s = s.as_primitive_opt::<UInt32Type>().ok_or_else(bad)?;
                Ok(RouteStat {
                    segments: s.values().iter().map(|x| SegmentId(*x)).collect(),
                    planned_trucks: planned.value(i),
                    dispatched_trucks: dispatched.value(i),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok((r, rec))
    }
}
