//! Finds where an item is written in a source file, so that semantic diagnostics can
//! give a line and column and not only an id.
//!
//! serde does not keep positions, so this re-reads the text with a small, lenient
//! tokenizer and builds a tree of `(...)`, `[...]` and `{...}` groups with their named
//! fields. It works on RON and on JSON. It is only ever asked about files that already
//! parsed, and when it cannot find an item unambiguously it returns `None`: a diagnostic
//! without a position is better than one with a wrong position.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Ident(&'a str),
    Str(&'a str),
    Other(&'a str),
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    tok: Tok<'a>,
    line: usize,
    col: usize,
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let col_of = |i: usize, line_start: usize| text[line_start..i].chars().count() + 1;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let col = if text.is_char_boundary(i) {
            col_of(i, line_start)
        } else {
            1
        };
        match c {
            b'\n' => {
                i += 1;
                line += 1;
                line_start = i;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    if bytes[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if i < bytes.len() && bytes[i] == b'\n' {
                        line += 1;
                        line_start = i + 1;
                    }
                    i += 1;
                }
                let end = i.min(bytes.len());
                i = (i + 1).min(bytes.len());
                let inner = text.get(start + 1..end).unwrap_or("");
                out.push(Token {
                    tok: Tok::Str(inner),
                    line,
                    col,
                });
                continue;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Ident(&text[start..i]),
                    line,
                    col,
                });
                continue;
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b',' => {
                i += 1;
                out.push(Token {
                    tok: Tok::Punct(c as char),
                    line,
                    col,
                });
                continue;
            }
            _ => {
                // Numbers, signs, other punctuation and non-ASCII: one token up to a delimiter.
                i += 1;
                while i < bytes.len() && !b" \t\r\n()[]{}:,\"".contains(&bytes[i]) {
                    i += 1;
                }
                while i < bytes.len() && !text.is_char_boundary(i) {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Other(text.get(start..i).unwrap_or("")),
                    line,
                    col,
                });
            }
        }
    }
    out
}

/// A value in the tree.
#[derive(Debug, Clone)]
enum Value {
    Scalar(usize),
    Group(usize),
}

#[derive(Debug, Default)]
struct Group {
    /// Constructor name before `(`, or the key of a JSON enum wrapper.
    name: Option<String>,
    /// Token index of the group's first token.
    start: usize,
    /// Named fields: name, token index of the name, value.
    fields: Vec<(String, usize, Value)>,
    /// Unnamed entries (list items, tuple members).
    items: Vec<Value>,
}

/// The parsed tree of one file.
pub(crate) struct Tree<'a> {
    tokens: Vec<Token<'a>>,
    groups: Vec<Group>,
    lines: Vec<&'a str>,
    /// Node id -> groups defining it, in file order; built on first use, so that placing
    /// thousands of diagnostics does not scan the file once each.
    node_index: std::cell::OnceCell<HashMap<String, Vec<usize>>>,
    /// Segment id -> groups defining it, in file order.
    segment_index: std::cell::OnceCell<HashMap<String, Vec<usize>>>,
}

/// A 1-based line and column, with the line's text.
pub(crate) type Place = (usize, usize, String);

impl<'a> Tree<'a> {
    /// Tokenizes and parses `text` leniently.
    pub(crate) fn new(text: &'a str) -> Tree<'a> {
        let tokens = tokenize(text);
        let mut tree = Tree {
            tokens,
            groups: Vec::new(),
            lines: text.lines().collect(),
            node_index: std::cell::OnceCell::new(),
            segment_index: std::cell::OnceCell::new(),
        };
        let mut pos = 0;
        // Skip `#![enable(...)]` attributes.
        while matches!(tree.tokens.get(pos).map(|t| t.tok), Some(Tok::Other(s)) if s.starts_with('#'))
        {
            let mut depth = 0i32;
            pos += 1;
            while let Some(t) = tree.tokens.get(pos) {
                pos += 1;
                match t.tok {
                    Tok::Punct('[') => depth += 1,
                    Tok::Punct(']') => {
                        depth -= 1;
                        if depth <= 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut guard = 0;
        tree.value(&mut pos, None, &mut guard);
        tree
    }

    fn value(&mut self, pos: &mut usize, key: Option<&str>, depth: &mut usize) -> Value {
        *depth += 1;
        let v = self.value_inner(pos, key, depth);
        *depth -= 1;
        v
    }

    fn value_inner(&mut self, pos: &mut usize, key: Option<&str>, depth: &mut usize) -> Value {
        let here = *pos;
        if *depth > 200 {
            *pos = self.tokens.len();
            return Value::Scalar(here);
        }
        let tok = self.tokens.get(here).map(|t| t.tok);
        let next = self.tokens.get(here + 1).map(|t| t.tok);
        match (tok, next) {
            (Some(Tok::Ident(name)), Some(Tok::Punct('('))) => {
                *pos += 1;
                let g = self.group(pos, Some(name.to_string()), here, ')', depth);
                // `Some(x)` stands for `x`.
                if name == "Some"
                    && self.groups[g].fields.is_empty()
                    && self.groups[g].items.len() == 1
                {
                    return self.groups[g].items[0].clone();
                }
                Value::Group(g)
            }
            (Some(Tok::Punct(open @ ('(' | '[' | '{'))), _) => {
                let close = match open {
                    '(' => ')',
                    '[' => ']',
                    _ => '}',
                };
                // A JSON enum is `{"Variant": {...}}`; the wrapper's key names the inner group.
                let name = key
                    .filter(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
                    .map(str::to_string);
                Value::Group(self.group(pos, name, here, close, depth))
            }
            _ => {
                *pos += 1;
                Value::Scalar(here)
            }
        }
    }

    fn group(
        &mut self,
        pos: &mut usize,
        name: Option<String>,
        start: usize,
        close: char,
        depth: &mut usize,
    ) -> usize {
        *pos += 1; // the opening bracket
        let id = self.groups.len();
        self.groups.push(Group {
            name,
            start,
            ..Group::default()
        });
        while let Some(t) = self.tokens.get(*pos).map(|t| t.tok) {
            match t {
                Tok::Punct(c) if c == close => {
                    *pos += 1;
                    return id;
                }
                Tok::Punct(')' | ']' | '}') => return id, // mismatched: give up on this group
                Tok::Punct(',') => *pos += 1,
                Tok::Ident(k) | Tok::Str(k)
                    if matches!(
                        self.tokens.get(*pos + 1).map(|t| t.tok),
                        Some(Tok::Punct(':'))
                    ) =>
                {
                    let key_at = *pos;
                    *pos += 2;
                    let v = self.value(pos, Some(k), depth);
                    self.groups[id].fields.push((k.to_string(), key_at, v));
                }
                _ => {
                    let before = *pos;
                    let v = self.value(pos, None, depth);
                    self.groups[id].items.push(v);
                    if *pos == before {
                        *pos += 1;
                    }
                }
            }
        }
        id
    }

    fn place(&self, token: usize) -> Option<Place> {
        let t = self.tokens.get(token)?;
        let text = self.lines.get(t.line - 1).copied().unwrap_or("");
        Some((t.line, t.col, text.to_string()))
    }

    fn field(&self, g: usize, name: &str) -> Option<&(String, usize, Value)> {
        self.groups
            .get(g)?
            .fields
            .iter()
            .find(|(k, _, _)| k == name)
    }

    fn str_field(&self, g: usize, name: &str) -> Option<&'a str> {
        match self.field(g, name)?.2 {
            Value::Scalar(t) => match self.tokens.get(t)?.tok {
                Tok::Str(s) => Some(s),
                _ => None,
            },
            Value::Group(_) => None,
        }
    }

    /// The place of field `field` in group `g` (its value), or of the group itself.
    fn place_in(&self, g: usize, field: Option<&str>) -> Option<Place> {
        if let Some(f) = field.and_then(|f| self.field(g, f)) {
            let tok = match f.2 {
                Value::Scalar(t) => t,
                Value::Group(inner) => self.groups[inner].start,
            };
            return self.place(tok);
        }
        self.place(self.groups.get(g)?.start)
    }

    fn unique(&self, mut pred: impl FnMut(usize, &Group) -> bool) -> Option<usize> {
        let mut found = self
            .groups
            .iter()
            .enumerate()
            .filter(|(i, g)| pred(*i, g))
            .map(|(i, _)| i);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The id of group `i` if it is a segment: its own `id`, or `FROM-TO`.
    fn segment_id(&self, i: usize) -> Option<String> {
        let (Some(from), Some(to)) = (self.str_field(i, "from"), self.str_field(i, "to")) else {
            return None;
        };
        Some(match self.str_field(i, "id") {
            Some(own) => own.to_string(),
            None => format!("{from}-{to}"),
        })
    }

    /// The groups defining node `id`, in file order.
    fn nodes_named(&self, id: &str) -> &[usize] {
        let index = self.node_index.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, g) in self.groups.iter().enumerate() {
                if matches!(g.name.as_deref(), Some("Source" | "Depot" | "Waypoint"))
                    && let Some(id) = self.str_field(i, "id")
                {
                    m.entry(id.to_string()).or_default().push(i);
                }
            }
            m
        });
        index.get(id).map_or(&[], Vec::as_slice)
    }

    /// The groups defining segment `id`, in file order.
    fn segments_named(&self, id: &str) -> &[usize] {
        let index = self.segment_index.get_or_init(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for i in 0..self.groups.len() {
                if let Some(id) = self.segment_id(i) {
                    m.entry(id).or_default().push(i);
                }
            }
            m
        });
        index.get(id).map_or(&[], Vec::as_slice)
    }

    /// Where node `id` is defined (or its field `field`), if defined once.
    pub(crate) fn node(&self, id: &str, field: Option<&str>) -> Option<Place> {
        match self.nodes_named(id) {
            [g] => self.place_in(*g, field),
            _ => None,
        }
    }

    /// Where the `n`-th (0-based) definition of node `id` is: for duplicates.
    pub(crate) fn node_nth(&self, id: &str, n: usize) -> Option<Place> {
        let g = *self.nodes_named(id).get(n)?;
        self.place_in(g, None)
    }

    /// Where segment `id` is defined (or its field `field`), if defined once.
    pub(crate) fn segment(&self, id: &str, field: Option<&str>) -> Option<Place> {
        match self.segments_named(id) {
            [g] => self.place_in(*g, field),
            _ => None,
        }
    }

    /// Where the `n`-th (0-based) definition of segment `id` is: for duplicates.
    pub(crate) fn segment_nth(&self, id: &str, n: usize) -> Option<Place> {
        let g = *self.segments_named(id).get(n)?;
        self.place_in(g, None)
    }

    /// Where the `nth` (0-based) demand class named `class` of depot `depot` is defined.
    pub(crate) fn demand_class(
        &self,
        depot: &str,
        class: &str,
        nth: usize,
        field: Option<&str>,
    ) -> Option<Place> {
        let d = self.unique(|i, g| {
            g.name.as_deref() == Some("Depot") && self.str_field(i, "id") == Some(depot)
        })?;
        let Some((_, _, Value::Group(list))) = self.field(d, "demand") else {
            return None;
        };
        let hits: Vec<usize> = self.groups[*list]
            .items
            .iter()
            .filter_map(|v| match v {
                Value::Group(g) if self.str_field(*g, "name") == Some(class) => Some(*g),
                _ => None,
            })
            .collect();
        hits.get(nth).and_then(|g| self.place_in(*g, field))
    }

    /// Where the `n`-th (0-based) event of this file is, or its field `field`.
    pub(crate) fn event(&self, n: usize, field: Option<&str>) -> Option<Place> {
        let g = self
            .groups
            .iter()
            .enumerate()
            .filter(|(i, _)| self.field(*i, "effect").is_some())
            .nth(n)?
            .0;
        match field {
            Some(f) if self.field(g, f).is_none() => {
                // A field of the effect, e.g. `factor`.
                match self.field(g, "effect")?.2 {
                    Value::Group(e) => self.place_in(self.json_inner(e), Some(f)),
                    Value::Scalar(_) => self.place_in(g, None),
                }
            }
            _ => self.place_in(g, field),
        }
    }

    /// In JSON an enum is `{"Variant": {...}}`: step into the wrapper.
    fn json_inner(&self, g: usize) -> usize {
        match self.groups[g].fields.as_slice() {
            [(k, _, Value::Group(inner))]
                if self.groups[g].name.is_none() && k.starts_with(char::is_uppercase) =>
            {
                *inner
            }
            _ => g,
        }
    }

    /// Where a top-level field path such as `fleet.trucks` is written.
    pub(crate) fn path(&self, path: &[&str]) -> Option<Place> {
        let mut g = 0usize;
        self.groups.first()?;
        for (i, key) in path.iter().enumerate() {
            let (_, key_at, v) = self.field(g, key)?;
            if i + 1 == path.len() {
                let tok = match v {
                    Value::Scalar(t) => *t,
                    Value::Group(inner) => self.groups[*inner].start,
                };
                return self.place(tok).or_else(|| self.place(*key_at));
            }
            match v {
                Value::Group(inner) => g = *inner,
                Value::Scalar(_) => return None,
            }
        }
        None
    }

    /// Where the string literal `s` is written, if it appears exactly once.
    pub(crate) fn string(&self, s: &str) -> Option<Place> {
        let mut hits = self
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.tok == Tok::Str(s));
        let (first, _) = hits.next()?;
        hits.next().is_none().then(|| self.place(first)).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"#![enable(implicit_some)]
Scenario(
    name: "t", // a comment with "quotes"
    nodes: [
        Source(id: "P", supply_litres_per_day: 1e6),
        Depot(id: "D", capacity_litres: 1, initial_stock_litres: 2,
              demand: [(name: "essential", litres_per_day: 5, priority: 1)]),
    ],
    segments: [
        (from: "P", to: "D", km: 10, transit_days: Fixed(1.0), capacity_trucks_per_day: 5, risk: 0.1),
        Segment(id: "alt", from: "P", to: "D", km: 10, transit_days: Fixed(1.0), capacity_trucks_per_day: 5, risk: 2),
    ],
    fleet: (trucks: 0),
    events: [(day: 3, effect: Close(segments: ["alt"])), (day: 4, effect: EscortUnits(2))],
)"#;

    #[test]
    fn finds_items_and_fields() {
        let t = Tree::new(TEXT);
        assert_eq!(t.node("D", None).map(|p| (p.0, p.1)), Some((6, 9)));
        assert_eq!(
            t.node("D", Some("initial_stock_litres"))
                .map(|p| (p.0, p.1)),
            Some((6, 66))
        );
        assert_eq!(t.segment("P-D", Some("risk")).map(|p| p.0), Some(10));
        assert_eq!(
            t.segment("alt", Some("risk")).map(|p| (p.0, p.1)),
            Some((11, 116))
        );
        assert_eq!(
            t.path(&["fleet", "trucks"]).map(|p| (p.0, p.1)),
            Some((13, 21))
        );
        assert_eq!(t.event(1, None).map(|p| (p.0, p.1)), Some((14, 58)));
        assert_eq!(
            t.demand_class("D", "essential", 0, Some("priority"))
                .map(|p| p.0),
            Some(7)
        );
        assert_eq!(t.string("alt").map(|p| p.0), None, "appears twice");
        assert!(t.node("Q", None).is_none());
    }

    #[test]
    fn json_is_understood() {
        let json = "{\n \"nodes\": [\n  {\"Source\": {\"id\": \"P\", \"supply_litres_per_day\": 1}}\n ],\n \"fleet\": {\"trucks\": 0}\n}";
        let t = Tree::new(json);
        assert_eq!(t.node("P", None).map(|p| p.0), Some(3));
        assert_eq!(t.path(&["fleet", "trucks"]).map(|p| p.0), Some(5));
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "(",
            ")))",
            "[[[(",
            "\"unterminated",
            "/* open",
            "é(ü: \"x",
            "a:(b:[c:{d:",
        ] {
            let t = Tree::new(s);
            let _ = t.node("x", None);
            let _ = t.path(&["a", "b"]);
            let _ = t.event(0, Some("day"));
        }
    }
}
