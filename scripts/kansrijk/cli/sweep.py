"""``kansrijk sweep``: judge every open PR whose head still waits for a verdict, oldest push first.

Exit status: 0 every waiting push judged (or none waited), 2 usage error, 3 GitHub could not be asked,
4 pushes still wait (the budget did not reset within ``--max-wait``); the next sweep goes on.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kansrijk.cli.repo_root import UsageError
from kansrijk.github.names import REPOSITORY


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, help="OWNER/NAME of the repository")
    parser.add_argument(
        "--data", default=".", help="git repository with the default branch and every open PR's head (refs/pull/*/head)"
    )
    parser.add_argument("--base", default="HEAD", help="trusted base commit in --data: the default branch's")
    parser.add_argument("--api-url", help="API URL for GitHub Enterprise, e.g. https://ghe.example/api/v3 (default: github.com)")
    parser.add_argument(
        "--token-env", default="GITHUB_TOKEN", help="environment variable that holds the token (default: GITHUB_TOKEN)"
    )
    parser.add_argument("--bot-login", default="github-actions[bot]", help="login that writes the comment (to find it again)")
    parser.add_argument("--target-url", help="link for the commit statuses, e.g. the sweep's workflow run")
    parser.add_argument(
        "--max-wait", type=float, default=3300.0, help="seconds the sweep may wait for GitHub's budget to reset (default: 3300)"
    )


def run(args: argparse.Namespace) -> int:
    from kansrijk.github.client import API_FAILURES, RateLimitSpent, RetryPolicy, connect, describe_api_failure
    from kansrijk.pullrequests.report_pr import EXIT_NOT_JUDGED, EXIT_QUEUED
    from kansrijk.pullrequests.sweep import Sweep

    if not REPOSITORY.fullmatch(args.repo):
        raise UsageError(f"--repo {args.repo!r} heeft niet de vorm eigenaar/naam")
    if args.max_wait < 0:
        raise UsageError("--max-wait mag niet negatief zijn")
    if not Path(args.data, ".git").exists():
        raise UsageError(f"--data {args.data}: geen git-repository")
    token = os.environ.get(args.token_env, "")
    if not token:
        raise UsageError(f"geen token: zet de omgevingsvariabele {args.token_env}")
    gh = connect(args.api_url, token, RetryPolicy())
    sweep = Sweep(gh, args.repo, Path(args.data).resolve(), args.base, args.bot_login, args.target_url, max_wait=args.max_wait)
    try:
        outcome = sweep.run()
    except API_FAILURES as exc:
        print(f"kansrijk sweep: {describe_api_failure(exc)}", file=sys.stderr)
        return EXIT_QUEUED if isinstance(exc, RateLimitSpent) else EXIT_NOT_JUDGED
    print(
        f"sweep: {outcome.waiting} push(es) wachtten; {len(outcome.judged)} beoordeeld, {len(outcome.not_judged)} niet te "
        f"beoordelen, {len(outcome.left)} wachten nog; {outcome.waited:.0f} s gewacht op GitHub-limiet"
    )
    for number, reason in sorted(outcome.not_judged.items()):
        print(f"  PR #{number}: niet beoordeeld: {reason}", file=sys.stderr)
    return EXIT_QUEUED if outcome.left else 0
