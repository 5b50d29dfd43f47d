"""``kansrijk fmt``: house style that keeps comments and never changes meaning."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.records.loader import load_text
from kansrijk.records.model import Repository
from kansrijk.records.schemas import load_record_schemas
from kansrijk.tools.fmt import format_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = load_record_schemas(ROOT / "schemas")
SHIPPED = sorted((ref.path, ref.kind) for refs in Repository(ROOT).index.values() for ref in refs.values())

MESSY = """\
# yaml-language-server: $schema=../schemas/interventie.schema.json
# Opmerking bovenaan
naam: "Rommel"   # naam-opmerking
# over id
id: 'rommel'
status: "actief"
samenvatting: "Een samenvatting van minstens twintig tekens lang, om te testen."
beschrijving: |
  Tekst met *Markdown*.

  Tweede alinea.
actielijnen:
- voor
- na    # na de geboorte
doelgroepen:
  - zwangeren
uitvoerders: ["huisarts"]
settings: [thuis]
eigenaar: "123"
duur: 'nee'
kosten: "true"
erkenning:
    datum: "2020-01-01"
    # over niveau
    niveau: goed-beschreven
    databank: nji
bronnen:
    -   titel: "Een bron: met dubbele punt"
        # over url
        url: https://example.org/a
# commentaar voor gecontroleerd_op
gecontroleerd_op: 2024-01-01
# slot
"""


def _copy_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for name in ("schemas", "vocab", "interventions", "coalitions", "rounds"):
        shutil.copytree(ROOT / name, repo / name)
    return repo


def _comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line and "://" not in line)


@pytest.mark.parametrize(("rel", "kind"), SHIPPED, ids=[rel for rel, _ in SHIPPED])
def test_every_shipped_record_keeps_its_meaning_and_fmt_is_idempotent(rel: str, kind: str) -> None:
    text = (ROOT / rel).read_text(encoding="utf-8")
    formatted = format_text(text, SCHEMAS[kind].document)
    assert load_text(formatted, rel).data == load_text(text, rel).data
    assert format_text(formatted, SCHEMAS[kind].document) == formatted
    assert formatted.splitlines()[0] == text.splitlines()[0]
    assert formatted.splitlines()[0].startswith("# yaml-language-server: $schema=")


def test_enough_records_are_covered() -> None:
    assert sum(kind == "interventie" for _, kind in SHIPPED) >= 25
    assert {kind for _, kind in SHIPPED} >= {"interventie", "coalitie", "aanvraag", "ronde"}


def test_messy_record_gets_schema_order_quoting_and_keeps_every_comment() -> None:
    document = SCHEMAS["interventie"].document
    formatted = format_text(MESSY, document)
    assert load_text(formatted, "x").data == load_text(MESSY, "x").data
    assert format_text(formatted, document) == formatted
    assert _comments(formatted) == _comments(MESSY)
    lines = formatted.splitlines()
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    schema_order = list(document["properties"])
    assert keys == sorted(keys, key=schema_order.index)
    assert lines[0] == "# yaml-language-server: $schema=../schemas/interventie.schema.json"
    assert lines[lines.index("id: rommel") - 1] == "# over id"
    assert lines[lines.index("gecontroleerd_op: 2024-01-01") - 1] == "# commentaar voor gecontroleerd_op"
    assert lines[lines.index("  niveau: goed-beschreven") - 1] == "  # over niveau"
    assert "eigenaar: '123'" in lines and "kosten: 'true'" in lines
    assert "  datum: 2020-01-01" in lines and "duur: nee" in lines
    assert "doelgroepen: [zwangeren]" in lines and "  - na  # na de geboorte" in lines


def test_check_lists_files_and_changes_nothing_then_fmt_fixes_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _copy_repo(tmp_path)
    messy = repo / "interventions" / "rommel.yaml"
    messy.write_text(MESSY, encoding="utf-8")
    messy.chmod(0o640)
    assert main(["--root", str(repo), "fmt", "--check", str(messy)]) == 1
    assert "zou veranderen: interventions/rommel.yaml" in capsys.readouterr().out
    assert messy.read_text(encoding="utf-8") == MESSY
    assert main(["--root", str(repo), "fmt", str(repo / "interventions")]) == 0
    assert messy.read_text(encoding="utf-8") != MESSY
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert not [p for p in messy.parent.iterdir() if p.name.endswith(".tmp")]
    capsys.readouterr()
    assert main(["--root", str(repo), "fmt", "--check"]) == 0
    assert main(["--root", str(repo), "validate", str(messy)]) == 0


def test_crlf_and_byte_order_mark_are_normalised(tmp_path: Path) -> None:
    repo = _copy_repo(tmp_path)
    record = repo / "interventions" / "voorzorg.yaml"
    original = record.read_text(encoding="utf-8")
    record.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    assert main(["--root", str(repo), "fmt", "--check", str(record)]) == 1
    assert main(["--root", str(repo), "fmt", str(record)]) == 0
    assert record.read_bytes() == format_text(original, SCHEMAS["interventie"].document).encode("utf-8")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("id: a\nid: b\n", "dubbele-sleutel"),
        ("basis: &x 1\nkopie: *x\n", "anker"),
        ("id: !!python/object x\n", "tag"),
    ],
)
def test_files_the_strict_loader_rejects_are_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, code: str
) -> None:
    repo = _copy_repo(tmp_path)
    bad = repo / "interventions" / "kapot.yaml"
    bad.write_text(text, encoding="utf-8")
    assert main(["--root", str(repo), "fmt", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "interventions/kapot.yaml:" in out and "fout" in out
    assert bad.read_text(encoding="utf-8") == text


def test_values_that_look_typed_keep_their_type() -> None:
    text = (
        "# yaml-language-server: $schema=../schemas/ronde.schema.json\n"
        "id: r\ntitel: \"1.5\"\nregeling: 'null'\ntoelichting: \"~\"\nbron: 'no'\nbudget: 10\n"
        'uitbetaling:\n  circulaire: "0x1F"\n  wijze: subsidie\n'
    )
    formatted = format_text(text, SCHEMAS["ronde"].document)
    assert load_text(formatted, "r").data == load_text(text, "r").data
    assert "titel: '1.5'" in formatted and "regeling: 'null'" in formatted and "bron: no" in formatted


def test_pre_commit_hooks_run_real_subcommands_on_record_files() -> None:
    import re

    import yaml

    from kansrijk.cli.main import COMMANDS

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"kansrijk-validate", "kansrijk-fmt"}
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"kansrijk-validate", "kansrijk-fmt", "ruff-check", "ruff-format"} <= set(local)
    subcommands = {name for name, _, _ in COMMANDS}
    for hook in [*hooks.values(), *local.values()]:
        words = hook["entry"].split()
        if words[0] == "kansrijk":
            assert words[1] in subcommands, hook["id"]
        if "files" in hook and hook["id"].startswith("kansrijk-") and hook["id"] != "kansrijk-schemas":
            pattern = re.compile(hook["files"])
            assert pattern.search("interventions/voorzorg.yaml") and pattern.search("coalitions/a/aanvraag-b.yaml")
            assert not pattern.search("scripts/kansrijk/fmt.py") and not pattern.search("docs/index.md")
