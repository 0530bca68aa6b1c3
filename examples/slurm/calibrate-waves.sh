#!/usr/bin/env bash
# Calibrate on Slurm, one round of shards per wave (see README.md next to this file). Wave
# k+1 samples the box that wave k's retained points span, so each wave is a job array of N
# `blockade calibrate ... --shard I/N` tasks that starts when the previous wave's merge has
# succeeded (--dependency=afterok), followed by a merge job. The merge of the last wave
# writes the calibration's outputs, the same bytes as `blockade calibrate` on one machine;
# rounds submitted after the calibration has stopped compute nothing and merge the same
# outputs again, so submitting one round per possible wave (--waves) is safe.
#
#   examples/slurm/calibrate-waves.sh [OPTIONS] SCENARIO N -- CALIBRATE FLAGS...
#
#   SCENARIO         the scenario file, with uncertain inputs
#   N                shards per wave (array tasks 0 .. N-1)
#   CALIBRATE FLAGS  flags for `blockade calibrate`, the same for every round; at least
#                    --observed OBS.ron. Relative paths are read from the directory this
#                    script is run in, which every job starts in: use a shared filesystem.
#
# Options:
#   --work DIR       where shards/, outputs/ and logs/ go (default:
#                    outputs/<scenario file name>-calibration-slurm)
#   --blockade PATH  the blockade binary, as the compute nodes see it (default: $BLOCKADE,
#                    else `blockade` on PATH, else target/release/blockade of this repository)
#   --rounds R       rounds submitted (default: the --waves in the flags, else 5, calibrate's
#                    default)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit "${1:-2}"; }

work="" blockade="${BLOCKADE:-}" rounds=""
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work=$2; shift 2 ;;
        --blockade) blockade=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        -h | --help) usage 0 ;;
        --) break ;;
        -*) echo "calibrate-waves.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || usage
scenario=$1 n=$2
shift 2
[ "${1:-}" = "--" ] && shift
case "$n" in '' | *[!0-9]* | 0) echo "calibrate-waves.sh: N must be a positive integer, not '$n'" >&2; exit 2 ;; esac
[ -r "$scenario" ] || { echo "calibrate-waves.sh: cannot read the scenario file $scenario" >&2; exit 2; }
if [ -z "$rounds" ]; then
    rounds=5
    prev=""
    for flag in "$@"; do
        [ "$prev" = "--waves" ] && rounds=$flag
        case "$flag" in --waves=*) rounds=${flag#--waves=} ;; esac
        prev=$flag
    done
fi
case "$rounds" in '' | *[!0-9]* | 0) echo "calibrate-waves.sh: --rounds must be a positive integer, not '$rounds'" >&2; exit 2 ;; esac
command -v sbatch >/dev/null 2>&1 || { echo "calibrate-waves.sh: sbatch not found: is Slurm loaded (module load slurm)?" >&2; exit 1; }

if [ -z "$blockade" ]; then
    blockade=$(command -v blockade 2>/dev/null || true)
    [ -n "$blockade" ] || blockade="$here/../../target/release/blockade"
fi
[ -x "$blockade" ] || { echo "calibrate-waves.sh: no blockade binary at $blockade (build it: cargo build --release, or pass --blockade)" >&2; exit 1; }
stem=$(basename "$scenario")
stem=${stem%.*}
work=${work:-outputs/$stem-calibration-slurm}
blockade=$(realpath "$blockade")
work=$(realpath -m "$work")
shards="$work/shards" out="$work/outputs" logs="$work/logs"
mkdir -p "$shards" "$logs"
state="$shards/calibration-state.json"

# Each argument quoted for the shell that runs the job (`sbatch --wrap`).
quoted() {
    local s="" arg
    for arg in "$@"; do s+="$(printf '%q' "$arg") "; done
    printf '%s' "${s% }"
}
flags=$(quoted "$@")

prev_id=""
for ((w = 1; w <= rounds; w++)); do
    cont=""
    [ "$w" -gt 1 ] && cont="--continue $(quoted "$state")"
    dep=()
    [ -n "$prev_id" ] && dep=(--dependency="afterok:$prev_id" --kill-on-invalid-dep=yes)
    array_id=$(sbatch --parsable "${dep[@]}" --array="0-$((n - 1))" \
        --job-name="blockade-cal-$w" --output="$logs/wave-$w-shard-%a.out" \
        --wrap "$(quoted "$blockade") calibrate $(quoted "$scenario") --shard \$SLURM_ARRAY_TASK_ID/$n --out $(quoted "$shards") $cont $flags")
    array_id=${array_id%%;*}
    merge_id=$(sbatch --parsable --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
        --job-name="blockade-cal-merge-$w" --output="$logs/wave-$w-merge.out" \
        --wrap "$(quoted "$blockade") merge $(quoted "$shards")/calibrate-shard-*-of-$n.arrow --out $(quoted "$out")")
    merge_id=${merge_id%%;*}
    echo "round $w: shards as job array $array_id, merge as job $merge_id"
    prev_id=$merge_id
done
echo "  shards and state $shards"
echo "  outputs          $out (written by the merge of the last wave)"
echo "  logs             $logs/wave-<k>-shard-<I>.out, $logs/wave-<k>-merge.out"
