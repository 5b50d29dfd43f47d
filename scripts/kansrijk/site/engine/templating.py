"""Jinja2 templates for generated pages: markup lives in ``site/templates/``, generators compute a context.

Jinja2 is not MkDocs-specific (MkDocs and Zensical both bring it), so pages stay engine-free.
Autoescape is on for every template: record text can never become markup by accident; the
only way in for HTML is ``Markup`` from a function that built it safely (``markdown_html``).
``StrictUndefined`` turns a misspelt context name into an error instead of an empty string.

A page template gets one typed context: a frozen dataclass deriving from ``TemplateContext`` that names its
template, so a generator cannot pass a name the template does not read (or forget one it does) without the
type checker or the contract test (``tests/contracts/test_template_contexts.py``) saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import ClassVar

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kansrijk.nlformat import nl_date
from kansrijk.site.engine.html import asset_href, external_link, href, markdown_html


@cache
def environment() -> Environment:
    """The one template environment of a process (templates are compiled once and cached by Jinja)."""
    env = Environment(
        loader=PackageLoader("kansrijk.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates ship with the package; no stat() per page on a 5,000-record build
    )
    env.filters["nl_date"] = nl_date
    env.filters["markdown"] = lambda text: Markup(markdown_html(text))
    env.globals["href"] = href
    env.globals["asset_href"] = asset_href
    env.globals["external_link"] = lambda url, text=None: Markup(external_link(url, text))
    return env


def render(template_name: str, **context: object) -> str:
    """Render ``site/templates/<template_name>`` with ``context``; the result is an HTML fragment."""
    return environment().get_template(template_name).render(**context)


@dataclass(frozen=True)
class TemplateContext:
    """The context of one page template: its fields are exactly the names the template reads besides the globals."""

    template: ClassVar[str]


def render_context(context: TemplateContext) -> str:
    """Render the context's template with its fields as the template's names."""
    return render(context.template, **{f.name: getattr(context, f.name) for f in fields(context)})
