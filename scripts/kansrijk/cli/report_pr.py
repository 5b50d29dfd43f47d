"""``kansrijk report-pr``: judge a pull request at one commit in the trusted job, and publish status, comment, labels.

Exit status: 0 published (in orde, or open for a maintainer), 1 published "afgekeurd", 2 usage error,
3 not judged (the commit status is ``error`` with the reason, where GitHub could be reached), 4 queued:
GitHub's hourly budget is spent (status ``pending`` where it could still be set; the sweep judges it later).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from kansrijk.cli.repo_root import UsageError, parse_moment
from kansrijk.cli.step_summary import append_summary, bounded
from kansrijk.github.names import BRANCH, COMMIT_SHA, LOGIN, REPOSITORY

_URL = re.compile(r"https?://[^\s()<>\[\]]{1,500}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, help="OWNER/NAME of the repository")
    parser.add_argument("--sha", required=True, help="the one head commit to judge (workflow_run.head_sha)")
    parser.add_argument("--head-repo", help="OWNER/NAME the head commit comes from (workflow_run.head_repository.full_name)")
    parser.add_argument("--actor", help="login that started the checked run (workflow_run.actor.login); breaks ties only")
    parser.add_argument(
        "--pr", type=int, help="pull request number, when known; it must still fit the head commit and repository"
    )
    parser.add_argument(
        "--data",
        default=".",
        help="git repository that holds the head commit and the base, read as data only (default: the current folder)",
    )
    parser.add_argument(
        "--base",
        default="HEAD",
        help="trusted base commit in --data: the default branch's, whose CODEOWNERS and .github/kansrijk.yml count",
    )
    parser.add_argument(
        "--merge-group",
        action="store_true",
        help="the commit is a merge queue's: judge every PR in it again against --base, validate the whole, set the status",
    )
    parser.add_argument(
        "--received-at",
        help="when GitHub received the push, ISO 8601 with zone (workflow_run.created_at); new history steps are "
        "dated against it (default: now)",
    )
    parser.add_argument(
        "--default-branch",
        help="the repository's default branch, from the event (repository.default_branch); saves a request",
    )
    parser.add_argument("--api-url", help="API URL for GitHub Enterprise, e.g. https://ghe.example/api/v3 (default: github.com)")
    parser.add_argument(
        "--token-env", default="GITHUB_TOKEN", help="environment variable that holds the token (default: GITHUB_TOKEN)"
    )
    parser.add_argument("--bot-login", default="github-actions[bot]", help="login that writes the comment (to find it again)")
    parser.add_argument("--target-url", help="link for the commit status and the full report, e.g. the workflow run")
    parser.add_argument(
        "--summary", help="write the whole report (Markdown) here; default: $GITHUB_STEP_SUMMARY when set, else nowhere"
    )
    parser.add_argument("--retries", type=int, default=5, help="attempts per request (default: 5)")
    parser.add_argument("--backoff", type=float, default=1.0, help="first wait in seconds; doubles per retry (default: 1)")


def _check_arguments(args: argparse.Namespace) -> None:
    if not REPOSITORY.fullmatch(args.repo):
        raise UsageError(f"--repo {args.repo!r} heeft niet de vorm eigenaar/naam")
    if not COMMIT_SHA.fullmatch(args.sha):
        raise UsageError("--sha moet een volledige commit-hash zijn (40 tekens, kleine letters)")
    if not args.merge_group and (args.head_repo is None or not REPOSITORY.fullmatch(args.head_repo)):
        raise UsageError("--head-repo eigenaar/naam is nodig: de repository waar de head-commit vandaan komt")
    if args.default_branch is not None and (not BRANCH.fullmatch(args.default_branch) or ".." in args.default_branch):
        raise UsageError(f"--default-branch {args.default_branch!r} is geen geldige taknaam")
    if args.actor is not None and not LOGIN.fullmatch(args.actor):
        raise UsageError(f"--actor {args.actor!r} is geen geldige GitHub-gebruikersnaam")
    if args.pr is not None and args.pr < 1:
        raise UsageError("--pr moet een PR-nummer zijn (1 of hoger)")
    if args.target_url is not None and not _URL.fullmatch(args.target_url):
        raise UsageError("--target-url moet een http(s)-adres zijn zonder spaties of haakjes")
    if args.retries < 1 or args.backoff < 0:
        raise UsageError("--retries moet minstens 1 zijn en --backoff niet negatief")
    if not Path(args.data, ".git").exists():
        raise UsageError(f"--data {args.data}: geen git-repository")


def run(args: argparse.Namespace) -> int:
    """Judge and publish; whatever goes wrong after the arguments ends in exit 3 and, where possible, an error status."""
    from kansrijk.pullrequests.report_pr import EXIT_NOT_JUDGED

    _check_arguments(args)
    received_at = parse_moment(args.received_at, "--received-at")
    token = os.environ.get(args.token_env, "")
    if not token:
        raise UsageError(f"geen token: zet de omgevingsvariabele {args.token_env}")
    summary = args.summary or os.environ.get("GITHUB_STEP_SUMMARY")
    try:
        return _judge_and_publish(args, token, summary, received_at)
    except Exception as exc:  # a crash must never read as "afgekeurd" (1): it is "not judged" (3), and says so
        reason = f"interne fout in de controle ({type(exc).__name__}); een beheerder moet de run bekijken"
        print(f"kansrijk report-pr: niet beoordeeld: {reason}", file=sys.stderr)
        return EXIT_NOT_JUDGED


def _judge_and_publish(args: argparse.Namespace, token: str, summary: str | None, received_at: dt.datetime | None) -> int:
    from kansrijk.checks.reporters import render_text
    from kansrijk.github.client import API_FAILURES, RateLimitSpent, RetryPolicy, connect, describe_api_failure
    from kansrijk.github.markdown import escape
    from kansrijk.pullrequests.report import Verdict, render_markdown
    from kansrijk.pullrequests.report_pr import (
        EXIT_NOT_JUDGED,
        EXIT_PASSED,
        EXIT_QUEUED,
        EXIT_REJECTED,
        NotJudged,
        RunFacts,
        TrustedCheck,
        judge_merge_group,
    )

    gh = connect(args.api_url, token, RetryPolicy(attempts=args.retries, base_delay=args.backoff))
    data = Path(args.data).resolve()
    if args.merge_group:
        try:
            queue = judge_merge_group(gh, args.repo, data, args.sha, args.base, args.target_url)
        except (NotJudged, *API_FAILURES) as exc:
            reason = exc.reason if isinstance(exc, NotJudged) else describe_api_failure(exc)
            print(f"kansrijk report-pr: niet beoordeeld: {reason}", file=sys.stderr)
            return EXIT_QUEUED if isinstance(exc, RateLimitSpent) else EXIT_NOT_JUDGED
        lines = []
        for queued in queue.pulls:
            lines.append(f"- PR #{queued.number or '?'} ({queued.commit[:12]}): {queued.verdict}: {queued.reason}")
            for f in queued.report.files if queued.report else []:
                lines += [f"  {f.path}:{problem.line}: {problem.message}" for problem in f.problems if problem.is_error]
                lines += [f"  {f.path}: {r.reason} (niet toegestaan)" for r in f.requirements if r.met is False]
        text = "\n".join(lines) + "\n" + render_text(queue.validation.problems, queue.validation.files_checked)
        append_summary(summary, bounded(lambda limit: f"```text\n{text[:limit]}```\n"), "report-pr")
        print(f"{text}wachtrij-commit {args.sha[:12]}: {queue.verdict}")
        return EXIT_REJECTED if queue.verdict == Verdict.REJECTED else EXIT_PASSED

    facts = RunFacts(args.repo, args.sha, args.head_repo, args.actor, args.pr, received_at, args.default_branch)
    check = None
    try:
        check = TrustedCheck(gh, facts, data, args.base, args.bot_login, args.target_url)
        outcome = check.judge()
    except RateLimitSpent as exc:  # never lost: pending where possible, what is left said, a code of its own
        left = check.queue() if check is not None else ["status", "reactie", "labels"]
        verdict = f"; oordeel al bekend: {check.report.verdict()}" if check is not None and check.report else ""
        reason = f"{describe_api_failure(exc)}; nog niet gedaan: {', '.join(left)}{verdict}. De sweep beoordeelt deze push later"
        print(f"kansrijk report-pr: in de wachtrij: {reason}", file=sys.stderr)
        append_summary(summary, f"⏳ **In de wachtrij:** {escape(reason)}\n", "report-pr")
        return EXIT_QUEUED
    except Exception as exc:  # every failure ends in a Dutch reason and, where possible, an "error" status
        if isinstance(exc, NotJudged):
            reason, mark = exc.reason, exc.mark
        elif isinstance(exc, API_FAILURES):
            reason, mark = describe_api_failure(exc), True
        else:
            reason, mark = f"interne fout in de controle ({type(exc).__name__}); een beheerder moet de run bekijken", True
        print(f"kansrijk report-pr: niet beoordeeld: {reason}", file=sys.stderr)
        append_summary(summary, f"⚠️ **Niet beoordeeld:** {escape(reason)}\n", "report-pr")
        if mark and check is not None:
            try:
                check.mark_not_judged(reason)
            except API_FAILURES as again:
                print(
                    f"kansrijk report-pr: ook de status 'error' kon niet gezet worden: {describe_api_failure(again)}",
                    file=sys.stderr,
                )
        return EXIT_NOT_JUDGED
    if check.report is not None:
        report = check.report
        append_summary(summary, bounded(lambda limit: render_markdown(report, limit, None)), "report-pr")
    print(f"PR #{outcome.number}: {outcome.verdict}; reactie {outcome.comment}; labels: {', '.join(outcome.labels) or 'geen'}")
    return EXIT_REJECTED if outcome.verdict == Verdict.REJECTED else EXIT_PASSED
