#!/usr/bin/env bash
# The spot-market simulator (issue 9; see README "Simulate the spot market" and docs/BENCHMARKS.md P5):
#   ./spotbatch-sim.sh --scenario seed-h100 [--seed N] [--runs K] [--drain spotbatch|restart|both]
#   ./spotbatch-sim.sh --sweep 0.005,0.01,0.02,0.041,0.06,0.1     # the P5 table
#   ./spotbatch-sim.sh --list | --print seed-h100 > my.json       # then --scenario my.json
# It runs the dispatcher jar's simulator class: no server, no Spring, seconds per table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
VERSION=0.1.0-SNAPSHOT
JAR="$ROOT/dispatcher/target/spotbatch-dispatcher-$VERSION-exec.jar"
stale() {
  [ ! -f "$JAR" ] || [ -n "$(cd "$ROOT" && find pom.xml common boot dispatcher -newer "$JAR" \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -not -path '*/target/*' \
    -print -quit)" ]
}
if stale; then
  echo "Building the dispatcher (once)..." >&2
  (cd "$ROOT" && ./mvnw -B -q -ntp -DskipTests package -pl dispatcher -am)
fi
exec java -Dloader.main=dev.spotbatch.dispatcher.sim.SimCli -cp "$JAR" \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@"
