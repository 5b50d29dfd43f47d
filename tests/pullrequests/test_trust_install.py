"""The write-token jobs install little, pinned and hashed; and their workflows keep the trust model's promises."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PINNED = ROOT / "requirements/github.txt"
SOURCE = ROOT / "requirements/github.in"
WORKFLOWS = ROOT / ".github/workflows"
# Imported only when present, by a pinned package (try/except ImportError), so not needed in the jobs:
# jsonschema's optional format checkers, requests' old charset detector, python-dateutil < 3's six.
OPTIONAL_IMPORTS = {"jsonpointer", "rfc3339-validator", "chardet", "six"}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def source_requirements() -> list[Requirement]:
    lines = [line.split("#")[0].strip() for line in SOURCE.read_text().splitlines()]
    return [Requirement(line) for line in lines if line]


def pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from the compiled file."""
    found: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", PINNED.read_text()):
        first = block.split("\n", 1)[0]
        if first.startswith("#") or not first.strip():
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^ \\]+)", first)
        assert match, f"not pinned with ==: {first!r}"
        found[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return found


def test_the_requirements_input_is_the_github_extra_plus_the_build_backend() -> None:
    extra = {
        canonicalize_name(Requirement(r).name): str(Requirement(r).specifier)
        for r in pyproject()["project"]["optional-dependencies"]["github"]
    }
    source = {canonicalize_name(r.name): str(r.specifier) for r in source_requirements()}
    backend = Requirement(pyproject()["build-system"]["requires"][0])
    assert source.pop(canonicalize_name(backend.name)) == str(backend.specifier)
    assert source == extra


def test_every_pin_has_hashes_and_fits_the_extra() -> None:
    pinned = pins()
    assert all(hashes for _, hashes in pinned.values()), [name for name, (_, h) in pinned.items() if not h]
    for requirement in source_requirements():
        version, _ = pinned[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)
    text = PINNED.read_text()
    assert "--index-url" not in text and "--find-links" not in text  # nothing of this machine's package set-up


def test_report_pr_and_issue_to_pr_import_nothing_beyond_the_pins() -> None:
    """Import what the two write-token commands run, in isolated mode, and name every distribution that loaded."""
    probe = (
        "import sys, importlib.metadata as m\n"
        "import kansrijk.cli.main as cli; cli.build_parser()\n"
        "import kansrijk.cli.report_pr, kansrijk.pullrequests.report_pr, kansrijk.cli.issue_to_pr, kansrijk.github.intake.issue_to_pr\n"
        "import kansrijk.checks.validate, kansrijk.records.explain, kansrijk.github.client\n"
        "d = m.packages_distributions()\n"
        "print('\\n'.join(sorted({x for top in {k.split('.')[0] for k in sys.modules} for x in d.get(top, [])})))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT.parent)
    loaded = {canonicalize_name(name) for name in result.stdout.split()} - {"kansrijk"}
    allowed = set(pins()) | {canonicalize_name(n) for n in OPTIONAL_IMPORTS}
    assert loaded - allowed == set()
    for heavy in ("mkdocs", "frictionless", "pagefind", "jinja2", "markdown-it-py"):
        assert canonicalize_name(heavy) not in loaded


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_pr_report_never_reads_the_artifact_and_runs_the_tool_isolated() -> None:
    data = workflow("pr-report.yml")
    all_steps = steps(data)
    assert not [s for s in all_steps if "download-artifact" in s.get("uses", "")]
    runs = [s for s in all_steps if "report-pr" in s.get("run", "")]
    assert len(runs) == 2
    for step in runs:
        assert "-I -m kansrijk report-pr" in step["run"]
        assert step["working-directory"] == "${{ runner.temp }}"  # never inside the PR's tree
    install = next(s for s in all_steps if "pip install" in s.get("run", ""))
    assert "--require-hashes" in install["run"] and "requirements/github.txt" in install["run"]
    assert "--no-deps" in install["run"] and "-e " not in install["run"]
    checkouts = [s for s in all_steps if "actions/checkout" in s.get("uses", "")]
    tool = next(s for s in checkouts if s["with"]["path"] == "tool")
    assert "ref" not in tool["with"]  # the default branch
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)
    assert set(data["jobs"]["report"]["permissions"]) == {"actions", "contents", "issues", "pull-requests", "statuses"}


def test_pr_report_publishes_with_the_apps_token_when_one_is_set() -> None:
    """A status from a known source: with an App configured, every write of report-pr goes out under its token."""
    all_steps = steps(workflow("pr-report.yml"))
    app = next(s for s in all_steps if "create-github-app-token" in s.get("uses", ""))
    assert re.fullmatch(r"actions/create-github-app-token@[0-9a-f]{40}", app["uses"])  # pinned to a commit
    assert app["if"] == "env.APP_CLIENT_ID != ''" and app["with"]["private-key"] == "${{ secrets.KANSRIJK_APP_PRIVATE_KEY }}"
    for step in (s for s in all_steps if "report-pr" in s.get("run", "")):
        assert step["env"]["GITHUB_TOKEN"] == "${{ steps.app.outputs.token || github.token }}"


def test_pr_check_hands_nothing_over_and_checks_merge_queues() -> None:
    data = workflow("pr-check.yml")
    assert "merge_group" in data[True]  # PyYAML reads the key `on` as True
    assert not [s for s in steps(data) if "upload-artifact" in s.get("uses", "")]
    queue = data["jobs"]["queue"]
    assert any("validate" in s.get("run", "") for s in queue["steps"])


def test_issue_to_pr_installs_from_the_pins() -> None:
    install = next(s for s in steps(workflow("issue-to-pr.yml")) if "pip install" in s.get("run", ""))
    assert "--require-hashes" in install["run"] and "requirements/github.txt" in install["run"]


def test_publish_still_refuses_an_invalid_main() -> None:
    build = workflow("publish.yml")["jobs"]["build"]["steps"]
    names = [s.get("run", "") for s in build]
    validate = next(i for i, run in enumerate(names) if "kansrijk validate" in run)
    assert validate < next(i for i, run in enumerate(names) if "mkdocs build" in run)
