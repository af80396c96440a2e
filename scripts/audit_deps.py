"""Dependency audit report: reads pip-audit's and npm audit's JSON, prints the counts and
decides the exit code (scripts/audit-deps.sh runs the tools and calls this).

Policy (docs/security.md "Dependency audit"):
- a known vulnerability in a pinned Python package fails (PyPI's advisories carry no severity,
  so every one counts as high), unless its id is listed under "Accepted advisories";
- an npm advisory of high or critical severity fails unless its id (GHSA…) or package is listed;
- a vulnerability service that cannot be reached is reported as NOT AUDITED, never as clean;
  it fails only when AUDIT_REQUIRE_SERVICE=1 (CI's network may lack the advisory endpoints).

Exit codes: 0 clean (or incomplete, said plainly), 1 unaccepted vulnerabilities, 2 incomplete
and AUDIT_REQUIRE_SERVICE=1. Standard library only: it runs with any Python 3."""

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

FAILING_NPM_SEVERITIES = {"high", "critical"}
ACCEPTED_HEADING = "### Accepted advisories"


@dataclass
class Report:
    name: str
    audited: int = 0
    not_audited: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)  # {"id", "package", "severity", "fix", "accepted"}
    unreachable: str = ""  # why the service could not be asked at all

    @property
    def failing(self) -> list[dict]:
        return [f for f in self.findings if fails(f)]


def fails(finding: dict) -> bool:
    return finding.get("failing_severity", True) and not finding["accepted"]


def accepted_ids(security_doc: Path) -> set[str]:
    """Ids (GHSA-…, PYSEC-…, CVE-…) or package names listed under the accepted heading, each
    on a line `- <id> (<package>): <why>`; a line without a reason does not count."""
    if not security_doc.exists():
        return set()
    text = security_doc.read_text(encoding="utf-8")
    if ACCEPTED_HEADING not in text:
        return set()
    section = text.split(ACCEPTED_HEADING, 1)[1].split("\n#", 1)[0]
    found = set()
    for line in section.splitlines():
        match = re.match(r"^- `?([\w.@/-]+)`?(?: \(([\w.@/-]+)\))?: \S", line.strip())
        if match:
            found.add(match.group(1).lower())
    return found


def python_report(data: dict | None, accepted: set[str]) -> Report:
    report = Report("python")
    if data is None:
        report.unreachable = "pip-audit produced no report"
        return report
    for dep in data.get("dependencies", []):
        if "skip_reason" in dep:
            report.not_audited.append(dep["name"])
            continue
        report.audited += 1
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"].lower(), *(a.lower() for a in vuln.get("aliases", []))}
            report.findings.append(
                {
                    "id": vuln["id"],
                    "package": f"{dep['name']}=={dep['version']}",
                    "severity": "unrated",
                    "fix": ", ".join(vuln.get("fix_versions", [])) or "none yet",
                    "accepted": bool(ids & accepted or dep["name"].lower() in accepted),
                }
            )
    if report.not_audited and report.audited == 0:
        report.unreachable = "the PyPI vulnerability service answered for none of the pinned versions"
    return report


def npm_report(name: str, data: dict | None, accepted: set[str]) -> Report:
    report = Report(name)
    if not data or "metadata" not in data:
        message = (data or {}).get("message") or (data or {}).get("error", {}).get("summary") or "no report"
        report.unreachable = f"npm audit endpoint unavailable ({message.splitlines()[0][:120]})"
        return report
    report.audited = data["metadata"].get("dependencies", {}).get("total", 0)
    for package, vuln in data.get("vulnerabilities", {}).items():
        advisories = [v for v in vuln.get("via", []) if isinstance(v, dict)]
        ids = {str(v.get("url", "")).rsplit("/", 1)[-1].lower() for v in advisories} | {package.lower()}
        severity = vuln.get("severity", "unknown")
        report.findings.append(
            {
                "id": ", ".join(sorted(i for i in ids if i != package.lower())) or package,
                "package": package,
                "severity": severity,
                "fix": "available" if vuln.get("fixAvailable") else "none yet",
                "accepted": bool(ids & accepted),
                "failing_severity": severity in FAILING_NPM_SEVERITIES,
            }
        )
    return report


def _load(path: str) -> dict | None:
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
        return json.loads(text) if text else None
    except (OSError, json.JSONDecodeError):
        return None


def print_report(reports: list[Report]) -> None:
    for report in reports:
        if report.unreachable:
            print(f"[{report.name}] NOT AUDITED: {report.unreachable}")
        elif report.not_audited:
            print(f"[{report.name}] NOT AUDITED ({len(report.not_audited)}): {', '.join(report.not_audited)}")
        for finding in report.findings:
            verdict = "FAIL" if fails(finding) else "accepted" if finding["accepted"] else "below high, noted"
            print(
                f"[{report.name}] {verdict}: {finding['package']} {finding['id']} "
                f"severity={finding['severity']} fix={finding['fix']}"
            )
        print(
            f"dependency audit {report.name}: audited={report.audited} not_audited="
            f"{len(report.not_audited) or ('all' if report.unreachable else 0)} "
            f"vulnerabilities={len(report.findings)} failing={len(report.failing)}"
        )


def decide(reports: list[Report], *, require_service: bool) -> int:
    if any(r.failing for r in reports):
        print("dependency audit: FAILED (unaccepted vulnerabilities above; upgrade the pin or justify it)")
        return 1
    incomplete = [r.name for r in reports if r.unreachable or r.not_audited]
    if incomplete:
        print(
            f"dependency audit: INCOMPLETE — no advisory data for: {', '.join(incomplete)}. "
            "This is NOT a clean result; run scripts/audit-deps.sh where the advisory services answer."
        )
        return 2 if require_service else 0
    print("dependency audit: clean")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pip", required=True, help="pip-audit JSON output")
    parser.add_argument("--npm-prod", required=True, help="npm audit --omit=dev --json output")
    parser.add_argument("--npm-full", required=True, help="npm audit --json output")
    parser.add_argument("--security-doc", default="docs/security.md")
    args = parser.parse_args(argv)
    accepted = accepted_ids(Path(args.security_doc))
    reports = [
        python_report(_load(args.pip), accepted),
        npm_report("npm-production", _load(args.npm_prod), accepted),
        npm_report("npm-all", _load(args.npm_full), accepted),
    ]
    print_report(reports)
    return decide(reports, require_service=os.environ.get("AUDIT_REQUIRE_SERVICE") == "1")


if __name__ == "__main__":
    sys.exit(main())
