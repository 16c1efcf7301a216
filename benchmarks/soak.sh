#!/usr/bin/env bash
# The soak: Tributary delivers sequence-numbered events from 4 threads through a FaultProxy to a
# ForwardServer for MINUTES while faults are injected at random every few seconds, then checks that
# every event arrived (duplicates within resentEvents), nothing was dropped or failed, and no thread,
# file descriptor or heap was left behind. Prints progress every 10 s and a summary; exits 0 only
# if every check passed. Takes MINUTES plus up to a minute or two to drain and check.
#   benchmarks/soak.sh MINUTES [--seed N] [--threads N] [--rate EVENTS_PER_SECOND] [--only FAULT,...]
# --seed replays the fault sequence of an earlier run (its first line prints the seed); --only
# limits the faults to some kinds (black-hole, reset-after-bytes, throttle, partition, proxy-down,
# server-restart, server-moved, drop-over, reset-over, deny-keepalive).
# Builds the benchmarks jar first unless SKIP_BUILD=1 (the jar must then exist).
# The console output is also kept in benchmarks/results/raw/soak-<time>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 ]]; then
  echo "usage: benchmarks/soak.sh MINUTES [--seed N] [--threads N] [--rate EVENTS_PER_SECOND] [--only FAULT,...]" >&2
  exit 2
fi
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -q -pl benchmarks -am package -DskipTests
fi
mkdir -p benchmarks/results/raw
java -Xmx1g -cp benchmarks/target/benchmarks.jar \
  dev.tributary.benchmarks.soak.Soak "$@" 2>&1 | tee "benchmarks/results/raw/soak-$(date -u +%Y%m%dT%H%M%SZ).log"
