//! A calibration run in shards, one wave at a time: the state carried between rounds,
//! `calibrate --shard` computing one shard's units of a wave, and `merge` joining a
//! wave's shards.

use super::*;

/// The state of a sharded calibration between rounds: the unit sums of every wave merged
/// so far, each number as Rust prints an `f64` (it reads back to the same bits). Written by
/// `merge` as `calibration-state.json` next to the shard files; every shard of the next
/// wave carries a copy in its footer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveState {
    /// [`STATE_FORMAT`].
    pub format: String,
    /// The scenario's fingerprint.
    pub fingerprint: String,
    /// The calibration's flags, canonical.
    pub flags: Vec<String>,
    /// Per wave, per unit, per observation: sum and sum of squares.
    pub waves: Vec<Vec<Vec<[String; 2]>>>,
}

/// The format name of [`WaveState`].
pub const STATE_FORMAT: &str = "blockade-calibration-state/1";
/// The state file `merge` writes next to the shard files.
pub const STATE_FILE: &str = "calibration-state.json";

/// A calibration shard's footer: the state it started from and its units' sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct WaveShard {
    state: WaveState,
    units: Vec<Vec<[String; 2]>>,
}

pub(super) fn sums_text(u: &[UnitSums]) -> Vec<Vec<[String; 2]>> {
    u.iter()
        .map(|v| {
            v.iter()
                .map(|(a, b)| [format!("{a:?}"), format!("{b:?}")])
                .collect()
        })
        .collect()
}

pub(super) fn sums_of(t: &[Vec<[String; 2]>]) -> Option<Vec<UnitSums>> {
    t.iter()
        .map(|v| {
            v.iter()
                .map(|[a, b]| Some((a.parse::<f64>().ok()?, b.parse::<f64>().ok()?)))
                .collect()
        })
        .collect()
}

impl WaveState {
    /// The digest that the shard headers carry, to tell states apart (FNV-1a of the JSON).
    fn digest(&self) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in serde_json::to_string(self).unwrap_or_default().bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// The sums of wave `w`, if merged.
    fn wave(&self, w: usize) -> Option<Vec<UnitSums>> {
        self.waves.get(w).and_then(|t| sums_of(t))
    }
}

/// `calibrate --shard I/N [--continue STATE]`: the waves merged so far are replayed from
/// the state, and shard I's units of the next wave are computed and written.
#[allow(clippy::too_many_arguments)]
pub(super) fn shard_wave(
    a: &CalibrateArgs,
    sh: shard::Shard,
    t: &Template,
    prior: &[UncertainInput],
    obs: &[observations::Observation],
    settings: &Settings,
    canonical: Vec<String>,
    s: &blockade::scenario::Scenario,
) -> anyhow::Result<()> {
    let fingerprint = blockade::scenario::export::fingerprint(s);
    let state = match &a.continue_from {
        None => WaveState {
            format: STATE_FORMAT.into(),
            fingerprint: fingerprint.clone(),
            flags: canonical.clone(),
            waves: Vec::new(),
        },
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("reading the calibration state {}", p.display()))?;
            let state: WaveState = match serde_json::from_str(&text) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("error: {}: not a calibration state ({e})", p.display());
                    return Err(Reported::FAILURE.into());
                }
            };
            let mut problems = Vec::new();
            if state.format != STATE_FORMAT {
                problems.push(format!(
                    "format `{}`, this blockade reads `{STATE_FORMAT}`",
                    state.format
                ));
            }
            if state.fingerprint != fingerprint {
                problems.push(format!(
                    "scenario fingerprint {}, but {} has {fingerprint}",
                    state.fingerprint,
                    a.file.display()
                ));
            }
            if state.flags != canonical {
                problems.push(format!(
                    "flags `{}`, but this command has `{}`",
                    state.flags.join(" "),
                    canonical.join(" ")
                ));
            }
            if (0..state.waves.len()).any(|w| state.wave(w).is_none()) {
                problems.push("its sums do not read (a damaged file?)".into());
            }
            if !problems.is_empty() {
                for m in &problems {
                    eprintln!("error: {}: {m}", p.display());
                }
                eprintln!("error: not the state of this calibration; nothing computed");
                return Err(Reported::FAILURE.into());
            }
            state
        }
    };
    let mut computed: Option<(usize, u64, std::ops::Range<u64>, Vec<UnitSums>)> = None;
    let outcome = calibrate::calibrate_with(prior, obs, settings, &mut |w, us, values| {
        if let Some(sums) = state.wave(w) {
            return Ok(Some(sums));
        }
        let total = calibrate::unit_count(us.len(), settings);
        let range = blockade::ensemble::shard_block(sh.index, sh.count, total);
        let sums =
            calibrate::evaluate_units(t, prior, obs, values, settings, range.clone(), &|_| {})?;
        computed = Some((w, total, range, sums));
        Ok(None)
    });
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return Err(calibration_failed(e)),
    };
    let (w, total, range, sums) = match (outcome, computed) {
        (calibrate::Outcome::Waiting { .. }, Some(x)) => x,
        _ => {
            if !a.quiet {
                say!(
                    "the calibration finished after wave {}: nothing left to compute; \
                     `blockade merge` of that wave's shards writes its outputs",
                    state.waves.len()
                );
            }
            return Ok(());
        }
    };
    let dir = a.out.clone().unwrap_or_else(|| {
        Path::new("outputs")
            .join(folder_name(&s.name))
            .join("calibration")
            .join("shards")
    });
    let header = shard::Header {
        format: shard::FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: "calibrate".into(),
        scenario: a.file.display().to_string(),
        name: s.name.clone(),
        fingerprint,
        seed: settings.seed,
        replications: total,
        flags: canonical,
        shard: sh.index,
        shards: sh.count,
        first: range.start,
        end: range.end,
        sensitivity: None,
        ensembles: None,
        wave: Some(w as u64 + 1),
        state: Some(state.digest()),
    };
    let path = dir.join(shard::study_file_name("calibrate", sh));
    let keep = shard::Keeper::create(&path, s, &header)?;
    let footer = WaveShard {
        state,
        units: sums_text(&sums),
    };
    let path = keep.finish_with(&serde_json::to_string(&footer).unwrap_or_default())?;
    if !a.quiet {
        let units = if range.is_empty() {
            "no units".to_string()
        } else {
            format!("units {} to {}", range.start, range.end - 1)
        };
        say!(
            "wave {} shard {} of {}: {units} of {total} (a point x a block of replications), written to {}",
            w + 1,
            sh.index,
            sh.count,
            path.display()
        );
    }
    Ok(())
}

/// `merge` of one wave's shards: the waves before it replayed from the state the shards
/// carry, this wave's units joined in shard order. When the calibration ends with this
/// wave, the calibration (whose outputs are then written as `calibrate` writes them);
/// else the state for the next round is written and `None` returned (the command ends, exit
/// code 0). The state goes
/// next to the shard files in both cases.
pub(super) fn merge_wave(
    parts: &[Part],
    prior: &[UncertainInput],
    obs: &[observations::Observation],
    settings: &Settings,
    canonical: &[String],
    fingerprint: &str,
    quiet: bool,
) -> anyhow::Result<Option<calibrate::Calibration>> {
    let head = &parts[0].header;
    if head.fingerprint != fingerprint {
        eprintln!(
            "error: {} (fingerprint {fingerprint}) is not the scenario the shards were run on \
             (fingerprint {}); give that file with --scenario; nothing written",
            head.scenario, head.fingerprint
        );
        return Err(Reported::FAILURE.into());
    }
    let mut footers = Vec::with_capacity(parts.len());
    for p in parts {
        let f: WaveShard = serde_json::from_str(&p.extra)
            .ok()
            .filter(|f: &WaveShard| {
                f.state.digest() == p.header.state.clone().unwrap_or_default()
                    && f.units.len() as u64 == p.header.end - p.header.first
                    && sums_of(&f.units).is_some()
            })
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: its units do not read (a damaged file?); nothing written",
                    p.path.display()
                )
            })?;
        footers.push(f);
    }
    let mut state = footers[0].state.clone();
    if state.flags != canonical || state.fingerprint != fingerprint {
        anyhow::bail!(
            "the shards' state is not of this calibration (a damaged file?); nothing written"
        );
    }
    let wave = state.waves.len();
    if head.wave != Some(wave as u64 + 1) {
        anyhow::bail!(
            "the shards' wave does not follow their state (a damaged file?); nothing written"
        );
    }
    let mut joined: Vec<Vec<[String; 2]>> = Vec::new();
    for f in &footers {
        joined.extend(f.units.iter().cloned());
    }
    let sums = sums_of(&joined).unwrap_or_default();
    let outcome = calibrate::calibrate_with(prior, obs, settings, &mut |w, us, _| {
        if let Some(s) = state.wave(w) {
            return Ok(Some(s));
        }
        if w == wave && calibrate::unit_count(us.len(), settings) == sums.len() as u64 {
            return Ok(Some(sums.clone()));
        }
        Ok(None)
    });
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => return Err(calibration_failed(e)),
    };
    state.waves.push(joined);
    let dir = parts[0]
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let state_path = dir.join(STATE_FILE);
    report::write_atomic(
        &state_path,
        serde_json::to_string(&state).unwrap_or_default().as_bytes(),
    )
    .with_context(|| format!("writing {}", state_path.display()))?;
    match outcome {
        calibrate::Outcome::Finished(c) if c.waves.len() == wave + 1 => Ok(Some(c)),
        calibrate::Outcome::Waiting { wave: w, .. } if w == wave + 1 => {
            if quiet {
                return Ok(None);
            }
            say!(
                "wave {} merged; the calibration goes on: run wave {} with `blockade calibrate {} {} --shard I/N --continue {}`, then merge its shards",
                wave + 1,
                wave + 2,
                sh_quote(&head.scenario),
                head.flags
                    .iter()
                    .map(|f| sh_quote(f))
                    .collect::<Vec<_>>()
                    .join(" "),
                sh_quote(&state_path.display().to_string())
            );
            Ok(None)
        }
        _ => anyhow::bail!(
            "the shards' units do not fit wave {} of this calibration (a damaged file?); nothing written",
            wave + 1
        ),
    }
}

/// `s` as a shell word: as is when it holds only safe characters, else in single quotes.
pub(super) fn sh_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "._/=:,+-@%".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
