#!/usr/bin/env bash
# Runs the side-by-side benchmark suite (Tributary and its peers, every measure) and writes
# benchmarks/results/RESULTS.md and benchmarks/results/chart.png. About 30 minutes on 2 cores;
# run it on a quiet machine. Extra arguments go to the suite:
#   --quick                     one short JMH iteration each (a smoke run, ~5.5 minutes)
#   --subjects tributary,fluency only these subjects; their results replace theirs in the last run's files
#   --skip emit,e2e,drain,stalled,rss
#   --out DIR                   instead of benchmarks/results
# Builds the benchmarks jar first unless SKIP_BUILD=1 (the jar must then exist). SUITE_JAVA_OPTS adds
# options to the suite's JVM, e.g. -Djmh.ignoreLock=true when another JMH run holds /tmp/jmh.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -q package -pl benchmarks -am -DskipTests
fi
mkdir -p benchmarks/results/raw
# the console output of each run is kept next to the raw results it produced
java -Djava.awt.headless=true -Xmx1g ${SUITE_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar \
  dev.tributary.benchmarks.peers.Suite "$@" 2>&1 | tee "benchmarks/results/raw/suite-$(date -u +%Y%m%dT%H%M%SZ).log"
