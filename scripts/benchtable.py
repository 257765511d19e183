"""Prints the performance targets of docs/targets.md against this run's figures."""
import json, os, re, sys

out = sys.argv[1]

def metric(file, name, first=False):
    try:
        text = open(os.path.join(out, file)).read()
    except OSError:
        return None
    m = re.findall(r"([\d.]+) " + re.escape(name) + r"(?![\w-])", text)
    if not m:
        return None
    return float(m[0] if first else m[-1])

rows, notes = [], []
def row(pid, what, figure, target, ok):
    rows.append((pid, what, figure, target, "pass" if ok else ("FAIL" if ok is not None else "n/a")))

p1 = json.load(open(os.path.join(out, "p1.txt")))
row("P1", "tracker CPU (1 shot/10 min), peak RSS",
    f"{p1['cpu_percent']:.2f} % core, {p1['peak_rss_mb']:.0f} MB", "≤ 0.5 %, ≤ 60 MB",
    p1["cpu_percent"] <= 0.5 and p1["peak_rss_mb"] <= 60)
ms = metric("p2.txt", "median-ms", first=True)  # BenchmarkShot1080p
size = metric("p2.txt", "bytes/shot", first=True)
row("P2", "1080p screenshot: encode + thumbnail", f"{ms} ms, {size and size/1024:.0f} KB" if ms and size else "see p2.txt",
    "≤ 150 ms, ≤ 200 KB", (ms or 1e9) <= 150 and (size or 1e9) <= 200 * 1024)
try:
    segs = json.load(open(os.path.join(out, "p3-diary.json")))
    minutes = sum(len(s["minutes"]) for s in segs)
    imgs = sum(sh["bytes"] for s in segs for sh in s["screenshots"])
    per_hour = imgs / max(minutes, 1) * 60 / 1024 / 1024
    row("P3", "storage per tracked hour per monitor", f"{per_hour:.2f} MB (screenshots) over {minutes} min",
        "≤ 1 MB", per_hour <= 1)
except (OSError, ValueError):
    row("P3", "storage per tracked hour", "not measured", "≤ 1 MB", None)
eps = metric("p6.txt", "entries/s")
row("P6", "verify entries (chain + signature), one core", f"{eps:,.0f} /s" if eps else "n/a", "≥ 10,000 /s", (eps or 0) >= 10000)
q = metric("p7.txt", "ms/month")
row("P7", "diary query, a month (4,320 segments)", f"{q} ms" if q else "n/a", "≤ 50 ms", (q or 1e9) <= 50)
sync, raw, ratio = metric("p4.txt", "MB/s-sync"), metric("p4.txt", "MB/s-raw"), metric("p4.txt", "ratio-%")
kept, kept_ratio = metric("p4.txt", "MB/s-raw-kept"), metric("p4.txt", "ratio-kept-%")
row("P4", "sync a week vs raw libp2p stream",
    f"{sync:.0f} vs {raw:.0f} MB/s = {ratio:.0f} %" if ratio else "n/a", "≥ 50 % of raw", (ratio or 0) >= 50)
if kept_ratio and raw:
    notes.append(f"P4: the least any sync must do with these bytes, the same raw stream with its receiver hashing "
                 f"each image and storing it durably, runs at {kept:.0f} MB/s ({100*kept/raw:.0f} % of raw) on this "
                 f"machine; the sync reaches {kept_ratio:.0f} % of that.")
rsync, rraw, rkept = metric("p4-ram.txt", "MB/s-sync"), metric("p4-ram.txt", "MB/s-raw"), metric("p4-ram.txt", "MB/s-raw-kept")
if rsync and rraw and rkept:
    notes.append(f"P4 with both data folders in memory (/dev/shm): sync {rsync:.0f} vs raw {rraw:.0f} MB/s = "
                 f"{100*rsync/rraw:.0f} %; raw stream hashed and stored {rkept:.0f} MB/s = {100*rkept/rraw:.0f} %.")
lat, p90 = metric("p5.txt", "ms/approval"), metric("p5.txt", "ms-p90")
row("P5", "approval → employer's store", f"{lat:.0f} ms median, p90 {p90:.0f} ms" if lat and p90 else "n/a",
    "≤ 250 ms", (lat or 1e9) <= 250)
failed, secs, rss = metric("p8.txt", "failed"), metric("p8.txt", "s/total"), metric("p8.txt", "MB-employer-peak-rss")
entries, moved = metric("p8.txt", "entries"), metric("p8.txt", "MB-moved")
row("P8", "100 contractors syncing a week at once",
    f"{entries:.0f} entries, {moved/1000:.1f} GB, {failed:.0f} failed, {secs:.0f} s, employer {rss:.0f} MB"
    if None not in (failed, secs, rss, entries, moved) else "n/a",
    "all verified, ≤ 500 MB", failed == 0 and (rss or 1e9) <= 500 if failed is not None else None)

w = max(len(r[1]) for r in rows)
fw = max(38, max(len(r[2]) for r in rows))
print(f"\n{'':4} {'what':{w}}  {'figure':{fw}} {'target':22} result")
for r in rows:
    print(f"{r[0]:4} {r[1]:{w}}  {r[2]:{fw}} {r[3]:22} {r[4]}")
for n in notes:
    print(n)
