#!/usr/bin/env python3
"""Writes the figures of one `scripts/bench.sh all` run into Benchmarks/RESULTS.md.

Reads RUN/*.json (one JSON object per system benchmark, as each script prints it: its figures, its
"ratios" to the references and goals measured in the same run, "loadAverage1m") and RUN/components.md
(the component suites' markdown), and replaces the block between the two marker lines of RESULTS.md
with: the date, the machine, and for every benchmark its ratios and the file holding its raw figures.
The prose around the block (what the figures say, what is next) stays as written.
"""
import json, os, platform, sys

BEGIN = "<!-- scripts/bench.sh all: begin -->"
END = "<!-- scripts/bench.sh all: end -->"


def machine():
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return f"{os.cpu_count()} CPUs ({model}), {mem_kb / 1024 / 1024:.0f} GiB, Linux {platform.release()}"


def p50_throughputs(components):
    """{benchmark name: p50 of its "Throughput" row} from the suites' markdown (`### name`, then a table)."""
    found, name = {}, None
    for line in open(components):
        if line.startswith("### "):
            name = line[4:].strip()
        elif name and line.startswith("| Throughput"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            found[name] = float(cells[3])  # metric, p0, p25, p50, …
    return found


def journal_ratios(components):
    """The journal's appends beside raw SQLite inserts of the same rows, same run: [(n, ratio)]."""
    t = p50_throughputs(components)
    out = []
    for n in (1, 10, 100):
        journal, raw = t.get(f"Append-{n}-per-transaction"), t.get(f"RawSQLite-{n}-per-transaction")
        if journal and raw:
            out.append((n, round(journal / raw, 2)))
    return out


def block(run):
    lines = [BEGIN, "", f"Last `scripts/bench.sh all`: run `{os.path.basename(os.path.normpath(run))}` on {machine()}.", "",
             "| Benchmark | Ratio (figure ÷ its reference or goal, same run) | Value | Load (1 min) |", "|---|---|---:|---:|"]
    for name in sorted(n for n in os.listdir(run) if n.endswith(".json")):
        with open(os.path.join(run, name)) as f:
            text = f.read().strip()
        try:
            figures = json.loads(text.splitlines()[-1]) if text else {}
        except json.JSONDecodeError:
            figures = {}
        ratios = figures.get("ratios") or {}
        if not ratios:
            lines.append(f"| `{name[:-5]}` | did not finish (see `{name}`) | — | — |")
        for key, value in ratios.items():
            lines.append(f"| `{name[:-5]}` | {key} | {value} | {figures.get('loadAverage1m', '—')} |")
    components = os.path.join(run, "components.md")
    if os.path.exists(components):
        for n, ratio in journal_ratios(components):
            lines.append(f"| `JournalAppend` | journalVsRawSQLite{n}PerTransaction (p50 throughput; goal 0.8) | {ratio} | — |")
        lines += ["", "The component suites' tables (p0…p100 of every benchmark, the raw-SQLite reference of the "
                  "journal among them) are in `components.md` of the run folder."]
    lines += ["", END]
    return "\n".join(lines)


def main():
    run, results = sys.argv[1], sys.argv[2]
    with open(results) as f:
        text = f.read()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block(run) + tail
    else:
        title, _, rest = text.partition("\n")
        text = title + "\n\n" + block(run) + "\n" + rest
    with open(results, "w") as f:
        f.write(text)
    print(block(run))


if __name__ == "__main__":
    main()
