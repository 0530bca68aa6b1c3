#!/usr/bin/env bash
# Run a blockade ensemble on Slurm: a job array of N shards, then a merge job that starts
# when every shard has succeeded (--dependency=afterok). See README.md next to this file.
#
#   examples/slurm/submit.sh [OPTIONS] SCENARIO N [-- RUN FLAGS...]
#
#   SCENARIO   the scenario file, e.g. networks/bamako-2025.ron
#   N          the number of shards (array tasks 0 .. N-1)
#   RUN FLAGS  flags for `blockade run`, the same for every shard, e.g. -- -n 100000 --seed 11
#
# Options:
#   --work DIR       where shards/, outputs/ and logs/ go; on a filesystem every node sees
#                    (default: outputs/<scenario file name>-slurm)
#   --blockade PATH  the blockade binary, as the compute nodes see it (default: $BLOCKADE,
#                    else `blockade` on PATH, else target/release/blockade of this repository)
#   --only LIST      run only these shards (Slurm array syntax: 3, 1,5 or 0-7), then merge
#                    every shard in DIR/shards: re-runs the shards that failed
#   --wait           wait for the merge job; exit 0 only if it succeeded, else say which
#                    shards failed and where their logs are
#   --timeout SEC    with --wait: give up after SEC seconds and cancel the two jobs
#
# Partition, account, QOS and time limit come from the usual sbatch variables, e.g.
# SBATCH_PARTITION=short SBATCH_ACCOUNT=proj42 SBATCH_TIMELIMIT=02:00:00; per-shard CPUs
# and memory from the #SBATCH lines of run-sharded.sbatch.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit "${1:-2}"; }

work="" blockade="${BLOCKADE:-}" only="" wait=0 timeout=0
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work=$2; shift 2 ;;
        --blockade) blockade=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --wait) wait=1; shift ;;
        --timeout) timeout=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        --) break ;;
        -*) echo "submit.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || usage
scenario=$1 n=$2
shift 2
[ "${1:-}" = "--" ] && shift
case "$n" in '' | *[!0-9]* | 0) echo "submit.sh: N must be a positive integer, not '$n'" >&2; exit 2 ;; esac
[ -r "$scenario" ] || { echo "submit.sh: cannot read the scenario file $scenario" >&2; exit 2; }
command -v sbatch >/dev/null 2>&1 || { echo "submit.sh: sbatch not found: is Slurm loaded (module load slurm)?" >&2; exit 1; }

if [ -z "$blockade" ]; then
    blockade=$(command -v blockade 2>/dev/null || true)
    [ -n "$blockade" ] || blockade="$here/../../target/release/blockade"
fi
[ -x "$blockade" ] || { echo "submit.sh: no blockade binary at $blockade (build it: cargo build --release, or pass --blockade)" >&2; exit 1; }
stem=$(basename "$scenario")
stem=${stem%.*}
work=${work:-outputs/$stem-slurm}
# Absolute paths: the jobs may start in another directory, on another node.
blockade=$(realpath "$blockade")
scenario=$(realpath "$scenario")
work=$(realpath -m "$work")
shards="$work/shards" out="$work/outputs" logs="$work/logs"
mkdir -p "$shards" "$logs"

array=${only:-0-$((n - 1))}
array_id=$(sbatch --parsable --array="$array" --output="$logs/shard-%a.out" \
    "$here/run-sharded.sbatch" "$blockade" "$scenario" "$n" "$shards" "$@")
array_id=${array_id%%;*}
merge_id=$(sbatch --parsable --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
    --output="$logs/merge.out" "$here/merge.sbatch" "$blockade" "$n" "$shards" "$out")
merge_id=${merge_id%%;*}
echo "submitted shards $array of $n as job array $array_id, merge as job $merge_id (after every shard succeeds)"
echo "  shards  $shards"
echo "  outputs $out"
echo "  logs    $logs/shard-<I>.out, $logs/merge.out"
[ "$wait" = "1" ] || { echo "follow with: squeue -j $array_id,$merge_id"; exit 0; }

# --wait: poll the merge job's state; without accounting, scontrol still knows a finished
# job for MinJobAge seconds (300 by default).
state_of() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n1 | cut -d= -f2; }
t0=$(date +%s) state=""
while :; do
    state=$(state_of "$merge_id")
    case "$state" in
        PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | RESIZING | "") ;;
        *) break ;;
    esac
    if [ "$timeout" -gt 0 ] && [ $(($(date +%s) - t0)) -ge "$timeout" ]; then
        echo "submit.sh: timed out after ${timeout}s (merge job $merge_id is ${state:-unknown}); cancelling jobs $array_id and $merge_id" >&2
        scancel "$array_id" "$merge_id" 2>/dev/null || true
        state="TIMEOUT(submit.sh)"
        break
    fi
    sleep 1
done
elapsed=$(($(date +%s) - t0))
if [ "$state" = "COMPLETED" ]; then
    echo "merge job $merge_id COMPLETED after ${elapsed}s; outputs in $out"
    exit 0
fi
echo "submit.sh: merge job $merge_id ended $state after ${elapsed}s" >&2
# Name the shards that did not succeed, with their logs.
scontrol -o show job "$array_id" 2>/dev/null | while read -r line; do
    task=$(grep -o 'ArrayTaskId=[^ ]*' <<<"$line" | cut -d= -f2)
    st=$(grep -o 'JobState=[A-Z_]*' <<<"$line" | cut -d= -f2)
    if [ -n "$task" ] && [ "$st" != "COMPLETED" ]; then
        echo "  shard $task: $st, log $logs/shard-$task.out" >&2
        tail -n 5 "$logs/shard-$task.out" 2>/dev/null | sed 's/^/    /' >&2
    fi
done
[ -s "$logs/merge.out" ] && { echo "  merge log $logs/merge.out:" >&2; tail -n 5 "$logs/merge.out" | sed 's/^/    /' >&2; }
echo "re-run failed shards with --only LIST (same SCENARIO, N, --work and run flags)" >&2
exit 1
