#!/usr/bin/python3
"""Sums a LibTorch profiler trace (bench_layer_profile with BENCH_TRACE=PREFIX) per operator:
self time per step (an operator's time less that of the operators it called), calls per step,
and for fill_ and copy_, which operators asked for them (where memory is zeroed or copied).
Usage: bench/trace_summary.py PREFIX128.json [STEPS]   (default 10 steps, as traced)"""
import collections
import json
import sys


def main():
    path, steps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10
    events = sorted((e for e in json.load(open(path)) if e.get("ph") == "X"),
                    key=lambda e: (e["tid"], e["ts"], -e["dur"]))
    self_time, calls, callers = collections.Counter(), collections.Counter(), collections.Counter()
    stack = []
    for e in events:
        while stack and (stack[-1]["tid"] != e["tid"] or stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]):
            stack.pop()
        if stack:
            self_time[stack[-1]["name"]] -= e["dur"]
        if e["name"] in ("aten::fill_", "aten::copy_"):
            callers[(e["name"], " < ".join(x["name"] for x in reversed(stack[-3:])))] += e["dur"]
        self_time[e["name"]] += e["dur"]
        calls[e["name"]] += 1
        stack.append(e)
    print(f"{'ms/step':>8} {'calls':>6}  operator")
    for name, micros in self_time.most_common(20):
        print(f"{micros / steps / 1000:8.3f} {calls[name] / steps:6.1f}  {name}")
    print("\nfill_ and copy_ by caller:")
    for (name, chain), micros in callers.most_common(8):
        print(f"{micros / steps / 1000:8.3f}  {name} < {chain}")


if __name__ == "__main__":
    main()
