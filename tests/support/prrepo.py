"""A real Kansrijk repository in git with its pull requests on the GitHub stand-in, for ``kansrijk report-pr``.

The stand-in's repository stands on this git repository: what ``issue-to-pr`` writes through the contents
API becomes real commits here (the bot's, verified), which ``report-pr`` then reads as data.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kansrijk.cli.main import main
from support.forms import form_body
from support.github_standin import GitHubStandIn, Repo, git_changed_files

SOURCE = Path(__file__).resolve().parents[2]
CODEOWNERS = (
    "* @kansrijk/beheerders\n/coalitions/voorbeeld-zeist/ @zeist-ambtenaar @kansrijk/beheerders\n/.github/ @kansrijk/beheerders\n"
)
COALITION = "coalitions/voorbeeld-zeist/coalitie.yaml"
APPLICATION = "coalitions/voorbeeld-zeist/aanvraag-impuls-2020.yaml"
SETTINGS = "automatisering:\n  - github-actions[bot]\n"
BOT = "github-actions[bot]"
BOT_APPLICATION = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
BOT_BRANCH = "issue-12-voorbeeld-zeist-voorbeeldronde-2027"
OWNER, NAME = "kansrijke-start", "kennisbank"
FULL_NAME = f"{OWNER}/{NAME}"
RUN_URL = "https://github.example/kansrijke-start/kennisbank/actions/runs/77"
# When GitHub received the pushes in these scenarios: inside the example round voorbeeldronde-2027, fixed so
# that the scenarios mean the same on every day they run (a later --received-at in a test's extra wins).
RECEIVED_AT = "2026-12-07T10:00:00Z"


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.email=test@example.org", "-c", "user.name=Test"]
    return subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


class PrRepo:
    """A real Kansrijk repository (``main`` + branch ``pr``) and the stand-in's view of its pull requests."""

    def __init__(self, tmp: Path, standin: GitHubStandIn, codeowners: str = CODEOWNERS) -> None:
        self.root = tmp / "repo"
        self.standin = standin
        self.root.mkdir()
        for folder in ("schemas", "vocab", "interventions", "coalitions", "rounds", ".github/ISSUE_TEMPLATE"):
            shutil.copytree(SOURCE / folder, self.root / folder)
        (self.root / ".github/workflows").mkdir(parents=True)
        (self.root / ".github/CODEOWNERS").write_text(codeowners)
        (self.root / ".github/kansrijk.yml").write_text(SETTINGS)
        (self.root / ".github/workflows/pr-check.yml").write_text("on: pull_request\n")
        git(self.root, "init", "-q", "-b", "main")
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", "basis")
        self.base = git(self.root, "rev-parse", "HEAD")
        git(self.root, "checkout", "-q", "-b", "pr")
        self.repo: Repo = standin.add_repo(OWNER, NAME, head_sha=self.base, git=self.root)

    def commit(self, edits: dict[str, tuple[str, str]] | None = None, files: dict[str, str] | None = None) -> str:
        """Edit (old -> new text) and write files on the PR branch; returns the new head commit."""
        for path, (old, new) in (edits or {}).items():
            text = (self.root / path).read_text()
            assert old in text, (path, old)
            (self.root / path).write_text(text.replace(old, new))
        for path, text in (files or {}).items():
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            (self.root / path).write_text(text)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", "wijziging")
        return git(self.root, "rev-parse", "HEAD")

    def commit_on(
        self,
        branch: str,
        by: str,
        edits: dict[str, tuple[str, str]] | None = None,
        files: dict[str, str] | None = None,
        verified: bool = False,
        committer: str | None = None,
    ) -> str:
        """``by`` pushes a commit to ``branch`` (new: from ``main``) with plain git; GitHub ties it to them, unsigned.

        ``committer`` and ``verified`` stand for other ways in, such as ``by``'s own API commit (committer
        ``web-flow``, signed by GitHub).

        The branch's open pull requests follow it, as on GitHub. The checkout goes back to ``pr`` afterwards.
        """
        known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=self.root, check=False)
        git(self.root, "checkout", "-q", *([branch] if known.returncode == 0 else ["-b", branch, "main"]))
        try:
            sha = self.commit(edits, files)
        finally:
            git(self.root, "checkout", "-q", "pr")
        self.standin.pushed(self.repo, branch, sha, by, verified, committer)
        return sha

    def bot_pull(self, number: int, author: str, answers: dict[str, str], labels: list[str], *extra: str) -> dict:
        """``author`` files issue ``number`` through a form and issue-to-pr turns it into a PR; returns that PR.

        The commits are real and the stand-in's token user's, verified: set ``standin.state.login`` to the
        automation account first, as the workflow's token is ``github-actions[bot]``. The record is dated on the
        day GitHub received the push (:data:`RECEIVED_AT`), so every scenario means the same on any day.
        """
        self.standin.add_issue(self.repo, number, author, "Formulier", form_body(answers), labels)
        assert issue_to_pr(self.standin, self.root, number, "--today", RECEIVED_AT[:10], *extra) == 0
        return next(i for i in self.repo.issues.values() if "pull" in i and i["pull"]["head_ref"].startswith(f"issue-{number}-"))

    def api_files(self, head: str = "pr") -> list[tuple[str, ...]]:
        """The files GitHub lists for the PR: the same three-dot diff, in the API's words, with each head blob."""
        return git_changed_files(self.root, "main", head)

    def open_pull(
        self, number: int, sha: str, author: str, fork: str | None = None, head_ref: str = "wijziging", head: str = "pr"
    ) -> dict:
        return self.standin.add_pull(self.repo, number, sha, author, head_ref=head_ref, files=self.api_files(head), fork=fork)

    def push(self, pull: dict, sha: str) -> None:
        pull["pull"].setdefault("history", []).append(pull["pull"]["head_sha"])
        pull["pull"]["head_sha"] = sha
        pull["pull"]["files"] = self.api_files()

    def status(self, sha: str) -> dict:
        return self.repo.statuses[sha][0]


def issue_to_pr(gh: GitHubStandIn, root: Path, number: int, *extra: str) -> int:
    """``kansrijk issue-to-pr`` on issue ``number``, with ``root`` as the workflow's checkout of the default branch."""
    args = ["--root", str(root), "issue-to-pr", "--repo", FULL_NAME, "--issue", str(number), "--api-url", gh.api]
    return main([*args, "--token-env", "KANSRIJK_TEST_TOKEN", "--bot-login", BOT, "--backoff", "0.01", *extra])


def report_pr(gh: GitHubStandIn, data: Path, sha: str, head_repo: str = FULL_NAME, *extra: str) -> int:
    return main(
        [
            "report-pr",
            "--repo",
            FULL_NAME,
            "--sha",
            sha,
            "--head-repo",
            head_repo,
            "--data",
            str(data),
            "--base",
            "main",
            "--api-url",
            gh.api,
            "--token-env",
            "KANSRIJK_TEST_TOKEN",
            "--bot-login",
            "kansrijk-bot",
            "--target-url",
            RUN_URL,
            "--summary",
            str(data.parent / "samenvatting.md"),
            "--backoff",
            "0.01",
            "--received-at",
            RECEIVED_AT,
            *extra,
        ]
    )
