#!/bin/sh
# How every spotbatch JVM starts: the images' ENTRYPOINT, and the tests (deploy-check's
# EntrypointScriptTest runs this very file outside a container).
#
#   APP_JAR=/app/app.jar [CDS_ARCHIVE=/app/app.jsa] entrypoint.sh [--spring.property=value ...]
#
# `exec` replaces this shell with java, so in a container java is PID 1 and receives the SIGTERM
# of `docker stop`, Kubernetes or an instance shutdown itself: the worker's drain depends on it.
# A shell left in between would swallow the signal and the JVM would be SIGKILLed at the end of
# the stop timeout with its leases still held.
set -eu

APP_JAR="${APP_JAR:-/app/app.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# DJL must never phone home: its usage reporting would call 169.254.169.254, the very
# instance-metadata address the workers poll for spot notices.
OPT_OUT_TRACKING="${OPT_OUT_TRACKING:-true}"
export OPT_OUT_TRACKING

# Container-aware JVM: heap as a share of the container's memory limit (not the host's), and die
# at once on OutOfMemoryError so the orchestrator replaces the process instead of it limping on.
# The workers keep JVM_MAX_RAM_PERCENTAGE lower: ONNX Runtime's memory is native, off the heap.
# JAVA_OPTS is split on spaces on purpose (several flags in one variable).
# shellcheck disable=SC2086
set -- \
  -XX:+UseContainerSupport \
  "-XX:MaxRAMPercentage=${JVM_MAX_RAM_PERCENTAGE:-75}" \
  -XX:+ExitOnOutOfMemoryError \
  -Dai.djl.offline=true \
  ${JAVA_OPTS:-} \
  -jar "$APP_JAR" \
  "$@"

# AppCDS: CDS_ARCHIVE names a class-data archive of the application's classes (the worker images
# make one at build time, the local fleet one per worker jar), mapped at start instead of each class
# being read from the jar and verified: the JVM phase of a worker's start-up (docs/BENCHMARKS.md).
# It only ever speeds up: a missing archive is left out here, and one the JVM cannot use (another
# JDK build or jar, a damaged file) is reported by the JVM, which then loads classes as usual
# (-Xshare:auto, JDK 17's default, said here so that the script's intent is plain).
if [ -n "${CDS_ARCHIVE:-}" ]; then
  if [ -r "$CDS_ARCHIVE" ]; then
    set -- "-XX:SharedArchiveFile=$CDS_ARCHIVE" -Xshare:auto "$@"
  else
    echo "entrypoint.sh: no class-data archive at $CDS_ARCHIVE; classes load from the jar" >&2
  fi
fi

exec "$JAVA" "$@"
