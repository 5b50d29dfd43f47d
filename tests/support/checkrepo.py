"""A real Kansrijk repository in git for ``kansrijk check-pr``: shipped folders, CODEOWNERS, a ``pr`` branch."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kansrijk.cli.main import main

SOURCE = Path(__file__).resolve().parents[2]
CODEOWNERS = """\
* @kansrijk/beheerders
/coalitions/voorbeeld-zeist/ @zeist-ambtenaar @kansrijk/beheerders
/.github/ @kansrijk/beheerders
"""
SETTINGS = "automatisering:\n  - github-actions[bot]\n"
BOT = "github-actions[bot]"
APPLICATION = "coalitions/voorbeeld-zeist/aanvraag-impuls-2020.yaml"
BOT_APPLICATION = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
COALITION = "coalitions/voorbeeld-zeist/coalitie.yaml"
# When GitHub received the change, in these scenarios: inside the example round voorbeeldronde-2027, fixed so
# that they mean the same on every day they run.
RECEIVED_AT = "2026-12-07T10:00:00Z"


def submitted_application() -> str:
    """The shipped example application, cut back to its first step ("ingediend") by ``zeist-ambtenaar``."""
    text = (SOURCE / APPLICATION).read_text()
    head, _, rest = text.partition("\n  - datum:")
    first_step = rest.split("\n  - datum:")[0]
    assert "status: ingediend" in first_step
    lines = ["  - datum:" + first_step.split("\n", 1)[0], "    status: ingediend", "    door: zeist-ambtenaar"]
    return head + "\n" + "\n".join(lines) + "\n"


SUBMITTED = submitted_application()
FIRST_STEP_LINE = SUBMITTED.splitlines().index(next(line for line in SUBMITTED.splitlines() if line.startswith("  - datum:"))) + 1


def git(repo: Path, *args: str) -> str:
    env_args = ["-c", "user.email=test@example.org", "-c", "user.name=Test"]
    return subprocess.run(["git", *env_args, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def build_repo(root: Path, folders: tuple[str, ...] = ("interventions", "coalitions", "rounds"), submitted: bool = True) -> Path:
    """The shipped ``folders`` with schemas, vocabularies, CODEOWNERS and settings in a git repository on ``main``,
    with a ``pr`` branch checked out; Zeist's application cut back to "ingediend" unless ``submitted`` is False."""
    root.mkdir()
    for folder in ("schemas", "vocab", *folders):
        shutil.copytree(SOURCE / folder, root / folder)
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/CODEOWNERS").write_text(CODEOWNERS)
    (root / ".github/workflows/ci.yml").write_text("on: push\n")
    (root / ".github/kansrijk.yml").write_text(SETTINGS)
    if submitted:
        (root / APPLICATION).write_text(SUBMITTED)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "basis")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def check(
    repo: Path, capsys: pytest.CaptureFixture[str], author: str, teams: str | None = "", head: str | None = "pr"
) -> tuple[int, dict, str]:
    """Run check-pr twice (JSON and Markdown) and return the exit code, the JSON and the Markdown."""
    args = ["--root", str(repo), "check-pr", "--base", "main", "--author", author, "--received-at", RECEIVED_AT]
    if head:
        args += ["--head", head]
    if teams is not None:
        args += ["--teams", teams]
    code = main([*args, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert main(args) == code
    return code, data, capsys.readouterr().out


def file_entry(data: dict, path: str) -> dict:
    return next(f for f in data["files"] if f["path"] == path)


def edit(repo: Path, path: str, old: str, new: str) -> None:
    target = repo / path
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new))


def bot_application(actor: str) -> str:
    """What issue-to-pr commits for an impulsaanvraag: a new application whose first step names the issue's author."""
    head = SUBMITTED.split("historie:")[0].replace("ronde: impuls-2020", "ronde: voorbeeldronde-2027")
    return head + f"historie:\n  - datum: 2026-10-01\n    status: ingediend\n    door: {actor}\n"
