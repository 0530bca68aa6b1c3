//! Writing output files safely: one file atomically ([`write_atomic`]), a whole folder
//! through a staging folder renamed into place ([`Staging`]).

use super::*;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
///
/// # Errors
/// [`ReportError::Io`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let io_err = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // A named temporary file in the same folder (so the rename is atomic), removed when
    // dropped: a failed write (a full disk) leaves no `.tmp` file behind.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".blockade-").suffix(".tmp");
    // Readable by all, as `std::fs::write` would make it (tempfile's default is 0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(io_err)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// Name of the file that marks a folder as a blockade output set and lists its files.
pub const RUN_MANIFEST: &str = "manifest.json";

/// An output folder written as a whole: files go to a hidden staging folder next to it,
/// which [`Staging::commit`] renames into place, so that an interrupted run leaves the
/// previous complete set (or nothing), never a mix of two runs.
///
/// A folder that holds a [`RUN_MANIFEST`] belongs to blockade and is replaced whole; a folder
/// without one (the user's own) is never deleted: the new files are moved into it one by
/// one. Staging folders left by a killed run are removed by the next run into the same
/// folder.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
}

impl Staging {
    /// Prepares to write the output set `target`: removes stale staging folders of it and
    /// creates a fresh one.
    ///
    /// # Errors
    /// [`ReportError::Io`] if the staging folder cannot be created.
    pub fn new(target: &Path) -> Result<Staging, ReportError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "outputs".into());
        let prefix = format!(".{name}.staging-");
        std::fs::create_dir_all(&parent).map_err(|source| ReportError::Io {
            path: parent.clone(),
            source,
        })?;
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                // Another run's staging folder is stale once its process is gone.
                let pid = n.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|pid| !process_alive(pid)) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(|source| ReportError::Io {
            path: staging.clone(),
            source,
        })?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Where to write the files now.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Writes the manifest (the files, relative to the folder) and moves the set into
    /// place. Returns the final paths of `files` (written under [`Staging::dir`]) and of
    /// the manifest.
    ///
    /// # Errors
    /// [`ReportError::Io`] for a file or folder that cannot be written or renamed.
    pub fn commit(self, files: &[PathBuf]) -> Result<Vec<PathBuf>, ReportError> {
        let rel: Vec<PathBuf> = files
            .iter()
            .map(|f| f.strip_prefix(&self.staging).unwrap_or(f).to_path_buf())
            .collect();
        let listed: Vec<String> = rel.iter().map(|r| r.display().to_string()).collect();
        let manifest = serde_json::json!({ "written_by": "blockade", "files": listed });
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
        write_atomic(&self.staging.join(RUN_MANIFEST), text.as_bytes())?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReportError::Io { path, source }
        };
        let ours = self.target.join(RUN_MANIFEST).is_file();
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        } else if ours {
            // Files in the old folder that blockade did not write (listed in neither
            // manifest) are the user's: they move into the new set, never away.
            carry_over_foreign_files(&self.target, &self.staging).map_err(io(&self.target))?;
            // Swap: the old set moves aside, the new one takes its name, the old goes.
            let old = self.staging.with_extension("old");
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(io(&self.target)(e));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            // Not ours: never delete; move each new file in (each rename is atomic).
            for r in rel
                .iter()
                .chain(std::iter::once(&PathBuf::from(RUN_MANIFEST)))
            {
                let to = self.target.join(r);
                if let Some(d) = to.parent() {
                    std::fs::create_dir_all(d).map_err(io(d))?;
                }
                std::fs::rename(self.staging.join(r), &to).map_err(io(&to))?;
            }
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        Ok(rel
            .iter()
            .chain(std::iter::once(&PathBuf::from(RUN_MANIFEST)))
            .map(|r| self.target.join(r))
            .collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A run that failed before committing leaves nothing behind.
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Whether process `pid` is running (Linux: `/proc/<pid>` exists; elsewhere assumed so).
pub(super) fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Moves every file under `old` that neither manifest of `old` lists (nor a manifest
/// itself) to the same place under `new`, unless `new` has a file there.
pub(super) fn carry_over_foreign_files(old: &Path, new: &Path) -> io::Result<()> {
    let mut owned: std::collections::BTreeSet<PathBuf> =
        read_manifest(old).into_iter().map(|(_, p)| p).collect();
    if let Ok(text) = std::fs::read_to_string(old.join(RUN_MANIFEST))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
    {
        for f in v["files"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str() {
                owned.insert(PathBuf::from(f));
            }
        }
    }
    owned.insert(PathBuf::from(RUN_MANIFEST));
    owned.insert(PathBuf::from(MANIFEST));
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(old.join(&rel))? {
            let entry = entry?;
            let r = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(r);
            } else if !owned.contains(&r) && !new.join(&r).exists() {
                if let Some(parent) = new.join(&r).parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(old.join(&r), new.join(&r))?;
            }
        }
    }
    Ok(())
}
