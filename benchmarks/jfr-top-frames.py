#!/usr/bin/env python3
"""Top frames of a JMH -prof jfr recording: self and inclusive shares of the execution samples per
method, for the threads whose name contains a filter (JMH's callers: jmh-worker).

  java -jar benchmarks/target/benchmarks.jar 'EmitBenchmark.emit1Thread' -prof jfr:dir=/tmp/jfr
  jfr print --stack-depth 128 --events jdk.ExecutionSample /tmp/jfr/*/profile.jfr > samples.txt
  benchmarks/jfr-top-frames.py samples.txt [thread-filter=jmh-worker] [top=25] [inclusive-prefix]
"""
import re, sys, collections
text = open(sys.argv[1]).read()
thread_filter = sys.argv[2] if len(sys.argv) > 2 else "jmh-worker"
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
prefix = sys.argv[4] if len(sys.argv) > 4 else ""
selfc, incl = collections.Counter(), collections.Counter()
n = 0
for ev in text.split("jdk.ExecutionSample {")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', ev)
    if not m or thread_filter not in m.group(1):
        continue
    st = ev.split("stackTrace = [", 1)
    if len(st) < 2:
        continue
    frames = []
    for line in st[1].split("\n"):
        line = line.strip()
        if line.startswith("]"):
            break
        if not line or line == "...":
            continue
        frames.append(re.sub(r"\s+line:.*$", "", line))
    if not frames:
        continue
    n += 1
    selfc[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
print(f"samples: {n} (threads matching '{thread_filter}')")
print("\nself:")
for f, c in selfc.most_common(top):
    print(f"{100.0*c/n:5.1f}%  {f}")
print(f"\ninclusive{' (' + prefix + ')' if prefix else ''}:")
k = 0
for f, c in incl.most_common():
    if prefix and not f.startswith(prefix):
        continue
    print(f"{100.0*c/n:5.1f}%  {f}")
    k += 1
    if k >= top:
        break
