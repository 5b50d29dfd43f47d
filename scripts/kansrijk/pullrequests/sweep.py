"""``kansrijk sweep``: judge every open PR whose head has no final verdict, oldest push first, within GitHub's budget.

On a deadline day ``report-pr`` can find GitHub's hourly budget spent; it then leaves a ``pending``
status "in de wachtrij" (or none at all) and exits 4. Nothing judges that push again by itself, so a
scheduled workflow (``sweep.yml``, also started by hand) runs this sweep:

1. one GraphQL query per 100 open PRs gives every head and its ``kansrijk/pr-check`` status;
2. a head without a status, or with the queue's ``pending``, waits for a verdict;
3. each waiting push is dated by when GitHub received it (its first ``pr-check`` run), and the oldest
   is judged first, with that moment as trusted time: a late judgement never refuses an on-time push;
4. before each judgement the sweep looks at the budget GitHub reported: when too little is left, it
   sleeps until the reset instead of spending requests on refusals. It stops after ``max_wait``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kansrijk.github.client import OpenHead, RateLimitSpent, RepositoryApi, open_pull_heads
from kansrijk.pullrequests.report_pr import (
    QUEUED_DESCRIPTION,
    STATUS_CONTEXT,
    NotJudged,
    RunFacts,
    TrustedCheck,
)

# Requests one judgement may need (an ordinary push costs at most 6, plus the receipt look-up): below this, wait.
RESERVE = 8


@dataclass
class SweepOutcome:
    waiting: int = 0  # heads that had no final verdict when the sweep began
    judged: list[int] = field(default_factory=list)  # PR numbers, in the order judged
    not_judged: dict[int, str] = field(default_factory=dict)  # PR number -> Dutch reason
    left: list[int] = field(default_factory=list)  # still waiting when the sweep stopped
    waited: float = 0.0  # seconds spent waiting for GitHub's budget to reset


def needs_verdict(head: OpenHead, default_branch: str) -> bool:
    """No status of ours on the head yet, or the queue's pending one: the push waits for its judgement."""
    if head.base_ref != default_branch:
        return False
    return head.state is None or (head.state == "pending" and head.description == QUEUED_DESCRIPTION)


class Sweep:
    """One sweep over a repository; ``sleep`` and ``clock`` are the session's, so a virtual clock drives it all."""

    def __init__(
        self,
        gh,
        repository: str,
        data_root: Path,
        base: str,
        bot_login: str,
        target_url: str | None,
        *,
        max_wait: float = 3600.0,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.gh = gh
        self.repository = repository
        self.data_root = data_root
        self.base = base
        self.bot_login = bot_login
        self.target_url = target_url
        self.max_wait = max_wait
        self.sleep = sleep or gh.session.sleep
        self.clock = clock or gh.session.clock
        self.api = RepositoryApi(gh, repository)

    def run(self) -> SweepOutcome:
        outcome = SweepOutcome()
        default_branch = self.api.repository()["default_branch"]
        heads = self.with_budget(lambda: open_pull_heads(self.gh, self.repository, STATUS_CONTEXT), outcome)
        waiting = [h for h in heads if needs_verdict(h, default_branch)]
        outcome.waiting = len(waiting)
        arrivals = {h.number: self.with_budget(lambda h=h: self.api.received_at(h.sha), outcome) for h in waiting}
        never = dt.datetime.max.replace(tzinfo=dt.UTC)
        for head in sorted(waiting, key=lambda h: (arrivals[h.number] or never, h.number)):
            if outcome.waited > self.max_wait:
                outcome.left.append(head.number)
                continue
            facts = RunFacts(
                self.repository,
                head.sha,
                head.head_repository or "",
                None,
                head.number,
                arrivals[head.number],
                default_branch,
            )
            check = TrustedCheck(self.gh, facts, self.data_root, self.base, self.bot_login, self.target_url)
            try:
                self.with_budget(check.judge, outcome)
                outcome.judged.append(head.number)
            except NotJudged as exc:
                outcome.not_judged[head.number] = exc.reason
                if exc.mark:
                    self.with_budget(lambda c=check, r=exc.reason: c.mark_not_judged(r), outcome)
        return outcome

    def with_budget(self, action: Callable, outcome: SweepOutcome):
        """Run ``action`` when GitHub's budget allows it; sleep until the reset when it does not, then try again."""
        while True:
            budget = self.gh.session.budget
            if budget.remaining is not None and budget.remaining < RESERVE and budget.reset_at:
                self.wait_until(budget.reset_at, outcome)
            try:
                return action()
            except RateLimitSpent as spent:
                self.wait_until(spent.reset_at, outcome)

    def wait_until(self, reset_at: float, outcome: SweepOutcome) -> None:
        wait = max(reset_at - self.clock(), 0.0) + 1
        outcome.waited += wait
        if outcome.waited > self.max_wait + wait:
            raise RateLimitSpent(reset_at)
        self.sleep(wait)
        self.gh.session.budget.remaining = None  # a new window: GitHub's next answer says what is left
