"""A run's report in three forms: a table for people, JSON (plan, modules, conditions,
exchanges, timings, versions) and JUnit XML for CI systems (one testsuite per run, one
testcase per module; FAILED is a <failure>, SKIPPED a <skipped>, WARNING and REVIEW
pass with their conditions in <system-out>). See docs/conformance.md.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from kyc_sdk.conformance.model import ModuleResult, Report, Status

FORMATS = ("table", "json", "junit")
_FILES = {"table": "report.txt", "json": "report.json", "junit": "junit.xml"}


def table(report: Report) -> str:
    width = max([len(m.module) for m in report.modules] + [6])
    lines = [f"kyc-sdk conformance: style {report.style}, plan {report.plan}, {report.base_url}", ""]
    lines.append(f"{'module':<{width}}  {'status':<8}  {'ms':>7}  note")
    for m in report.modules:
        lines.append(f"{m.module:<{width}}  {m.status.value:<8}  {m.ms:>7.0f}  {_note(m)}")
    counts = ", ".join(f"{n} {s.lower()}" for s, n in report.counts().items() if n)
    verdict = "PASS" if not report.failed else f"FAIL ({', '.join(m.module for m in report.failed)})"
    lines += ["", f"{counts}; {report.ms / 1000:.1f} s; {verdict}"]
    return "\n".join(lines) + "\n"


def _note(m: ModuleResult) -> str:
    if m.waived:
        return f"waived: {m.waived}"
    bad = [c for c in m.conditions if c.status not in (Status.PASSED, Status.SKIPPED)]
    shown = bad[0] if bad else (m.conditions[0] if m.conditions and m.status is Status.SKIPPED else None)
    if shown is None:
        return f"{len(m.conditions)} condition(s)"
    return f"{shown.name}: {shown.detail}"[:110] if shown.detail else shown.name[:110]


def as_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def junit(report: Report) -> str:
    counts = report.counts()
    suite = ET.Element(
        "testsuite",
        {
            "name": f"kyc-sdk conformance {report.style} ({report.plan})",
            "tests": str(len(report.modules)),
            "failures": str(sum(1 for m in report.modules if m.status is Status.FAILED and not m.waived)),
            "errors": "0",
            "skipped": str(counts["SKIPPED"]),
            "time": f"{report.ms / 1000:.3f}",
            "timestamp": report.started_at,
        },
    )
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("style", report.style),
        ("base_url", report.base_url),
        ("plan", report.plan),
        *(
            (f"version.{k}", json.dumps(v) if not isinstance(v, str) else v)
            for k, v in report.versions.items()
        ),
    ):
        ET.SubElement(props, "property", {"name": key, "value": str(value)})
    for m in report.modules:
        _case(suite, report.style, m)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _case(suite: ET.Element, style: str, m: ModuleResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": f"conformance.{style}", "name": m.module, "time": f"{m.ms / 1000:.3f}"},
    )
    text = "\n".join(f"[{c.status.value}] {c.name}: {c.detail}".rstrip(": ") for c in m.conditions)
    if m.status is Status.FAILED and not m.waived:
        failed = [c for c in m.conditions if c.status is Status.FAILED]
        message = failed[0].name if failed else (m.error or "failed")
        ET.SubElement(case, "failure", {"message": message, "type": "FAILED"}).text = text
    elif m.status is Status.SKIPPED:
        ET.SubElement(case, "skipped", {"message": _note(m)})
    ET.SubElement(case, "system-out").text = (
        f"status: {m.status.value}" + (f" (waived: {m.waived})" if m.waived else "") + "\n" + text
    )


RENDER = {"table": table, "json": as_json, "junit": junit}


def write(report: Report, folder: str | Path) -> dict[str, Path]:
    """Write every form into ``folder``; returns format -> path."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, name in _FILES.items():
        path = out / name
        path.write_text(RENDER[kind](report), encoding="utf-8")
        written[kind] = path
    return written
