#!/usr/bin/env python3
"""Turns the guest's results folder into JUnit XML and a readable summary.

results/cases.tsv has one line per guest test: suite, name, status (pass/fail), seconds, log file
(relative to results/). Exit status: 0 when every case passed and the guest wrote `rc`; 1 otherwise.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

results, junit, summary = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
cases = []
tsv = results / "cases.tsv"
if tsv.exists():
    for line in tsv.read_text(errors="replace").splitlines():
        fields = line.split("\t")
        if len(fields) == 5:
            cases.append(fields)

suites = {}
for suite, name, status, seconds, logname in cases:
    suites.setdefault(suite, []).append((name, status, seconds, logname))

root = ET.Element("testsuites", name="checkpoint QEMU tier")
failed = 0
lines = []
for suite, members in suites.items():
    s = ET.SubElement(root, "testsuite", name=suite, tests=str(len(members)),
                      failures=str(sum(1 for m in members if m[1] != "pass")))
    for name, status, seconds, logname in members:
        c = ET.SubElement(s, "testcase", classname=f"vm.{suite}", name=name, time=seconds)
        log_text = (results / logname).read_text(errors="replace") if (results / logname).exists() else ""
        if status != "pass":
            failed += 1
            f = ET.SubElement(c, "failure", message=(log_text.strip().splitlines() or ["failed"])[-1][:500])
            f.text = log_text[-20000:]
        else:
            ET.SubElement(c, "system-out").text = log_text[-4000:]
        lines.append(f"{'✔' if status == 'pass' else '✘'} {suite}: {name} ({seconds} s)")
        if status != "pass":
            lines.extend("    " + l for l in log_text.strip().splitlines()[-15:])

rc_file = results / "rc"
if not rc_file.exists():
    lines.append("✘ the guest wrote no rc: it did not finish its run")
elif not cases:
    lines.append("✘ the guest ran no test")
lines.append(f"QEMU tier: {len(cases)} guest tests, {failed} failed")
ET.ElementTree(root).write(junit, encoding="utf-8", xml_declaration=True)
summary.write_text("\n".join(lines) + "\n")
sys.exit(0 if cases and failed == 0 and rc_file.exists() else 1)
