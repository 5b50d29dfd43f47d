"""``kansrijk check-pr``: validate a pull request's changes and check who may make them; local, no network."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, parse_moment, root_from_args
from kansrijk.cli.step_summary import append_summary, bounded
from kansrijk.github.names import LOGIN, PERSON_LOGIN, TEAM


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the base branch or commit the PR goes into")
    parser.add_argument("--head", help="the PR's commit (default: the working tree)")
    parser.add_argument("--author", required=True, help="GitHub login of the PR author")
    parser.add_argument(
        "--on-behalf-of",
        metavar="LOGIN",
        help="judge permissions and history actors for LOGIN instead of the author; only allowed when the author is an "
        "automation account declared in .github/kansrijk.yml at the base (e.g. issue-to-pr's bot); needs --issue",
    )
    parser.add_argument("--issue", type=int, help="the issue the automation account turned into this PR (with --on-behalf-of)")
    parser.add_argument(
        "--teams",
        help="comma-separated teams of the author, as org/team (default: unknown; the report then lists what to look up)",
    )
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument("--out", help="write the report to this file instead of standard output")
    parser.add_argument(
        "--summary",
        help="also append the report in Markdown to this file (a job's $GITHUB_STEP_SUMMARY), cut to fit GitHub's 1 MiB",
    )
    parser.add_argument(
        "--received-at",
        help="when GitHub received the push, ISO 8601 with zone; new history steps are dated against it (default: now)",
    )


def run(args: argparse.Namespace) -> int:
    from kansrijk.pullrequests.automation import SettingsError
    from kansrijk.pullrequests.check_pr import OnBehalfOf, OnBehalfRefused, check_pull_request
    from kansrijk.pullrequests.git import GitError
    from kansrijk.pullrequests.report import Verdict, render_markdown

    if not LOGIN.fullmatch(args.author):
        raise UsageError(f"--author {args.author!r} is geen geldige GitHub-gebruikersnaam")
    on_behalf_of = None
    if args.on_behalf_of is not None or args.issue is not None:
        if args.on_behalf_of is None or args.issue is None:
            raise UsageError("--on-behalf-of en --issue horen bij elkaar: geef ze allebei, of geen van beide")
        if not PERSON_LOGIN.fullmatch(args.on_behalf_of):
            raise UsageError(f"--on-behalf-of {args.on_behalf_of!r} is geen geldige GitHub-gebruikersnaam van een persoon")
        if args.issue < 1:
            raise UsageError("--issue moet een issuenummer zijn (1 of hoger)")
        on_behalf_of = OnBehalfOf(args.on_behalf_of, args.issue)
    teams = None
    if args.teams is not None:
        teams = [t.strip().lstrip("@") for t in args.teams.split(",") if t.strip()]
        bad = [t for t in teams if not TEAM.fullmatch(t)]
        if bad:
            raise UsageError(f"--teams: {', '.join(bad)} heeft niet de vorm organisatie/team")
    received_at = parse_moment(args.received_at, "--received-at")
    root = root_from_args(args)
    try:
        report = check_pull_request(root, args.base, args.head, args.author, teams, on_behalf_of, received_at=received_at)
    except (GitError, OnBehalfRefused, SettingsError) as exc:
        raise UsageError(str(exc)) from None
    text = (
        render_markdown(report)
        if args.format == "markdown"
        else json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    )
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"kan {args.out} niet schrijven: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    append_summary(args.summary, bounded(lambda limit: render_markdown(report, limit)), "check-pr")
    return 0 if report.verdict() == Verdict.PASSED else 1
