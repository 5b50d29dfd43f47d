"""``kansrijk stale [--older-than 24m]``: records due for a check, grouped by owner; optionally as reminder issues."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from kansrijk.cli.repo_root import UsageError, root_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--older-than", default="24m", help="age limit: 24m (months), 2j or 2y (years), 90d (days); default 24m")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--today", help="reference date YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--open-issues", action="store_true", help="open or update one reminder issue per owner group (token in GITHUB_TOKEN)"
    )
    parser.add_argument("--github-repo", help="owner/name of the GitHub repository for --open-issues")
    parser.add_argument("--api-url", help="GitHub Enterprise base URL (default: github.com)")


def _today(args: argparse.Namespace) -> dt.date:
    if not args.today:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        raise UsageError(f"--today: '{args.today}' is geen datum in de vorm JJJJ-MM-DD") from None


def _github_repository(args: argparse.Namespace):
    from kansrijk.github.client import RetryPolicy, connect

    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise UsageError("--open-issues heeft een token nodig in de omgevingsvariabele GITHUB_TOKEN")
    if not args.github_repo or args.github_repo.count("/") != 1:
        raise UsageError("--open-issues heeft --github-repo eigenaar/naam nodig")
    client = connect(args.api_url, token, RetryPolicy())
    owner, name = args.github_repo.split("/")
    repository = client.repository(owner, name)
    if repository is None:
        raise UsageError(f"repository {args.github_repo} niet gevonden")
    return repository


def run(args: argparse.Namespace) -> int:
    from kansrijk.records.model import Repository
    from kansrijk.tools.stale import cutoff_date, find_stale, parse_duration, render_json, render_text

    try:
        months, days = parse_duration(args.older_than)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    today = _today(args)
    cutoff = cutoff_date(today, months, days)
    groups = find_stale(Repository(root_from_args(args)), cutoff, today)
    render = render_json if args.format == "json" else render_text
    sys.stdout.write(render(groups, cutoff))
    if args.open_issues:
        from kansrijk.github.client import API_FAILURES, describe_api_failure
        from kansrijk.github.reminders import upsert_reminders

        try:
            for action, number in upsert_reminders(_github_repository(args), groups, cutoff):
                print(f"herinnering #{number} {action}", file=sys.stderr)
        except API_FAILURES as exc:
            print(f"kansrijk stale: {describe_api_failure(exc)}; probeer het later opnieuw", file=sys.stderr)
            return 1
    return 0
