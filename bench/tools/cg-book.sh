#!/bin/bash
# Instruction counts per command of the matching book (docs/PERFORMANCE.md, issue 20), independent of the
# machine's load: the book-mode replay under callgrind, counters dumped at the end of measured pass 2 and again
# at the end of measured pass 5, so the second dump holds exactly three passes of OPS commands (plus three
# untimed preloads of 1,000 orders, about 0.1%). The JVM writes a perf map at exit, which bench/tools/cgsum.py
# uses to charge the generated code's instructions to the JIT's methods (inlined code counts for its caller).
#
#   bench/tools/cg-book.sh bench/target/benchmarks.jar OUTDIR [MIX]      (OPS=1000000 by default)
#   python3 bench/tools/cgsum.py OUTDIR/callgrind.out.PID.2 /tmp/perf-PID.map $((3 * OPS))
set -eu
jar=$(realpath "$1"); out=$2; mix=${3:-exchange-core-small}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$out" && cd "$out"
valgrind --tool=callgrind --smc-check=all-non-file --dump-instr=yes "$java" -Xbatch -XX:+UseSerialGC -Xmx2g \
  -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -Dchronicle.analytics.disable=true -cp "$jar" \
  io.mme.bench.MatchingLoadGenerator --mode book --mix "$mix" --ops "${OPS:-1000000}" --warmup-seconds 0 --passes 6 \
  > out.txt 2> err.txt &
vpid=$!
dumped=0
while kill -0 $vpid 2>/dev/null; do
  if [ $dumped = 0 ] && grep -q 'measured pass 2' err.txt; then callgrind_control -d $vpid > /dev/null; dumped=1; fi
  if [ $dumped = 1 ] && grep -q 'measured pass 5' err.txt; then callgrind_control -d $vpid > /dev/null; dumped=2; fi
  sleep 0.05
done
echo "pid $vpid, dumps taken: $dumped (2 expected)"
