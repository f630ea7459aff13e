#!/usr/bin/env bash
# Extracts an activation store with a Slurm job array: N workers, each `layerwise extract CONFIG --shard i/N`,
# then one `--merge` job that starts when all of them have succeeded.
#   scripts/slurm/extract-array.sh CONFIG.yaml N [-s key=value ...]
#   CPUS=8 PARTITION=cpu scripts/slurm/extract-array.sh configs/quickstart-extract.yaml 4 -s output=/shared/acts
# Requirements: the repository (built once: bin/layerwise --help), the config, the data set and the output
# directory on a file system every node sees, under the same paths (use absolute paths in the config).
# Slurm does not retry a failed array element by itself: if one fails, the merge never starts
# (DependencyNeverSatisfied). Run this script again: workers whose shards are committed finish at once,
# the others compute only their missing shards.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 CONFIG.yaml WORKERS [-s key=value ...]" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
config="$(realpath "$1")"
workers="$2"
shift 2
cpus="${CPUS:-4}"
partition=(${PARTITION:+--partition="$PARTITION"})
# the command line, quoted for the shell that runs --wrap on the compute node
extract="cd $(printf '%q' "$root") && bin/layerwise extract $(printf '%q' "$config")$(printf ' %q' "$@")"

array=$(sbatch --parsable "${partition[@]}" --job-name=layerwise-extract --array="0-$((workers - 1))" \
  --cpus-per-task="$cpus" --export="ALL,LAYERWISE_THREADS=$cpus" --output="layerwise-extract-%A_%a.log" \
  --wrap "$extract --shard \$SLURM_ARRAY_TASK_ID/$workers")
merge=$(sbatch --parsable "${partition[@]}" --job-name=layerwise-merge --dependency="afterok:$array" \
  --cpus-per-task=1 --output="layerwise-merge-%j.log" --wrap "$extract --merge")
echo "submitted array job $array ($workers workers) and merge job $merge"
