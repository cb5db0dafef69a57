#!/usr/bin/env python3
"""Where a training JVM spends its time, from a JFR recording (see run.sh --jfr).

Usage: jfr_summary.py RECORDING.jfr THREAD [THREAD...]
  THREAD: the training thread's name ("trainer-job" in the service, "main" in the direct child).

Prints, for the training thread: samples in native code (libtorch, via JNI) and in Java, and the
samples taken inside the service's own callbacks (a dev.conveyor.trainer frame above the model
module's training loop), with their top frames; for the whole JVM: Java samples per thread (what
competes with libtorch for the cores), GC pause time, and the process's mean CPU load.
"""
import collections
import json
import subprocess
import sys

EVENTS = "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.GarbageCollection,jdk.CPULoad"


def frames_of(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(t.replace("/", ".") + "." + m.get("name", "?"))
    return out


def seconds(d):
    # JFR JSON durations look like "PT0.001234S" or are numbers of nanoseconds
    if isinstance(d, (int, float)):
        return d / 1e9
    if isinstance(d, str) and d.startswith("PT") and d.endswith("S"):
        body = d[2:-1]
        total = 0.0
        if "M" in body:
            mins, body = body.split("M", 1)
            total += float(mins) * 60
        return total + (float(body) if body else 0.0)
    return 0.0


def main():
    path, threads = sys.argv[1], set(sys.argv[2:])
    raw = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "64", "--events", EVENTS, path],
        check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    native = java = service = 0
    service_tops = collections.Counter()
    java_tops = collections.Counter()
    per_thread = collections.Counter()
    gc = 0.0
    gcs = 0
    cpu = []
    for ev in events:
        typ = ev["type"]
        v = ev["values"]
        if typ in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
            name = (v.get("sampledThread") or {}).get("javaName") or "?"
            if typ == "jdk.ExecutionSample":
                per_thread[name] += 1
            if name not in threads:
                continue
            fr = frames_of(ev)
            loop = next((i for i, f in enumerate(fr) if f.endswith("GptTrainer.trainLoop")), None)
            if loop is None:
                continue  # before or after train(): not part of tokens/s
            if typ == "jdk.NativeMethodSample":
                native += 1
            else:
                java += 1
                java_tops[fr[0]] += 1
            own = next((i for i, f in enumerate(fr) if f.startswith("dev.conveyor.trainer.")), None)
            if own is not None and own < loop:
                service += 1
                service_tops[" <- ".join(fr[: min(own + 1, 4)])] += 1
        elif typ == "jdk.GarbageCollection":
            gc += seconds(v.get("sumOfPauses", 0))
            gcs += 1
        elif typ == "jdk.CPULoad":
            cpu.append((v.get("jvmUser", 0) + v.get("jvmSystem", 0), v.get("machineTotal", 0)))
    total = native + java
    print(f"{path}: training thread(s) {sorted(threads)} inside GptTrainer.train():")
    if total:
        print(f"  samples {total}: native {native} ({100 * native / total:.1f}%),"
              f" Java {java} ({100 * java / total:.1f}%)")
        print(f"  inside the service's callbacks: {service} ({100 * service / total:.2f}%)")
    for k, n in service_tops.most_common(8):
        print(f"    {n:5d}  {k}")
    print("  top Java frames on the training thread:")
    for k, n in java_tops.most_common(8):
        print(f"    {n:5d}  {k}")
    print("  Java samples per thread (whole JVM, whole recording):")
    for k, n in per_thread.most_common(10):
        print(f"    {n:5d}  {k}")
    print(f"  GC: {gcs} collections, {gc * 1000:.0f} ms of pauses")
    if cpu:
        jvm = sum(c[0] for c in cpu) / len(cpu)
        machine = sum(c[1] for c in cpu) / len(cpu)
        print(f"  CPU load (mean of {len(cpu)} samples): this JVM {100 * jvm:.1f}%,"
              f" machine {100 * machine:.1f}%")


if __name__ == "__main__":
    main()
