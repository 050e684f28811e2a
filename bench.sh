#!/usr/bin/env bash
# Runs the benchmarks and prints one Markdown row per benchmark (see docs/BENCHMARKS.md).
#   ./bench.sh [worker|dispatcher|all] [rounds]
# Each benchmark runs spotbatch and its bare baseline alternately in the same JVM, `rounds` times.
#   ./bench.sh overhead [rounds] [queues]
# Issue 13 point 1: the worker against the bare model loop, default settings; on the in-memory queue
# (the worker alone) and on SQS (ElasticMQ in the JVM) by default; load, CPU per record by thread
# group and the model's busy share per round.
#   ./bench.sh spinning [rounds] [queues]
# Issue 13 point 1: ONNX Runtime's spinning (spotbatch.worker.onnx.spinning) on and off, the bare
# loop and a worker per queue type (default memory,sqs), alternating in one JVM; CPU by thread group.
#   ./bench.sh writer [rounds]
# Issue 13 point 1: the result line's CPU on the item thread, the code before the issue vs now.
#   ./bench.sh padding [rounds] [records]
# Issue 13 point 2: the worker batching by length (batch-order=length) against the bare loop in
# input order, on `records` (default 1000) texts of 3 to 120 words.
#   ./bench.sh tasks [rounds]
# The worker on chunk alone and on clean,chunk,embed against embed of whole documents.
#   ./bench.sh queues [rounds]
# The worker end to end on Kafka share groups and on SQS (ElasticMQ), same job, same run.
#   ./bench.sh notice [notices] [sqs|kafka]
# The termination-notice benchmark: `notices` spot interruptions (default 50), latency and rework,
# on SQS (ElasticMQ, the default) or Kafka (an in-process broker; a hand-back is a RELEASE).
#   ./bench.sh sim [seeds]
# Benchmark P5 (the spot-market simulator, seed-h100): strategies, the interruption-rate sweep with
# 10-minute and 1-hour items, and the savings of slack; `seeds` runs per cell (default 10).
#   ./bench.sh load [jobs] [clients]
# Submit load: `jobs` (default 1000) one-record jobs from `clients` (default 50) concurrent clients
# against the embedded default's dispatcher; statuses, submit latency p50/p99, memory.
#   ./bench.sh plan [rounds] [objects]
# Planning at scale: a sparse 10 GiB file at 1 MiB items, and `objects` small files (default
# 100000) under a prefix, each until RUNNING, beside bare SendMessageBatch loops of as many items.
#   ./bench.sh events [rounds] [items]
# Worker events applied per second on embedded PostgreSQL and H2: `items` (default 10000) items
# started and completed by 1,000 workers, 5% delivered twice, 10 and 100 events per batch.
#   ./bench.sh gpu [rounds] [gpu-id]
# The worker benchmark with spotbatch.worker.device=gpu (built with -Pgpu: onnxruntime_gpu) where
# ONNX Runtime's CUDA provider loads; on a machine without a GPU it says so and exits 0.
#   ./bench.sh quantized [rounds]
# The worker benchmark (default threads) with all-minilm-l6-v2, then with its int8 variant.
#   ./bench.sh formats [rounds]
# One output part of 20,000 embeddings written as JSON lines and as .npy + ids: rec/s, bytes/record.
# (A job picks the format with "output": {"format": "jsonl" | "npy"}; jsonl is the default.)
#   ./bench.sh startup [rounds] [baseline-exec-jar]
# A worker process from start to its first item, by phase, as the local fleet starts it (extracted
# jar, AppCDS archive); with a baseline worker jar (e.g. built from an older commit), it and this
# build alternate round by round ("before" and "after" in docs/BENCHMARKS.md).
#   ./bench.sh autoscale [records]
# The autoscaler (0..3 workers) against a fixed fleet of 2 sized by hand: a job of `records` (4800)
# with a deadline 150 s ahead, real worker JVMs capped at 40 records/s each, one after the other.
set -euo pipefail
cd "$(dirname "$0")"
WHICH=${1:-all}
if [ "$WHICH" = sim ]; then
  SEEDS=${2:-10}
  RATES=0.005,0.01,0.02,0.041,0.06,0.1
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(uptime)"
  ./spotbatch-sim.sh --scenario seed-h100 --runs "$SEEDS"
  ./spotbatch-sim.sh --scenario seed-h100 --runs "$SEEDS" --sweep "$RATES"
  echo "with 1-hour items (3,600,000 records): what restarting from scratch loses grows with the item"
  ./spotbatch-sim.sh --scenario seed-h100 --runs "$SEEDS" --sweep "$RATES" --item-records 3600000
  ./spotbatch-sim.sh --scenario seed-h100 --runs "$SEEDS" --slack \
    --start 2026-01-09T09:00:00Z --deadline-hours 48
  echo "after the June 2025 price cut: p5.48xlarge on-demand at \$55.04/h instead of \$98.32/h"
  CUT=$(mktemp --suffix=.json)
  ./spotbatch-sim.sh --print seed-h100 | sed 's/"usdPerHour": 98.32/"usdPerHour": 55.04/' > "$CUT"
  ./spotbatch-sim.sh --scenario "$CUT" --runs "$SEEDS" --drain spotbatch
  rm -f "$CUT"
  echo "done: $(uptime)"
  exit 0
fi
DEFAULT_COUNT=3
if [ "$WHICH" = notice ]; then DEFAULT_COUNT=50; fi
if [ "$WHICH" = load ]; then DEFAULT_COUNT=1000; fi
if [ "$WHICH" = autoscale ]; then DEFAULT_COUNT=4800; fi
ROUNDS=${2:-$DEFAULT_COUNT}
QUEUE=${3:-sqs}
if [ "$WHICH" = load ]; then QUEUE=${3:-50}; fi
export OPT_OUT_TRACKING=true
PROFILE=()
if [ "$WHICH" = gpu ]; then
  if ! command -v nvidia-smi > /dev/null || ! nvidia-smi -L > /dev/null 2>&1; then
    echo "no GPU present (nvidia-smi finds none): the GPU benchmark needs one; nothing to measure"
    exit 0
  fi
  nvidia-smi -L
  PROFILE=(-Pgpu)
  QUEUE=${3:-0}
fi
./mvnw -B -q -ntp ${PROFILE[@]+"${PROFILE[@]}"} -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -pl e2e -am
BASELINE=""
if [ "$WHICH" = startup ]; then
  BASELINE=${3:-}
  QUEUE=$(ls worker/target/spotbatch-worker-*-exec.jar | head -1)
fi
if [ "$WHICH" = padding ]; then QUEUE=${3:-1000}; fi
if [ "$WHICH" = spinning ] || [ "$WHICH" = overhead ]; then QUEUE=${3:-memory,sqs}; fi
CP="e2e/target/test-classes:e2e/target/classes:$(cat e2e/target/test-classpath.txt)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "load before: $(uptime)"
java -Xmx4g -Dai.djl.offline=true -cp "$CP" dev.spotbatch.bench.Benchmarks "$WHICH" "$ROUNDS" "$QUEUE" ${BASELINE:+"$BASELINE"}
echo "load after: $(uptime)"
