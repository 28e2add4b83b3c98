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


def end_to_end_runs(results):
    """Every run of the end-to-end bench: end-to-end-1.json, end-to-end-2.json, ... or end-to-end.json alone."""
    numbered = sorted((f for f in os.listdir(results) if f.startswith("end-to-end-") and f.endswith(".json")),
                      key=lambda f: int(f[len("end-to-end-"):-len(".json")]))
    return [load(os.path.join(results, f)) for f in numbered] or [load(os.path.join(results, "end-to-end.json"))]


def median_run(runs, key):
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]


def spread(runs):
    """Each run's ratios, in the order they ran: running application to raw and to Kafka Streams alone, new one to raw."""
    def ratios(r):
        parts = [f"{r['ratio_driftwatch_to_raw']:.2f}"]
        if r.get("streams_floor_events_per_s"):
            parts.append(f"{r['driftwatch_events_per_s'] / r['streams_floor_events_per_s']:.2f}")
        if "fresh_app_ratio_driftwatch_to_raw" in r:
            parts.append(f"{r['fresh_app_ratio_driftwatch_to_raw']:.2f}")
        return " / ".join(parts)
    rates = ", ".join(f"{r['driftwatch_events_per_s']:,.0f}" for r in runs)
    return ("ratios running/raw, running/Kafka Streams alone, new/raw: " + "; ".join(ratios(r) for r in runs)
            + f"; running application's rates {rates} events/s")


def main():
    results, command = sys.argv[1], sys.argv[2]
    runs = end_to_end_runs(results)
    e2e = median_run(runs, "ratio_driftwatch_to_raw")
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
        ("raw consume rate (plain consumer, same Avro deserializer)", f"{e2e['raw_consume_events_per_s']:,.0f} events/s",
         f"median of {e2e['raw_consume_runs']} passes, {e2e['raw_consume_events_per_s_min']:,.0f}.."
         f"{e2e['raw_consume_events_per_s_max']:,.0f}" if "raw_consume_runs" in e2e else ""),
        ("driftwatch processing rate, running application (resume() to the last window's statistics)",
         f"{e2e['driftwatch_events_per_s']:,.0f} events/s", ""),
        ("ratio driftwatch / raw", f"{ratio:.2f}", f"goal >= 0.8: {goal(ratio >= 0.8)}"),
    ]
    if len(runs) > 1:
        rows.append((f"run-to-run spread, {len(runs)} runs (the table shows the median run by ratio to raw)",
                     spread(runs), ""))
    if "fresh_app_driftwatch_events_per_s" in e2e:
        rows += [
            ("new application over the same records, start() to the last statistics (start-up included)",
             f"{e2e['fresh_app_driftwatch_events_per_s']:,.0f} events/s",
             f"ratio {e2e['fresh_app_ratio_driftwatch_to_raw']:.2f}"),
            ("new application, from RUNNING to the last statistics",
             f"{e2e['fresh_app_driftwatch_events_per_s_after_running']:,.0f} events/s",
             f"ratio {e2e['fresh_app_driftwatch_events_per_s_after_running'] / e2e['raw_consume_events_per_s']:.2f}"),
        ]
    if "cold_ratio_driftwatch_to_raw" in e2e:
        rows += [
            ("first pass in a fresh JVM (JIT still compiling both): raw / new application including start-up",
             f"{e2e['cold_raw_consume_events_per_s']:,.0f} / {e2e['cold_driftwatch_events_per_s']:,.0f} events/s",
             f"ratio {e2e['cold_ratio_driftwatch_to_raw']:.2f}"),
        ]
    if "streams_floor_events_per_s" in e2e:
        rows += [
            ("Kafka Streams alone with the pipeline's settings, decoding only (new application)",
             f"{e2e['streams_floor_events_per_s']:,.0f} events/s",
             (f"median of {e2e['streams_floor_runs']} runs, {e2e['streams_floor_events_per_s_min']:,.0f}.."
              f"{e2e['streams_floor_events_per_s_max']:,.0f}") if "streams_floor_runs" in e2e else ""),
        ]
    if "ratio_driftwatch_to_streams_floor" in e2e:
        # From the rates, as the spread row has it (the JSON's ratios are rounded to three places: 0.695 printed 0.69
        # there and 0.70 here).
        to_floor = e2e["driftwatch_events_per_s"] / e2e["streams_floor_events_per_s"]
        rows += [
            ("ratio driftwatch / Kafka Streams alone: running / new application",
             f"{to_floor:.2f} / {e2e.get('fresh_app_ratio_driftwatch_to_streams_floor', float('nan')):.2f}",
             f"goal >= 0.8: {goal(to_floor >= 0.8)}"),
            ("CPU per event: Kafka Streams alone's stream threads; driftwatch's over it",
             f"{e2e['streams_floor_stream_threads_cpu_us_per_event']:.2f} us",
             f"{e2e['stream_threads_cpu_ratio_to_streams_floor']:.2f}x"),
        ]
    if "driftwatch_stream_threads_cpu_us_per_event" in e2e:
        rows += [
            ("CPU per event: raw consumer's thread", f"{e2e['raw_consumer_cpu_us_per_event']:.2f} us", ""),
            ("CPU per event: driftwatch's stream threads, running application (not the broker's, GC's or RocksDB's)",
             f"{e2e['driftwatch_stream_threads_cpu_us_per_event']:.2f} us", ""),
        ]
    if "driftwatch_process_cpu_us_per_event" in e2e:
        rows += [
            ("CPU per event: the whole process while the running application works (broker, JIT and GC included)",
             f"{e2e['driftwatch_process_cpu_us_per_event']:.2f} us",
             f"{e2e['driftwatch_process_cpu_cores_busy']:.2f} of {e2e['machine']['cores']} cores busy"),
        ]
    if "driftwatch_jit_compile_s" in e2e:
        rows += [
            ("the JIT's compile time while the running application works (elapsed, summed over the compiler threads, which the process's CPU above includes)",
             f"{e2e['driftwatch_jit_compile_s']:.1f} s",
             f"of {e2e['driftwatch_seconds']:.1f} s wall"),
        ]
    rows += [
        ("window close -> alert on the topic, p50", f"{e2e['latency_window_close_to_alert_p50_ms']:.0f} ms", ""),
        ("window close -> alert on the topic, p99", f"{p99:.0f} ms",
         f"goal <= 500 ms: {goal(p99 <= 500)} ({e2e['latency_windows_measured']} windows"
         + (f", {e2e['latency_windows_without_alert']} without an alert" if "latency_windows_without_alert" in e2e else "")
         + ")"),
        ("state bytes per feature-window, 10k events", f"{e2e['state_bytes_feature_window_10k_events']:,} B", ""),
        ("state bytes per feature-window, 100k events", f"{e2e['state_bytes_feature_window_100k_events']:,} B",
         f"ratio {e2e['state_bytes_ratio_10x']:.3f} (goal <= 1.05: {goal(e2e['state_bytes_ratio_10x'] <= 1.05)}), "
         f"size goal <= 16 KB: {goal(e2e['state_bytes_feature_window_100k_events'] <= 16384)}"),
        (f"compare {cmp['rows']:,} rows x {cmp['columns']} columns: driftwatch", f"{cmp['driftwatch_compare_seconds']:.1f} s", ""),
        (f"compare {cmp['rows']:,} rows x {cmp['columns']} columns: numpy/scipy", f"{cmp['numpy_scipy_seconds']:.1f} s",
         f"speed-up {cmp['speedup']:.2f}x (goal >= 3x: {goal(cmp['speedup'] >= 3.0)}); "
         f"max |difference| {cmp['max_abs_difference']:.1e}"),
    ]
    if "state_store_bytes_feature_window_100k_events" in e2e:
        stored = e2e["state_store_bytes_feature_window_100k_events"]
        rows.insert(len(rows) - 2, ("state bytes per feature-window as the window-state store writes them "
                                    "(grid kept once per baseline), 10k / 100k events",
                                    f"{e2e['state_store_bytes_feature_window_10k_events']:,} / {stored:,} B",
                                    f"goal <= 4 KB: {goal(stored <= 4096)}"))
    elif "state_store_bytes_feature_window_any_events" in e2e:
        rows.insert(len(rows) - 2, ("state bytes per feature-window as the window-state store writes them "
                                    "(grid kept once per baseline)",
                                    f"{e2e['state_store_bytes_feature_window_any_events']:,} B", ""))
    if "driftwatch_compare_cpu_seconds" in cmp:
        rows.append((f"compare {cmp['rows']:,} rows x {cmp['columns']} columns: CPU time (all threads), "
                     f"driftwatch / numpy-scipy",
                     f"{cmp['driftwatch_compare_cpu_seconds']:.1f} / {cmp['numpy_scipy_cpu_seconds']:.1f} s",
                     f"load average {cmp['load_average_before']:.1f} before, {cmp['load_average_after']:.1f} after; "
                     f"wall speed-ups of the runs: "
                     + ", ".join(f"{r['speedup']:.2f}x" for r in cmp.get("runs", [cmp]))))
    for b in jmh:
        name = ".".join(b["benchmark"].split(".")[-2:])
        score = b["primaryMetric"]["score"]
        unit = b["primaryMetric"]["scoreUnit"]
        rows.append((f"JMH {name}", f"{score:,.1f} {unit}", ""))
    print("# Benchmarks\n")
    print(f"Machine: {m['cores']} cores ({cpu}), {mem} GiB, Java {m['java']}, {m['os']}; "
          f"Python {platform.python_version()}.\n")
    print(f"Command: `{command}` — {e2e['events']:,} inference events (20 numeric + 5 categorical features, "
          f"2 model versions, {e2e['windows']} one-minute windows) on an in-process KRaft broker "
          f"(2 partitions, exactly_once_v2, commit.interval.ms=100). The raw consumer is measured after "
          f"{e2e.get('warmup_passes', 0)} unmeasured warm-up passes"
          + (f", {e2e['raw_consume_runs']} times (the median is its rate)" if "raw_consume_runs" in e2e else "")
          + f"; the pipeline's rate is that of an application "
          f"that has been running (see below).\n")
    print("| measure | value | goal |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "benchmarks_notes.md")) as notes:
        print()
        print(notes.read().rstrip())

    analyze_section(results)

    print("\nThe JSON figures are in `bench/results/`. The broker, the pipeline and the load generator share the "
          "machine's cores, so absolute rates are lower than on a dedicated cluster; the ratio compares like with like.")


def analyze_section(results):
    """Offline analysis (driftwatch analyze) at 1M and 10M events, from AnalyzeBench's analyze.json."""
    path = os.path.join(results, "analyze.json")
    if not os.path.exists(path):
        return
    a = load(path)
    print("\n## Offline analysis (`analyze`): speed and bounded memory\n")
    print(f"Command: `{a['command']}` — `driftwatch analyze` over an Avro file of the bench's traffic (20 numeric + 5 "
          "categorical features, 2 model versions, 20,000 events per one-minute window, 5-minute windows by "
          "default), run as a user runs it: the packaged CLI in a child JVM with the heap limit, `--json` output. "
          "Wall time, CPU time and peak RSS are GNU time's; the heap after GC is the largest live set in the "
          "child's GC log; the rate is the one analyze prints on its summary line (the JVM's start-up not counted).\n")
    print("| events | input | heap limit | peak RSS | largest heap after GC | wall time | analyze's rate "
          "| CPU per event (all threads) | load average |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, r in a["runs"].items():
        print(f"| {int(n):,} | {r['input_bytes'] / 1e6:,.0f} MB | {r['heap_limit']} | {r['peak_rss_mb']:,.0f} MB "
              f"| {r['max_heap_after_gc_mb']:,} MB | {r['wall_seconds']:,.0f} s | {r['analyze_events_per_s']:,.0f} events/s "
              f"| {r['cpu_us_per_event']:.1f} us | {r['load_average_1m']:.1f} |")
    d = a.get("test_driver", {})
    if d:
        print(f"\nKafka Streams' test driver (what analyze ran on before), on the thread that pipes events in (CPU per "
              f"event, serialisation not "
              f"counted): {d['no_op_topology_cpu_us_per_event']:.1f} us over a topology that does nothing, "
              f"{d['driftwatch_topology_cpu_us_per_event']:.1f} us over driftwatch's.")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "analyze_notes.md")) as notes:
        print()
        print(notes.read().rstrip())


if __name__ == "__main__":
    main()
