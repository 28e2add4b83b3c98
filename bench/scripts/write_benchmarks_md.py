#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the JSON files that bench/run-benchmarks.sh produced."""
import json
import os
import platform
import subprocess
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    results, command = sys.argv[1], sys.argv[2]
    e2e = load(os.path.join(results, "end-to-end.json"))
    cmp = load(os.path.join(results, "compare.json"))
    jmh = load(os.path.join(results, "jmh-summary.json"))
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/ {print $2}'"], capture_output=True, text=True).stdout.strip()
    m = e2e["machine"]
    goal = lambda ok: "met" if ok else "NOT met"
    ratio = e2e["ratio_driftwatch_to_raw"]
    p99 = e2e["latency_window_close_to_alert_p99_ms"]
    rows = [
        ("raw consume rate (plain consumer, same Avro deserializer)", f"{e2e['raw_consume_events_per_s']:,.0f} events/s", ""),
        ("driftwatch processing rate (from RUNNING to the last window's statistics)",
         f"{e2e['driftwatch_events_per_s_after_running']:,.0f} events/s", ""),
        ("driftwatch rate including start-up (start() to the last statistics)",
         f"{e2e['driftwatch_events_per_s']:,.0f} events/s", ""),
        ("ratio driftwatch / raw", f"{ratio:.2f}", f"goal >= 0.5: {goal(ratio >= 0.5)}"),
        ("window close -> alert on the topic, p50", f"{e2e['latency_window_close_to_alert_p50_ms']:.0f} ms", ""),
        ("window close -> alert on the topic, p99", f"{p99:.0f} ms",
         f"goal <= 500 ms: {goal(p99 <= 500)} ({e2e['latency_windows_measured']} windows)"),
        ("state bytes per feature-window, 10k events", f"{e2e['state_bytes_feature_window_10k_events']:,} B", ""),
        ("state bytes per feature-window, 100k events", f"{e2e['state_bytes_feature_window_100k_events']:,} B",
         f"ratio {e2e['state_bytes_ratio_10x']:.3f} (goal <= 1.05: {goal(e2e['state_bytes_ratio_10x'] <= 1.05)}), "
         f"size goal <= 16 KB: {goal(e2e['state_bytes_feature_window_100k_events'] <= 16384)}"),
        (f"compare {cmp['rows']:,} rows x {cmp['columns']} columns: driftwatch", f"{cmp['driftwatch_compare_seconds']:.1f} s", ""),
        (f"compare {cmp['rows']:,} rows x {cmp['columns']} columns: numpy/scipy", f"{cmp['numpy_scipy_seconds']:.1f} s",
         f"speed-up {cmp['speedup']:.2f}x (goal: not slower: {goal(cmp['speedup'] >= 1.0)}); "
         f"max |difference| {cmp['max_abs_difference']:.1e}"),
    ]
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[-1]
        score = b["primaryMetric"]["score"]
        unit = b["primaryMetric"]["scoreUnit"]
        rows.append((f"JMH SummaryBenchmark.{name}", f"{score:,.1f} {unit}", ""))
    print("# Benchmarks\n")
    print(f"Machine: {m['cores']} cores ({cpu}), {mem} GiB, Java {m['java']}, {m['os']}; "
          f"Python {platform.python_version()}.\n")
    print(f"Command: `{command}` — {e2e['events']:,} inference events (20 numeric + 5 categorical features, "
          f"2 model versions, {e2e['windows']} one-minute windows) on an in-process KRaft broker "
          f"(2 partitions, exactly_once_v2, commit.interval.ms=100).\n")
    print("| measure | value | goal |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    print("""
## Profile of the hot path

Java Flight Recorder on the stream threads of the 1M-event run (`java -XX:StartFlightRecording=... -cp
bench/target/benchmarks.jar dev.driftwatch.bench.EndToEndBench`), share of samples:

- summarising an event into its windows (`EventSummarizer.add`: 20 numeric and 5 categorical
  features, 26 summary updates an event, each a hash lookup, a binary search on the frozen grid and a
  Welford update): about 28 %;
- Avro decoding of the event (`SpecificDatumReader`: two maps with string keys): about 25 %, the same
  work the raw consumer does;
- writing window state at each commit (`WindowStateStore.flushCache` serialising every open window
  for the changelog, every 100 ms) and reading partials in the merging stage: about 15 %;
- Kafka Streams' own per-record work and exactly-once commits: most of the rest.

What changed: the first version read and rewrote a window's whole serialised state for every event
(about 1,000 events/s); the per-partition windows now live as objects in a store that writes them to
its changelog only before each commit (`WindowStateStore`, a `CachedStateStore`), which made the
pipeline about 100 times faster; summaries serialise to a fixed size (so state does not grow with
traffic); subjects are hash-indexed; CSV numbers are parsed without a regular expression.

The ratio goal is not met: the raw consumer decodes an event in about 2.5 microseconds on one core,
while the pipeline spends about 17 microseconds of CPU an event (decoding, 26 summary updates,
exactly-once commits and two stages) on two threads that share the two cores with the broker. The
next steps are decoding the Avro body straight into the summaries (no maps of boxed values) and
writing only the changed part of a window at commit.""")
    print("\nThe JSON figures are in `bench/results/`. The broker, the pipeline and the load generator share the "
          "machine's cores, so absolute rates are lower than on a dedicated cluster; the ratio compares like with like.")


if __name__ == "__main__":
    main()
