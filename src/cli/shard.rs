//! `blockade run --shard I/N` and the files it shares with `--keep-replications`.
//!
//! **What a shard computes.** With `n` replications, shard `I` of `N` runs the contiguous
//! block `[floor(I·n/N), floor((I+1)·n/N))` ([`ensemble::shard_block`]): the same
//! replications, on the same seeds, as the run without `--shard`. The built-in sensitivity
//! (`m` replications per variant) is split the same way: shard `I` runs every variant's
//! replications `[floor(I·m/N), floor((I+1)·m/N))`. Nothing else: no coordination, any
//! shard can be run again alone.
//!
//! **What it writes.** One file, `DIR/shard-I-of-N.arrow`: the per-replication file of
//! `report::replications` (one row per replication of its block, every number the
//! simulation produced), with a [`Header`] (JSON, in the schema's metadata) naming the
//! scenario, its fingerprint, the seed, the command and its flags, and the block; and the
//! sensitivity's values of its block in the footer ([`SensitivityValues`]).
//! `run --keep-replications` writes the same file for the whole run (shard 0 of 1) as
//! `replications.arrow` among the outputs.
//!
//! With uncertain inputs, the file holds the run's block (each replication with its own
//! inputs), then the same block of the twin ensemble with every input at its median
//! (header `ensembles: 2`).
//!
//! The studies' shards ([`StudyShard`]) hold the same block of every ensemble of the study;
//! a calibration's (`calibrate.rs`) the sums of its units of one wave.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use blockade::ensemble::{self, Options, StudyError, Summary};
use blockade::model::{Layout, RunRecord};
use blockade::network::Network;
use blockade::report::replications::{ReplicationsError, ReplicationsWriter};
use blockade::scenario::{self, Scenario, Template};

use super::{
    Progress, RunArgs, RunQuery, note_write, out_dir, step_progress, study_failed, within_budget,
};

/// The per-replication file among the outputs of `run --keep-replications`.
pub const KEPT_FILE: &str = "replications.arrow";

/// The format name in every header; a merge refuses another.
pub const FORMAT: &str = "blockade-replications/1";

/// Shard `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based index.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// The whole run, as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };
}

/// Parses `I/N` with `0 <= I < N`.
pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let bad = || format!("`{s}` is not a shard; write I/N with I from 0 to N-1, such as 0/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let index: u64 = i.trim().parse().map_err(|_| bad())?;
    let count: u64 = n.trim().parse().map_err(|_| bad())?;
    if count == 0 || count > 1_000_000 || index >= count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// The block of the sensitivity's replications in a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityBlock {
    /// Replications per variant of the whole sensitivity.
    pub replications: u64,
    /// First replication in this file.
    pub first: u64,
    /// One past the last.
    pub end: u64,
    /// Variants (low and high of each input, in input order).
    pub variants: u64,
}

/// What made a shard (or `replications.arrow`): the schema metadata of the file, JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT`].
    pub format: String,
    /// blockade's version.
    pub version: String,
    /// The command: `run`.
    pub command: String,
    /// The scenario file, as given on the command line.
    pub scenario: String,
    /// The scenario's name.
    pub name: String,
    /// Fingerprint of the resolved scenario (overrides applied).
    pub fingerprint: String,
    /// The seed.
    pub seed: u64,
    /// Replications of the whole run.
    pub replications: u64,
    /// The flags that change the outputs, in canonical form (`--threads`, `--quiet`,
    /// `--max-memory`, `--out` and `--shard` do not).
    pub flags: Vec<String>,
    /// This shard's index.
    pub shard: u64,
    /// Number of shards.
    pub shards: u64,
    /// First replication in this file.
    pub first: u64,
    /// One past the last.
    pub end: u64,
    /// The sensitivity's block, unless `--no-sensitivity`.
    pub sensitivity: Option<SensitivityBlock>,
    /// For a study (`sweep`, `tornado`, `corridors`, `compare`): its number of ensembles;
    /// the file holds the block `[first, end)` of each, ensemble after ensemble, in the
    /// study's order. For a `run` with uncertain inputs: 2 (the run's block, then the same
    /// block of the ensemble at the medians). Absent for a plain `run`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ensembles: Option<u64>,
    /// For `calibrate`: the wave (from 1) whose units the file holds; `replications`,
    /// `first` and `end` then count units (a point × a block of replications), not
    /// replications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<u64>,
    /// For `calibrate`: the digest of the state (the waves merged before) the shard
    /// started from; the shards of one wave must agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The sensitivity's values in a file's footer: per variant (`None`: invalid variant), the
/// values of the file's block, each as Rust prints an `f64` (shortest text that reads back
/// to the same bits).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SensitivityValues {
    /// Per variant.
    pub values: Vec<Option<Vec<String>>>,
}

impl SensitivityValues {
    /// From the numbers.
    pub fn new(v: &[Option<Vec<f64>>]) -> SensitivityValues {
        SensitivityValues {
            values: v
                .iter()
                .map(|o| {
                    o.as_ref()
                        .map(|xs| xs.iter().map(|x| format!("{x:?}")).collect())
                })
                .collect(),
        }
    }

    /// Back to numbers; `None` if a value does not read.
    pub fn numbers(&self) -> Option<Vec<Option<Vec<f64>>>> {
        self.values
            .iter()
            .map(|o| match o {
                None => Some(None),
                Some(xs) => xs
                    .iter()
                    .map(|x| x.parse::<f64>().ok())
                    .collect::<Option<Vec<f64>>>()
                    .map(Some),
            })
            .collect()
    }
}

/// The flags of `a` that change the outputs, in canonical form: what a merge compares and
/// parses back.
pub fn canonical_flags(a: &RunArgs, opts: &Options) -> Vec<String> {
    let mut v = vec![
        "--replications".to_string(),
        opts.replications.to_string(),
        "--seed".into(),
        opts.seed.to_string(),
    ];
    for s in &a.flags.set {
        v.push("--set".into());
        v.push(s.clone());
    }
    if let Some(d) = &a.as_of {
        v.push("--as-of".into());
        v.push(d.clone());
    }
    if a.no_sensitivity {
        v.push("--no-sensitivity".into());
    }
    v.push("--sensitivity-replications".into());
    v.push(a.sensitivity_replications.to_string());
    v.push("--csv-locale".into());
    v.push(a.flags.csv_locale.to_string());
    v.push("--size".into());
    v.push(a.charts.size.to_string());
    if a.charts.svg {
        v.push("--svg".into());
    }
    if a.keep_replications {
        v.push("--keep-replications".into());
    }
    if let Some(f) = &a.flags.inputs {
        v.push("--inputs".into());
        v.push(f.display().to_string());
    }
    v
}

impl Header {
    /// The header of shard `sh` of the run `q` of `s`.
    pub fn new(q: &RunQuery<'_>, t: &Template, s: &Scenario, opts: &Options, sh: Shard) -> Header {
        let a = q.args;
        let block = ensemble::shard_block(sh.index, sh.count, opts.replications);
        let sensitivity = q.sensitivity.map(|asked| {
            let m = ensemble::sensitivity_replications(asked, opts.replications);
            let b = ensemble::shard_block(sh.index, sh.count, m);
            SensitivityBlock {
                replications: m,
                first: b.start,
                end: b.end,
                variants: ensemble::sensitivity_variants(&ensemble::default_inputs(t, s)) as u64,
            }
        });
        Header {
            format: FORMAT.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: "run".into(),
            scenario: a.file.display().to_string(),
            name: s.name.clone(),
            fingerprint: scenario::export::fingerprint(s),
            seed: opts.seed,
            replications: opts.replications,
            flags: canonical_flags(a, opts),
            shard: sh.index,
            shards: sh.count,
            first: block.start,
            end: block.end,
            sensitivity,
            ensembles: None,
            wave: None,
            state: None,
        }
    }

    /// The header of shard `sh` of the study `command` (its `ensembles` ensembles of
    /// `opts.replications` replications each) on the base scenario `s` read from `file`.
    pub fn study(
        command: &str,
        file: &Path,
        s: &Scenario,
        opts: &Options,
        flags: Vec<String>,
        sh: Shard,
        ensembles: u64,
    ) -> Header {
        let block = ensemble::shard_block(sh.index, sh.count, opts.replications);
        Header {
            format: FORMAT.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            scenario: file.display().to_string(),
            name: s.name.clone(),
            fingerprint: scenario::export::fingerprint(s),
            seed: opts.seed,
            replications: opts.replications,
            flags,
            shard: sh.index,
            shards: sh.count,
            first: block.start,
            end: block.end,
            sensitivity: None,
            ensembles: Some(ensembles),
            wave: None,
            state: None,
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A per-replication file being written: the first write error is kept and reported at
/// [`Keeper::finish`] (the records keep coming from the ensemble meanwhile).
pub struct Keeper {
    writer: ReplicationsWriter,
    error: Option<ReplicationsError>,
    sensitivity: SensitivityValues,
}

impl Keeper {
    /// Starts the file `path`.
    pub fn create(path: &Path, s: &Scenario, header: &Header) -> anyhow::Result<Keeper> {
        let writer = ReplicationsWriter::create(path, s, &header.to_json())
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(Keeper {
            writer,
            error: None,
            sensitivity: SensitivityValues::default(),
        })
    }

    /// Appends replication `r`.
    pub fn push(&mut self, r: u64, rec: &RunRecord) {
        if self.error.is_none()
            && let Err(e) = self.writer.push(r, rec)
        {
            self.error = Some(e);
        }
    }

    /// Sets the sensitivity's values of the file's block.
    pub fn set_sensitivity(&mut self, v: &[Option<Vec<f64>>]) {
        self.sensitivity = SensitivityValues::new(v);
    }

    /// Ends the file and moves it into place.
    pub fn finish(self) -> anyhow::Result<PathBuf> {
        let extra = serde_json::to_string(&self.sensitivity).unwrap_or_default();
        self.finish_with(&extra)
    }

    /// Ends the file with `extra` (JSON) in its footer instead of the sensitivity's
    /// values, and moves it into place.
    pub fn finish_with(self, extra: &str) -> anyhow::Result<PathBuf> {
        if let Some(e) = self.error {
            return Err(e).context("writing the per-replication file");
        }
        self.writer
            .finish(extra)
            .context("writing the per-replication file")
    }
}

/// The shard file's name: `shard-I-of-N.arrow`.
pub fn shard_file_name(sh: Shard) -> String {
    format!("shard-{}-of-{}.arrow", sh.index, sh.count)
}

/// A study's shard file's name: `<command>-shard-I-of-N.arrow` (so that the shards of a
/// study and of a run of the same scenario do not overwrite each other).
pub fn study_file_name(command: &str, sh: Shard) -> String {
    format!("{command}-{}", shard_file_name(sh))
}

/// A study's shard being computed: every ensemble the study asks for runs only the
/// shard's block of replications, and its records go to the shard file, ensemble after
/// ensemble. The study's own result (from partial ensembles) is thrown away.
pub struct StudyShard {
    keep: Keeper,
    layout: Layout,
    block: std::ops::Range<u64>,
    shard: Shard,
    ensembles: u64,
    done: u64,
    quiet: bool,
}

impl StudyShard {
    /// Starts the shard file `dir/<command>-shard-I-of-N.arrow` for the header `h` of the
    /// study on base scenario `s`.
    pub fn create(dir: &Path, s: &Scenario, h: &Header, quiet: bool) -> anyhow::Result<Self> {
        let sh = Shard {
            index: h.shard,
            count: h.shards,
        };
        let path = dir.join(study_file_name(&h.command, sh));
        Ok(StudyShard {
            keep: Keeper::create(&path, s, h)?,
            layout: Layout::new(s),
            block: h.first..h.end,
            shard: sh,
            ensembles: h.ensembles.unwrap_or(0),
            done: 0,
            quiet,
        })
    }

    /// Runs the shard's block of the ensemble of `s` and stores its records.
    ///
    /// # Errors
    /// [`StudyError::Source`] when `s` does not have the base scenario's depots, classes
    /// and segments (its records would not fit the file); a ledger failure.
    pub fn ensemble(&mut self, s: &Scenario, o: &Options) -> Result<Summary, StudyError> {
        if Layout::new(s) != self.layout {
            return Err(StudyError::Source(format!(
                "ensemble {} of the study does not have the depots, classes and segments of \
                 the base scenario; it cannot be sharded",
                self.done + 1
            )));
        }
        let net = Network::build(s);
        let keep = &mut self.keep;
        let sum = ensemble::run_range(s, &net, o, self.block.clone(), &|_| {}, &mut |r, rec| {
            keep.push(r, rec)
        })?;
        self.done += 1;
        Ok(sum)
    }

    /// Ends the shard file and says what it holds.
    pub fn finish(self) -> anyhow::Result<()> {
        if self.done != self.ensembles {
            anyhow::bail!(
                "the study ran {} ensembles where {} were expected (a bug); nothing written",
                self.done,
                self.ensembles
            );
        }
        let path = self.keep.finish()?;
        if !self.quiet {
            let reps = if self.block.is_empty() {
                "no replications".to_string()
            } else {
                format!(
                    "replications {} to {}",
                    self.block.start,
                    self.block.end - 1
                )
            };
            say!(
                "shard {} of {}: {reps} of each of {} ensembles, written to {}",
                self.shard.index,
                self.shard.count,
                self.ensembles,
                path.display()
            );
        }
        Ok(())
    }
}

/// `run --shard I/N`.
pub fn run_shard(
    q: &RunQuery<'_>,
    sh: Shard,
    t: &Template,
    s: &Scenario,
    net: &Network,
    plan: &ensemble::InputPlan,
) -> anyhow::Result<()> {
    let a = q.args;
    let sets = q.sets.as_slice();
    let opts = a.flags.options(s);
    let block = ensemble::shard_block(sh.index, sh.count, opts.replications);
    // A shard's memory is that of its own block.
    within_budget(
        s,
        (block.end - block.start).max(1),
        opts.threads,
        a.flags.max_memory,
    )?;
    let dir = match &a.flags.out {
        Some(d) => d.clone(),
        None => out_dir(&a.flags, &s.name).join("shards"),
    };
    let path = dir.join(shard_file_name(sh));
    let mut header = Header::new(q, t, s, &opts, sh);
    if !plan.is_empty() {
        // With uncertain inputs: the run's block, then the same block of the twin ensemble
        // with every input at its median, and with `--inputs` the same block with every
        // input drawn from its prior range (the fan before calibration).
        header.ensembles = Some(if plan.prior().is_some() { 3 } else { 2 });
    }
    let mut keep = Keeper::create(&path, s, &header)?;
    let progress = Progress::new(block.end - block.start, a.flags.quiet);
    progress
        .bar
        .set_message(format!("{} shard {}/{}", s.name, sh.index, sh.count));
    if plan.is_empty() {
        let summary = ensemble::run_range(
            s,
            net,
            &opts,
            block.clone(),
            &|done| progress.update(done),
            &mut |r, rec| keep.push(r, rec),
        );
        progress.finish();
        summary.context("the simulation stopped")?;
    } else {
        let r = ensemble::run_range_with_inputs(
            t,
            sets,
            plan,
            &opts,
            block.clone(),
            &|x| x,
            &|done| progress.update(done),
            &mut |r, rec| keep.push(r, rec),
        );
        progress.finish();
        if let Err(e) = r {
            return Err(study_failed(e));
        }
        let r =
            ensemble::run_range_at_medians(t, sets, plan, &opts, block.clone(), &mut |r, rec| {
                keep.push(r, rec)
            });
        if let Err(e) = r {
            return Err(study_failed(e));
        }
        if let Some(prior) = plan.prior() {
            let r = ensemble::run_range_with_inputs(
                t,
                sets,
                &prior,
                &opts,
                block.clone(),
                &|x| x,
                &|_| {},
                &mut |r, rec| keep.push(r, rec),
            );
            if let Err(e) = r {
                return Err(study_failed(e));
            }
        }
    }
    if let Some(sb) = &header.sensitivity {
        let inputs = ensemble::default_inputs(t, s);
        let p = step_progress(
            ensemble::sensitivity_variants(&inputs) as u64,
            a.flags.quiet,
            "sensitivity",
        );
        let values =
            ensemble::sensitivity_values(t, sets, &inputs, &opts, sb.first..sb.end, &|done, _| {
                p.update(done as u64)
            });
        p.finish();
        match values {
            Ok(v) => keep.set_sensitivity(&v),
            Err(e) => return Err(study_failed(e)),
        }
    }
    let path = keep.finish()?;
    if !a.flags.quiet {
        let reps = if block.is_empty() {
            "no replications".to_string()
        } else {
            format!("replications {} to {}", block.start, block.end - 1)
        };
        say!(
            "shard {} of {}: {reps} of {}, written to {}",
            sh.index,
            sh.count,
            opts.replications,
            path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse() {
        assert_eq!(parse_shard("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(parse_shard("3/4"), Ok(Shard { index: 3, count: 4 }));
        for bad in ["4/4", "1/0", "-1/4", "a/4", "1", "1/4/5", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sensitivity_values_read_back_to_the_same_bits() {
        let v = vec![
            Some(vec![0.1 + 0.2, 1e-300, 123_456_789.123_456_78, 0.0, -2.5]),
            None,
            Some(vec![]),
        ];
        let text = serde_json::to_string(&SensitivityValues::new(&v)).unwrap();
        let back: SensitivityValues = serde_json::from_str(&text).unwrap();
        let back = back.numbers().unwrap();
        assert_eq!(back.len(), 3);
        for (a, b) in v.iter().zip(&back) {
            let bits = |x: &Option<Vec<f64>>| {
                x.as_ref()
                    .map(|v| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
            };
            assert_eq!(bits(a), bits(b));
        }
    }
}
