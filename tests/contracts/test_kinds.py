"""The kinds table is the one list of record kinds: everything that lists kinds derives from it, and every
declared kind goes through validate, check-pr (real git repository), report-pr's parser, export and the site."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kansrijk.checks.rules import ids_unique
from kansrijk.cli.main import main
from kansrijk.opendata import export, tables
from kansrijk.pullrequests import check_pr as prcheck
from kansrijk.records import schemas
from kansrijk.records.kinds import KINDS, RECORD_FOLDERS, SUPPORT_FOLDERS, classify_path, hook_files_pattern
from kansrijk.records.model import RECORD_TYPES, Repository, classify
from kansrijk.site.engine.build import WATCHED_DIRS, build_pages
from kansrijk.tools.demo_corpus import COPIED_KIND_FOLDERS, GENERATED_KINDS
from kansrijk.tools.hookfiles import HOOK_FILES, PATTERNS, generated_text, stale_hook_files
from support.checkrepo import RECEIVED_AT
from support.github_standin import GitHubStandIn
from support.prrepo import NAME, OWNER, report_pr

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_KEYS = {"aanvraag": "zeist/impuls-2020"}


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=test@example.org", "-c", "user.name=Test", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_every_kind_is_complete(kind) -> None:
    assert (ROOT / "schemas" / kind.schema_file).is_file()
    assert RECORD_TYPES[kind.name].kind == kind.name
    assert kind.record_class in (None, RECORD_TYPES[kind.name].__name__)
    assert RECORD_TYPES[kind.name].kind == kind.name
    key = EXAMPLE_KEYS.get(kind.name, "voorbeeld")
    path = kind.path_of(key)
    assert classify_path(path) == (kind.name, key)
    assert classify(path).path == path  # type: ignore[union-attr]
    assert path.startswith(kind.folder + "/") and path.count("/") == kind.depth
    assert set(kind.id_fields) <= set(json.loads((ROOT / "schemas" / kind.schema_file).read_text("utf-8"))["properties"])
    if kind.date_field:
        assert kind.date_field in json.loads((ROOT / "schemas" / kind.schema_file).read_text("utf-8"))["required"]


def test_paths_of_no_kind_are_not_records() -> None:
    for path in (
        "interventions/a/b.yaml",
        "coalitions/zeist/notities.yaml",
        "coalitions/x.yaml",
        "docs/index.md",
        "agenda/a.yml",
    ):
        assert classify_path(path) is None, path
    assert classify_path("coalitions/zeist/aanvraag-Impuls.yaml") is None  # a round key is a slug


def test_every_list_of_kinds_derives_from_the_table() -> None:
    assert set(prcheck.VALIDATED_FOLDERS) == set(RECORD_FOLDERS) | set(SUPPORT_FOLDERS)
    assert set(WATCHED_DIRS) == set(RECORD_FOLDERS) | set(SUPPORT_FOLDERS)
    assert {name: kind.schema_file for name, kind in KINDS.items()} == schemas.RECORD_SCHEMAS
    assert set(export.RECORD_FILES) == set(KINDS)
    assert set(RECORD_TYPES) == set(KINDS)
    assert set(GENERATED_KINDS) | {k.name for k in KINDS.values() if k.folder in COPIED_KIND_FOLDERS} == set(KINDS)
    assert {table.kind for table in tables.TABLES} == set(KINDS)


def test_hook_patterns_are_generated_from_the_table() -> None:
    assert stale_hook_files(ROOT, write=False) == [], "run 'kansrijk schemas --write'"
    for kind in KINDS.values():
        path = kind.path_of(EXAMPLE_KEYS.get(kind.name, "voorbeeld"))
        for pattern in PATTERNS.values():
            assert re.search(pattern, path), (pattern, path)
    assert hook_files_pattern() == rf"^({'|'.join(RECORD_FOLDERS)})/.*\.ya?ml$"


def test_stale_hook_patterns_fail_the_check_and_are_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in SUPPORT_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name in HOOK_FILES:
        last_folder_dropped = hook_files_pattern().replace(f"|{RECORD_FOLDERS[-1]})", ")")
        text = (ROOT / name).read_text("utf-8").replace(hook_files_pattern(), last_folder_dropped)
        assert text != (ROOT / name).read_text("utf-8")
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["--root", str(tmp_path), "schemas"]) == 1
    assert ".pre-commit-hooks.yaml" in capsys.readouterr().out
    assert main(["--root", str(tmp_path), "schemas", "--write"]) == 0
    for name in HOOK_FILES:
        assert (tmp_path / name).read_text("utf-8") == (ROOT / name).read_text("utf-8")
    assert generated_text((ROOT / HOOK_FILES[0]).read_text("utf-8")) == (ROOT / HOOK_FILES[0]).read_text("utf-8")


def test_a_case_duplicate_agenda_id_is_reported_on_its_id_field(tmp_path: Path) -> None:
    for folder in SUPPORT_FOLDERS:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "agenda").mkdir()
    source = (ROOT / "agenda" / "voorbeeld-leerbijeenkomst-coalities.yaml").read_text("utf-8")
    (tmp_path / "agenda" / "voorbeeld-leerbijeenkomst-coalities.yaml").write_text(source, encoding="utf-8")
    upper = "Voorbeeld-Leerbijeenkomst-Coalities"
    (tmp_path / "agenda" / f"{upper}.yaml").write_text(
        source.replace("id: voorbeeld-leerbijeenkomst-coalities", f"id: {upper}"), encoding="utf-8"
    )
    repo = Repository(tmp_path)
    targets = repo.records("activiteit")
    problems = list(ids_unique(repo, targets))
    # Sorted, the capitalised key comes first; the later one is reported, on its id field (it said "coalitie").
    expected = [("agenda/voorbeeld-leerbijeenkomst-coalities.yaml", "id", "id-dubbel")]
    assert [(p.file, p.field_name, p.code) for p in problems] == expected


@pytest.fixture
def every_kind_changed(tmp_path: Path) -> Path:
    """A git repository with the shipped records on ``main`` and, on ``pr``, one changed record of every kind."""
    root = tmp_path / "repo"
    for folder in (*SUPPORT_FOLDERS, *RECORD_FOLDERS):
        shutil.copytree(ROOT / folder, root / folder)
    (root / ".github").mkdir()
    (root / ".github/CODEOWNERS").write_text("* @kansrijk/beheerders\n")
    (root / ".github/kansrijk.yml").write_text("automatisering:\n  - github-actions[bot]\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "basis")
    _git(root, "checkout", "-q", "-b", "pr")
    repo = Repository(root)
    for kind in KINDS:
        ref = next(iter(repo.index[kind].values()))
        with (root / ref.path).open("a", encoding="utf-8") as handle:
            handle.write("# gewijzigd in deze PR\n")
    _git(root, "commit", "-q", "-am", "elke soort")
    return root


def test_every_kind_goes_through_validate_check_pr_report_pr_export_and_site(
    every_kind_changed: Path, standin: GitHubStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    root = every_kind_changed
    assert main(["--root", str(root), "validate"]) == 0
    capsys.readouterr()

    args = [
        "--root",
        str(root),
        "check-pr",
        "--base",
        "main",
        "--head",
        "pr",
        "--author",
        "beheerder",
        "--received-at",
        RECEIVED_AT,
    ]
    code = main([*args, "--teams", "kansrijk/beheerders", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert {entry["kind"] for entry in report["files"]} == set(KINDS)

    # report-pr judges the same commit itself (trusted_check.py) against the GitHub stand-in: it refused agenda
    # files before the kinds table, because it kept its own list of kinds.
    standin.add_team("kansrijk", "beheerders", ["beheerder"])
    repo_api = standin.add_repo(OWNER, NAME, head_sha=_git(root, "rev-parse", "main").strip())
    head = _git(root, "rev-parse", "pr").strip()
    changed = [(path, "modified") for path in _git(root, "diff", "--name-only", "main...pr").splitlines()]
    standin.set_role(repo_api, "beheerder", "write")  # a team's code owners count only with write access
    pull = standin.add_pull(repo_api, 9, head, "beheerder", head_ref="elke-soort", files=changed)
    assert report_pr(standin, root, head) == 0, capsys.readouterr().out
    assert repo_api.statuses[head][0]["state"] == "success"
    assert {f"type:{name}" for name in KINDS} <= set(pull["labels"])
    capsys.readouterr()

    repo = Repository(root)
    package = export.build_package(repo)
    for name, kind in KINDS.items():
        assert package.record_counts[name] == len(repo.valid_records(name)) > 0
        assert f"records/{kind.export_stem}.json" in package.files

    pages = {page.path for page in build_pages(root, datetime.date(2026, 12, 1))}
    for name, kind in KINDS.items():
        assert f"schemas/{name}.md" in pages
        if kind.site_section:
            key = next(iter(repo.index[name]))
            assert any(path.startswith(f"{kind.site_section}/{key}") for path in pages), (
                f"{name}: site_section is {kind.site_section!r} but no page of its records was generated; "
                "add a section module in site/sections/"
            )
