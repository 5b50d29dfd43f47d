"""The ``kansrijk`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


class UsageError(Exception):
    """Wrong arguments: exit status 2."""


def _find_root(start: Path) -> Path:
    for candidate in (start, *start.parents):
        if (candidate / "schemas").is_dir() and (candidate / "vocab").is_dir():
            return candidate
    raise UsageError(f"geen Kansrijk-repository gevonden vanaf {start}; geef --root op")


def _root(args: argparse.Namespace) -> Path:
    return _find_root(Path(args.root).resolve() if args.root else Path.cwd())


def cmd_validate(args: argparse.Namespace) -> int:
    from .model import Repository
    from .reporters import RENDERERS
    from .validate import relative_paths, validate

    root = _root(args)
    paths = None
    if args.paths:
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            raise UsageError(f"bestaat niet: {', '.join(missing)}")
        try:
            paths = relative_paths(root, args.paths)
        except ValueError:
            raise UsageError(f"alle paden moeten binnen {root} liggen") from None
    repo = Repository(root)
    collector = validate(repo, paths)
    files = len(repo._problems) + (len(repo.stray_files) if paths is None else 0)
    sys.stdout.write(RENDERERS[args.format](collector.problems, files))
    return 1 if collector.errors else 0


def cmd_demo_corpus(args: argparse.Namespace) -> int:
    from .democorpus import write_demo_corpus

    if args.records < 1:
        raise UsageError("--records moet minstens 1 zijn")
    counts = write_demo_corpus(Path(args.out), args.records, args.seed, _root(args))
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" geschreven naar {args.out}")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from .schemas import bundle_schemas

    stale = bundle_schemas(_root(args) / "schemas", write=args.write)
    if stale and not args.write:
        print("verouderde ingebedde definities in: " + ", ".join(stale) + "; voer 'kansrijk schemas --write' uit")
        return 1
    print("bijgewerkt: " + ", ".join(stale) if stale else "alle schema's zijn actueel")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kansrijk", description="Kansrijke Start knowledge base and grant programme tools.")
    parser.add_argument("--version", action="version", version=f"kansrijk {__version__}")
    parser.add_argument("--root", help="repository root (default: found from the current directory)")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="validate records against the schemas and cross-record rules")
    validate.add_argument("paths", nargs="*", help="files or folders to check (default: the whole repository)")
    validate.add_argument("--format", choices=["text", "json", "github"], default="text")
    validate.set_defaults(func=cmd_validate)

    demo = sub.add_parser("demo-corpus", help="write a synthetic repository for benchmarks and load tests")
    demo.add_argument("--out", required=True)
    demo.add_argument("--records", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(func=cmd_demo_corpus)

    schemas = sub.add_parser("schemas", help="check or refresh the common definitions embedded in each record schema")
    schemas.add_argument("--write", action="store_true")
    schemas.set_defaults(func=cmd_schemas)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"kansrijk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
