#!/usr/bin/env bash
# CI test: a sharded run on a real (single-node) Slurm, merged, equals the unsharded run
# byte for byte.
#
#   scripts/slurm-test.sh
#
# 1. scripts/slurm-local.sh starts munged, slurmctld and slurmd on localhost (installing
#    the Debian packages if needed);
# 2. the release binary is built (or taken from $BLOCKADE);
# 3. examples/slurm/submit.sh submits a 4-task job array of
#    `blockade run networks/bamako-2025.ron --shard I/4` and the merge as a job that
#    depends on it (afterok), and waits for the merge;
# 4. the unsharded `blockade run` with the same flags writes its outputs, and `diff -r`
#    compares the two folders: any difference fails the test.
#
# Environment:
#   ALLOW_NO_SLURM=1   where Slurm cannot be set up, say so and exit 0 (skip) instead of 1
#   BLOCKADE=PATH      use this binary instead of building target/release/blockade
#   SLURM_TEST_TIMEOUT seconds to wait for the jobs (default 150)
#   KEEP=1             keep the work folder even when the test passes
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=networks/bamako-2025.ron
SHARDS=4
# The flags of every shard and of the unsharded run: the two must be the same command.
RUN_FLAGS=(-n 200)
TIMEOUT="${SLURM_TEST_TIMEOUT:-150}"
t_start=$(date +%s)
say() { echo "slurm-test: $*"; }
fail() { echo "slurm-test: FAIL: $*" >&2; exit 1; }

# 1. Slurm.
t0=$(date +%s)
scripts/slurm-local.sh || fail "no local Slurm (scripts/slurm-local.sh above says why)"
export PATH="$PATH:/usr/sbin:/sbin"
if ! command -v sinfo >/dev/null 2>&1 || ! scontrol ping 2>/dev/null | grep -q 'is UP'; then
    # slurm-local.sh exits 0 without a Slurm only under ALLOW_NO_SLURM=1.
    say "SKIPPED: no local Slurm could be started (ALLOW_NO_SLURM=1)"
    exit 0
fi
t_setup=$(($(date +%s) - t0))

# 2. The binary.
if [ -n "${BLOCKADE:-}" ]; then
    blockade=$BLOCKADE
else
    say "cargo build --release"
    cargo build --release --quiet --bin blockade
    blockade=target/release/blockade
fi
blockade=$(realpath "$blockade")

work=$(mktemp -d "${TMPDIR:-/tmp}/blockade-slurm-test.XXXXXX")
# slurmd runs the jobs as the submitting user; the folder must be theirs to write.
chmod 755 "$work"
keep_on_exit() { echo "slurm-test: work folder kept: $work" >&2; }
trap keep_on_exit ERR

# 3. The sharded run on Slurm, then the merge.
say "submitting $SHARDS shards of $SCENARIO ${RUN_FLAGS[*]} and the merge"
t0=$(date +%s)
examples/slurm/submit.sh --blockade "$blockade" --work "$work/slurm" --wait --timeout "$TIMEOUT" \
    "$SCENARIO" "$SHARDS" -- "${RUN_FLAGS[@]}" \
    || { keep_on_exit; fail "the Slurm jobs did not all succeed (above)"; }
t_slurm=$(($(date +%s) - t0))
n_shard_files=$(find "$work/slurm/shards" -maxdepth 1 -name "shard-*-of-$SHARDS.*" | wc -l)
[ "$n_shard_files" = "$SHARDS" ] \
    || { keep_on_exit; fail "expected $SHARDS shard files in $work/slurm/shards, found $n_shard_files"; }

# 4. The unsharded run, and the comparison.
t0=$(date +%s)
"$blockade" run "$SCENARIO" "${RUN_FLAGS[@]}" --out "$work/unsharded" -q \
    || { keep_on_exit; fail "the unsharded run failed"; }
t_plain=$(($(date +%s) - t0))
n_files=$(find "$work/unsharded" -type f | wc -l)
[ "$n_files" -gt 0 ] || { keep_on_exit; fail "the unsharded run wrote no files"; }
if ! diff -r "$work/unsharded" "$work/slurm/outputs" >"$work/diff.txt" 2>&1; then
    keep_on_exit
    diff -rq "$work/unsharded" "$work/slurm/outputs" >"$work/diff-files.txt" 2>&1 || true
    echo "slurm-test: files that differ between the unsharded run and the merged shards:" >&2
    head -n 40 "$work/diff-files.txt" >&2
    fail "the merged outputs differ from the unsharded run ($(wc -l <"$work/diff-files.txt") files; full diff in $work/diff.txt)"
fi
say "PASS: $n_files files, merged from $SHARDS Slurm shards, byte-identical to the unsharded run"
say "times: Slurm setup ${t_setup}s, array + merge on Slurm ${t_slurm}s, unsharded run ${t_plain}s, whole test $(($(date +%s) - t_start))s"
if [ "${KEEP:-0}" = "1" ]; then
    say "work folder kept: $work"
else
    rm -rf "$work"
fi
