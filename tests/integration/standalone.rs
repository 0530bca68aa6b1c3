//! The repository stands alone: no tracked file refers to a file outside it, such as a
//! sibling checkout (the shared folder beside it), the specification or sources files it
//! once cited by name, or an absolute path on the author's machine. A fresh clone must
//! hold every document its files point to.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::root;

/// The files to scan: `git ls-files` when the crate is a git checkout, else every file
/// under the crate root outside `target/`, `.git/` and `outputs/` (a source archive).
fn tracked_files(root: &Path) -> Vec<PathBuf> {
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output();
    if let Ok(out) = git
        && out.status.success()
        && !out.stdout.is_empty()
    {
        return out
            .stdout
            .split(|&b| b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| root.join(String::from_utf8_lossy(name).as_ref()))
            .filter(|p| p.is_file())
            .collect();
    }
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                if dir == root && matches!(name.as_ref(), "target" | ".git" | "outputs") {
                    continue;
                }
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Every reference to something outside the repository in `text`, as `(line, what)`.
/// Absolute paths count only at the start of a path (not inside a URL such as
/// `https://host/tmp/...`).
fn outside_references(text: &str) -> Vec<(usize, String)> {
    // Built from pieces so that this file does not match itself.
    let sibling = format!("..{}shared", '/');
    let names = [format!("{}.md", "MODEL"), format!("mali-{}", "corridors")];
    let absolute = ["work", "tmp", "root", "home"].map(|d| format!("/{d}/"));
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.contains(&sibling) {
            found.push((i + 1, sibling.clone()));
        }
        for name in &names {
            if line.contains(name.as_str()) {
                found.push((i + 1, name.clone()));
            }
        }
        for abs in &absolute {
            for (at, _) in line.match_indices(abs.as_str()) {
                let before = line[..at].chars().next_back();
                let in_url_or_relative = before.is_some_and(|c| {
                    c.is_alphanumeric() || matches!(c, '.' | '/' | '-' | '_' | '~' | '%')
                });
                if !in_url_or_relative {
                    found.push((i + 1, abs.clone()));
                }
            }
        }
    }
    found
}

#[test]
fn detector_catches_what_it_must_and_spares_urls() {
    let bad = format!(
        "see ..{s}shared{s}X.md\nat {s}work{s}main\n\"{s}tmp{s}x\"\n({s}home{s}a)\n{}.md\n",
        "MODEL",
        s = '/'
    );
    let lines: Vec<usize> = outside_references(&bad).iter().map(|f| f.0).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    let fine = "https://example.org/tmp/x and http://a.b/home/c, src/root/x, docs/model.md";
    assert!(outside_references(fine).is_empty());
}

#[test]
fn no_tracked_file_refers_outside_the_repository() {
    let root = root();
    let files = tracked_files(&root);
    assert!(
        files.iter().any(|f| f.ends_with("README.md")),
        "the file list misses README.md: {} files",
        files.len()
    );
    let mut problems = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("readable file");
        if bytes.contains(&0) {
            continue; // binary: fonts, images
        }
        let text = String::from_utf8_lossy(&bytes);
        for (line, what) in outside_references(&text) {
            let rel = file.strip_prefix(&root).unwrap_or(file);
            problems.push(format!("{}:{line}: `{what}`", rel.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "files refer outside the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn docs_the_scenarios_cite_exist_with_their_sections() {
    let root = root();
    let sources = std::fs::read_to_string(root.join("docs/sources.md")).expect("docs/sources.md");
    assert!(
        root.join("docs/model.md").is_file(),
        "docs/model.md is missing"
    );
    for ron in crate::common::ron_files() {
        let text = std::fs::read_to_string(&ron).expect("readable scenario");
        for (at, _) in text.match_indices('§') {
            let id: String = text[at + '§'.len_utf8()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if id.is_empty() || id == "n" {
                continue;
            }
            let heading_major = format!("\n## {id}. ");
            let heading_minor = format!("\n### {id}. ");
            assert!(
                sources.contains(&heading_major) || sources.contains(&heading_minor),
                "{} cites §{id}, which docs/sources.md has no section for",
                ron.display()
            );
        }
    }
}
