"""Page templates of the record sections get one typed context each (after datasette's tests/test_template_context.py).

A generator renders a page template from a frozen ``TemplateContext`` dataclass. This test holds every such
context to the names its template reads: a field the template never uses, or a name the template uses that is
neither a field nor an environment global, fails here instead of at build time (or not at all).
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from jinja2 import meta

from kansrijk.site.engine.pages import load_generators
from kansrijk.site.engine.templating import TemplateContext, environment

# Template folders of the sections whose page templates are rendered from a typed context.
TYPED_SECTIONS = ("agenda", "coalitions", "forms", "monitor", "municipalities", "opendata", "rounds", "schemas", "themes")
# Macro libraries: imported by page templates, never rendered with a context of their own.
MACRO_LIBRARIES = {"forms/fields.html", "rounds/macros.html"}


def _contexts() -> dict[str, type[TemplateContext]]:
    """Template name -> its context class, from every subclass the generator modules define."""
    load_generators()
    found: dict[str, type[TemplateContext]] = {}
    pending = list(TemplateContext.__subclasses__())
    while pending:
        context = pending.pop()
        assert context.template not in found, f"{context.template} has two contexts: {found[context.template]} and {context}"
        found[context.template] = context
        pending.extend(context.__subclasses__())
    return found


CONTEXTS = _contexts()


def _section_templates() -> list[str]:
    return [
        name for name in environment().list_templates() if name.split("/", 1)[0] in TYPED_SECTIONS and name not in MACRO_LIBRARIES
    ]


@pytest.mark.parametrize("template", _section_templates())
def test_every_section_page_template_has_a_typed_context(template: str) -> None:
    assert template in CONTEXTS, f"{template} is rendered without a TemplateContext"


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_a_context_has_exactly_the_names_its_template_reads(template: str) -> None:
    env = environment()
    assert env.loader is not None
    source = env.loader.get_source(env, template)[0]
    used = meta.find_undeclared_variables(env.parse(source)) - set(env.globals)
    declared = {f.name for f in fields(CONTEXTS[template])}
    assert not used - declared, f"{template} reads names its context lacks: {sorted(used - declared)}"
    assert not declared - used, f"{CONTEXTS[template].__name__} has fields {template} never reads: {sorted(declared - used)}"
