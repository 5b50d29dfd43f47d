"""Markdown for what the bot writes on GitHub (PR comments, issue replies): untrusted text made inert.

Every string that came from a contributor goes through :func:`escape` or :func:`code` before it is
posted, so it cannot open a link, ping someone or break the layout.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def escape(text: str) -> str:
    """Plain text safe for Markdown: no HTML, no links, no emphasis, no @-mentions."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", " ").replace("\n", " ")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


def code(text: str) -> str:
    """A path in a code span; backticks and line breaks cannot escape it."""
    return "`" + text.replace("`", "'").replace("\n", " ").replace("\r", " ") + "`"
