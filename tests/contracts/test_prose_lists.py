"""Lists written in prose follow the declarations: a new form, kind or command that the docs leave out fails here.

Hand-kept lists in Markdown go stale silently (the training form was missing from "Zo doe je mee" for weeks);
these tests read the list the reader sees and compare it with the one table it should follow. The README does not
list the kinds of ``kansrijk new`` at all: ``kansrijk new --help`` shows them, from the kinds table.
"""

from __future__ import annotations

import re
from pathlib import Path

from kansrijk.cli.main import COMMANDS
from kansrijk.site.sections.forms import FORM_KINDS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def test_contributor_page_sends_readers_to_the_generated_list_of_forms() -> None:
    """The page links the forms overview (generated from the registered forms) and any form it names exists."""
    page = (ROOT / "docs" / "zo-doe-je-mee.md").read_text("utf-8")
    assert "](formulier/index.md)" in page
    named = set(re.findall(r"\]\(formulier/([a-z-]+)\.md\)", page)) - {"index"}
    assert named <= set(FORM_KINDS), f"docs/zo-doe-je-mee.md links forms that do not exist: {sorted(named - set(FORM_KINDS))}"


def test_readme_command_block_names_every_subcommand() -> None:
    shown = set(re.findall(r"^kansrijk ([a-z-]+)", README, re.M))
    assert shown == {name for name, _module, _help in COMMANDS}
