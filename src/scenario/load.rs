//! Reading scenario files: parse RON (or JSON), follow `include`s, merge, validate, and
//! attach file, line and column to every diagnostic.
//!
//! Merge rules, applied in order (each include, depth first, then the including file):
//! scalars (`name`, `seed`, ...) and section fields (`fleet.trucks`, ...) are replaced
//! by the later file when it sets them; nodes and segments with the same id are replaced
//! whole, in place, others are appended; events are appended. A file included twice is
//! merged once, the first time; including a file that is already being read is a cycle
//! and an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;
use super::locate::Tree;
use super::schema::{ScenarioFile, SegmentSpec};
use super::validate::{self, Loc};
use super::{Scenario, ScenarioError};

/// A scenario read from disk, with the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The checked scenario.
    pub scenario: Scenario,
    /// Problems that do not stop it from being used.
    pub warnings: Vec<Diagnostic>,
    /// The merged file (includes applied, defaults not filled), for `--set` and export.
    pub merged: ScenarioFile,
}

/// One file read while loading.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// The merged content of a scenario and its includes, with where each part came from.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    pub file: ScenarioFile,
    pub sources: Vec<SourceFile>,
    /// Node id -> index in `sources` of the file that defined it last.
    pub node_origin: HashMap<String, usize>,
    /// Segment id -> index of its file.
    pub segment_origin: HashMap<String, usize>,
    /// For each merged event: its file and its index among that file's events.
    pub event_origin: Vec<(usize, usize)>,
    /// Top-level field path ("fleet.trucks") -> index of the file that set it.
    pub field_origin: HashMap<String, usize>,
}

/// Reads, merges and checks the scenario at `path`.
///
/// # Errors
/// [`ScenarioError::Io`] if `path` cannot be read; [`ScenarioError::Invalid`] with every
/// diagnostic (errors and warnings) if the file, an include, or the merged scenario is
/// wrong.
pub fn load(path: &Path) -> Result<Loaded, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_str(&text, path)
}

/// Like [`load`], with the main file's text given; `path` names it in messages and
/// anchors relative includes.
///
/// # Errors
/// [`ScenarioError::Invalid`] with every diagnostic found.
pub fn load_str(text: &str, path: &Path) -> Result<Loaded, ScenarioError> {
    let merged = read_merged(text, path)?;
    finish(merged, &[])
}

/// Reads `text` (the file at `path`) and its includes into one merged file.
pub(crate) fn read_merged(text: &str, path: &Path) -> Result<Merged, ScenarioError> {
    let mut merged = Merged::default();
    let mut diags = Vec::new();
    let mut stack = Vec::new();
    let mut done = Vec::new();
    read_into(
        &mut merged,
        text.to_string(),
        path.to_path_buf(),
        &mut stack,
        &mut done,
        &mut diags,
    );
    if diags.is_empty() {
        Ok(merged)
    } else {
        Err(ScenarioError::Invalid { diagnostics: diags })
    }
}

/// Validates a merged file, with extra `(Diagnostic, Loc)` problems found before (by
/// `--set`), and places every diagnostic in its file.
pub(crate) fn finish(merged: Merged, extra: &[Diagnostic]) -> Result<Loaded, ScenarioError> {
    let default_name = merged
        .sources
        .first()
        .and_then(|s| s.path.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    let (scenario, found) = validate::validate_located(&merged.file, &default_name);
    let mut diagnostics: Vec<Diagnostic> = extra.to_vec();
    let trees: Vec<Tree<'_>> = merged.sources.iter().map(|s| Tree::new(&s.text)).collect();
    for (mut d, loc) in found {
        place(&mut d, &loc, &merged, &trees);
        diagnostics.push(d);
    }
    match scenario {
        Some(mut scenario) if !diagnostics.iter().any(Diagnostic::is_error) => {
            scenario.files = merged.sources.iter().map(|s| s.path.clone()).collect();
            Ok(Loaded {
                scenario,
                warnings: diagnostics,
                merged: merged.file,
            })
        }
        _ => Err(ScenarioError::Invalid { diagnostics }),
    }
}

fn place(d: &mut Diagnostic, loc: &Loc, m: &Merged, trees: &[Tree<'_>]) {
    let (file, found) = match loc {
        Loc::None => (m.sources.first().map(|_| 0), None),
        Loc::Field(path) => {
            let file = m.field_origin.get(&path.join(".")).copied();
            (file.or(Some(0)), file.and_then(|f| trees[f].path(path)))
        }
        Loc::Node(id, field) => {
            let file = m.node_origin.get(id).copied();
            (file, file.and_then(|f| trees[f].node(id, *field)))
        }
        Loc::Segment(id, field) => {
            let file = m.segment_origin.get(id).copied();
            (file, file.and_then(|f| trees[f].segment(id, *field)))
        }
        Loc::NodeNth(id, n) => {
            let file = m.node_origin.get(id).copied();
            (file, file.and_then(|f| trees[f].node_nth(id, *n)))
        }
        Loc::SegmentNth(id, n) => {
            let file = m.segment_origin.get(id).copied();
            (file, file.and_then(|f| trees[f].segment_nth(id, *n)))
        }
        Loc::Class(depot, class, nth, field) => {
            let file = m.node_origin.get(depot).copied();
            (
                file,
                file.and_then(|f| trees[f].demand_class(depot, class, *nth, *field)),
            )
        }
        Loc::Event(i, field) => match m.event_origin.get(*i) {
            Some(&(f, local)) => (Some(f), trees[f].event(local, *field)),
            None => (None, None),
        },
    };
    if let Some(f) = file.and_then(|f| m.sources.get(f)) {
        d.file = Some(f.path.clone());
    }
    if let Some((line, col, text)) = found {
        d.line_col = Some((line, col));
        d.source_line = Some(text);
    }
}

fn include_error(src: &SourceFile, inc: &str, msg: String) -> Diagnostic {
    let mut d = Diagnostic::error(format!("include `{inc}`"), msg);
    d.file = Some(src.path.clone());
    if let Some((line, col, text)) = Tree::new(&src.text).string(inc) {
        d.line_col = Some((line, col));
        d.source_line = Some(text);
    }
    d
}

fn syntax_error(path: &Path, text: &str, line: usize, col: usize, message: String) -> Diagnostic {
    let mut d = Diagnostic::error("", message);
    d.file = Some(path.to_path_buf());
    if line > 0 {
        let src = text
            .lines()
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
        // The parser's span may start at the blank before the offending value: move the
        // caret onto the value itself when it is on the same line.
        let col = col.max(1);
        let col = match &src {
            Some(l) => {
                let skip = l
                    .chars()
                    .skip(col - 1)
                    .take_while(|c| c.is_whitespace())
                    .count();
                if col - 1 + skip < l.chars().count() {
                    col + skip
                } else {
                    col
                }
            }
            None => col,
        };
        d.line_col = Some((line, col));
        d.message = super::hints::improve(&d.message, src.as_deref(), col);
        d.source_line = src;
    } else {
        d.message = super::hints::improve(&d.message, None, 0);
    }
    d
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Parses one file's text as RON, or JSON when the path ends in `.json`.
fn parse(path: &Path, text: &str) -> Result<ScenarioFile, Box<Diagnostic>> {
    // A byte-order mark (some Windows editors add one) is not part of the text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return serde_json::from_str(text).map_err(|e| {
            let msg = e.to_string();
            // serde_json appends " at line L column C"; we show the position our way.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Box::new(syntax_error(
                path,
                text,
                e.line(),
                e.column(),
                lowercase_first(&msg),
            ))
        });
    }
    let opts =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    opts.from_str::<ScenarioFile>(text).map_err(|e| {
        let msg = lowercase_first(&e.code.to_string());
        Box::new(syntax_error(
            path,
            text,
            e.span.start.line,
            e.span.start.col,
            msg,
        ))
    })
}

fn read_into(
    m: &mut Merged,
    text: String,
    path: PathBuf,
    stack: &mut Vec<PathBuf>,
    done: &mut Vec<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) {
    let me = m.sources.len();
    let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
    // Drop a byte-order mark here, not only in `parse`: the kept text is what diagnostics
    // are located in, and a BOM would shift every position.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let parsed = parse(&path, &text);
    m.sources.push(SourceFile {
        path: path.clone(),
        text,
    });
    let file = match parsed {
        Ok(f) => f,
        Err(d) => {
            diags.push(*d);
            return;
        }
    };
    stack.push(canonical.clone());
    done.push(canonical);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    for inc in &file.include {
        let inc_path = base.join(inc);
        let inc_canon = match inc_path.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                let msg = format!("cannot open {}: {e}", inc_path.display());
                diags.push(include_error(&m.sources[me], inc, msg));
                continue;
            }
        };
        if stack.contains(&inc_canon) {
            let chain: Vec<String> = stack
                .iter()
                .chain(std::iter::once(&inc_canon))
                .map(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                })
                .collect();
            let msg = format!("include cycle: {}", chain.join(" -> "));
            diags.push(include_error(&m.sources[me], inc, msg));
            continue;
        }
        if done.contains(&inc_canon) {
            continue;
        }
        match std::fs::read_to_string(&inc_path) {
            Ok(t) => read_into(m, t, inc_path, stack, done, diags),
            Err(e) => {
                let msg = format!("cannot read {}: {e}", inc_path.display());
                diags.push(include_error(&m.sources[me], inc, msg));
            }
        }
    }
    stack.pop();
    merge(m, file, me);
}

/// Sets `dst` from `src` if `src` is set, recording which file set `path`.
fn take<T>(
    dst: &mut Option<T>,
    src: Option<T>,
    origin: &mut HashMap<String, usize>,
    path: &str,
    file: usize,
) {
    if src.is_some() {
        *dst = src;
        origin.insert(path.to_string(), file);
    }
}

fn merge(m: &mut Merged, f: ScenarioFile, file: usize) {
    let (dst, o) = (&mut m.file, &mut m.field_origin);
    take(&mut dst.name, f.name, o, "name", file);
    take(&mut dst.description, f.description, o, "description", file);
    take(&mut dst.start_date, f.start_date, o, "start_date", file);
    take(
        &mut dst.horizon_days,
        f.horizon_days,
        o,
        "horizon_days",
        file,
    );
    take(&mut dst.seed, f.seed, o, "seed", file);
    take(
        &mut dst.replications,
        f.replications,
        o,
        "replications",
        file,
    );
    if let Some(s) = f.fleet {
        let d = dst.fleet.get_or_insert_with(Default::default);
        take(&mut d.trucks, s.trucks, o, "fleet.trucks", file);
        take(
            &mut d.truck_litres,
            s.truck_litres,
            o,
            "fleet.truck_litres",
            file,
        );
        take(
            &mut d.replacement_per_day,
            s.replacement_per_day,
            o,
            "fleet.replacement_per_day",
            file,
        );
    }
    if let Some(s) = f.dispatch {
        let d = dst.dispatch.get_or_insert_with(Default::default);
        take(
            &mut d.replan_days,
            s.replan_days,
            o,
            "dispatch.replan_days",
            file,
        );
        take(
            &mut d.convoy_interval_days,
            s.convoy_interval_days,
            o,
            "dispatch.convoy_interval_days",
            file,
        );
        take(
            &mut d.max_convoy,
            s.max_convoy,
            o,
            "dispatch.max_convoy",
            file,
        );
        take(
            &mut d.warm_start,
            s.warm_start,
            o,
            "dispatch.warm_start",
            file,
        );
        take(
            &mut d.reroute_after_days,
            s.reroute_after_days,
            o,
            "dispatch.reroute_after_days",
            file,
        );
        take(
            &mut d.attrition_horizon_days,
            s.attrition_horizon_days,
            o,
            "dispatch.attrition_horizon_days",
            file,
        );
    }
    if let Some(s) = f.escorts {
        let d = dst.escorts.get_or_insert_with(Default::default);
        take(&mut d.units, s.units, o, "escorts.units", file);
        take(&mut d.threshold, s.threshold, o, "escorts.threshold", file);
        take(
            &mut d.require_escort,
            s.require_escort,
            o,
            "escorts.require_escort",
            file,
        );
        take(
            &mut d.risk_factor,
            s.risk_factor,
            o,
            "escorts.risk_factor",
            file,
        );
        take(
            &mut d.loss_factor,
            s.loss_factor,
            o,
            "escorts.loss_factor",
            file,
        );
        take(
            &mut d.turnaround_days,
            s.turnaround_days,
            o,
            "escorts.turnaround_days",
            file,
        );
        take(
            &mut d.max_convoy,
            s.max_convoy,
            o,
            "escorts.max_convoy",
            file,
        );
    }
    if let Some(s) = f.interdiction {
        let d = dst.interdiction.get_or_insert_with(Default::default);
        take(
            &mut d.loss_fraction,
            s.loss_fraction,
            o,
            "interdiction.loss_fraction",
            file,
        );
        take(
            &mut d.seized_share,
            s.seized_share,
            o,
            "interdiction.seized_share",
            file,
        );
        take(
            &mut d.suspend_days,
            s.suspend_days,
            o,
            "interdiction.suspend_days",
            file,
        );
        take(
            &mut d.on_attack,
            s.on_attack,
            o,
            "interdiction.on_attack",
            file,
        );
        take(
            &mut d.return_risk_factor,
            s.return_risk_factor,
            o,
            "interdiction.return_risk_factor",
            file,
        );
    }
    override_or_append(
        &mut dst.nodes,
        f.nodes,
        |n| n.id().to_string(),
        &mut m.node_origin,
        file,
    );
    override_or_append(
        &mut dst.segments,
        f.segments,
        SegmentSpec::resolved_id,
        &mut m.segment_origin,
        file,
    );
    let n_events = f.events.len();
    dst.events.extend(f.events);
    m.event_origin.extend((0..n_events).map(|i| (file, i)));
}

/// Merges one file's list into the merged list: an item whose id was defined by an
/// earlier file replaces it in place; other items are appended. A second item with the same
/// id in the same file is appended too, so that validation reports the duplicate.
fn override_or_append<T>(
    list: &mut Vec<T>,
    new: Vec<T>,
    id_of: impl Fn(&T) -> String,
    origin: &mut HashMap<String, usize>,
    file: usize,
) {
    let before = list.len();
    let mut seen_here = std::collections::HashSet::new();
    for item in new {
        let id = id_of(&item);
        let earlier = if seen_here.insert(id.clone()) {
            list[..before].iter().position(|x| id_of(x) == id)
        } else {
            None
        };
        match earlier {
            Some(i) => list[i] = item,
            None => list.push(item),
        }
        origin.insert(id, file);
    }
}
