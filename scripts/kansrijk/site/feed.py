"""The news feed (``nieuws/feed.xml``, RSS 2.0), built from the blog posts' front matter.

Generated here rather than by mkdocs-rss-plugin: one dependency less, and engines without
MkDocs plugins get the feed too.
"""

from __future__ import annotations

import datetime
import email.utils
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from .pages import GENERATORS, Page, SiteContext

POSTS_DIR = "docs/nieuws/posts"
FEED = "nieuws/feed.xml"


def read_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    header = text.split("---", 2)[1]
    return yaml.safe_load(header) or {}


def feed_pages(ctx: SiteContext) -> Iterable[Page]:
    site_url = ctx.site_url
    posts = []
    for path in sorted((ctx.repo.root / POSTS_DIR).glob("*.md")):
        meta = read_front_matter(path)
        date = meta.get("date")
        if isinstance(date, dict):
            date = date.get("created")
        if not isinstance(date, datetime.date) or not meta.get("slug"):
            continue
        posts.append((date, meta))
    posts.sort(key=lambda item: item[0], reverse=True)
    items = []
    for date, meta in posts:
        link = f"{site_url}nieuws/{meta['slug']}/"
        moment = datetime.datetime.combine(date, datetime.time(9, 0), tzinfo=datetime.UTC)
        items.append(
            "<item>"
            f"<title>{escape(str(meta.get('title', meta['slug'])))}</title>"
            f"<link>{escape(link)}</link><guid>{escape(link)}</guid>"
            f"<pubDate>{email.utils.format_datetime(moment)}</pubDate>"
            f"<description>{escape(str(meta.get('description', '')))}</description>"
            "</item>"
        )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>Kansrijke Start kennisbank: nieuws</title>"
        f"<link>{escape(site_url)}nieuws/</link>"
        "<description>Nieuws over Kansrijke Start, de coalities en de Impulsregeling.</description>"
        "<language>nl</language>" + "".join(items) + "</channel></rss>\n"
    )
    yield Page(FEED, feed)


GENERATORS.append(feed_pages)
