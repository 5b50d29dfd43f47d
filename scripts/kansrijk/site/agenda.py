"""The agenda (``agenda/``): upcoming activities first, past ones archived, an iCalendar file per activity."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Activity
from .html import asset_href, esc, example_badge, external_link, href, html_page, markdown_html, nl_date
from .interventions import THEME_LABELS
from .pages import GENERATORS, Page, SiteContext

AGENDA = "agenda/index.md"
KIND_LABELS = {
    "webinar": "Webinar",
    "training": "Training",
    "leerbijeenkomst": "Leerbijeenkomst",
    "congres": "Congres",
    "netwerkbijeenkomst": "Netwerkbijeenkomst",
}
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


def activity_path(key: str) -> str:
    return f"agenda/{key}.md"


def ics_path(key: str) -> str:
    return f"agenda/{key}.ics"


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


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


def activity_ics(ctx: SiteContext, activity: Activity, page_url: str) -> str:
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


def when(activity: Activity) -> str:
    data = activity.data
    text = nl_date(data["datum"])
    if data.get("einddatum") and data["einddatum"] != data["datum"]:
        text += f" tot en met {nl_date(data['einddatum'])}"
    if data.get("begintijd"):
        text += f", {data['begintijd']}"
        if data.get("eindtijd"):
            text += f"–{data['eindtijd']}"
        text += " uur"
    return text


def activity_page(ctx: SiteContext, activity: Activity, past: bool) -> Page:
    path = activity_path(activity.key)
    data = activity.data
    themes = ", ".join(
        f'<a href="{href(path, f"themas/{t}.md")}">{esc(THEME_LABELS.get(t, t))}</a>' for t in data.get("themas", [])
    )
    rows = [
        ("Soort", esc(KIND_LABELS.get(data["soort"], data["soort"]))),
        ("Wanneer", esc(when(activity))),
        ("Waar", esc(data["locatie"])),
        ("Organisator", esc(data["organisator"])),
        ("Thema's", themes),
        ("Aanmelden", external_link(data["aanmelden"]) if data.get("aanmelden") and not past else ""),
        ("Bron", external_link(data["bron"]) if data.get("bron") else ""),
    ]
    table = "".join(f'<tr><th scope="row">{name}</th><td>{value}</td></tr>' for name, value in rows if value)
    note = (
        '<p class="ks-voorbeeld-melding"><strong>Voorbeeld.</strong> Deze activiteit is verzonnen om de agenda te laten zien.</p>'
        if activity.is_example
        else ""
    )
    body = f"""<div data-pagefind-filter="soort:activiteit">
<p class="ks-kop">{example_badge(activity.is_example)}{'<span class="ks-badge">Voorbij</span>' if past else ""}</p>
{note}
<p class="ks-samenvatting">{esc(data["samenvatting"])}</p>
<table class="ks-kenmerken"><caption class="ks-sr">Gegevens van de activiteit</caption>{table}</table>
{markdown_html(str(data["beschrijving"])) if data.get("beschrijving") else ""}
<p><a class="md-button" href="{asset_href(path, ics_path(activity.key))}" download>Zet in je agenda (.ics)</a></p>
<p class="ks-terug"><a href="{href(path, AGENDA)}">Terug naar de agenda</a></p>
</div>"""
    return Page(path, html_page(activity.title, body))


def _list_item(activity: Activity) -> str:
    return (
        f'<li><a href="{href(AGENDA, activity_path(activity.key))}">{esc(activity.title)}</a>{example_badge(activity.is_example)}'
        f'<span class="ks-meta">{esc(when(activity))} · {esc(KIND_LABELS.get(activity.data["soort"], ""))} · {esc(activity.data["locatie"])}</span>'
        f'<span class="ks-samenvatting">{esc(activity.data["samenvatting"])}</span>'
        f'<a href="{asset_href(AGENDA, ics_path(activity.key))}" download>iCalendar-bestand<span class="ks-sr"> voor {esc(activity.title)}</span></a></li>'
    )


def agenda_pages(ctx: SiteContext) -> Iterable[Page]:
    today = ctx.today.isoformat()
    activities = sorted(ctx.repo.activities, key=lambda a: (a.date, a.key))
    upcoming = [a for a in activities if str(a.data.get("einddatum", a.date)) >= today]
    past = [a for a in reversed(activities) if str(a.data.get("einddatum", a.date)) < today]
    site_url = str(ctx.extra.get("site_url", ""))
    for activity in activities:
        is_past = activity in past
        yield activity_page(ctx, activity, is_past)
        yield Page(ics_path(activity.key), activity_ics(ctx, activity, site_url + activity_path(activity.key)[:-3] + "/"))
    upcoming_html = "".join(_list_item(a) for a in upcoming) or "<li>Er staan nu geen activiteiten gepland.</li>"
    past_html = "".join(_list_item(a) for a in past) or "<li>Nog geen eerdere activiteiten.</li>"
    body = f"""<p>Webinars, trainingen en leerbijeenkomsten over Kansrijke Start. Elke activiteit heeft een
iCalendar-bestand (.ics) voor uw agenda. Een activiteit toevoegen? Zie <a href="{href(AGENDA, "zo-doe-je-mee.md")}">Zo doe je mee</a>.</p>
<h2 id="binnenkort">Binnenkort</h2>
<ul class="ks-resultaten" data-pagefind-ignore>{upcoming_html}</ul>
<h2 id="archief">Archief</h2>
<ul class="ks-resultaten" data-pagefind-ignore>{past_html}</ul>"""
    yield Page(AGENDA, html_page("Agenda", body))


GENERATORS.append(agenda_pages)
