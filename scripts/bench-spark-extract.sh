#!/usr/bin/env bash
# Benchmarks extraction on Spark against a plain `layerwise extract` (docs/benchmarks.md, issue 11):
# the overhead of Spark in local mode, and two executor JVMs against one (Spark's local-cluster mode, which
# starts real executor JVMs like a cluster's workers). Bundled MiniLM, all 7 layers mean-pooled, over N texts:
# the 300 quick-start comments repeated (numbered, so no two texts are equal). Every store is compared
# with the plain one byte for byte (manifest timestamps and the resolved config's output path aside).
#   scripts/bench-spark-extract.sh [N=2000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
texts="${1:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
LAYERWISE_SPARK=1 bin/layerwise --version > /dev/null   # builds when stale, outside the timings
# a snapshot of the launcher classpath (the module jars copied), so that a rebuild meanwhile changes nothing
mkdir -p "$work/modules"
classpath=""
for jar in $(tr ':' ' ' < spark/target/classpath.txt) spark/target/layerwise-spark-*.jar; do
  if [[ "$jar" == "$root"/* || "$jar" == spark/* ]]; then
    cp "$jar" "$work/modules/" && jar="$work/modules/$(basename "$jar")"
  fi
  classpath="${classpath:+$classpath:}$jar"
done

/usr/bin/python3 - "$root/data/quickstart/jigsaw-illustrative/train.csv" "$texts" > "$work/texts.jsonl" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
labels = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
for i in range(int(sys.argv[2])):
    r = rows[i % len(rows)]
    text = r["comment_text"] if i < len(rows) else f"{r['comment_text']} (#{i})"
    print(json.dumps({"text": text, "label": int(any(r[l] == "1" for l in labels))}))
PY

# local-cluster executors are launched like a cluster's: from SPARK_HOME/jars (RELEASE marks a distribution)
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$SPARK_HOME/jars" && touch "$SPARK_HOME/RELEASE"
i=0
tr ':' '\n' <<< "$classpath" | while read -r jar; do i=$((i + 1)); ln -s "$jar" "$SPARK_HOME/jars/$i-$(basename "$jar")"; done
flags="$(sed -n 's:.*<spark.jvm.flags>\([^$]*\)</spark.jvm.flags>.*:\1:p' spark/pom.xml) -Xss4m -Dai.djl.offline=true"
read -r -a driver_flags <<< "$flags"

config() { # engine master threads_per_task
  cat <<YAML
model: all-minilm-l6-v2
dataset: {path: '$work/texts.jsonl', format: jsonl}
layers: all
pooling: mean
max_length: 128
batch_size: 32
shard_size: 250
output: '$work/store'
execution:
  engine: $1
  threads_per_task: $3
  spark:
    master: '$2'
    conf: {spark.executor.extraJavaOptions: '$flags', spark.executor.memory: 1g}
YAML
}

run() { # name engine master threads launcher_threads
  config "$2" "$3" "$4" > "$work/$1.yaml"
  rm -rf "$work/store"
  local start end
  start=$(date +%s.%N)
  # what bin/layerwise runs, on the snapshot
  OMP_NUM_THREADS="$5" java -Xmn48m "${driver_flags[@]}" -Dlayerwise.threads="$5" -cp "$classpath" \
    io.layerwise.cli.Layerwise extract "$work/$1.yaml" --stats "$work/$1.json" > "$work/$1.log" 2>&1 \
    || { cat "$work/$1.log"; exit 1; }
  end=$(date +%s.%N)
  if [[ "$1" == plain ]]; then
    mv "$work/store" "$work/plain"
    same="reference"
  else
    same=$(diff -r -q -x manifest.json "$work/plain" "$work/store" > /dev/null && echo "byte-identical" || echo "DIFFERENT")
  fi
  printf '| %-34s | %7.1f | %7.1f | %s |\n' "$6" "$(echo "$end - $start" | bc)" \
    "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["extract_seconds"])' "$work/$1.json")" "$same"
}

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | wall s | extract s | store |"
echo "|---|---|---|---|"
run plain local 'local[1]' 2 2 "plain extract, 2 threads"
run local1 spark 'local[1]' 2 2 "Spark local[1], 2 threads"
run cluster1 spark 'local-cluster[1,1,1536]' 1 1 "local-cluster: 1 executor JVM x 1 thread"
run cluster2 spark 'local-cluster[2,1,1536]' 1 1 "local-cluster: 2 executor JVMs x 1 thread"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
