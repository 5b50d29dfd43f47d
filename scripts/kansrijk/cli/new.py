"""``kansrijk new <kind>``: write a commented skeleton record that validates; the kinds come from kinds.py."""

from __future__ import annotations

import argparse
import sys

from kansrijk.cli.repo_root import UsageError, root_from_args
from kansrijk.records.kinds import KINDS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=tuple(KINDS), help="record kind, from the kinds table (kinds.py)")
    parser.add_argument("--id", help="slug of the new intervention or coalition")
    parser.add_argument("--naam", help="name")
    parser.add_argument("--samenvatting", help="intervention: short summary (20-300 characters)")
    parser.add_argument("--beschrijving", help="intervention: description (Markdown)")
    parser.add_argument("--actielijn", dest="actielijnen", action="append", help="intervention: action line (repeatable)")
    parser.add_argument("--doelgroep", dest="doelgroepen", action="append", help="intervention: target group code (repeatable)")
    parser.add_argument("--uitvoerder", dest="uitvoerders", action="append", help="intervention: profession code (repeatable)")
    parser.add_argument("--setting", dest="settings", action="append", help="intervention: setting code (repeatable)")
    parser.add_argument("--eigenaar", help="intervention: owner or licence holder")
    parser.add_argument("--bron-url", dest="bron_url", help="intervention: URL of a public source")
    parser.add_argument("--bron-titel", dest="bron_titel", help="intervention: title of that source")
    parser.add_argument("--gemeente", dest="gemeenten", action="append", help="coalition: CBS code such as GM0363 (repeatable)")
    parser.add_argument("--email", help="coalition: functional mailbox (never a personal address)")
    parser.add_argument("--coalitie", help="application: coalition slug")
    parser.add_argument("--ronde", help="application: round slug")
    parser.add_argument("--bedrag", dest="bedrag_aangevraagd", help="application: amount requested in whole euros")
    parser.add_argument("--door", help="application: your GitHub login")
    parser.add_argument("--aanbieder", help="training: the organisation that gives it")
    parser.add_argument("--beroep", dest="beroepen", action="append", help="training: profession code it is for (repeatable)")
    parser.add_argument("--thema", dest="themas", action="append", help="training: theme code (repeatable)")
    parser.add_argument("--print", action="store_true", help="print the record instead of writing it")


def _ask(question) -> str:
    return input(f"{question.prompt}: ")


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from kansrijk.checks.reporters import render_text
    from kansrijk.checks.validate import validate
    from kansrijk.records.loader import load_text
    from kansrijk.records.model import Repository
    from kansrijk.records.schema_check import check_document
    from kansrijk.tools.new import QUESTIONS, build_record, gather, record_path, render, write_new

    if args.kind not in QUESTIONS:
        with_questions = ", ".join(kind for kind in KINDS if kind in QUESTIONS)
        raise UsageError(
            f"voor een nieuw(e) {KINDS[args.kind].title.lower()} zijn er nog geen vragen (wel voor: {with_questions}); "
            f"kopieer een bestaand record in {KINDS[args.kind].folder}/ en pas het aan"
        )
    root = root_from_args(args)
    repo = Repository(root)
    given = {question.field: getattr(args, question.field, None) for question in QUESTIONS[args.kind]}
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
    text = render(args.kind, build_record(args.kind, values, repo, dt.date.today()), repo)
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
