#!/usr/bin/env bash
# Compares two builds on JMH benchmarks, one JVM at a time, alternating: A, B, A, B, ... so that the
# machine's slow and fast stretches (this project's 2-core VM has both, see NOTES.md) fall on both
# builds alike. Prints each JVM's median iteration score as it finishes, then per build and
# benchmark the JVMs' medians in order and their median.
#
#   benchmarks/compare-builds.sh [-n ROUNDS] A B -- JMH_ARGS...
#
# A and B are git revisions (built into benchmarks jars in temporary worktrees) or paths to
# benchmarks jars. ROUNDS is the number of JVMs per build (default 5). JMH_ARGS select and shape
# the runs; give one fork (-f 1), since each round is one JVM. Example, the logging thread alone:
#
#   benchmarks/compare-builds.sh -n 6 HEAD~1 HEAD -- 'benchmarks\.LogbackAppenderBenchmark' \
#     -p output=null -bm avgt -tu ns -f 1 -wi 3 -w 1s -i 5 -r 1s \
#     -jvmArgsAppend "-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
#
# JMH's lock file is ignored (-Djmh.ignoreLock=true), so do not run two of these at once.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5
if [[ "${1:-}" == "-n" ]]; then
  rounds=$2
  shift 2
fi
if [[ $# -lt 3 || "$3" != "--" ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
builds=("$1" "$2")
shift 3

work=$(mktemp -d)
trees=()
cleanup() {
  for t in "${trees[@]}"; do
    git worktree remove --force "$t" > /dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

jars=()
for i in 0 1; do
  b=${builds[$i]}
  if [[ -f "$b" ]]; then
    jars+=("$b")
    continue
  fi
  rev=$(git rev-parse --verify "$b^{commit}")
  tree="$work/tree-$i"
  git worktree add --detach "$tree" "$rev" > /dev/null
  trees+=("$tree")
  echo "building $b ($rev)" >&2
  (cd "$tree" && mvn -q package -pl benchmarks -am -DskipTests) >&2
  jars+=("$tree/benchmarks/target/benchmarks.jar")
done

for r in $(seq "$rounds"); do
  for i in 0 1; do
    out="$work/round-$r-$i.json"
    java -Djmh.ignoreLock=true -jar "${jars[$i]}" "$@" -rf json -rff "$out" > "$work/round-$r-$i.log" 2>&1 || {
      echo "JMH failed for ${builds[$i]} in round $r; its output:" >&2
      tail -20 "$work/round-$r-$i.log" >&2
      exit 1
    }
    python3 - "$out" "${builds[$i]}" "$r" <<'PY'
import json, statistics, sys
path, build, rnd = sys.argv[1:]
for b in json.load(open(path)):
    raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
    params = ",".join(f"{k}={v}" for k, v in sorted(b.get("params", {}).items()))
    name = b["benchmark"].rsplit(".", 2)[-2:]
    print(f"round {rnd} {build}: {'.'.join(name)} {params} median {statistics.median(raw):.1f} "
          f"{b['primaryMetric']['scoreUnit']}", flush=True)
PY
  done
done | tee "$work/rounds.txt"

python3 - "$work/rounds.txt" "${builds[0]}" "${builds[1]}" <<'PY'
import re, statistics, sys
path, a, b = sys.argv[1:]
scores = {}
for line in open(path):
    m = re.match(r"round \d+ (.*?): (\S+) (\S*) median (\S+) (\S+)$", line.strip())
    if m:
        build, bench, params, score, unit = m.groups()
        scores.setdefault((bench, params, unit), {}).setdefault(build, []).append(float(score))
print()
for (bench, params, unit), by in scores.items():
    print(f"{bench} {params} ({unit}, one median per JVM, in order)")
    for build in (a, b):
        s = by.get(build, [])
        if s:
            print(f"  {build}: {', '.join(f'{x:.1f}' for x in s)}; median {statistics.median(s):.1f}")
PY
