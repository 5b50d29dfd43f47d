"""``kansrijk issue-to-pr``: turn an issue-form issue into a record on a branch and a pull request (github3.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from kansrijk.cli.repo_root import UsageError, root_from_args
from kansrijk.github.names import BRANCH, LOGIN, REPOSITORY

MAX_PRINTED_FINDINGS = 50
MAX_PRINTED_CHARS = 600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, help="OWNER/NAME of the repository")
    parser.add_argument("--issue", required=True, type=int, help="number of the issue filed through an issue form")
    parser.add_argument("--api-url", help="API URL for GitHub Enterprise, e.g. https://ghe.example/api/v3 (default: github.com)")
    parser.add_argument(
        "--token-env", default="GITHUB_TOKEN", help="environment variable that holds the token (default: GITHUB_TOKEN)"
    )
    parser.add_argument("--base", help="branch to start from and to open the PR against (default: the repository's default)")
    parser.add_argument("--bot-login", default="github-actions[bot]", help="login that writes the comment (to find it again)")
    parser.add_argument("--today", help="date for the new record, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--sender", help="login that caused the run (github.event.sender.login); anyone but the issue's author is ignored"
    )
    parser.add_argument("--retries", type=int, default=5, help="attempts per request (default: 5)")
    parser.add_argument("--backoff", type=float, default=1.0, help="first wait in seconds; doubles per retry (default: 1)")


def run(args: argparse.Namespace) -> int:

    from kansrijk.github.client import API_FAILURES, RetryPolicy, connect, describe_api_failure
    from kansrijk.github.intake.issue_to_pr import process
    from kansrijk.github.intake.issueforms import FormError

    if not REPOSITORY.fullmatch(args.repo):
        raise UsageError(f"--repo {args.repo!r} heeft niet de vorm eigenaar/naam")
    if args.issue < 1:
        raise UsageError("--issue moet een positief nummer zijn")
    if args.base is not None and (not BRANCH.fullmatch(args.base) or ".." in args.base):
        raise UsageError(f"--base {args.base!r} is geen geldige taknaam")
    if args.sender is not None and not LOGIN.fullmatch(args.sender):
        raise UsageError(f"--sender {args.sender!r} is geen geldige GitHub-gebruikersnaam")
    if args.retries < 1 or args.backoff < 0:
        raise UsageError("--retries moet minstens 1 zijn en --backoff niet negatief")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        raise UsageError(f"--today: '{args.today}' is geen datum in de vorm JJJJ-MM-DD") from None
    token = os.environ.get(args.token_env, "")
    if not token:
        raise UsageError(f"geen token: zet de omgevingsvariabele {args.token_env}")
    root = root_from_args(args)
    gh = connect(args.api_url, token, RetryPolicy(attempts=args.retries, base_delay=args.backoff))
    try:
        outcome = process(gh, args.repo, args.issue, root, args.base, args.bot_login, today, args.sender)
    except API_FAILURES as exc:
        print(f"kansrijk issue-to-pr: {describe_api_failure(exc)}", file=sys.stderr)
        return 1
    except (LookupError, FormError) as exc:
        print(f"kansrijk issue-to-pr: {exc}", file=sys.stderr)
        return 1
    stream = sys.stderr if outcome.action == "afgewezen" else sys.stdout
    print(outcome.message, file=stream)
    for finding in outcome.findings[:MAX_PRINTED_FINDINGS]:
        print(f"  - {finding.question}: {finding.message[:MAX_PRINTED_CHARS]}", file=stream)
    if len(outcome.findings) > MAX_PRINTED_FINDINGS:
        print(f"  - ... en nog {len(outcome.findings) - MAX_PRINTED_FINDINGS} punten (zie de reactie op het issue)", file=stream)
    return 1 if outcome.action == "afgewezen" else 0
