#!/usr/bin/env python3
"""Throughput model of distributed training for docs/benchmarks.md, from measured figures.

Arguments, per model: NAME PARAMETERS SAMPLES_PER_S EXCHANGE_MB EXCHANGE_MS, where SAMPLES_PER_S is the
in-process rate at batch 256 (one worker's compute per step is 256 / it) and EXCHANGE_MB / EXCHANGE_MS are
one replica's bytes and time per step in a 1-replica cluster run (the rate Orleans reached). Example:
  python3 benchmarks/distributed-model.py M2 222384 29934 1.779 5.90 M3 2837314 2092 22.699 29.93
"""
import sys

args = sys.argv[1:]
print('| model | network | workers | step compute | exchange, central (built) | samples/s, central | samples/s, ring all-reduce | samples/s, averaging H=8 |')
print('|---|---|---:|---:|---:|---:|---:|---:|')
for i in range(0, len(args), 5):
    name, parameters, rate, mb, ms = args[i], int(args[i + 1]), float(args[i + 2]), float(args[i + 3]), float(args[i + 4])
    compute = 256 / rate
    orleans = mb * 1e6 / (ms * 1e-3)
    g = 4 * parameters + 8
    for gbit in (10, 25):
        line = gbit * 1e9 / 8
        for capped in (False, True):
            speed = min(line, orleans) if capped else line
            for k in (8, 32, 128):
                central = 2 * k * g / speed
                ring = 2 * (k - 1) / k * g / speed
                averaging = 2 * k * 3 * g / speed / 8
                def samples(exchange):
                    return 256 * k / (compute + exchange)
                network = f"{gbit} Gbit/s" + (f" + Orleans at {orleans / 1e6:.0f} MB/s" if capped else "")
                print(f"| {name} | {network} | {k} | {compute * 1e3:.1f} ms | {central * 1e3:.1f} ms | "
                      f"{samples(central):,.0f} | {samples(ring):,.0f} | {samples(averaging):,.0f} |")
