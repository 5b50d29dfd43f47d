"""The agenda's iCalendar files: no text value can start a line of its own (RFC 5545 TEXT escaping).

The loader refuses a carriage return in a record file, so these records are built in memory: the calendar writer
must hold on its own, whatever reaches it.
"""

from __future__ import annotations

import datetime
import re

import pytest

from kansrijk.records.model import Activity, RecordRef, Repository
from kansrijk.site.engine.pages import SiteContext
from kansrijk.site.sections.agenda import activity_ics_text
from support.minirepo import MiniRepo

HOSTILE = "Eerste regel\r\nEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:nep\nATTENDEE:mailto:x@example.org\u2028x;y,z\\n"
_UNESCAPE = re.compile(r"\\([\\;,nN])")


def activity(**fields: str) -> Activity:
    data = {"id": "aanval", "titel": "Webinar", "datum": "2027-01-19", "begintijd": "15:30", "eindtijd": "17:00", **fields}
    return Activity(RecordRef("activiteit", "aanval", "agenda/aanval.yaml"), data, True)


def content_lines(ics: str) -> list[str]:
    """The calendar's content lines, unfolded (RFC 5545, 3.1), after checking how the lines are broken."""
    assert ics.endswith("\r\n")
    physical = ics[:-2].split("\r\n")
    assert ics.splitlines() == physical, "a line break other than CRLF between lines"
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def text_value(lines: list[str], name: str) -> str:
    found = [line.split(":", 1)[1] for line in lines if line.split(":", 1)[0].split(";", 1)[0] == name]
    assert len(found) == 1, (name, lines)
    return _UNESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1], found[0])


@pytest.mark.parametrize("field", ["titel", "locatie", "samenvatting"])
def test_a_carriage_return_never_starts_a_line(mini_repo: MiniRepo, field: str) -> None:
    ctx = SiteContext(Repository(mini_repo.root), datetime.date(2026, 11, 23))
    ics = activity_ics_text(ctx, activity(**{field: HOSTILE}), "https://example.org/agenda/aanval/")
    lines = content_lines(ics)
    components = [line for line in lines if line.startswith(("BEGIN:", "END:"))]
    assert components == [
        *("BEGIN:VCALENDAR", "BEGIN:VTIMEZONE", "BEGIN:DAYLIGHT", "END:DAYLIGHT", "BEGIN:STANDARD", "END:STANDARD"),
        *("END:VTIMEZONE", "BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR"),
    ]
    assert all(re.match(r"[A-Z-]+[;:]", line) for line in lines)  # every line is a property, none is text
    assert not any(line.startswith(("ATTENDEE", "SUMMARY:nep")) for line in lines)
    property_name = {"titel": "SUMMARY", "locatie": "LOCATION", "samenvatting": "DESCRIPTION"}[field]
    expected = "Eerste regel\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:nep\nATTENDEE:mailto:x@example.org\nx;y,z\\n"
    assert text_value(lines, property_name) == expected


def test_other_control_characters_are_dropped_and_tabs_kept(mini_repo: MiniRepo) -> None:
    ctx = SiteContext(Repository(mini_repo.root), datetime.date(2026, 11, 23))
    ics = activity_ics_text(ctx, activity(locatie="Zaal\t1\x00\x1b[2J\x0bB\x7f"), "https://example.org/agenda/aanval/")
    assert text_value(content_lines(ics), "LOCATION") == "Zaal\t1[2JB"
