"""``kansrijk report-pr``: publish a ``check-pr`` report on GitHub (comment, labels, commit status)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from ..repo_root import UsageError

_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SHA = re.compile(r"[0-9a-f]{40}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", required=True, help="the JSON report written by check-pr (treated as untrusted data)")
    parser.add_argument("--repo", required=True, help="OWNER/NAME of the repository")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--pr", type=int, help="pull request number")
    which.add_argument("--sha", help="head commit of the pull request (for forks: workflow_run carries no PR list)")
    parser.add_argument("--api-url", help="API URL for GitHub Enterprise, e.g. https://ghe.example/api/v3 (default: github.com)")
    parser.add_argument(
        "--token-env", default="GITHUB_TOKEN", help="environment variable that holds the token (default: GITHUB_TOKEN)"
    )
    parser.add_argument(
        "--codeowners",
        help="trusted CODEOWNERS (from the default branch); ownership is then recomputed from it and the PR's file list",
    )
    parser.add_argument(
        "--settings",
        help="trusted .github/kansrijk.yml (from the default branch): its automation accounts may open PRs on behalf of "
        "issue authors; without it, a report on behalf of someone else is refused",
    )
    parser.add_argument("--bot-login", default="github-actions[bot]", help="login that writes the comment (to find it again)")
    parser.add_argument("--target-url", help="link for the commit status, e.g. the workflow run")
    parser.add_argument("--retries", type=int, default=5, help="attempts per request (default: 5)")
    parser.add_argument("--backoff", type=float, default=1.0, help="first wait in seconds; doubles per retry (default: 1)")


def _read_report(path: str):
    from ..prreport import MAX_REPORT_BYTES, ReportError, parse_report

    try:
        size = Path(path).stat().st_size
        if size > MAX_REPORT_BYTES:
            raise UsageError(f"rapport {path} is groter dan {MAX_REPORT_BYTES // 1024 // 1024} MB; geweigerd")
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"kan rapport {path} niet lezen: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UsageError(f"rapport {path} is geen geldige JSON: {exc}") from None
    try:
        return parse_report(payload)
    except ReportError as exc:
        raise UsageError(f"rapport {path} geweigerd: {exc}") from None


def run(args: argparse.Namespace) -> int:

    from ..codeowners import CodeOwners
    from ..github import API_FAILURES, RetryPolicy, connect, describe_api_failure, publish

    if not _REPO.fullmatch(args.repo):
        raise UsageError(f"--repo {args.repo!r} heeft niet de vorm eigenaar/naam")
    if args.sha is not None and not _SHA.fullmatch(args.sha):
        raise UsageError("--sha moet een volledige commit-hash van 40 tekens zijn")
    if args.retries < 1 or args.backoff < 0:
        raise UsageError("--retries moet minstens 1 zijn en --backoff niet negatief")
    token = os.environ.get(args.token_env, "")
    if not token:
        raise UsageError(f"geen token: zet de omgevingsvariabele {args.token_env}")
    report = _read_report(args.report)
    codeowners = None
    if args.codeowners:
        try:
            codeowners = CodeOwners.parse(Path(args.codeowners).read_text(encoding="utf-8"), args.codeowners)
        except OSError as exc:
            raise UsageError(f"kan {args.codeowners} niet lezen: {exc.strerror}") from None
    automation = None
    if args.settings:
        from ..automation import SettingsError, automation_accounts

        try:
            automation = automation_accounts(Path(args.settings).read_text(encoding="utf-8"), args.settings)
        except OSError as exc:
            raise UsageError(f"kan {args.settings} niet lezen: {exc.strerror}") from None
        except SettingsError as exc:
            raise UsageError(str(exc)) from None
    gh = connect(args.api_url, token, RetryPolicy(attempts=args.retries, base_delay=args.backoff))
    try:
        outcome = publish(gh, args.repo, report, args.pr, args.sha, codeowners, args.bot_login, args.target_url, automation)
    except API_FAILURES as exc:
        print(f"kansrijk report-pr: {describe_api_failure(exc)}", file=sys.stderr)
        return 1
    except LookupError as exc:
        print(f"kansrijk report-pr: {exc}", file=sys.stderr)
        return 1
    print(f"PR #{outcome.number}: {outcome.verdict}; reactie {outcome.comment}; labels: {', '.join(outcome.labels) or 'geen'}")
    return 0
