"""scripts/audit_deps.py decides what the dependency audit's exit code is: these cases prove it
fails on what it must (so a green CI means something) and never reports "clean" when the
advisory services could not be asked."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts/audit_deps.py")
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)

PIP_CLEAN = {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}]}
PIP_VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "6.1.3",
            "vulns": [{"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fix_versions": ["6.1.4"]}],
        }
    ]
}
PIP_UNREACHABLE = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
NPM_CLEAN = {"vulnerabilities": {}, "metadata": {"dependencies": {"total": 4}}}
NPM_UNREACHABLE = {"message": "405 Method Not Allowed - POST …/advisories/bulk"}


def npm_with(severity: str) -> dict:
    advisory = {"url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", "severity": severity}
    return {
        "vulnerabilities": {"htmx.org": {"severity": severity, "via": [advisory], "fixAvailable": True}},
        "metadata": {"dependencies": {"total": 4}},
    }


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    def _run(pip, npm_prod, npm_full=NPM_CLEAN, accepted: str = "", require_service: bool = False):
        files = {}
        for name, data in (("pip", pip), ("prod", npm_prod), ("full", npm_full)):
            files[name] = tmp_path / f"{name}.json"
            files[name].write_text(json.dumps(data) if data is not None else "", encoding="utf-8")
        doc = tmp_path / "security.md"
        doc.write_text(f"# Security\n\n{audit_deps.ACCEPTED_HEADING}\n\n{accepted}\n\n## Next\n", encoding="utf-8")
        monkeypatch.setenv("AUDIT_REQUIRE_SERVICE", "1" if require_service else "0")
        args = ["--pip", files["pip"], "--npm-prod", files["prod"], "--npm-full", files["full"], "--security-doc", doc]
        code = audit_deps.main([str(a) for a in args])
        return code, capsys.readouterr().out

    return _run


def test_clean(run):
    code, out = run(PIP_CLEAN, NPM_CLEAN)
    assert code == 0
    assert "dependency audit: clean" in out


def test_python_vulnerability_fails_until_justified(run):
    code, out = run(PIP_VULNERABLE, NPM_CLEAN)
    assert code == 1
    assert "FAIL: django==6.1.3 PYSEC-2099-1" in out
    code, out = run(PIP_VULNERABLE, NPM_CLEAN, accepted="- CVE-2099-1 (django): the affected API is never called")
    assert code == 0
    assert "accepted: django==6.1.3" in out


def test_a_listed_id_without_a_reason_does_not_count(run):
    code, _out = run(PIP_VULNERABLE, NPM_CLEAN, accepted="- PYSEC-2099-1:")
    assert code == 1


@pytest.mark.parametrize(("severity", "expected"), [("low", 0), ("moderate", 0), ("high", 1), ("critical", 1)])
def test_npm_fails_on_high_and_critical(run, severity, expected):
    code, out = run(PIP_CLEAN, npm_with(severity))
    assert code == expected
    assert f"severity={severity}" in out


def test_npm_high_accepted_with_a_justification(run):
    code, _out = run(PIP_CLEAN, npm_with("high"), accepted="- GHSA-aaaa-bbbb-cccc (htmx.org): not reachable here")
    assert code == 0


@pytest.mark.parametrize("pip", [PIP_UNREACHABLE, None])
def test_unreachable_services_are_said_plainly_never_clean(run, pip):
    code, out = run(pip, NPM_UNREACHABLE, NPM_UNREACHABLE)
    assert code == 0  # CI's network may lack the advisory endpoints: say so, do not block
    assert "NOT AUDITED" in out and "INCOMPLETE" in out
    assert "dependency audit: clean" not in out
    code, _out = run(pip, NPM_UNREACHABLE, NPM_UNREACHABLE, require_service=True)
    assert code == 2


def test_a_vulnerability_fails_even_when_another_service_is_unreachable(run):
    code, _out = run(PIP_UNREACHABLE, npm_with("critical"))
    assert code == 1
