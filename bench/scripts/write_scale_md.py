#!/usr/bin/env python3
"""Prints the rows of BENCHMARKS.md's "Platform scale" and "Scale-out" tables from PlatformScaleBench's JSON files.

    python3 bench/scripts/write_scale_md.py platform FILE.json...   # one row per run
    python3 bench/scripts/write_scale_md.py scale-out FILE.json...
"""
import json
import sys


def get(r, key, fmt="{:,.0f}", scale=1.0):
    v = r.get(key)
    if v is None:
        return "—"
    return fmt.format(v * scale)


def load(r):
    a, b = r.get("load_average_during_rate") or [None, None]
    return "—" if a is None else f"{a:.0f}–{b:.0f}"


def platform(runs):
    print("| run | subjects | events per version-window | heap limit | driftwatch | raw consumer | ratio "
          "| stream threads CPU per event | process CPU per event | cores busy | largest heap after GC "
          "| heap after full GC, one window open | window-state changelog per window | partials per window "
          "| close → last statistic p50 / max | close → first alert p50 / max | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        topics = r.get("internal_topic_bytes_per_window", {})
        cl = topics.get("driftwatch-partition-windows-changelog", 0) + topics.get("driftwatch-merged-windows-changelog", 0)
        part = topics.get("driftwatch-partials-repartition", 0)
        heap = r["machine"]["max_heap_mb"]
        print(f"| {r.get('label', '')} | {r['versions']:,} × {r['features_per_version']} | {r['events_per_version_window']:,} "
              f"| {heap:,} MB | {get(r, 'driftwatch_events_per_s')} events/s | {get(r, 'raw_consume_events_per_s')} events/s "
              f"| {get(r, 'ratio_driftwatch_to_raw', '{:.3f}')} "
              f"| {get(r, 'driftwatch_stream_threads_cpu_us_per_event', '{:,.1f}')} us "
              f"| {get(r, 'driftwatch_process_cpu_us_per_event', '{:,.1f}')} us "
              f"| {get(r, 'driftwatch_process_cpu_cores_busy', '{:.2f}')} "
              f"| {get(r, 'heap_max_after_gc_mb')} MB | {get(r, 'heap_after_full_gc_mb_one_window_open')} MB "
              f"| {cl / 1e6:,.0f} MB | {part / 1e6:,.0f} MB "
              f"| {get(r, 'latency_close_to_last_statistic_p50_ms')} / {get(r, 'latency_close_to_last_statistic_p99_ms')} ms "
              f"| {get(r, 'latency_close_to_alert_p50_ms')} / {get(r, 'latency_close_to_alert_p99_ms')} ms "
              f"| {load(r)} |")


def scale_out(runs):
    print("| run | instances × stream threads | input partitions | driftwatch | raw consumer | ratio "
          "| stream threads CPU per event | process CPU per event | cores busy | load average |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r.get('label', '')} | {r['instances']} × {r['threads_per_instance']} | {r['partitions']} "
              f"| {get(r, 'driftwatch_events_per_s')} events/s | {get(r, 'raw_consume_events_per_s')} events/s "
              f"| {get(r, 'ratio_driftwatch_to_raw', '{:.3f}')} "
              f"| {get(r, 'driftwatch_stream_threads_cpu_us_per_event', '{:,.1f}')} us "
              f"| {get(r, 'driftwatch_process_cpu_us_per_event', '{:,.1f}')} us "
              f"| {get(r, 'driftwatch_process_cpu_cores_busy', '{:.2f}')} | {load(r)} |")


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    runs = []
    for path in files:
        with open(path) as f:
            runs.append(json.load(f))
    {"platform": platform, "scale-out": scale_out}[kind](runs)


if __name__ == "__main__":
    main()
