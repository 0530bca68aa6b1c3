//! The modules form a straight stack (ARCHITECTURE.md): `engine` < `scenario` < `network` <
//! `model` < `ensemble` < `calibrate` < `report`, and the binary's `cli` above them all. A
//! module may name only modules below it in code; doc comments may link upward. This reads
//! the sources and fails on any path that runs back up.

use std::path::{Path, PathBuf};

/// The library's layers, bottom first.
const LAYERS: [&str; 7] = [
    "engine",
    "scenario",
    "network",
    "model",
    "ensemble",
    "calibrate",
    "report",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layer a source file belongs to: `src/model/world/mod.rs` -> `model`.
fn layer_of(src: &Path, file: &Path) -> Option<usize> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    LAYERS.iter().position(|l| *l == name)
}

/// The first identifier of `s`.
fn ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The modules that `crate::X` paths of `line` name in code (doc and plain comments left
/// out); `crate::{a::b, c}` names `a` and `c`.
fn crate_paths(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = group.split('}').next().unwrap_or(group);
                out.extend(group.split(',').map(ident).filter(|x| !x.is_empty()));
            }
            None => out.push(ident(rest)),
        }
    }
    out
}

#[test]
fn no_module_names_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut checked = 0;
    for f in &files {
        let Some(mine) = layer_of(&src, f) else {
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in crate_paths(line) {
                if target == "cli" {
                    upward.push(format!("{}:{}: names the binary's cli", f.display(), n + 1));
                }
                if let Some(theirs) = LAYERS.iter().position(|l| *l == target)
                    && theirs > mine
                {
                    upward.push(format!(
                        "{}:{}: `{}` names `{}`, above it",
                        f.display(),
                        n + 1,
                        LAYERS[mine],
                        target
                    ));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} library files found");
    assert!(upward.is_empty(), "{}", upward.join("\n"));
}

#[test]
fn the_check_sees_an_upward_path_in_code_but_not_in_a_doc_link() {
    assert_eq!(
        crate_paths("    use crate::report::{Msg, fill};"),
        ["report"]
    );
    assert!(crate_paths("/// see [`crate::report::Msg`]").is_empty());
    assert_eq!(
        crate_paths("let x = crate::model::Layout::new(s); // crate::report"),
        ["model"]
    );
    assert_eq!(
        crate_paths("use crate::{ensemble::Kpi, report};"),
        ["ensemble", "report"]
    );
}
