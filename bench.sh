#!/usr/bin/env bash
# Runs the benchmarks and prints one Markdown row per benchmark (see docs/BENCHMARKS.md).
#   ./bench.sh [worker|dispatcher|all] [rounds]
# Each benchmark runs spotbatch and its bare baseline alternately in the same JVM, `rounds` times.
#   ./bench.sh tasks [rounds]
# The worker on chunk alone and on clean,chunk,embed against embed of whole documents.
#   ./bench.sh queues [rounds]
# The worker end to end on Kafka share groups and on SQS (ElasticMQ), same job, same run.
#   ./bench.sh notice [notices] [sqs|kafka]
# The termination-notice benchmark: `notices` spot interruptions (default 50), latency and rework,
# on SQS (ElasticMQ, the default) or Kafka (an in-process broker; a hand-back is a RELEASE).
set -euo pipefail
cd "$(dirname "$0")"
WHICH=${1:-all}
DEFAULT_COUNT=3
if [ "$WHICH" = notice ]; then DEFAULT_COUNT=50; fi
ROUNDS=${2:-$DEFAULT_COUNT}
QUEUE=${3:-sqs}
export OPT_OUT_TRACKING=true
./mvnw -B -q -ntp -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -pl e2e -am
CP="e2e/target/test-classes:e2e/target/classes:$(cat e2e/target/test-classpath.txt)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
java -Xmx4g -Dai.djl.offline=true -cp "$CP" dev.spotbatch.bench.Benchmarks "$WHICH" "$ROUNDS" "$QUEUE"
