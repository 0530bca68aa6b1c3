//! Reading scenario files: parse RON (or JSON), follow `include`s, merge, validate, and
//! attach file, line and column to every diagnostic.
//!
//! Long (over 600 lines, 40 of tests) because reading, include resolution and the
//! destructuring merge are one path that a new field must pass through whole.
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
use super::schema::{
    DispatchSpec, EscortSpec, FleetSpec, InterdictionSpec, ScenarioFile, SegmentSpec,
};
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
    let text = read_text(path).map_err(|source| ScenarioError::Io {
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

/// Largest scenario file read (16 MiB): a scenario of the largest supported size is a few
/// MiB of text.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Reads a scenario file as text: only a regular file (a device such as `/dev/zero` would
/// never end, a FIFO would block), at most [`MAX_FILE_BYTES`].
///
/// # Errors
/// The I/O error; `InvalidInput` for something that is not a regular file or is too large.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let too_big = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "larger than {} MiB; not a scenario file",
                MAX_FILE_BYTES >> 20
            ),
        )
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        };
        return Err(Error::new(ErrorKind::InvalidInput, kind));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut text = String::new();
    // `take`: the file may grow between the size check and the read.
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(text)
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
    // The files are indexed for line and column only when there is something to place
    // (`Template::with` on a valid variant, the hot path of studies, skips it).
    let trees: Vec<Tree<'_>> = if found.is_empty() {
        Vec::new()
    } else {
        merged.sources.iter().map(|s| Tree::new(&s.text)).collect()
    };
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
            Some(l) => number_start(l, col, &d.message),
            None => col,
        };
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

/// Where a value that a number field refused starts. The parser reports such a value (a
/// word, a wrong range) after reading it whole, so the span points past its end; the caret
/// goes back to its first character. Other messages keep `col`.
fn number_start(line: &str, col: usize, message: &str) -> usize {
    let refused = message.starts_with("expected a number")
        || message.starts_with("expected a whole number")
        || message.starts_with("`Uncertain(...)` takes");
    if !refused {
        return col;
    }
    let chars: Vec<char> = line.chars().collect();
    let end = (col - 1).min(chars.len());
    let before: String = chars[..end].iter().collect();
    // The last `Uncertain` before the caret, or the word the message quotes.
    let quoted = message
        .split_once("found `")
        .and_then(|(_, r)| r.split_once('`'))
        .map(|(w, _)| w);
    let word = if message.starts_with('`') {
        Some("Uncertain")
    } else {
        quoted
    };
    if let Some(b) = word.and_then(|w| before.rfind(w)) {
        return before[..b].chars().count() + 1;
    }
    // Else the start of the value: after the last `:`, `(` or `,`, past blanks.
    let start = chars[..end]
        .iter()
        .rposition(|c| matches!(c, ':' | '(' | ','))
        .map_or(0, |p| p + 1);
    let skip = chars[start..end]
        .iter()
        .take_while(|c| c.is_whitespace())
        .count();
    start + skip + 1
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
        Err(mut d) => {
            // An include that is not named as a scenario (`.ron`, `.json`) may be any file
            // the user can read: say where it fails, but do not echo its content.
            let scenario_like = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron") || e.eq_ignore_ascii_case("json"));
            if me > 0 && !scenario_like {
                d.source_line = None;
            }
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
        match read_text(&inc_path) {
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

/// Merges one file into `m`. Every struct is destructured without `..`, so a field added to
/// the schema and forgotten here fails to compile instead of being dropped from includes.
fn merge(m: &mut Merged, f: ScenarioFile, file: usize) {
    let ScenarioFile {
        include: _,
        name,
        description,
        start_date,
        horizon_days,
        seed,
        replications,
        nodes,
        segments,
        fleet,
        dispatch,
        escorts,
        interdiction,
        events,
    } = f;
    let (dst, o) = (&mut m.file, &mut m.field_origin);
    // Sets `dst.FIELD` (or `dst.SECTION.FIELD`) from the value, recording which file set it.
    macro_rules! set {
        ($d:expr, $v:ident, $path:expr) => {
            take(&mut $d.$v, $v, o, $path, file)
        };
    }
    set!(dst, name, "name");
    set!(dst, description, "description");
    set!(dst, start_date, "start_date");
    set!(dst, horizon_days, "horizon_days");
    set!(dst, seed, "seed");
    set!(dst, replications, "replications");
    if let Some(FleetSpec {
        trucks,
        truck_litres,
        replacement_per_day,
    }) = fleet
    {
        let d = dst.fleet.get_or_insert_with(Default::default);
        set!(d, trucks, "fleet.trucks");
        set!(d, truck_litres, "fleet.truck_litres");
        set!(d, replacement_per_day, "fleet.replacement_per_day");
    }
    if let Some(DispatchSpec {
        replan_days,
        convoy_interval_days,
        max_convoy,
        warm_start,
        reroute_after_days,
        attrition_horizon_days,
    }) = dispatch
    {
        let d = dst.dispatch.get_or_insert_with(Default::default);
        set!(d, replan_days, "dispatch.replan_days");
        set!(d, convoy_interval_days, "dispatch.convoy_interval_days");
        set!(d, max_convoy, "dispatch.max_convoy");
        set!(d, warm_start, "dispatch.warm_start");
        set!(d, reroute_after_days, "dispatch.reroute_after_days");
        set!(d, attrition_horizon_days, "dispatch.attrition_horizon_days");
    }
    if let Some(EscortSpec {
        units,
        threshold,
        require_escort,
        risk_factor,
        loss_factor,
        turnaround_days,
        max_convoy,
    }) = escorts
    {
        let d = dst.escorts.get_or_insert_with(Default::default);
        set!(d, units, "escorts.units");
        set!(d, threshold, "escorts.threshold");
        set!(d, require_escort, "escorts.require_escort");
        set!(d, risk_factor, "escorts.risk_factor");
        set!(d, loss_factor, "escorts.loss_factor");
        set!(d, turnaround_days, "escorts.turnaround_days");
        set!(d, max_convoy, "escorts.max_convoy");
    }
    if let Some(InterdictionSpec {
        loss_fraction,
        seized_share,
        suspend_days,
        on_attack,
        return_risk_factor,
    }) = interdiction
    {
        let d = dst.interdiction.get_or_insert_with(Default::default);
        set!(d, loss_fraction, "interdiction.loss_fraction");
        set!(d, seized_share, "interdiction.seized_share");
        set!(d, suspend_days, "interdiction.suspend_days");
        set!(d, on_attack, "interdiction.on_attack");
        set!(d, return_risk_factor, "interdiction.return_risk_factor");
    }
    override_or_append(
        &mut dst.nodes,
        nodes,
        |n| n.id().to_string(),
        &mut m.node_origin,
        file,
    );
    override_or_append(
        &mut dst.segments,
        segments,
        SegmentSpec::resolved_id,
        &mut m.segment_origin,
        file,
    );
    let n_events = events.len();
    dst.events.extend(events);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::doc_sync::tests::everything;

    /// An include that sets every field of the format reaches the merged file whole.
    #[test]
    fn merge_keeps_every_field() {
        let mut m = Merged::default();
        merge(&mut m, everything(), 0);
        let mut want = everything();
        want.include.clear();
        assert_eq!(m.file, want);
        for path in [
            "name",
            "fleet.truck_litres",
            "dispatch.warm_start",
            "escorts.turnaround_days",
            "interdiction.return_risk_factor",
        ] {
            assert_eq!(m.field_origin.get(path), Some(&0), "{path}");
        }

        // A later file replaces every scalar, in every section.
        let mut later = everything();
        later.name = Some("later".into());
        later.fleet.as_mut().unwrap().truck_litres = Some(2.0.into());
        later.escorts.as_mut().unwrap().turnaround_days = Some(9.0.into());
        merge(&mut m, later.clone(), 1);
        later.include.clear();
        // Nodes and segments with the same ids are replaced, events appended.
        let mut events = want.events.clone();
        events.extend(later.events.clone());
        later.events = events;
        assert_eq!(m.file, later);
        assert_eq!(m.field_origin.get("fleet.trucks"), Some(&1));
    }
}
