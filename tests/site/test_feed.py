"""The news feed (``nieuws/feed.xml``): well-formed RSS 2.0 whatever a post's front matter says."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from xml.etree import ElementTree

from kansrijk.records.model import Repository
from kansrijk.site.engine.pages import SiteContext
from kansrijk.site.sections.feed import FEED, feed_pages
from support.site_support import REPO

SITE_URL = "https://voorbeeld.nl/kansrijk/"


def _post(folder: Path, name: str, front_matter: str) -> None:
    (folder / name).write_text(f"---\n{front_matter}---\n\n# Kop\n\nTekst.\n", encoding="utf-8")


def test_feed_escapes_post_text_and_lists_newest_first(tmp_path: Path) -> None:
    for name in ("schemas", "vocab"):
        shutil.copytree(REPO / name, tmp_path / name)
    posts = tmp_path / "docs" / "nieuws" / "posts"
    posts.mkdir(parents=True)
    _post(posts, "oud.md", "date: 2024-01-05\nslug: oud\ntitle: Oud & <b>vet</b>\ndescription: 'Een ]]> en een \"quote\"'\n")
    _post(posts, "nieuw.md", "date:\n  created: 2025-03-02\nslug: nieuw\ntitle: Nieuw\n")
    _post(posts, "concept.md", "slug: zonder-datum\ntitle: Zonder datum\n")
    ctx = SiteContext(repo=Repository(tmp_path), today=datetime.date(2025, 4, 1), site_url=SITE_URL)

    (page,) = feed_pages(ctx)
    assert page.path == FEED and page.content.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">')
    channel = ElementTree.fromstring(page.content).find("channel")
    assert channel is not None and channel.findtext("link") == SITE_URL + "nieuws/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Nieuw", "Oud & <b>vet</b>"], "newest first; no date, no item"
    assert items[0].findtext("link") == items[0].findtext("guid") == SITE_URL + "nieuws/nieuw/"
    assert items[0].findtext("pubDate") == "Sun, 02 Mar 2025 09:00:00 +0000"
    assert items[0].findtext("description") == ""
    assert items[1].findtext("description") == 'Een ]]> en een "quote"'
    assert "<b>" not in page.content and "Oud &amp; &lt;b&gt;vet&lt;/b&gt;" in page.content
