//! The manifest of an output folder: which files blockade wrote there, by which command,
//! so that a new run never leaves stale files from an earlier one beside its report.
//!
//! The manifest is `.blockade-manifest` in the folder, one line per file:
//! `<command>\t<path relative to the folder>`. After a command has written all its files:
//!
//! - `run` removes every file the manifest lists (from any command) that it did not write
//!   again: the study files of an earlier run, made under other assumptions, do not sit
//!   beside the new report;
//! - any other command (`sweep`, `network`, ...) removes only the files it wrote itself
//!   last time and did not write again (a sweep of another KPI), and keeps the others.
//!
//! Only files listed in the manifest are ever removed, never anything else in the folder,
//! and only paths inside the folder. Removal happens after the new files are in place, so a
//! failed command leaves the previous outputs as they were.

use std::path::{Component, Path, PathBuf};

use super::{ReportError, write_atomic};

/// The manifest's file name inside an output folder.
pub const MANIFEST: &str = ".blockade-manifest";

/// Which earlier files a command replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Clears {
    /// Every file of the manifest (a `run` owns its folder).
    Folder,
    /// Only the files this command wrote before.
    OwnFiles,
}

/// `path` relative to `dir`, if it is inside it (no `..`, not absolute).
fn relative(dir: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(dir).ok()?;
    let inside = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (inside && !rel.as_os_str().is_empty()).then(|| rel.to_path_buf())
}

/// The entries of the manifest in `dir`: `(command, relative path)`; empty if none.
pub fn read_manifest(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(cmd, p)| {
            let p = PathBuf::from(p);
            let inside = p.components().all(|c| matches!(c, Component::Normal(_)));
            (inside && !p.as_os_str().is_empty()).then(|| (cmd.to_string(), p))
        })
        .collect()
}

/// Records that `command` wrote `files` into `dir`, and removes the earlier files it
/// replaces (see [`Clears`]) that it did not write again. Returns the files removed.
///
/// # Errors
/// [`ReportError::Io`] if the manifest cannot be written. A stale file that cannot be
/// removed stays listed, to be removed next time.
pub fn record_outputs(
    dir: &Path,
    command: &str,
    files: &[PathBuf],
    clears: Clears,
) -> Result<Vec<PathBuf>, ReportError> {
    let new: Vec<PathBuf> = files.iter().filter_map(|f| relative(dir, f)).collect();
    let mut kept: Vec<(String, PathBuf)> = Vec::new();
    let mut removed = Vec::new();
    for (cmd, p) in read_manifest(dir) {
        let replaced = clears == Clears::Folder || cmd == command;
        if new.contains(&p) {
            continue; // written again: listed below under this command
        }
        if !replaced {
            kept.push((cmd, p));
            continue;
        }
        let full = dir.join(&p);
        match std::fs::remove_file(&full) {
            Ok(()) => removed.push(full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => kept.push((cmd, p)),
        }
    }
    kept.extend(new.into_iter().map(|p| (command.to_string(), p)));
    let mut text = String::new();
    for (cmd, p) in &kept {
        // Paths are written with `/` so the manifest reads the same on every system.
        let parts: Vec<String> = p
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        text.push_str(&format!("{cmd}\t{}\n", parts.join("/")));
    }
    write_atomic(&dir.join(MANIFEST), text.as_bytes())?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        write_atomic(p, b"x").unwrap();
    }

    #[test]
    fn a_run_clears_earlier_files_and_a_study_only_its_own() {
        let dir = std::env::temp_dir().join(format!("blockade-manifest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let f = |n: &str| dir.join(n);
        // A run, then a sweep beside it.
        for n in ["daily.csv", "charts/stock.png"] {
            touch(&f(n));
        }
        record_outputs(
            &dir,
            "run",
            &[f("daily.csv"), f("charts/stock.png")],
            Clears::Folder,
        )
        .unwrap();
        touch(&f("sweep.csv"));
        touch(&f("sweep-a.png"));
        record_outputs(
            &dir,
            "sweep",
            &[f("sweep.csv"), f("sweep-a.png")],
            Clears::OwnFiles,
        )
        .unwrap();
        // A second sweep of another KPI replaces sweep-a.png only.
        touch(&f("sweep-b.png"));
        let gone = record_outputs(
            &dir,
            "sweep",
            &[f("sweep.csv"), f("sweep-b.png")],
            Clears::OwnFiles,
        )
        .unwrap();
        assert_eq!(gone, vec![f("sweep-a.png")]);
        assert!(f("daily.csv").is_file() && f("sweep.csv").is_file());
        // A file blockade never wrote is never touched.
        touch(&f("notes.txt"));
        // A new run clears the study files, keeps its own and the stranger.
        let gone = record_outputs(
            &dir,
            "run",
            &[f("daily.csv"), f("charts/stock.png")],
            Clears::Folder,
        )
        .unwrap();
        assert_eq!(gone, vec![f("sweep.csv"), f("sweep-b.png")]);
        assert!(f("daily.csv").is_file() && f("notes.txt").is_file());
        assert!(!f("sweep.csv").exists());
        let listed: Vec<PathBuf> = read_manifest(&dir).into_iter().map(|e| e.1).collect();
        assert_eq!(
            listed,
            vec![
                PathBuf::from("daily.csv"),
                PathBuf::from("charts/stock.png")
            ]
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn entries_outside_the_folder_are_ignored() {
        let dir = std::env::temp_dir().join(format!("blockade-manifest-x-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let outside = dir.with_extension("outside");
        touch(&outside);
        std::fs::write(
            dir.join(MANIFEST),
            format!(
                "run\t../{}\nrun\t{}\n",
                outside.file_name().unwrap().to_string_lossy(),
                outside.display()
            ),
        )
        .unwrap();
        let gone = record_outputs(&dir, "run", &[], Clears::Folder).unwrap();
        assert!(gone.is_empty());
        assert!(outside.is_file());
        std::fs::remove_file(&outside).ok();
        std::fs::remove_dir_all(&dir).ok();
    }
}
