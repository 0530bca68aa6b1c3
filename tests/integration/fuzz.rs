//! No input makes `blockade check` panic or hang: a few hundred deterministic mutants of
//! `networks/bamako-2025.ron` (another with `BLOCKADE_FUZZ_BASE`) must
//! each end with exit code 0 or 2, within a deadline, and never print "panicked".
//!
//! The mutants are written into a copy of `networks/`, so that includes resolve as they
//! would for the original. On failure the copy is kept and its path printed, with each
//! failing mutant's file, so that it can be replayed with `blockade check FILE`.

use std::fs::{self, File};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{blockade, networks_dir};

/// Seed of the mutation stream: same seed, same mutants. `BLOCKADE_FUZZ_SEED` overrides it
/// for a longer exploratory run.
const SEED: u64 = 0xB10C_ADE5;
/// Number of mutants (the kinds take turns). `BLOCKADE_FUZZ_MUTANTS` overrides it.
const MUTANTS: usize = 420;
const _: () = assert!(MUTANTS >= 300, "the issue asks for a few hundred mutants");
/// A single `check` that takes longer than this is a hang.
const DEADLINE: Duration = Duration::from_secs(10);
/// Values that replace number literals.
const NUMBERS: &[&str] = &[
    "-1",
    "1e308",
    "NaN",
    "inf",
    "-inf",
    "0",
    "1e-320",
    "4294967296",
    "-0.0",
    "-0",
    "1e-6",
    "1e15",
    "36500",
    "0.001",
];
/// Values that replace the text of string literals: names as formulas, control characters
/// and markup, a long name, far and odd dates, devices and folders as paths.
const STRINGS: &[&str] = &[
    "",
    "=HYPERLINK(\\\"http://x\\\")",
    "@SUM(A1)",
    "-2+3",
    "a\u{1}b\u{7f}c",
    "<script>&amp;</script>",
    "9999-12-31",
    "0000-01-01",
    "2025-02-29",
    "/dev/zero",
    ".",
    "é—ß",
];

#[derive(Debug, Clone, Copy)]
enum Kind {
    Truncate,
    DeleteLine,
    ReplaceNumber,
    FlipChar,
    DuplicateLine,
    SwapLines,
    /// The text of a string literal replaced by a hostile one (or a long one).
    ReplaceString,
    /// Two to four of the above in a row.
    Several,
}

const KINDS: [Kind; 8] = [
    Kind::Truncate,
    Kind::DeleteLine,
    Kind::ReplaceNumber,
    Kind::FlipChar,
    Kind::DuplicateLine,
    Kind::SwapLines,
    Kind::ReplaceString,
    Kind::Several,
];

/// Byte ranges of the contents of string literals (between the quotes), outside comments.
fn string_spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' && b[j] != b'\n' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if j < b.len() && b[j] == b'"' {
                    out.push(start..j);
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether a line holds only a comment or blanks (deleting it changes nothing).
fn is_inert(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with("//")
}

/// Byte ranges of number literals (with a leading minus sign if any).
fn number_spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let digits = |mut j: usize| {
        while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'_') {
            j += 1;
        }
        j
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let prev = if i > 0 { b[i - 1] } else { b' ' };
        if !b[i].is_ascii_digit() || prev.is_ascii_alphanumeric() || prev == b'_' || prev == b'.' {
            i += 1;
            continue;
        }
        let start = if prev == b'-' { i - 1 } else { i };
        let mut j = digits(i);
        if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
            j = digits(j + 1);
        }
        if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
            let mut k = j + 1;
            if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
                k += 1;
            }
            if k < b.len() && b[k].is_ascii_digit() {
                j = digits(k);
            }
        }
        out.push(start..j);
        i = j;
    }
    out
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Applies one mutation of `kind`; returns the new text and what was done.
fn mutate(text: &str, kind: Kind, rng: &mut ChaCha8Rng) -> (String, String) {
    let lines: Vec<&str> = text.split('\n').collect();
    let n = lines.len();
    match kind {
        Kind::Truncate => {
            let mut at = rng.random_range(0..text.len().max(1));
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            (text[..at].to_string(), format!("truncate at byte {at}"))
        }
        Kind::DeleteLine => {
            // A line that holds something: most lines of the bundled files are comments.
            let live: Vec<usize> = (0..n).filter(|l| !is_inert(lines[*l])).collect();
            let l = if live.is_empty() {
                rng.random_range(0..n)
            } else {
                *pick(rng, &live)
            };
            let mut v = lines.clone();
            v.remove(l);
            (v.join("\n"), format!("delete line {}", l + 1))
        }
        Kind::DuplicateLine => {
            let l = rng.random_range(0..n);
            let mut v = lines.clone();
            v.insert(l, lines[l]);
            (v.join("\n"), format!("duplicate line {}", l + 1))
        }
        Kind::SwapLines => {
            let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
            let mut v = lines.clone();
            v.swap(a, b);
            (v.join("\n"), format!("swap lines {} and {}", a + 1, b + 1))
        }
        Kind::ReplaceNumber => {
            let spans = number_spans(text);
            if spans.is_empty() {
                return mutate(text, Kind::FlipChar, rng);
            }
            let r = pick(rng, &spans).clone();
            let new = *pick(rng, NUMBERS);
            let line = text[..r.start].matches('\n').count() + 1;
            let desc = format!("number `{}` on line {line} -> `{new}`", &text[r.clone()]);
            (format!("{}{new}{}", &text[..r.start], &text[r.end..]), desc)
        }
        Kind::ReplaceString => {
            let spans = string_spans(text);
            if spans.is_empty() {
                return mutate(text, Kind::FlipChar, rng);
            }
            let r = pick(rng, &spans).clone();
            let long;
            let new = if rng.random_range(0..8) == 0 {
                long = "x".repeat(30_000);
                long.as_str()
            } else {
                *pick(rng, STRINGS)
            };
            let line = text[..r.start].matches('\n').count() + 1;
            let shown: String = new.chars().take(24).collect();
            let desc = format!("string `{}` on line {line} -> {shown:?}", &text[r.clone()]);
            (format!("{}{new}{}", &text[..r.start], &text[r.end..]), desc)
        }
        Kind::FlipChar => {
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            if starts.is_empty() {
                return (String::from("x"), "flip in empty text".into());
            }
            let at = *pick(rng, &starts);
            let old = text[at..].chars().next().unwrap();
            let new = loop {
                // Mostly printable ASCII; now and then a non-ASCII letter.
                let c = if rng.random_range(0..10) == 0 {
                    *pick(rng, &['é', 'ß', 'ï', '—'])
                } else {
                    char::from(rng.random_range(0x20u8..0x7f))
                };
                if c != old {
                    break c;
                }
            };
            let line = text[..at].matches('\n').count() + 1;
            let desc = format!("flip {old:?} on line {line} (byte {at}) -> {new:?}");
            let end = at + old.len_utf8();
            (format!("{}{new}{}", &text[..at], &text[end..]), desc)
        }
        Kind::Several => {
            let times = rng.random_range(2..=4);
            let mut t = text.to_string();
            let mut descs = Vec::new();
            for _ in 0..times {
                let k = *pick(rng, &KINDS[..7]);
                let (nt, d) = mutate(&t, k, rng);
                t = nt;
                descs.push(d);
            }
            (t, descs.join("; "))
        }
    }
}

/// Copies every file of `from` (recursively) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            fs::copy(e.path(), dst).unwrap();
        }
    }
}

/// What one run of `blockade check` did.
#[derive(Debug)]
enum Outcome {
    Exit(i32),
    Signal,
    Hang,
}

/// Runs `blockade check file`, stdout and stderr to files next to it, killing it after
/// [`DEADLINE`]. Returns the outcome and the stderr text.
fn run_check(file: &Path) -> (Outcome, String) {
    run_blockade(file, &["check"], &[])
}

/// Runs `blockade <before> file <after>` like [`run_check`].
fn run_blockade(file: &Path, before: &[&str], after: &[&str]) -> (Outcome, String) {
    let err_path = file.with_extension("stderr");
    let mut child = blockade()
        .args(before)
        .arg(file)
        .args(after)
        .stdin(Stdio::null())
        .stdout(File::create(file.with_extension("stdout")).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .expect("blockade starts");
    let start = Instant::now();
    let outcome = loop {
        match child.try_wait().expect("try_wait") {
            Some(status) => break status.code().map_or(Outcome::Signal, Outcome::Exit),
            None if start.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                break Outcome::Hang;
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let stderr = fs::read(&err_path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    (outcome, stderr)
}

fn unique_temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("blockade-fuzz-{}-{nanos}", std::process::id()))
}

/// `name` from the environment, parsed, else `default`.
fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_scenarios_never_panic_or_hang() {
    let (seed, count) = (
        env_or("BLOCKADE_FUZZ_SEED", SEED),
        env_or("BLOCKADE_FUZZ_MUTANTS", MUTANTS),
    );
    // `BLOCKADE_FUZZ_BASE` picks another bundled scenario for a longer exploratory run.
    let base_name =
        std::env::var("BLOCKADE_FUZZ_BASE").unwrap_or_else(|_| "bamako-2025.ron".into());
    let base_name = base_name.as_str();
    let dir = unique_temp_dir();
    copy_dir(&networks_dir(), &dir);
    let base = fs::read_to_string(dir.join(base_name)).unwrap();
    eprintln!(
        "fuzz: {count} mutants of networks/{base_name} (seed {seed:#x}) in {}",
        dir.display()
    );

    // The original must be clean, so that every exit 2 below is due to a mutation.
    let (outcome, stderr) = run_check(&dir.join(base_name));
    assert!(
        matches!(outcome, Outcome::Exit(0)),
        "unmutated {base_name}: {outcome:?}\n{stderr}"
    );

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mutants: Vec<(PathBuf, String)> = (0..count)
        .map(|i| {
            let kind = KINDS[i % KINDS.len()];
            let (text, desc) = mutate(&base, kind, &mut rng);
            let path = dir.join(format!("mutant-{i:04}.ron"));
            fs::write(&path, text).unwrap();
            (path, format!("{kind:?}: {desc}"))
        })
        .collect();

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(count));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((path, _)) = mutants.get(i) else {
                        break;
                    };
                    let r = run_check(path);
                    results.lock().unwrap().push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    assert_eq!(results.len(), count);

    let (mut ok, mut invalid) = (0, 0);
    let mut failures = Vec::new();
    for (i, (outcome, stderr)) in &results {
        let (path, desc) = &mutants[*i];
        let bad = match outcome {
            Outcome::Exit(0) => {
                ok += 1;
                None
            }
            Outcome::Exit(2) => {
                invalid += 1;
                None
            }
            Outcome::Exit(101) => Some("panicked (exit 101)".to_string()),
            Outcome::Exit(c) => Some(format!("exit code {c}")),
            Outcome::Signal => Some("killed by a signal".to_string()),
            Outcome::Hang => Some(format!("still running after {DEADLINE:?}")),
        };
        let bad = bad.or_else(|| {
            stderr
                .contains("panicked")
                .then(|| "printed \"panicked\"".into())
        });
        if let Some(why) = bad {
            let tail: String = stderr.lines().take(6).collect::<Vec<_>>().join("\n    ");
            failures.push(format!("{}: {why}\n  {desc}\n    {tail}", path.display()));
        }
    }
    eprintln!("fuzz: {ok} mutants valid (exit 0), {invalid} invalid (exit 2)");
    assert!(
        failures.is_empty(),
        "{} of {count} mutants failed (files kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
    assert!(
        invalid > 0,
        "no mutant was invalid: the mutations do nothing"
    );

    // Once a scenario is valid, nothing in it may make the simulation fail: run the first
    // valid mutants (a few replications each) and require a clean exit.
    let valid: Vec<&(PathBuf, String)> = results
        .iter()
        .filter(|(_, (o, _))| matches!(o, Outcome::Exit(0)))
        .map(|(i, _)| &mutants[*i])
        .take(env_or("BLOCKADE_FUZZ_RUNS", 24))
        .collect();
    let mut run_failures = Vec::new();
    for (path, desc) in &valid {
        let out = path.with_extension("out");
        let out = out.to_string_lossy();
        let (outcome, stderr) = run_blockade(path, &["run"], &["-n", "2", "-q", "--out", &out]);
        if !matches!(outcome, Outcome::Exit(0)) || stderr.contains("panicked") {
            run_failures.push(format!(
                "{}: {outcome:?}\n  {desc}\n  {stderr}",
                path.display()
            ));
        }
    }
    eprintln!("fuzz: {} valid mutants simulated", valid.len());
    assert!(
        run_failures.is_empty(),
        "valid mutants that failed to run (files kept in {}):\n{}",
        dir.display(),
        run_failures.join("\n")
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn string_spans_skip_comments_and_escapes() {
    let t = "(a: \"x\", // \"not\"\n b: \"q\\\"r\", c: \"\")";
    let found: Vec<&str> = string_spans(t).into_iter().map(|r| &t[r]).collect();
    assert_eq!(found, ["x", "q\\\"r", ""]);
}

#[test]
fn number_spans_find_literals() {
    let t = r#"(a: 1, b: -2.5, c: 3e8, d: 2_500_000, e: "x1", f: Fixed(1.0), g: 1.5e-3)"#;
    let found: Vec<&str> = number_spans(t).into_iter().map(|r| &t[r]).collect();
    assert_eq!(found, ["1", "-2.5", "3e8", "2_500_000", "1.0", "1.5e-3"]);
}
