#!/usr/bin/env bash
# The embedded default: one dispatcher (embedded SQS-compatible server, or a Kafka broker with --queue kafka;
# H2 database, local directory store) plus a local fleet of worker processes. No cloud account, no Docker.
#
#   ./run-local.sh [--port 8080] [--workers 2 | --min-workers N --max-workers M [--on-demand-base K]
#                  [--scale-in-cooldown 2m]] [--data-dir ./.spotbatch] [--queue sqs|kafka] [--demo] [--exit-after-demo]
#                  [--chaos R] [--chaos-mix spot120:40,spot5:20,sigterm:15,kill:15,rebalance:5,lifecycle:5]
#
# --workers N runs a fixed fleet of N spot workers. --min-workers/--max-workers run the local fleet under
# the autoscaler instead (pools local-spot and local-on-demand; the first K workers on-demand): workers
# appear for a backlog and go when idle; GET /api/v1/fleet/decisions says why each time. --scale-in-cooldown
# (default 2m; 20s in the autoscaled demo) is how long a pool waits after a change before it shrinks.
# --queue kafka runs a single-node Kafka broker in the dispatcher instead of the SQS server (share groups).
# --chaos R interrupts each worker R times an hour on average (spot notices on its metadata endpoint,
# SIGTERM, SIGKILL); interrupt one by hand with the curl command printed at start (it sends the token).
# The dispatcher listens on 127.0.0.1 only; every call but /actuator/health needs its token, which it takes
# from SPOTBATCH_API_TOKEN or generates, and keeps in <data-dir>/api-token (owner-only) for ./spotbatch.
# Ctrl-C stops the dispatcher, which stops its workers.
set -euo pipefail
cd "$(dirname "$0")"

PORT=8080
WORKERS=2
DATA_DIR=./.spotbatch
DEMO=false
EXIT_AFTER_DEMO=false
DEMO_RECORDS=3000
CHAOS=0
CHAOS_MIX=
QUEUE=sqs
MIN_WORKERS=
MAX_WORKERS=
ON_DEMAND_BASE=
SCALE_IN_COOLDOWN=
WORKERS_GIVEN=false

usage() {
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --workers) WORKERS="$2"; WORKERS_GIVEN=true; shift 2 ;;
    --min-workers) MIN_WORKERS="$2"; shift 2 ;;
    --max-workers) MAX_WORKERS="$2"; shift 2 ;;
    --on-demand-base) ON_DEMAND_BASE="$2"; shift 2 ;;
    --scale-in-cooldown) SCALE_IN_COOLDOWN="$2"; shift 2 ;;
    --data-dir) DATA_DIR="$2"; shift 2 ;;
    --queue) QUEUE="$2"; shift 2 ;;
    --demo) DEMO=true; shift ;;
    --exit-after-demo) DEMO=true; EXIT_AFTER_DEMO=true; shift ;;
    --demo-records) DEMO_RECORDS="$2"; shift 2 ;;
    --chaos) CHAOS="$2"; shift 2 ;;
    --chaos-mix) CHAOS_MIX="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

case "$WORKERS" in (*[!0-9]*|'') echo "--workers must be a number" >&2; exit 2 ;; esac
case "$PORT" in (*[!0-9]*|'') echo "--port must be a number" >&2; exit 2 ;; esac
case "$CHAOS" in (*[!0-9.]*|''|.) echo "--chaos must be a number of interruptions per worker and hour (0 = off)" >&2; exit 2 ;; esac
case "$QUEUE" in (sqs|kafka) ;; (*) echo "--queue must be sqs or kafka" >&2; exit 2 ;; esac
FLEET_ARGS=("--spotbatch.fleet.local.workers=$WORKERS")
AUTOSCALED=false
if [ -n "$MIN_WORKERS$MAX_WORKERS$ON_DEMAND_BASE" ]; then
  if [ "$WORKERS_GIVEN" = true ]; then
    echo "give either --workers N (a fixed fleet) or --min-workers/--max-workers (autoscaled), not both" >&2; exit 2
  fi
  MIN_WORKERS=${MIN_WORKERS:-0}
  MAX_WORKERS=${MAX_WORKERS:-$(( MIN_WORKERS > 3 ? MIN_WORKERS : 3 ))}
  ON_DEMAND_BASE=${ON_DEMAND_BASE:-0}
  for v in "$MIN_WORKERS" "$MAX_WORKERS" "$ON_DEMAND_BASE"; do
    case "$v" in (*[!0-9]*|'') echo "--min-workers, --max-workers and --on-demand-base must be numbers" >&2; exit 2 ;; esac
  done
  if [ "$MIN_WORKERS" -gt "$MAX_WORKERS" ]; then echo "--min-workers must not exceed --max-workers" >&2; exit 2; fi
  if [ "$ON_DEMAND_BASE" -gt "$MAX_WORKERS" ]; then echo "--on-demand-base must not exceed --max-workers" >&2; exit 2; fi
  AUTOSCALED=true
  FLEET_ARGS=("--spotbatch.autoscaler.enabled=true" "--spotbatch.autoscaler.min-workers=$MIN_WORKERS"
    "--spotbatch.autoscaler.max-workers=$MAX_WORKERS" "--spotbatch.autoscaler.on-demand-base=$ON_DEMAND_BASE")
  # the demo shows the fleet going back to its minimum: a short cool-down, so it happens within a minute
  if [ -z "$SCALE_IN_COOLDOWN" ] && [ "$DEMO" = true ]; then SCALE_IN_COOLDOWN=20s; DEMO_SCALE_IN=true; fi
  if [ -n "$SCALE_IN_COOLDOWN" ]; then
    case "$SCALE_IN_COOLDOWN" in (*[!0-9smh]*|'') echo "--scale-in-cooldown must be a duration like 20s or 2m" >&2; exit 2 ;; esac
    FLEET_ARGS+=("--spotbatch.autoscaler.scale-in-cooldown=$SCALE_IN_COOLDOWN")
    if [ "${DEMO_SCALE_IN:-false}" = true ]; then
      # as short as the cool-down: a worker without a lease for 10 s counts as idle
      FLEET_ARGS+=("--spotbatch.autoscaler.scale-in-stabilization=$SCALE_IN_COOLDOWN" "--spotbatch.autoscaler.idle-after=10s")
    fi
  fi
elif [ -n "$SCALE_IN_COOLDOWN" ]; then
  echo "--scale-in-cooldown needs an autoscaled fleet (--min-workers/--max-workers)" >&2; exit 2
fi
QUEUE_ARGS=()
if [ "$QUEUE" = kafka ]; then
  # the local profile enables the embedded broker; it starts only on Kafka (and ElasticMQ then does not)
  QUEUE_ARGS+=("--spotbatch.queue.type=kafka" "--spotbatch.embedded.kafka.enabled=true")
fi
CHAOS_ARGS=()
if [ "$CHAOS" != 0 ] && [ "$CHAOS" != 0.0 ]; then
  CHAOS_ARGS+=("--spotbatch.fleet.local.chaos.per-worker-hour=$CHAOS")
  if [ -n "$CHAOS_MIX" ]; then CHAOS_ARGS+=("--spotbatch.fleet.local.chaos.mix=$CHAOS_MIX"); fi
fi

VERSION=0.1.0-SNAPSHOT
# the embedded default: the dispatcher plus its in-process queue servers and local fleet (module local/)
DISPATCHER_JAR=local/target/spotbatch-local-$VERSION-exec.jar
WORKER_JAR=worker/target/spotbatch-worker-$VERSION-exec.jar
CLI_JAR=cli/target/spotbatch-cli-$VERSION-exec.jar
export OPT_OUT_TRACKING=true

# build on the first run, and again whenever a source or build file is newer than a jar
stale() {
  [ ! -f "$1" ] || [ -n "$(find pom.xml localcloud common boot dispatcher local worker cli -newer "$1" \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -not -path '*/target/*' \
    -print -quit)" ]
}
if stale "$DISPATCHER_JAR" || stale "$WORKER_JAR" || stale "$CLI_JAR"; then
  echo "Building spotbatch (a few minutes on the first run)..."
  ./mvnw -B -q -ntp -DskipTests package -pl local,worker,cli -am
fi

mkdir -p "$DATA_DIR"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
mkdir -p "$DATA_DIR/logs"
API="http://127.0.0.1:$PORT/api/v1"
# the command-line client, pointed at this dispatcher and its data directory (for its token)
CLI=(./spotbatch --url "http://127.0.0.1:$PORT" --data-dir "$DATA_DIR")

DEMO_ARGS=()
if [ "$DEMO" = true ]; then
  # the demo kills a worker: 20 s leases (5 s heartbeats) bring its items back within seconds
  DEMO_ARGS=(--spotbatch.fleet.local.worker-args=--spotbatch.worker.lease-time=20s,--spotbatch.worker.heartbeat-interval=5s)
fi

java -Dai.djl.offline=true -jar "$DISPATCHER_JAR" \
  --spring.profiles.active=local \
  --server.port="$PORT" \
  --spotbatch.data-dir="$DATA_DIR" \
  "${FLEET_ARGS[@]}" \
  --spotbatch.fleet.local.worker-jar="$(pwd)/$WORKER_JAR" \
  ${QUEUE_ARGS[@]+"${QUEUE_ARGS[@]}"} \
  ${CHAOS_ARGS[@]+"${CHAOS_ARGS[@]}"} \
  ${DEMO_ARGS[@]+"${DEMO_ARGS[@]}"} \
  >"$DATA_DIR/logs/dispatcher.log" 2>&1 &
DISPATCHER_PID=$!

stop() {
  trap - INT TERM EXIT
  if kill -0 "$DISPATCHER_PID" 2>/dev/null; then
    echo
    echo "Stopping the dispatcher and its workers..."
    kill -TERM "$DISPATCHER_PID" 2>/dev/null || true
    wait "$DISPATCHER_PID" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT

printf 'Starting the dispatcher on port %s (log: %s)' "$PORT" "$DATA_DIR/logs/dispatcher.log"
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$DISPATCHER_PID" 2>/dev/null; then
    echo; echo "The dispatcher exited; last lines of its log:" >&2
    tail -n 30 "$DATA_DIR/logs/dispatcher.log" >&2
    exit 1
  fi
  printf '.'; sleep 1
done
curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { echo " not healthy after 120 s" >&2; exit 1; }
echo " ready."
TOKEN_FILE="$DATA_DIR/api-token"
AUTH="-H \"Authorization: Bearer \$(cat $TOKEN_FILE)\""
# the dashboard's URL, with the API token in the fragment, which the browser never sends: the page
# keeps it for the tab and takes it out of the address bar
dashboard_url() { # [route]
  local route=${1:-} token=
  if [ -r "$TOKEN_FILE" ]; then token=$(tr -d '[:space:]' < "$TOKEN_FILE"); fi
  if [ -n "$token" ] && [ -n "$route" ]; then echo "http://127.0.0.1:$PORT/#$route?token=$token"
  elif [ -n "$token" ]; then echo "http://127.0.0.1:$PORT/#token=$token"
  elif [ -n "$route" ]; then echo "http://127.0.0.1:$PORT/#$route"
  else echo "http://127.0.0.1:$PORT/"; fi
}
echo "  Dashboard: $(dashboard_url)   (jobs, fleet, savings)"
echo "  API:      $API/jobs   (OpenAPI: http://127.0.0.1:$PORT/v3/api-docs)"
# the token goes to this terminal only (the dispatcher's log has just the file's path)
echo "  Token:    $(cat "$TOKEN_FILE")"
echo "            (kept in $TOKEN_FILE, owner-only; ./spotbatch reads it; curl $AUTH ...)"
echo "  CLI:      ./spotbatch --url http://127.0.0.1:$PORT --data-dir $DATA_DIR list   (./spotbatch --help)"
echo "  Metrics:  http://127.0.0.1:$PORT/actuator/prometheus   (with the token; /actuator/health is public)"
echo "  Data:     $DATA_DIR  (inputs and outputs must live under it)"
echo "  Queues:   $QUEUE (embedded in the dispatcher)"
if [ "$AUTOSCALED" = true ]; then
  echo "  Workers:  autoscaled, $MIN_WORKERS to $MAX_WORKERS (on-demand base $ON_DEMAND_BASE; logs in $DATA_DIR/logs/; ${CLI[*]} fleet)"
  echo "  Why:      curl $AUTH '$API/fleet/decisions?limit=20'   (the autoscaler's decisions, newest first)"
else
  echo "  Workers:  $WORKERS (logs in $DATA_DIR/logs/; ${CLI[*]} fleet)"
fi
echo "  Interrupt one: curl $AUTH -X POST '$API/fleet/workers/local-1/interrupt?kind=spot&deadlineSeconds=120'"
if [ ${#CHAOS_ARGS[@]} -gt 0 ]; then
  echo "  CHAOS:    on: each worker is interrupted about $CHAOS times an hour (mix: ${CHAOS_MIX:-default});"
  echo "            interrupted workers drain and are replaced; see 'interruptions' in $API/fleet"
fi

# the autoscaler's decisions, one line each: time pool from -> to [cause] reason
print_decisions() {
  curl -fs -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$API/fleet/decisions?limit=20" \
    | sed 's/},{"at"/}\n{"at"/g' \
    | sed -n 's/^\[\{0,1\}{"at":"\([^"]*\)","pool":"\([^"]*\)","from":\([0-9]*\),"to":\([0-9]*\),"cause":"\([^"]*\)","reason":"\(.*\)"}\]\{0,1\}$/\1 \2 \3 -> \4 [\5] \6/p' || true
}

if [ "$DEMO" = true ]; then
  DEMO_IN="$DATA_DIR/demo/sentences.jsonl"
  DEMO_OUT="$DATA_DIR/demo/out-$(date +%Y%m%d-%H%M%S)/"
  mkdir -p "$(dirname "$DEMO_IN")"
  # a few thousand varied sentences, generated deterministically
  awk -v n="$DEMO_RECORDS" 'BEGIN {
    split("A man|The girl|An old farmer|Two children|The engineer|A small dog|The orchestra|My neighbour|A tired student|The pilot", s, "|");
    split("is eating|is carrying|repairs|watches|paints|is reading about|photographs|is walking past|describes|is thinking about", v, "|");
    split("a piece of bread|a baby|the red tractor|a quiet river|the broken bridge|a bowl of soup|the night sky|an old map|the city market|a wooden boat", o, "|");
    split("|in the morning|after the storm|near the station|with great care|before dinner|on a cold day|for the first time", e, "|");
    for (i = 0; i < n; i++) {
      end = e[int(i / 7) % 8 + 1]; if (end != "") end = " " end;
      printf "{\"id\":\"demo-%05d\",\"text\":\"%s %s %s%s.\"}\n", i, s[i % 10 + 1], v[int(i / 10) % 10 + 1], o[int(i / 100) % 10 + 1], end;
    }
  }' > "$DEMO_IN"
  echo
  echo "Submitting the demo job: $(wc -l < "$DEMO_IN") sentences -> embeddings (all-minilm-l6-v2)"
  BODY="{\"name\":\"demo\",\"model\":\"all-minilm-l6-v2\",\"input\":{\"uri\":\"file://$DEMO_IN\",\"format\":\"jsonl\",\"textField\":\"text\",\"idField\":\"id\"},\"output\":{\"uri\":\"file://$DEMO_OUT\"},\"itemBytes\":32768}"
  JOB_ID=$(printf '%s' "$BODY" | "${CLI[@]}" submit --file - --quiet)
  echo "  job $JOB_ID   (./spotbatch status $JOB_ID)"
  # Spot capacity can vanish without a notice: the demo kills one worker while it holds leases (the
  # fleet starts a replacement); the others redo its leases once they expire, and the job's cost
  # shows that wasted work.
  (
    for _ in $(seq 1 240); do
      LEASES=$(curl -fs -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$API/fleet" 2>/dev/null \
        | awk -v RS='[{]"id":"local-' 'NR > 1 && /^1"/' | grep -o '"activeLeases":[0-9]*' | head -n 1 | cut -d: -f2)
      if [ "${LEASES:-0}" -gt 0 ] 2>/dev/null; then
        sleep 3 # the dispatcher notes the leases it is about to lose
        if curl -fs -X POST -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
          "$API/fleet/workers/local-1/interrupt?kind=kill" >/dev/null 2>&1; then
          echo "  (demo) killed worker local-1 without notice: its leases are redone, and priced as wasted work" >&2
        fi
        break
      fi
      sleep 0.5
    done
  ) &
  # the client draws the progress bar (standard error) and then shows the job (standard output)
  set +e
  "${CLI[@]}" watch "$JOB_ID" | sed 's/^/  /'
  WATCH_RC=${PIPESTATUS[0]}
  set -e
  if [ "$WATCH_RC" = 4 ]; then
    echo "the dispatcher stopped answering; see $DATA_DIR/logs/dispatcher.log" >&2
    exit 1
  fi
  STATUS=$("${CLI[@]}" status "$JOB_ID" --field status)
  MANIFEST=$("${CLI[@]}" status "$JOB_ID" --field output.manifest)
  echo "  first result: $(head -c 160 "$(ls "$DEMO_OUT"part-* | head -n 1)")..."
  if [ "$STATUS" = SUCCEEDED ]; then
    # check the promise: every input record exactly once across the parts the manifest lists
    MANIFEST_FILE=${MANIFEST#file://}
    PARTS=$(grep -o '"path" *: *"part-[^"]*"' "$MANIFEST_FILE" | sed 's/.*"\(part-[^"]*\)"$/\1/' || true)
    NPARTS=$(printf '%s\n' "$PARTS" | grep -c . || true)
    IDS=$(cd "$DEMO_OUT" && cat $PARTS | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | sort)
    NIDS=$(printf '%s\n' "$IDS" | grep -c . || true)
    NDUP=$(printf '%s\n' "$IDS" | uniq -d | grep -c . || true)
    NIN=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$DEMO_IN" | sort | comm -3 - <(printf '%s\n' "$IDS") | grep -c . || true)
    if [ "$NDUP" = 0 ] && [ "$NIN" = 0 ]; then
      echo "  checked:  $NIDS records in the $NPARTS parts the manifest lists; every input id exactly once"
    else
      echo "  CHECK FAILED: $NDUP duplicate ids, $NIN ids missing or unexpected" >&2
      exit 1
    fi
  fi
  if [ "$STATUS" != SUCCEEDED ]; then
    echo "The demo job did not succeed: ./spotbatch --url http://127.0.0.1:$PORT failures $JOB_ID" >&2
    exit 1
  fi
  # the bill: cost, on-demand cost, savings and wasted work, from the worker time the job used
  field() { "${CLI[@]}" status "$JOB_ID" --field "cost.$1"; }
  dollars() { awk -v x="$1" 'BEGIN { printf "%.6f", x }'; }
  USD=$(dollars "$(field usd)"); OD=$(dollars "$(field onDemandUsd)"); WASTED=$(dollars "$(field wastedUsd)")
  SAVED=$(field savingsPct); HOURS=$(field machineHours); PRICING=$(field pricing)
  echo "  bill:     \$$USD for $HOURS machine hours ($PRICING prices: the local fleet is priced as"
  echo "            ${LOCAL_TYPE:-g5.xlarge}); on demand \$$OD, saved $SAVED%, wasted \$$WASTED (work redone after the kill)"
  if ! awk -v u="$USD" -v o="$OD" -v w="$WASTED" -v h="$HOURS" \
    'BEGIN { exit !(u > 0 && o > u && w > 0 && w <= u && h > 0) }'; then
    echo "  CHECK FAILED: the job's cost is not non-zero and consistent (usd $USD, on demand $OD, wasted $WASTED, hours $HOURS)" >&2
    exit 1
  fi
  echo "  checked:  \$$USD = $HOURS h x \$$(awk -v u="$USD" -v h="$HOURS" 'BEGIN { printf "%.4f", u / h }')/h of worker time; ./spotbatch cost for the fleet"
  echo "  dashboard: $(dashboard_url "/jobs/$JOB_ID")"
  if [ "$AUTOSCALED" = true ]; then
    # the fleet goes back to its minimum once its workers are idle and the cool-down has passed
    printf '  waiting for the fleet to return to %s worker(s)' "$MIN_WORKERS"
    BACK=false
    for _ in $(seq 1 90); do
      ACTUAL=$(curl -fs -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$API/fleet" 2>/dev/null \
        | grep -o '^{"provider":"[^"]*","desired":[0-9]*,"actual":[0-9]*' | sed 's/.*"actual"://')
      if [ -n "$ACTUAL" ] && [ "$ACTUAL" -le "$MIN_WORKERS" ]; then BACK=true; break; fi
      printf '.'; sleep 2
    done
    if [ "$BACK" = true ]; then echo " done."; else echo " not within 3 minutes (see the decisions)."; fi
    echo "  the autoscaler's decisions, newest first:"
    print_decisions | sed 's/^/    /'
    if [ "$BACK" != true ] && [ "$EXIT_AFTER_DEMO" = true ]; then exit 1; fi
  fi
  if [ "$EXIT_AFTER_DEMO" = true ]; then exit 0; fi
fi

echo
echo "Running. Open $(dashboard_url), or submit jobs with ./spotbatch or curl (see README.md). Ctrl-C to stop."
wait "$DISPATCHER_PID"
