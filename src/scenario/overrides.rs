//! `--set PATH=VALUE`: changing one field of a scenario from the command line.
//!
//! Long (over 600 lines) because every `--set` path (fields, list items, tags) resolves
//! through one parser and one table of paths; split, a path could be written in one place only.
//!
//! A path names a field as it is written in the file, with list items picked by id (or by
//! `name` for demand classes, by 1-based number for events): `fleet.trucks`,
//! `segments[KAY-DIE].risk`, `nodes[BKO].initial_stock_litres`,
//! `nodes[BKO].demand[essential].litres_per_day`, `events[2].until`.
//!
//! A corridor (every segment carrying a tag) is set as a whole with
//! `tags[TAG].risk_multiplier=F` (the hazard of each tagged segment multiplied by F from day
//! 0, exactly as a `RiskMultiplier` event on the tag, on top of the scenario's own events)
//! and `tags[TAG].closed=true` (a `Close` event on the tag from day 0). These add an event
//! to the scenario, labelled with the override.
//!
//! Overrides apply to the merged file before defaults are filled, so setting a
//! scenario-wide default (`interdiction.loss_fraction`) still reaches every segment that
//! does not set its own. Valid paths are those of the fully resolved scenario (what
//! `blockade export --json` prints); an unknown path is an error that names the nearest
//! valid ones. Optional fields that are unset can be set too (`escorts.turnaround_days`,
//! an event's `until` or `label`); other absent parts (a new event, another transit
//! distribution) are written in the file.

use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::load::{Loaded, Merged, finish, read_merged};
use super::schema::{DIST_FORMS, EffectSpec, EventSpec, Num, ScenarioFile};
use super::validate::closest;
use super::{ScenarioError, export};

/// One `PATH=VALUE` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The path, e.g. `segments[KAY-DIE].risk`.
    pub path: String,
    /// The value as written.
    pub value: String,
}

impl Override {
    /// Parses `PATH=VALUE`.
    ///
    /// # Errors
    /// A message when there is no `=` or the path is empty.
    pub fn parse(s: &str) -> Result<Override, String> {
        match s.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => Ok(Override {
                path: p.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(format!(
                "`{s}` is not of the form PATH=VALUE (e.g. fleet.trucks=800)"
            )),
        }
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// One step of a path (`--set`, `--vary`, `--prior`, an uncertain input's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field of a record: `risk` in `segments[KAY-DIE].risk`.
    Field(String),
    /// The key that picks an item of a list: `KAY-DIE` in `segments[KAY-DIE].risk`.
    Key(String),
}

/// Parses a path into its steps: `segments[KAY-DIE].risk` -> field `segments`, key
/// `KAY-DIE`, field `risk`. `None` for an empty or malformed path (`a..b`, `a[unclosed`).
/// The one parser of paths: overrides, export and the names the charts give to paths all
/// read them through it.
pub fn parse_path(p: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut rest = p;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Step::Key(r[..end].to_string()));
            rest = &r[end + 1..];
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            out.push(Step::Field(r[..end].to_string()));
            rest = &r[end..];
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A path as pairs of a field and the key of the list item it picks, if any:
/// `nodes[BKO].demand[essential].litres_per_day` -> (`nodes`, `BKO`), (`demand`,
/// `essential`), (`litres_per_day`, none). A key that follows another key has an empty
/// field. `None` for a malformed path ([`parse_path`]).
pub fn path_items(p: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for step in parse_path(p)? {
        match step {
            Step::Field(f) => out.push((f, None)),
            Step::Key(k) => match out.last_mut() {
                Some((_, key @ None)) => *key = Some(k),
                _ => out.push((String::new(), Some(k))),
            },
        }
    }
    Some(out)
}

/// The key by which a list item is picked: `id` (or `from-to` for segments), else `name`.
fn item_key(v: &Value) -> Option<String> {
    let inner = unwrap_variant(v);
    if let Some(id) = inner.get("id").and_then(Value::as_str) {
        return Some(id.to_string());
    }
    if let (Some(f), Some(t)) = (
        inner.get("from").and_then(Value::as_str),
        inner.get("to").and_then(Value::as_str),
    ) {
        return Some(format!("{f}-{t}"));
    }
    inner
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `{"Depot": {...}}` -> the inner object; anything else unchanged.
fn unwrap_variant(v: &Value) -> &Value {
    match v.as_object() {
        Some(m)
            if m.len() == 1
                && m.keys()
                    .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase())) =>
        {
            m.values().next().unwrap_or(v)
        }
        _ => v,
    }
}

fn unwrap_variant_mut(v: &mut Value) -> &mut Value {
    let wrapper_key = match v.as_object() {
        Some(m)
            if m.len() == 1
                && m.keys()
                    .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase())) =>
        {
            m.keys().next().cloned()
        }
        _ => None,
    };
    match wrapper_key {
        Some(k) => &mut v[k.as_str()],
        None => v,
    }
}

/// Every settable leaf path of a resolved file, in path syntax.
fn leaf_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaf_paths(x, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let key = if prefix == "events" {
                    (i + 1).to_string()
                } else {
                    item_key(x).unwrap_or_else(|| (i + 1).to_string())
                };
                let unwrapped = unwrap_variant(x);
                if unwrapped.is_object() {
                    leaf_paths(unwrapped, &format!("{prefix}[{key}]"), out);
                } else {
                    out.push(format!("{prefix}[{key}]"));
                }
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

/// Finds the value at `steps` in a resolved file value. `events` says whether the value
/// is the `events` list, whose items are picked by 1-based number.
fn get<'a>(v: &'a Value, steps: &[Step], events: bool) -> Option<&'a Value> {
    let Some((first, rest)) = steps.split_first() else {
        return Some(v);
    };
    match first {
        // A field of this object, or of the variant it wraps (`{"Depot": {...}}`).
        Step::Field(f) => get(
            v.get(f).or_else(|| unwrap_variant(v).get(f))?,
            rest,
            f == "events",
        ),
        Step::Key(k) => get(pick(v.as_array()?, k, events)?, rest, false),
    }
}

fn pick<'a>(items: &'a [Value], key: &str, events: bool) -> Option<&'a Value> {
    if events {
        return key
            .parse::<usize>()
            .ok()
            .filter(|i| *i >= 1)
            .and_then(|i| items.get(i - 1));
    }
    items.iter().find(|x| item_key(x).as_deref() == Some(key))
}

/// Sets `new` at `steps` in the merged file value, creating absent objects on the way.
pub(crate) fn set(v: &mut Value, steps: &[Step], new: Value, events: bool) -> bool {
    let Some((first, rest)) = steps.split_first() else {
        *v = new;
        return true;
    };
    if v.is_null() {
        *v = Value::Object(serde_json::Map::new());
    }
    match first {
        Step::Field(f) => {
            // The field itself if present here; else inside a variant wrapper; else new here.
            let here = v.as_object().is_some_and(|m| m.contains_key(f));
            let target = if here || unwrap_variant(v).get(f).is_none() {
                v
            } else {
                unwrap_variant_mut(v)
            };
            match target.as_object_mut() {
                Some(m) => set(
                    m.entry(f.clone()).or_insert(Value::Null),
                    rest,
                    new,
                    f == "events",
                ),
                None => false,
            }
        }
        Step::Key(k) => {
            let Some(items) = v.as_array_mut() else {
                return false;
            };
            let idx = if events {
                k.parse::<usize>()
                    .ok()
                    .filter(|i| *i >= 1 && *i <= items.len())
                    .map(|i| i - 1)
            } else {
                items
                    .iter()
                    .position(|x| item_key(x).as_deref() == Some(k.as_str()))
            };
            match idx {
                Some(i) => set(unwrap_variant_mut(&mut items[i]), rest, new, false),
                None => false,
            }
        }
    }
}

/// The JSON value for `text`, typed like `like` (the resolved value at that path).
fn typed_value(text: &str, like: &Value) -> Result<Value, String> {
    match like {
        // A whole number; `8.0` too, as a draw of a count may be printed.
        Value::Number(n) if n.is_u64() || n.is_i64() => text
            .parse::<u64>()
            .ok()
            .or_else(|| {
                text.parse::<f64>()
                    .ok()
                    .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x <= u64::MAX as f64)
                    .map(|x| x as u64)
            })
            .map(Value::from)
            .ok_or_else(|| format!("expects a whole number, got `{text}`")),
        Value::Number(_) => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => serde_json::Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| format!("`{text}` is not a number")),
            _ => Err(format!("expects a finite number, got `{text}`")),
        },
        Value::Bool(_) => text
            .parse::<bool>()
            .map(Value::Bool)
            .map_err(|_| format!("expects true or false, got `{text}`")),
        Value::String(_) => Ok(Value::String(text.to_string())),
        // An optional field that is not set (see `with_optional_placeholders`): a number
        // if the text is one, else true/false, else text; deserialization checks the type.
        Value::Null => Ok(if let Ok(n) = text.parse::<u64>() {
            Value::from(n)
        } else if let Some(x) = text.parse::<f64>().ok().filter(|x| x.is_finite()) {
            serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
        } else if let Ok(b) = text.parse::<bool>() {
            Value::Bool(b)
        } else {
            Value::String(text.to_string())
        }),
        _ => Err("this field is a group of fields; set one of its fields instead".into()),
    }
}

/// The JSON value of an `Uncertain(...)` override for a field typed like `like`.
fn uncertain_value(text: &str, like: &Value) -> Result<Value, String> {
    if !matches!(like, Value::Number(_) | Value::Null) {
        return Err("cannot be uncertain: it is not a number".into());
    }
    let spec: Num<f64> = ron::from_str(text)
        .map_err(|e| format!("`{text}` is not a range: {}; {DIST_FORMS}", e.code))?;
    serde_json::to_value(spec).map_err(|e| e.to_string())
}

/// Adds `null` for the optional fields a resolved scenario may leave out, so that `--set`
/// can set them too: `escorts.turnaround_days`, and each event's `until` and `label`.
fn with_optional_placeholders(mut v: Value) -> Value {
    if let Some(e) = v.get_mut("escorts").and_then(Value::as_object_mut) {
        e.entry("turnaround_days").or_insert(Value::Null);
    }
    if let Some(events) = v.get_mut("events").and_then(Value::as_array_mut) {
        for e in events.iter_mut().filter_map(Value::as_object_mut) {
            e.entry("until").or_insert(Value::Null);
            e.entry("label").or_insert(Value::Null);
        }
    }
    v
}

/// A scenario read once, from which variants with overrides are built in memory (for
/// `--set`, sweeps and tornado charts).
pub struct Template {
    merged: Merged,
    base: Loaded,
    resolved: Value,
    paths: Vec<String>,
}

impl Template {
    /// Reads and checks the scenario at `path`.
    ///
    /// # Errors
    /// [`ScenarioError::Io`] if it cannot be read; [`ScenarioError::Invalid`] if it is
    /// invalid.
    pub fn load(path: &std::path::Path) -> Result<Template, ScenarioError> {
        let text = super::load::read_text(path).map_err(|source| ScenarioError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let merged = read_merged(&text, path)?;
        let base = finish(clone_merged(&merged), &[])?;
        // Uncertain inputs at their medians: a path's value is typed by a plain number.
        let resolved = with_optional_placeholders(
            serde_json::to_value(export::to_file_at_medians(&base.scenario)).unwrap_or(Value::Null),
        );
        let mut paths = Vec::new();
        leaf_paths(&resolved, "", &mut paths);
        for tag in base.scenario.tags().keys() {
            paths.push(format!("tags[{tag}].{TAG_MULTIPLIER}"));
            paths.push(format!("tags[{tag}].{TAG_CLOSED}"));
        }
        Ok(Template {
            merged,
            base,
            resolved,
            paths,
        })
    }

    /// The scenario without overrides.
    pub fn base(&self) -> &Loaded {
        &self.base
    }

    /// Every path that `--set` accepts, in path syntax.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// The scenario's uncertain inputs, in file order: `base().scenario.uncertain`. An
    /// override of one of these paths with a plain number fixes it (the scenario that
    /// [`Template::with`] returns no longer lists it); one written `Uncertain(...)` makes a
    /// path uncertain or gives it a new range.
    pub fn uncertain(&self) -> &[super::UncertainInput] {
        &self.base.scenario.uncertain
    }

    /// The value at `path` in the scenario as given, as text (`--set` syntax), or `None`
    /// for an unknown path or an unset optional field. An uncertain input's value is its
    /// median. A tag's `risk_multiplier` is 1 and
    /// `closed` is false: the scenario's own events are not counted.
    pub fn value_at(&self, path: &str) -> Option<String> {
        let steps = parse_path(path)?;
        if let [Step::Field(t), Step::Key(tag), Step::Field(f)] = steps.as_slice()
            && t == "tags"
        {
            if !self.base.scenario.tags().contains_key(tag.as_str()) {
                return None;
            }
            return match f.as_str() {
                TAG_MULTIPLIER => Some("1".into()),
                TAG_CLOSED => Some("false".into()),
                _ => None,
            };
        }
        match get(&self.resolved, &steps, false)? {
            Value::Number(n) if n.is_f64() => n.as_f64().map(|x| format!("{x}")),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The scenario with `sets` applied, checked.
    ///
    /// # Errors
    /// [`ScenarioError::Invalid`] if a path is unknown or a value has the wrong type (every
    /// such problem), or if the overridden scenario is invalid (those diagnostics say so).
    pub fn with(&self, sets: &[Override]) -> Result<Loaded, ScenarioError> {
        if sets.is_empty() {
            return Ok(self.base.clone());
        }
        let mut file = serde_json::to_value(&self.merged.file).unwrap_or(Value::Null);
        let mut problems = Vec::new();
        let mut tag_events = Vec::new();
        for o in sets {
            let subject = format!("--set {o}");
            if o.path.starts_with("tags[") {
                match self.tag_event(o) {
                    Ok(e) => tag_events.extend(e),
                    Err(msg) => problems.push(Diagnostic::error(subject, msg)),
                }
                continue;
            }
            let Some(steps) = parse_path(&o.path) else {
                problems.push(Diagnostic::error(
                    subject,
                    "the path is malformed; write it like `segments[KAY-DIE].risk`",
                ));
                continue;
            };
            let Some(like) = get(&self.resolved, &steps, false) else {
                let near = nearest_paths(&o.path, &self.paths);
                problems.push(Diagnostic::error(
                    subject,
                    format!("unknown path `{}`; nearest valid paths: {near}", o.path),
                ));
                continue;
            };
            let value = if o.value.starts_with("Uncertain") {
                uncertain_value(&o.value, like)
            } else {
                typed_value(&o.value, like)
            };
            match value {
                Ok(v) => {
                    if !set(&mut file, &steps, v, false) {
                        problems.push(Diagnostic::error(
                            subject,
                            "this path cannot be set from the command line; edit the file",
                        ));
                    }
                }
                Err(msg) => {
                    problems.push(Diagnostic::error(subject, format!("`{}` {msg}", o.path)))
                }
            }
        }
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid {
                diagnostics: problems,
            });
        }
        let mut new_file: ScenarioFile =
            serde_json::from_value(file).map_err(|e| ScenarioError::Invalid {
                diagnostics: vec![Diagnostic::error(
                    "--set",
                    format!("the overridden scenario does not fit the format: {e}"),
                )],
            })?;
        new_file.events.extend(tag_events);
        let shown: Vec<String> = sets.iter().map(ToString::to_string).collect();
        let mut m = clone_merged(&self.merged);
        m.file = new_file;
        finish(m, &[]).map_err(|e| match e {
            ScenarioError::Invalid { diagnostics } => ScenarioError::Invalid {
                diagnostics: diagnostics
                    .into_iter()
                    .map(|mut d| {
                        // The file no longer says what was checked: point at the overrides.
                        d.line_col = None;
                        d.source_line = None;
                        d.message = format!("{} (after --set {})", d.message, shown.join(" "));
                        d
                    })
                    .collect(),
            },
            other => other,
        })
    }
}

/// The field of a tag path that multiplies the corridor's risk.
const TAG_MULTIPLIER: &str = "risk_multiplier";
/// The field of a tag path that closes the corridor.
const TAG_CLOSED: &str = "closed";

impl Template {
    /// The event that `tags[TAG].risk_multiplier=F` or `tags[TAG].closed=BOOL` adds (none for
    /// `closed=false`), or a message saying what is wrong with the override.
    fn tag_event(&self, o: &Override) -> Result<Option<EventSpec>, String> {
        let steps = parse_path(&o.path);
        let (tag, field) = match steps.as_deref() {
            Some([Step::Field(t), Step::Key(tag), Step::Field(f)]) if t == "tags" => (tag, f),
            _ => {
                return Err(format!(
                    "`{}`: a corridor path is `tags[TAG].{TAG_MULTIPLIER}` or `tags[TAG].{TAG_CLOSED}`",
                    o.path
                ));
            }
        };
        let tags = self.base.scenario.tags();
        if !tags.contains_key(tag.as_str()) {
            let known: Vec<&str> = tags.keys().copied().collect();
            let hint = closest(tag, known.iter().copied())
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            return Err(format!(
                "unknown tag `{tag}`; {hint}tags: {}",
                if known.is_empty() {
                    "none (no segment has tags)".to_string()
                } else {
                    known.join(", ")
                }
            ));
        }
        let event = |effect| EventSpec {
            day: Some(0.0),
            date: None,
            until: None,
            until_date: None,
            label: Some(format!("{o} (--set)")),
            effect,
        };
        match field.as_str() {
            TAG_MULTIPLIER => match o.value.parse::<f64>() {
                Ok(f) if f.is_finite() && f >= 0.0 => Ok(Some(event(EffectSpec::RiskMultiplier {
                    tags: vec![tag.clone()],
                    segments: Vec::new(),
                    factor: f.into(),
                }))),
                _ => Err(format!(
                    "`{}` expects a finite number >= 0, got `{}`",
                    o.path, o.value
                )),
            },
            TAG_CLOSED => match o.value.parse::<bool>() {
                Ok(true) => Ok(Some(event(EffectSpec::Close {
                    tags: vec![tag.clone()],
                    segments: Vec::new(),
                }))),
                Ok(false) => Ok(None),
                Err(_) => Err(format!(
                    "`{}` expects true or false, got `{}`",
                    o.path, o.value
                )),
            },
            other => Err(format!(
                "unknown corridor field `{other}`; a tag takes `{TAG_MULTIPLIER}` or `{TAG_CLOSED}`"
            )),
        }
    }
}

/// Reads the scenario at `path`, applies `sets`, and checks the result.
///
/// # Errors
/// [`ScenarioError::Io`] if the file cannot be read; [`ScenarioError::Invalid`] if the file
/// is invalid, if a path is unknown or a value has the wrong type (every such problem), or
/// if the overridden scenario is invalid (those diagnostics say so).
pub fn load_with_overrides(
    path: &std::path::Path,
    sets: &[Override],
) -> Result<Loaded, ScenarioError> {
    Template::load(path)?.with(sets)
}

fn clone_merged(m: &Merged) -> Merged {
    Merged {
        file: m.file.clone(),
        sources: m.sources.clone(),
        node_origin: m.node_origin.clone(),
        segment_origin: m.segment_origin.clone(),
        event_origin: m.event_origin.clone(),
        field_origin: m.field_origin.clone(),
    }
}

/// Up to four valid paths closest to `p`, for an error message.
fn nearest_paths(p: &str, paths: &[String]) -> String {
    let mut scored: Vec<(usize, &String)> = paths
        .iter()
        .map(|q| (strsim::levenshtein(p, q), q))
        .collect();
    scored.sort();
    let mut shown: Vec<String> = scored
        .iter()
        .take(4)
        .map(|(_, q)| format!("`{q}`"))
        .collect();
    if let Some(c) = closest(p, paths.iter().map(String::as_str)) {
        let c = format!("`{c}`");
        if !shown.contains(&c) {
            shown.insert(0, c);
        }
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("segments[KAY-DIE].risk"),
            Some(vec![
                Step::Field("segments".into()),
                Step::Key("KAY-DIE".into()),
                Step::Field("risk".into())
            ])
        );
        assert_eq!(parse_path("fleet.trucks").map(|v| v.len()), Some(2));
        assert_eq!(parse_path(""), None);
        assert_eq!(parse_path("a..b"), None);
        assert_eq!(parse_path("a[unclosed"), None);
    }

    #[test]
    fn paths_pair_fields_with_keys() {
        let pairs = |v: &[(&str, Option<&str>)]| {
            v.iter()
                .map(|(f, k)| (f.to_string(), k.map(str::to_string)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            path_items("nodes[BKO].demand[essential].litres_per_day"),
            Some(pairs(&[
                ("nodes", Some("BKO")),
                ("demand", Some("essential")),
                ("litres_per_day", None)
            ]))
        );
        assert_eq!(
            path_items("fleet.trucks"),
            Some(pairs(&[("fleet", None), ("trucks", None)]))
        );
        assert_eq!(
            path_items("events[2].effect.EscortUnits"),
            Some(pairs(&[
                ("events", Some("2")),
                ("effect", None),
                ("EscortUnits", None)
            ]))
        );
        assert_eq!(
            path_items("a[k][j]"),
            Some(pairs(&[("a", Some("k")), ("", Some("j"))]))
        );
        assert_eq!(path_items("a[unclosed"), None);
    }

    #[test]
    fn override_syntax() {
        assert_eq!(Override::parse("fleet.trucks=800").unwrap().value, "800");
        assert!(Override::parse("fleet.trucks").is_err());
        assert!(Override::parse("=3").is_err());
    }
}
