"""Engine-free output: ``docs/`` plus the generated pages on disk, so any engine (Zensical) can build it."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import yaml

from kansrijk.site.engine.build import build_pages


def without_hooks(config_text: str) -> str:
    """The configuration minus its ``hooks:`` block: the pages are already on disk, generating them again would clash."""
    kept: list[str] = []
    skipping = False
    for line in config_text.splitlines(keepends=True):
        if line.startswith("hooks:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept)


def render_site(root: Path, out: Path, today: datetime.date | None = None) -> int:
    """Copy ``docs/`` to ``out/docs`` with ``mkdocs.yml`` beside it, add the generated pages; return their number."""
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    pages = build_pages(root, today, str(settings.get("site_url") or ""))
    docs_out = out / "docs"
    shutil.copytree(root / "docs", docs_out, dirs_exist_ok=True)
    (out / "mkdocs.yml").write_text(without_hooks((root / "mkdocs.yml").read_text(encoding="utf-8")), encoding="utf-8")
    for page in pages:
        target = docs_out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    return len(pages)
