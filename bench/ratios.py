#!/usr/bin/env python3
"""Markdown table of per-phase medians for two brokers and their ratio (second / first).

Usage: ratios.py KAFKA_DIR TRIBUTARY_DIR   (each holding round-N.log files with kafka-perf.sh RESULT lines)
Throughput ratios > 1 and latency ratios < 1 favour the second broker."""
import glob
import statistics
import sys

METRICS = ['rec_s', 'MB_s', 'fetch_rec_s', 'p50_ms', 'p99_ms', 'p999_ms', 'avg_ms']


def medians(directory):
    values = {}  # phase -> metric -> [per round]
    for log in sorted(glob.glob(f'{directory}/round-*.log')):
        for line in open(log):
            fields = line.split()
            if not fields or fields[0] != 'RESULT':
                continue
            kv = dict(f.split('=', 1) for f in fields[1:])
            for metric in METRICS:
                try:
                    value = float(kv[metric])
                except (KeyError, ValueError):
                    continue
                values.setdefault(kv['phase'], {}).setdefault(metric, []).append(value)
    return {phase: {m: statistics.median(v) for m, v in ms.items()} for phase, ms in values.items()}


def fmt(v):
    return f'{v:,.0f}' if abs(v) >= 100 else f'{v:.3g}'


def main(first, second):
    a, b = medians(first), medians(second)
    print('| phase | metric | Kafka | Tributary | Tributary / Kafka |')
    print('|---|---|---:|---:|---:|')
    for phase in a:
        for metric in METRICS:
            if metric in a[phase] and metric in b.get(phase, {}):
                x, y = a[phase][metric], b[phase][metric]
                ratio = f'{y / x:.2f}' if x else 'n/a'
                print(f'| {phase} | {metric} | {fmt(x)} | {fmt(y)} | {ratio} |')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
