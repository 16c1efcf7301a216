#!/usr/bin/env bash
# Profiles JMH benchmarks with async-profiler (resolved from Maven Central with the benchmarks, its
# native library inside benchmarks.jar) and prints each trial's top frames: inclusive and self
# shares of the samples whose stack passes through the filter, normally the benchmark method, so
# that only the calling thread counts.
#
#   benchmarks/profile.sh [-o DIR] [-t TOP] FILTER -- JMH_ARGS...
#
# Build the jar first (mvn -q package -DskipTests -pl benchmarks -am). DIR keeps the collapsed
# stacks (default: a temporary directory, removed afterwards); TOP is the number of frames per list
# (default 30). Example, the logback appender's call with the server reading, as the suite runs it:
#
#   benchmarks/profile.sh emit1Thread -- 'PeerEmitBenchmark.emit1Thread' \
#     -p subject=tributary-logback -p server=reading -f 1 -wi 2 -w 2s -i 3 -r 3s
#
# The samples come from a CPU-time interval timer (1 ms, event=itimer), not from perf events: on
# this project's VM, perf-event sampling made the profiled call cost twice as much or more.
# JMH's lock file is ignored (-Djmh.ignoreLock=true), so run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

out=""
top=30
while [[ "${1:-}" == -o || "${1:-}" == -t ]]; do
  case "$1" in
    -o) out=$2 ;;
    -t) top=$2 ;;
  esac
  shift 2
done
if [[ $# -lt 2 || "$2" != "--" ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
filter=$1
shift 2

jar="$PWD/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "no $jar: build it with mvn -q package -DskipTests -pl benchmarks -am" >&2
  exit 1
fi
case "$(uname -m)" in
  x86_64 | amd64) arch=linux-x64 ;;
  aarch64 | arm64) arch=linux-arm64 ;;
  *) echo "async-profiler has no library for $(uname -m) in this jar" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && jar xf "$jar" "$arch/libasyncProfiler.so")
lib="$work/$arch/libasyncProfiler.so"
if [[ ! -f "$lib" ]]; then
  echo "no $arch/libasyncProfiler.so in $jar" >&2
  exit 1
fi
if [[ -z "$out" ]]; then
  out="$work/profiles"
fi
mkdir -p "$out"

java -Djmh.ignoreLock=true -jar "$jar" "$@" \
  -prof "async:libPath=$lib;event=itimer;interval=1000000;output=collapsed;simple=true;dir=$out"

found=0
while IFS= read -r -d '' stacks; do
  found=1
  echo
  echo "== $(basename "$(dirname "$stacks")")"
  java -cp "$jar" dev.tributary.benchmarks.TopFrames "$stacks" "$filter" "$top"
done < <(find "$out" -name 'collapsed-*.csv' -print0 | sort -z)
if [[ $found == 0 ]]; then
  echo "the profiler wrote no collapsed stacks under $out" >&2
  exit 1
fi
