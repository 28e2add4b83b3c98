#!/usr/bin/env bash
# Runs the benchmarks of issue 8 on this machine and writes bench/results/*.json and BENCHMARKS.md.
#   bench/run-benchmarks.sh            (EVENTS=3000000 ROWS=1000000 RUNS=3 by default)
# The end-to-end bench and compare run RUNS times each; BENCHMARKS.md shows the median run and every run's figures.
# Never run by the tests: it takes a few minutes and wants an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-3000000}"
ROWS="${ROWS:-1000000}"
RUNS="${RUNS:-3}"
mkdir -p bench/results
rm -f bench/results/end-to-end-*.json
./mvnw -q -B -DskipTests -pl bench -am package
for run in $(seq 1 "$RUNS"); do
  java -Xmx4g -cp bench/target/benchmarks.jar dev.driftwatch.bench.EndToEndBench --events "$EVENTS" \
    --latency-windows 40 --floor yes --json "bench/results/end-to-end-$run.json"
done
python3 bench/scripts/compare_bench.py --rows "$ROWS" --runs "$RUNS" \
  --launcher "java -Xmx8g -jar streams/target/driftwatch.jar" --json bench/results/compare.json
java -jar bench/target/benchmarks.jar SummaryBenchmark -wi 3 -i 5 -w 2s -r 2s -f 1 -rf json \
  -rff bench/results/jmh-summary.json > bench/results/jmh-summary.txt
# Offline analysis in a child JVM with -Xmx512m (writes its input files once, 2 GB for 10M events).
java -cp bench/target/benchmarks.jar dev.driftwatch.bench.AnalyzeBench --events "${ANALYZE_EVENTS:-1000000,10000000}" \
  --heap 512m --json bench/results/analyze.json
python3 bench/scripts/write_benchmarks_md.py bench/results "bench/run-benchmarks.sh (EVENTS=$EVENTS ROWS=$ROWS RUNS=$RUNS)" > BENCHMARKS.md
echo "written BENCHMARKS.md"
# Platform scale and scale-out (issue 22), when SCALE=yes: a few minutes each, on an otherwise idle machine;
# BENCHMARKS.md's sections "Platform scale" and "Scale-out" print these files' rows with
# bench/scripts/write_scale_md.py (platform|scale-out FILE...).
if [ "${SCALE:-no}" = yes ]; then
  for baselines in distinct shared; do  # a grid per version, or one per feature published under every version
    for traffic in 100 1000; do  # 1x and 10x: events per model version and one-minute window
      java -Xmx2g -Dbench.set=commit.interval.ms=5000,producer.transaction.timeout.ms=60000 -cp bench/target/benchmarks.jar dev.driftwatch.bench.PlatformScaleBench \
        --versions 1000 --numeric 40 --categorical 10 --per-version "$traffic" --windows 2 --warm-windows 1 \
        --latency-windows 3 --baselines "$baselines" --json "bench/results/platform-scale-$baselines-$traffic.json"
    done
  done
  for instances in 1 2; do     # the same application id, 4 input partitions, one stream thread per instance
    java -Xmx2g -cp bench/target/benchmarks.jar dev.driftwatch.bench.PlatformScaleBench --versions 2 --numeric 20 \
      --categorical 5 --per-version 10000 --windows 10 --warm-windows 2 --latency-windows 0 --partitions 4 \
      --instances "$instances" --threads 1 --json "bench/results/scale-out-$instances.json"
  done
fi
