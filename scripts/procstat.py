"""Samples CPU time and peak RSS of processes from /proc for N seconds.

Usage: procstat.py PID [PID…] SECONDS. Prints JSON: cpu_percent (of one
core, all PIDs together, averaged), peak_rss_mb (the largest VmHWM),
pss_mb (their proportional set sizes added up at the end: what they cost
together, shared pages counted once)."""
import json, os, sys, time

pids = [p for p in sys.argv[1:-1] if p]
secs = float(sys.argv[-1])
tick = os.sysconf("SC_CLK_TCK")

def cpu(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / tick
    except OSError:
        return 0.0

def hwm(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

def pss(pid):
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

start = {p: cpu(p) for p in pids}
t0 = time.time()
peak = 0.0
while time.time() - t0 < secs:
    peak = max([peak] + [hwm(p) for p in pids])
    time.sleep(1)
used = sum(cpu(p) - start[p] for p in pids)
print(json.dumps({"cpu_percent": 100 * used / (time.time() - t0), "peak_rss_mb": peak,
                  "pss_mb": sum(pss(p) for p in pids),
                  "seconds": time.time() - t0, "pids": pids}))
