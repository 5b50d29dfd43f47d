"""The agenda (``agenda/``): upcoming activities first, past ones archived, an iCalendar file per activity."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kansrijk.records.model import Activity
from kansrijk.site.engine.html import html_page
from kansrijk.site.engine.pages import GENERATORS, Page, SiteContext
from kansrijk.site.engine.templating import TemplateContext, render_context
from kansrijk.site.engine.urls import AGENDA, CONTRIBUTE, activity_ics, activity_page, form_page, theme_page
from kansrijk.site.parts.activities import when
from kansrijk.site.parts.facts import Link

# Line breaks: CRLF, a lone CR or LF, and the ones other readers split lines on (NEL, LS, PS; str.splitlines does).
_ICS_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # RFC 5545 TEXT: no CONTROL but HTAB (line breaks are gone)

# Europe/Amsterdam with the EU summer-time rules, so calendar programs show local times correctly.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11): backslash, semicolon and comma escaped, and every line break written as
    ``\\n``, so no value can start a line of its own; other control characters, which TEXT does not allow, are dropped
    (the loader refuses them in records already)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _ICS_CONTROL.sub("", _ICS_BREAK.sub(r"\\n", escaped))


def _fold(line: str) -> list[str]:
    """Fold content lines at 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return [line]
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return [parts[0]] + [" " + part for part in parts[1:]]


def _ics_date(iso: str) -> str:
    return iso.replace("-", "")


def _next_day(iso: str) -> str:
    import datetime

    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=1)).isoformat()


def activity_ics_text(ctx: SiteContext, activity: Activity, page_url: str) -> str:
    """One VEVENT; timed when begin and end times are known, otherwise all-day."""
    data = activity.data
    start = str(data["datum"])
    end = str(data.get("einddatum", start))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kansrijke Start kennisbank//agenda//NL", "CALSCALE:GREGORIAN"]
    timed = data.get("begintijd") and data.get("eindtijd")
    if timed:
        lines += VTIMEZONE
    lines += ["BEGIN:VEVENT", f"UID:{activity.key}@kansrijk-agenda", f"DTSTAMP:{ctx.today.strftime('%Y%m%d')}T000000Z"]
    if timed:
        lines.append(f"DTSTART;TZID=Europe/Amsterdam:{_ics_date(start)}T{data['begintijd'].replace(':', '')}00")
        lines.append(f"DTEND;TZID=Europe/Amsterdam:{_ics_date(end)}T{data['eindtijd'].replace(':', '')}00")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{_ics_date(start)}")
        lines.append(f"DTEND;VALUE=DATE:{_ics_date(_next_day(end))}")
    title = activity.title + (" (voorbeeld)" if activity.is_example else "")
    lines += [
        f"SUMMARY:{_ics_text(title)}",
        f"LOCATION:{_ics_text(str(data.get('locatie', '')))}",
        f"DESCRIPTION:{_ics_text(str(data.get('samenvatting', '')))}",
        f"URL:{page_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))


@dataclass(frozen=True)
class ActivityPageContext(TemplateContext):
    template = "agenda/activity.html"

    path: str
    index_path: str
    ics: str
    is_example: bool
    past: bool
    summary: str
    kind: str
    when: str
    location: str
    organiser: str
    themes: list[Link]
    signup: str  # "" once the activity is past
    source: str
    description: str  # Markdown
    form: str  # the activity form's page, for the change link
    key: str


def _activity_page(ctx: SiteContext, activity: Activity, past: bool) -> Page:
    path = activity_page(activity.key)
    data = activity.data
    themes = ctx.codelists["themas"]
    body = render_context(
        ActivityPageContext(
            path=path,
            index_path=AGENDA,
            ics=activity_ics(activity.key),
            is_example=activity.is_example,
            past=past,
            summary=data["samenvatting"],
            kind=ctx.codelists["activiteitsoorten"].label(data["soort"]),
            when=when(activity),
            location=data["locatie"],
            organiser=data["organisator"],
            themes=[Link(theme_page(t), themes.label(t)) for t in data.get("themas", [])],
            signup="" if past else data.get("aanmelden", ""),
            source=data.get("bron", ""),
            description=str(data.get("beschrijving") or ""),
            form=form_page("activiteit"),
            key=activity.key,
        )
    )
    return Page(path, html_page(activity.title, body))


@dataclass(frozen=True)
class ListedActivity:
    """What the agenda's list shows of one activity."""

    page: str
    ics: str
    title: str
    is_example: bool
    when: str
    kind: str
    location: str
    summary: str


def _listed(ctx: SiteContext, activity: Activity) -> ListedActivity:
    data = activity.data
    return ListedActivity(
        activity_page(activity.key),
        activity_ics(activity.key),
        activity.title,
        activity.is_example,
        when(activity),
        ctx.codelists["activiteitsoorten"].labels.get(data["soort"], ""),
        data["locatie"],
        data["samenvatting"],
    )


@dataclass(frozen=True)
class AgendaContext(TemplateContext):
    template = "agenda/index.html"

    path: str
    contribute: str
    upcoming: list[ListedActivity]
    past: list[ListedActivity]  # latest first


def agenda_pages(ctx: SiteContext) -> Iterable[Page]:
    today = ctx.today.isoformat()
    activities = ctx.activities
    upcoming = [a for a in activities if str(a.data.get("einddatum", a.date)) >= today]
    past = [a for a in reversed(activities) if str(a.data.get("einddatum", a.date)) < today]
    past_keys = {a.key for a in past}
    site_url = ctx.site_url
    for activity in activities:
        yield _activity_page(ctx, activity, activity.key in past_keys)
        yield Page(
            activity_ics(activity.key), activity_ics_text(ctx, activity, site_url + activity_page(activity.key)[:-3] + "/")
        )
    body = render_context(
        AgendaContext(
            path=AGENDA,
            contribute=CONTRIBUTE,
            upcoming=[_listed(ctx, a) for a in upcoming],
            past=[_listed(ctx, a) for a in past],
        )
    )
    yield Page(AGENDA, html_page("Agenda", body))


GENERATORS.append(agenda_pages)
