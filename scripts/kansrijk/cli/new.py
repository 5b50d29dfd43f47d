"""``kansrijk new <kind>``: write a commented skeleton record that validates; the kinds come from kinds.py."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kansrijk.cli.repo_root import UsageError, root_from_args
from kansrijk.records.kinds import KINDS

if TYPE_CHECKING:
    from kansrijk.tools.new import Question


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=tuple(KINDS), help="record kind, from the kinds table (kinds.py)")
    # flag -> argparse destination, so a question names its flag and ``run`` finds the value whatever the dest
    dests: dict[str, str] = {}

    def option(flag: str, **kwargs: str) -> None:
        dests[flag] = parser.add_argument(flag, **kwargs).dest

    option("--id", help="slug of the new intervention or coalition")
    option("--naam", help="name")
    option("--samenvatting", help="intervention: short summary (20-300 characters)")
    option("--beschrijving", help="intervention: description (Markdown)")
    option("--actielijn", dest="actielijnen", action="append", help="intervention: action line (repeatable)")
    option("--doelgroep", dest="doelgroepen", action="append", help="intervention: target group code (repeatable)")
    option("--uitvoerder", dest="uitvoerders", action="append", help="intervention: profession code (repeatable)")
    option("--setting", dest="settings", action="append", help="intervention: setting code (repeatable)")
    option("--eigenaar", help="intervention: owner or licence holder")
    option("--bron-url", dest="bron_url", help="intervention: URL of a public source")
    option("--bron-titel", dest="bron_titel", help="intervention: title of that source")
    option("--gemeente", dest="gemeenten", action="append", help="coalition: CBS code such as GM0363 (repeatable)")
    option("--email", help="coalition: functional mailbox (never a personal address)")
    option("--coalitie", help="application: coalition slug")
    option("--ronde", help="application: round slug")
    option("--bedrag", dest="bedrag_aangevraagd", help="application: amount requested in whole euros")
    option("--door", help="application: your GitHub login")
    option("--aanbieder", help="training: the organisation that gives it")
    option("--beroep", dest="beroepen", action="append", help="training: profession code it is for (repeatable)")
    option("--thema", dest="themas", action="append", help="training: theme code (repeatable)")
    parser.add_argument("--print", action="store_true", help="print the record instead of writing it")
    parser.set_defaults(flag_dests=dests)


def _ask(question: Question) -> str:
    return input(f"{question.prompt}: ")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from kansrijk.checks.reporters import render_text
    from kansrijk.checks.validate import validate
    from kansrijk.records.loader import load_text
    from kansrijk.records.model import Repository
    from kansrijk.records.schema_check import check_document
    from kansrijk.tools.new import blueprint, build_record, gather, record_path, render, write_new

    try:
        questions = blueprint(args.kind).questions
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    root = root_from_args(args)
    repo = Repository(root)
    given = {question.field: getattr(args, args.flag_dests[question.flag]) for question in questions}
    interactive = sys.stdin.isatty() and not args.print
    try:
        values = gather(args.kind, given, _ask if interactive else None)
    except LookupError as exc:
        raise UsageError(
            f"ontbrekende waarden voor een nieuw(e) {args.kind}: {exc}. Geef ze als optie mee, of start de opdracht in een "
            "terminal om ze in te vullen."
        ) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except EOFError:
        raise UsageError("invoer afgebroken; er is niets geschreven") from None
    if args.kind == "aanvraag":
        for kind, key in (("coalitie", values["coalitie"]), ("ronde", values["ronde"])):
            if not repo.has(kind, str(key)):
                raise UsageError(f"{kind} '{key}' bestaat niet in deze repository; controleer het kenmerk")
    rel = record_path(args.kind, values)
    try:
        text = render(args.kind, build_record(args.kind, values, repo, dt.date.today()), repo)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    problems = check_document(load_text(text, rel), repo.schemas[args.kind])
    if problems:
        sys.stderr.write(render_text(problems, 1))
        print("kansrijk new: niets geschreven; pas de waarden hierboven aan.", file=sys.stderr)
        return 1
    if args.print:
        sys.stdout.write(text)
        return 0
    target = root / rel
    try:
        write_new(target, text)
    except FileExistsError:
        raise UsageError(f"{rel} bestaat al; kies een ander kenmerk of pas het bestaande bestand aan") from None
    report = validate(Repository(root), [rel])
    sys.stdout.write(render_text(report.problems, report.files_checked))
    print(f"nieuw record: {rel}")
    return 1 if report.errors else 0
