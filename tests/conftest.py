"""Shared fixtures: small, real repositories in temporary folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.github_standin import TEST_TOKEN, GitHubStandIn
from support.minirepo import MiniRepo
from support.site_support import chromium

BROWSER_FOLDER = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium ``browser``: the ones in ``tests/browser/`` and every test that uses the
    ``browser`` fixture. ``pytest -m "not browser"`` is then the quick loop (``make test-quick``)."""
    for item in items:
        if BROWSER_FOLDER in item.path.parents or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def mini_repo(tmp_path: Path) -> MiniRepo:
    return MiniRepo(tmp_path / "repo")


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[str], MiniRepo]:
    def make(name: str) -> MiniRepo:
        return MiniRepo(tmp_path / name)

    return make


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubStandIn]:
    """A GitHub REST stand-in on 127.0.0.1; the token is in KANSRIJK_TEST_TOKEN and the bot is kansrijk-bot."""
    monkeypatch.setenv("KANSRIJK_TEST_TOKEN", TEST_TOKEN)
    with GitHubStandIn(token=TEST_TOKEN) as gh:
        gh.state.login = "kansrijk-bot"
        yield gh


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium, one per test module (``site_support.chromium``: headless, no network of its own)."""
    with chromium() as instance:
        yield instance
