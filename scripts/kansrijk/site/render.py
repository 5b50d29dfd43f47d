"""Engine-free output: ``docs/`` plus the generated pages on disk, so any engine (Zensical) can build it."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import yaml

from .build import build_pages


def render_site(root: Path, out: Path, today: datetime.date | None = None) -> int:
    """Copy ``docs/`` to ``out/docs`` with ``mkdocs.yml`` beside it, add the generated pages; return their number."""
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    pages = build_pages(root, today, str(settings.get("site_url") or ""))
    docs_out = out / "docs"
    shutil.copytree(root / "docs", docs_out, dirs_exist_ok=True)
    shutil.copy2(root / "mkdocs.yml", out / "mkdocs.yml")
    for page in pages:
        target = docs_out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    return len(pages)
