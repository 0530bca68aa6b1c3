//! `blockade merge SHARD... [--out DIR]`: the shard files of `run --shard I/N` joined into
//! exactly the outputs of the run without `--shard` (the same bytes).
//!
//! First every file's header is read and checked, and every problem is reported at once:
//! a file that is not a shard, shards of another scenario (fingerprint), seed, command or
//! flags, a shard given twice, a shard missing. Then the scenario is read again from the
//! path the shards recorded (or `--scenario`) and must have their fingerprint. Then the
//! records are read one replication at a time, shard after shard, and folded in
//! replication order into the same streaming aggregate as `run`
//! ([`ensemble::Fold`]): the sums are added in the same order, so the summary is the
//! same to the bit, and only what `run` itself keeps grows with the replications. Nothing
//! is written unless all of it succeeds (the outputs are staged, then moved into place).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser};

use blockade::ensemble;
use blockade::model::Layout;
use blockade::report::{self, replications};
use blockade::scenario::{self, ScenarioError};

use super::shard::{self, Header, Keeper, SensitivityValues, Shard};
use super::{
    Args, Command, Progress, Reported, Source, note_write, print_diagnostics, template,
    write_run_outputs,
};

/// Flags of `blockade merge`.
#[derive(Debug, ClapArgs)]
pub struct MergeArgs {
    /// The shard files (`shard-I-of-N.arrow`), all N of one run, in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// Output folder. Default: the run's own (outputs/<scenario name>/, or
    /// outputs/<scenario name>-<hash of the overrides>/ with --set).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The scenario file, when it is no longer at the path the shards recorded; it must be
    /// the same scenario (fingerprint).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Print nothing but errors; no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// One shard file and its header.
pub(crate) struct Part {
    /// The file.
    pub(super) path: PathBuf,
    /// Its header.
    pub(super) header: Header,
    /// The sensitivity's values of `run` (empty for other commands).
    values: SensitivityValues,
    /// The footer's data, as written (`calibrate`: the state and the units' sums).
    pub(super) extra: String,
}

/// A study's ensembles read back from its shard files: each call folds the next ensemble's
/// blocks, shard after shard, in replication order, into the same summary the unsharded
/// study computed.
pub(super) struct StudyMerge {
    readers: Vec<(PathBuf, replications::ReplicationsReader)>,
    shards: u64,
    ensembles: u64,
    done: u64,
}

impl StudyMerge {
    /// Opens the checked shard files of a study (in shard order) on its base scenario `s`.
    pub(super) fn open(parts: &[Part], s: &blockade::scenario::Scenario) -> anyhow::Result<Self> {
        let mut readers = Vec::with_capacity(parts.len());
        for p in parts {
            let r = replications::ReplicationsReader::open(&p.path, s)
                .with_context(|| format!("reading {}", p.path.display()))?;
            readers.push((p.path.clone(), r));
        }
        Ok(StudyMerge {
            readers,
            shards: parts.len() as u64,
            ensembles: parts[0].header.ensembles.unwrap_or(0),
            done: 0,
        })
    }

    /// The next ensemble of the study, scenario `s` run with `o`.
    ///
    /// # Errors
    /// [`StudyError::Source`] when a file ends early or holds other replications.
    pub(super) fn ensemble(
        &mut self,
        s: &blockade::scenario::Scenario,
        o: &ensemble::Options,
    ) -> Result<ensemble::Summary, ensemble::StudyError> {
        let k = self.done;
        if k >= self.ensembles {
            return Err(ensemble::StudyError::Source(format!(
                "the study asks for more than the {} ensembles the shards hold (another \
                 version of blockade?); nothing written",
                self.ensembles
            )));
        }
        let mut fold = ensemble::Fold::new(&Layout::new(s), o.replications, o.seed);
        for (i, (path, reader)) in self.readers.iter_mut().enumerate() {
            for r in ensemble::shard_block(i as u64, self.shards, o.replications) {
                match reader.next_record() {
                    Some(Ok((got, rec))) if got == r => fold.push(r, &rec),
                    Some(Err(e)) => return Err(ensemble::StudyError::Source(e.to_string())),
                    _ => {
                        return Err(ensemble::StudyError::Source(format!(
                            "{}: replication {r} of ensemble {} is not where expected (a \
                             damaged file?); nothing written",
                            path.display(),
                            k + 1
                        )));
                    }
                }
            }
        }
        self.done += 1;
        Ok(fold.finish())
    }

    /// Checks that every ensemble was read and nothing is left.
    pub(super) fn finish(mut self) -> anyhow::Result<()> {
        if self.done != self.ensembles {
            anyhow::bail!(
                "the shards hold {} ensembles, the study used {} (another version of \
                 blockade?); nothing written",
                self.ensembles,
                self.done
            );
        }
        for (path, reader) in &mut self.readers {
            if reader.next_record().is_some() {
                anyhow::bail!(
                    "{}: more replications than its shard's (a damaged file?); nothing written",
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// Reads and checks every header; every problem found, or the shards in index order.
fn check_parts(files: &[PathBuf]) -> Result<Vec<Part>, Vec<String>> {
    let mut problems = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    for f in files {
        let (h, extra) = match replications::read_header(f) {
            Ok(x) => x,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let header: Header = match serde_json::from_str(&h) {
            Ok(h) => h,
            Err(_) => {
                problems.push(format!(
                    "{}: not a blockade shard file (its header does not read)",
                    f.display()
                ));
                continue;
            }
        };
        if header.format != shard::FORMAT {
            problems.push(format!(
                "{}: format `{}`, this blockade reads `{}`",
                f.display(),
                header.format,
                shard::FORMAT
            ));
            continue;
        }
        let values = if extra.is_empty() || header.command == "calibrate" {
            SensitivityValues::default()
        } else {
            match serde_json::from_str(&extra) {
                Ok(v) => v,
                Err(_) => {
                    problems.push(format!(
                        "{}: its sensitivity values do not read",
                        f.display()
                    ));
                    continue;
                }
            }
        };
        parts.push(Part {
            path: f.clone(),
            header,
            values,
            extra,
        });
    }
    if let Some(first) = parts.first() {
        let r = &first.header;
        for p in &parts[1..] {
            let h = &p.header;
            let mut differ = |what: &str, a: String, b: String| {
                if a != b {
                    problems.push(format!(
                        "{}: {what} {a}, but {} has {b}: not a shard of the same run or study",
                        p.path.display(),
                        first.path.display()
                    ));
                }
            };
            differ("command", h.command.clone(), r.command.clone());
            differ(
                "scenario fingerprint",
                format!("{} ({})", h.fingerprint, h.name),
                format!("{} ({})", r.fingerprint, r.name),
            );
            differ("seed", h.seed.to_string(), r.seed.to_string());
            differ(
                "replications",
                h.replications.to_string(),
                r.replications.to_string(),
            );
            differ("shard count", h.shards.to_string(), r.shards.to_string());
            differ(
                "ensembles",
                format!("{:?}", h.ensembles),
                format!("{:?}", r.ensembles),
            );
            differ(
                "calibration wave",
                format!("{:?}", h.wave),
                format!("{:?}", r.wave),
            );
            differ(
                "calibration state",
                format!("{:?}", h.state),
                format!("{:?}", r.state),
            );
            differ(
                "flags",
                format!("`{}`", h.flags.join(" ")),
                format!("`{}`", r.flags.join(" ")),
            );
        }
    }
    for p in &parts {
        let h = &p.header;
        let b = ensemble::shard_block(h.shard, h.shards, h.replications);
        let sens_ok = h.sensitivity.as_ref().is_none_or(|sb| {
            let b = ensemble::shard_block(h.shard, h.shards, sb.replications);
            (sb.first, sb.end) == (b.start, b.end)
                && p.values.values.len() as u64 == sb.variants
                && p.values
                    .values
                    .iter()
                    .flatten()
                    .all(|v| v.len() as u64 == sb.end - sb.first)
        });
        if h.shard >= h.shards || (h.first, h.end) != (b.start, b.end) || !sens_ok {
            problems.push(format!(
                "{}: its replications are not those of shard {} of {} (a damaged file?)",
                p.path.display(),
                h.shard,
                h.shards
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some(first) = parts.first() else {
        return Err(vec!["no shard files given".into()]);
    };
    let count = first.header.shards;
    let n = first.header.replications;
    let mut by_index: Vec<Vec<usize>> = vec![Vec::new(); count as usize];
    for (i, p) in parts.iter().enumerate() {
        by_index[p.header.shard as usize].push(i);
    }
    for (i, found) in by_index.iter().enumerate() {
        let b = ensemble::shard_block(i as u64, count, n);
        // A calibration's shards split the units of a wave, the others replications.
        let (what, of) = match first.header.wave {
            Some(w) => ("units".to_string(), format!(" of wave {w}")),
            None => ("replications".to_string(), String::new()),
        };
        let reps = if b.is_empty() {
            format!("no {what}{of}")
        } else {
            format!("{what} {} to {}{of}", b.start, b.end - 1)
        };
        match found.len() {
            0 => problems.push(format!(
                "shard {i} of {count} ({reps}) is missing: run `blockade {} ... --shard {i}/{count}` again",
                first.header.command
            )),
            1 => {}
            _ => problems.push(format!(
                "shard {i} of {count} is given {} times: {}",
                found.len(),
                found
                    .iter()
                    .map(|k| parts[*k].path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    parts.sort_by_key(|p| p.header.shard);
    Ok(parts)
}

/// `blockade merge`.
pub fn merge(m: &MergeArgs) -> anyhow::Result<()> {
    let parts = match check_parts(&m.shards) {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!(
                "error: {} problem{} with the shard files; nothing written",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            return Err(Reported::FAILURE.into());
        }
    };
    let head = parts[0].header.clone();
    let scenario_path = m
        .scenario
        .clone()
        .unwrap_or_else(|| PathBuf::from(&head.scenario));
    // The run's own flags, parsed as `run` parses them.
    let mut argv: Vec<String> = vec![
        "blockade".into(),
        head.command.clone(),
        scenario_path.display().to_string(),
    ];
    argv.extend(head.flags.iter().cloned());
    if let Some(o) = &m.out {
        argv.push("--out".into());
        argv.push(o.display().to_string());
    }
    if m.quiet {
        argv.push("--quiet".into());
    }
    let unreadable = || {
        anyhow::anyhow!(
            "the shards' command `{}` cannot be read by this blockade",
            argv[1..].join(" ")
        )
    };
    let a = match Args::try_parse_from(&argv)
        .map_err(|_| unreadable())?
        .command
    {
        Command::Run(a) => a,
        Command::Sweep(a) => return super::sweep_from(&a, Source::Merge(&parts)),
        Command::Tornado(a) => return super::tornado_from(&a, Source::Merge(&parts)),
        Command::Corridors(a) => return super::corridors_from(&a, Source::Merge(&parts)),
        Command::Compare(a) => return super::compare_from(&a, Source::Merge(&parts)),
        Command::Calibrate(a) => {
            return super::calibrate::calibrate_from(&a, Source::Merge(&parts));
        }
        _ => return Err(unreadable()),
    };
    let q = super::RunQuery::from_args(&a)?;
    let sets = &q.sets;
    let Some(t) = template(&scenario_path)? else {
        return Err(Reported::INVALID.into());
    };
    let l = match t.with(sets) {
        Ok(l) => l,
        Err(ScenarioError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            return Err(Reported::INVALID.into());
        }
        Err(e) => {
            return Err(e).with_context(|| format!("loading scenario {}", scenario_path.display()));
        }
    };
    let s = &l.scenario;
    let fp = scenario::export::fingerprint(s);
    if fp != head.fingerprint {
        eprintln!(
            "error: {} (fingerprint {fp}) is not the scenario the shards were run on \
             (fingerprint {}); give that file with --scenario; nothing written",
            scenario_path.display(),
            head.fingerprint
        );
        return Err(Reported::FAILURE.into());
    }
    let opts = ensemble::Options {
        replications: head.replications,
        seed: head.seed,
        threads: None,
    };
    let out = super::out_dir(&a.flags, &s.name);
    let staging = report::Staging::new(&out)
        .with_context(|| format!("writing outputs to {}", out.display()))?;
    let mut keep = if a.keep_replications {
        let header = Header::new(&q, &t, s, &opts, Shard::WHOLE);
        Some(Keeper::create(
            &staging.dir().join(shard::KEPT_FILE),
            s,
            &header,
        )?)
    } else {
        None
    };
    let (summary, inputs) = if matches!(head.ensembles, Some(2 | 3)) {
        // With uncertain inputs: the run, then the twin ensemble at the medians; the
        // table of inputs is rebuilt from the plan (it needs no simulation).
        let plan = super::input_plan(s, a.flags.inputs.as_deref())?;
        if plan.is_empty() {
            anyhow::bail!(
                "the shards were run with uncertain inputs, but {} has none; nothing written",
                scenario_path.display()
            );
        }
        let mut sm = StudyMerge::open(&parts, s)?;
        let summary = match sm.ensemble(s, &opts) {
            Ok(x) => x,
            Err(e) => return Err(super::study_failed(e)),
        };
        let at_medians = match sm.ensemble(s, &opts) {
            Ok(x) => x,
            Err(e) => return Err(super::study_failed(e)),
        };
        // With `--inputs`, the third ensemble: every input from its prior range.
        let prior = if plan.prior().is_some() {
            match sm.ensemble(s, &opts) {
                Ok(x) => Some(x),
                Err(e) => return Err(super::study_failed(e)),
            }
        } else {
            None
        };
        sm.finish()?;
        let table = ensemble::input_table(&plan, sets, &opts);
        let importance = ensemble::importance(&table, &summary, s.horizon_days, opts.seed);
        let info = report::InputsInfo {
            table,
            importance,
            at_medians,
            prior,
        };
        (summary, Some(Box::new(info)))
    } else {
        let mut fold = ensemble::Fold::new(&Layout::new(s), head.replications, head.seed);
        let progress = Progress::new(head.replications, a.flags.quiet);
        progress.bar.set_message(format!("merging {}", s.name));
        let mut next = 0u64;
        for p in &parts {
            let mut reader = replications::ReplicationsReader::open(&p.path, s)
                .with_context(|| format!("reading {}", p.path.display()))?;
            while let Some(rec) = reader.next_record() {
                let (r, rec) = rec.with_context(|| format!("reading {}", p.path.display()))?;
                if r != next || r >= p.header.end {
                    anyhow::bail!(
                        "{}: replication {r} where {next} was expected (a damaged file?); nothing written",
                        p.path.display()
                    );
                }
                fold.push(r, &rec);
                if let Some(k) = &mut keep {
                    k.push(r, &rec);
                }
                next += 1;
                if next.is_multiple_of(256) {
                    progress.update(next);
                }
            }
            if next != p.header.end {
                anyhow::bail!(
                    "{}: it ends at replication {next}, before {} (a damaged file?); nothing written",
                    p.path.display(),
                    p.header.end
                );
            }
        }
        progress.finish();
        (fold.finish(), None)
    };
    let sensitivity = match &head.sensitivity {
        None => None,
        Some(sb) => {
            let mut values: Vec<Option<Vec<f64>>> = vec![Some(Vec::new()); sb.variants as usize];
            for p in &parts {
                let Some(v) = p.values.numbers() else {
                    anyhow::bail!(
                        "{}: its sensitivity values do not read; nothing written",
                        p.path.display()
                    );
                };
                for (acc, part) in values.iter_mut().zip(v) {
                    match (acc.as_mut(), part) {
                        (Some(acc), Some(part)) => acc.extend(part),
                        _ => *acc = None,
                    }
                }
            }
            let inputs = ensemble::default_inputs(&t, s);
            let variants = ensemble::sensitivity_variants(&inputs);
            if variants as u64 != sb.variants {
                anyhow::bail!(
                    "the shards' sensitivity has {} variants, this blockade makes {variants}; nothing written",
                    sb.variants,
                );
            }
            if let Some(k) = &mut keep {
                k.set_sensitivity(&values);
            }
            match ensemble::assemble_sensitivity(
                sets,
                &t,
                &summary,
                &inputs,
                values,
                sb.replications,
                head.seed,
            ) {
                Ok(r) => Some(r),
                Err(e) => return Err(super::study_failed(e)),
            }
        }
    };
    let kept = match keep {
        Some(k) => vec![k.finish()?],
        None => Vec::new(),
    };
    write_run_outputs(
        &q,
        s,
        &summary,
        super::RunExtras {
            sensitivity,
            inputs,
        },
        staging,
        kept,
        &out,
    )
}
