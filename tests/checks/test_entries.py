"""Issue #9, section 4: odd entries at record paths get one named refusal, the same in ``validate`` and ``check-pr``.

Real filesystems (FIFOs, sockets, symlinks, unreadable files) and real git repositories (submodules as
gitlinks, committed symlinks, trees where a record belongs). ``validate`` runs in a subprocess with a
timeout wherever a hang is the failure being tested.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kansrijk.cli.main import main
from kansrijk.records.kinds import RECORD_FOLDERS, SUPPORT_FOLDERS
from kansrijk.records.loader import LoadError, load_path
from support.checkrepo import APPLICATION, RECEIVED_AT, SOURCE, build_repo, commit_all, file_entry, git

AWARDED = "coalitions/voorbeeld-zeist/aanvraag-impuls-2020.yaml"
OWN_FOLDER = "coalitions/voorbeeld-zeist"
SCRIPTS = str(SOURCE / "scripts")


def run_validate(root: Path, *paths: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``kansrijk validate`` in its own process, so a hang fails the test after 60 s instead of blocking it."""
    env = {**os.environ, "PYTHONPATH": SCRIPTS}
    command = [*prefix, sys.executable, "-m", "kansrijk.cli.main", "--root", str(root), "validate", "--format", "json", *paths]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


def problems_of(result: subprocess.CompletedProcess[str]) -> dict[str, set[str]]:
    """file -> problem codes, from the JSON report; no traceback allowed."""
    assert "Traceback" not in result.stderr, result.stderr
    found: dict[str, set[str]] = {}
    report = json.loads(result.stdout)
    for problem in [*report["errors"], *report["warnings"]]:
        found.setdefault(problem["file"], set()).add(problem["code"])
    return found


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A copy of the shipped records, schemas and vocabularies (valid as shipped)."""
    root = tmp_path / "records"
    for folder in (*SUPPORT_FOLDERS, *RECORD_FOLDERS):
        shutil.copytree(SOURCE / folder, root / folder)
    return root


def test_shipped_copy_is_valid(records: Path) -> None:
    result = run_validate(records)
    assert result.returncode == 0, result.stdout


def test_awarded_application_replaced_by_a_directory_fails_validate(records: Path) -> None:
    (records / AWARDED).unlink()
    (records / AWARDED).mkdir()
    (records / AWARDED / "inhoud.yaml").write_text("ronde: impuls-2020\n")
    result = run_validate(records)
    assert result.returncode == 1
    found = problems_of(result)
    assert found[AWARDED] == {"map-op-recordpad"}
    assert not any(path.startswith(AWARDED + "/") for path in found)  # the refused folder is not entered
    # named explicitly, the folder is refused too, never expanded as if it were a coalition folder
    explicit = run_validate(records, str(records / AWARDED))
    assert explicit.returncode == 1 and problems_of(explicit) == {AWARDED: {"map-op-recordpad"}}


def test_fifo_is_refused_without_hanging(records: Path) -> None:
    os.mkfifo(records / "interventions/wachtrij.yaml")
    for args in ((), (str(records / "interventions/wachtrij.yaml"),)):
        result = run_validate(records, *args)
        assert result.returncode == 1
        assert problems_of(result)["interventions/wachtrij.yaml"] == {"geen-gewoon-bestand"}


def test_socket_and_device_are_refused(records: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(records / "rounds/stopcontact.yaml"))
        found = problems_of(run_validate(records))
        assert found["rounds/stopcontact.yaml"] == {"geen-gewoon-bestand"}
    finally:
        sock.close()
    try:
        os.mknod(records / "agenda/apparaat.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        return  # no CAP_MKNOD here: the socket above covers the same rule
    assert problems_of(run_validate(records))["agenda/apparaat.yaml"] == {"geen-gewoon-bestand"}


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("interventions/lus.yaml", "lus.yaml"),  # a loop
        ("coalitions/voorbeeld-zeist/alles", "/"),  # a directory, out of the repository
        ("interventions/buiten.yaml", "/etc/hostname"),  # a file out of the repository
        ("interventions/kopie.yaml", "voorzorg.yaml"),  # even a record inside the repository is not followed
    ],
)
def test_symlinks_are_refused_by_name_and_never_followed(records: Path, name: str, target: str) -> None:
    os.symlink(target, records / name)
    for args in ((), (str(records / name),)):
        result = run_validate(records, *args)
        assert result.returncode == 1
        found = problems_of(result)
        assert found[name] == {"symlink"}
        assert not any(path.startswith(name + "/") for path in found)


def test_a_record_folder_that_is_a_symlink_is_refused_not_walked(records: Path) -> None:
    shutil.rmtree(records / "agenda")
    os.symlink("/", records / "agenda")
    result = run_validate(records)
    assert result.returncode == 1
    found = problems_of(result)
    assert found["agenda"] == {"symlink"} and not any(path.startswith("agenda/") for path in found)


def test_unreadable_record_is_a_named_problem(records: Path) -> None:
    target = records / "interventions/voorzorg.yaml"
    target.chmod(0)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root reads through chmod 000; drop the capabilities that let it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("draait als root zonder setpriv: chmod 000 houdt root niet tegen")
        prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--")
    result = run_validate(records, prefix=prefix)
    assert result.returncode == 1
    assert problems_of(result)["interventions/voorzorg.yaml"] == {"onleesbaar"}


def test_other_folders_and_names_are_refused_but_readme_and_gitkeep_pass(records: Path) -> None:
    (records / "interventions/oud").mkdir()
    (records / "interventions/oud/voorzorg.yaml").write_text("id: voorzorg\n")
    (records / OWN_FOLDER / "README.md").write_text("# Zeist\n")
    (records / "rounds/.gitkeep").write_text("")
    (records / OWN_FOLDER / "notities.txt").write_text("los\n")
    (records / OWN_FOLDER / ".DS_Store").write_bytes(b"\0")
    found = problems_of(run_validate(records))
    assert found["interventions/oud"] == {"map-niet-toegestaan"}
    assert found[f"{OWN_FOLDER}/notities.txt"] == {"bestandsnaam"}
    assert found[f"{OWN_FOLDER}/.DS_Store"] == {"bestandsnaam"}  # hidden files are no longer skipped in silence
    assert f"{OWN_FOLDER}/README.md" not in found and "rounds/.gitkeep" not in found
    assert "interventions/oud/voorzorg.yaml" not in found


@pytest.mark.parametrize("name", ["nul", "CON.yaml", "com1", "Lpt9.yaml", "zeist."])
def test_windows_device_names_are_refused(records: Path, name: str) -> None:
    path = f"coalitions/{name}" if "." not in name or name.endswith(".") else f"interventions/{name}"
    target = records / path
    if path.startswith("coalitions/"):
        target.mkdir()
    else:
        target.write_text("id: x\n")
    found = problems_of(run_validate(records))
    assert found[path] == {"naam-gereserveerd"}


# ---------------------------------------------------------------- the same rule in check-pr, from git's tree modes


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The shipped records (Zeist's application awarded) in a git repository on ``main``, ``pr`` checked out."""
    return build_repo(tmp_path / "repo", ("interventions", "coalitions", "rounds", "agenda"), submitted=False)


def check_pr(repo: Path, capsys: pytest.CaptureFixture[str], author: str = "zeist-ambtenaar") -> tuple[int, dict]:
    args = [
        "--root",
        str(repo),
        "check-pr",
        "--base",
        "main",
        "--head",
        "pr",
        "--author",
        author,
        "--teams",
        "",
        "--received-at",
        RECEIVED_AT,
    ]
    code = main([*args, "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def codes_of(data: dict, path: str) -> set[str]:
    return {p["code"] for p in file_entry(data, path)["problems"]}


def add_gitlink(repo: Path, path: str) -> None:
    """A submodule entry (mode 160000), as ``git submodule add`` leaves it in the tree."""
    sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},{path}")
    git(repo, "commit", "-q", "-m", "submodule")


@pytest.mark.parametrize("path", [f"{OWN_FOLDER}/aanvraag-impuls-2022.yaml", f"{OWN_FOLDER}/extern"])
def test_submodule_in_own_folder_is_refused_by_check_pr(repo: Path, capsys: pytest.CaptureFixture[str], path: str) -> None:
    add_gitlink(repo, path)
    for checkout in ("pr", "main"):  # the head checked out, and the head written to a temporary tree
        git(repo, "checkout", "-q", checkout)
        code, data = check_pr(repo, capsys)
        assert code == 1 and data["verdict"] == "afgekeurd"
        assert codes_of(data, path) == {"submodule"}


def test_committed_symlinks_are_refused_by_check_pr_and_validate(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("lus.yaml", repo / "interventions/lus.yaml")
    os.symlink("/", repo / OWN_FOLDER / "alles")
    commit_all(repo, "koppelingen")
    code, data = check_pr(repo, capsys)
    assert code == 1
    assert codes_of(data, "interventions/lus.yaml") == {"symlink"}
    assert codes_of(data, f"{OWN_FOLDER}/alles") == {"symlink"}
    found = problems_of(run_validate(repo))
    assert found["interventions/lus.yaml"] == {"symlink"} and found[f"{OWN_FOLDER}/alles"] == {"symlink"}
    # checked from a temporary tree (the checkout elsewhere), check-pr judges the same entries the same way
    git(repo, "checkout", "-q", "main")
    code, data = check_pr(repo, capsys)
    assert code == 1 and codes_of(data, "interventions/lus.yaml") == {"symlink"}


def test_awarded_application_replaced_by_a_tree_is_refused_by_check_pr(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (repo / AWARDED).read_text()
    (repo / AWARDED).unlink()
    (repo / AWARDED).mkdir()
    (repo / AWARDED / "inhoud.yaml").write_text(text)
    commit_all(repo, "map")
    code, data = check_pr(repo, capsys)
    assert code == 1
    assert codes_of(data, AWARDED) == {"map-op-recordpad"}
    [moved] = [f for f in data["files"] if f.get("moved_from") == AWARDED]  # git sees a rename into the folder
    assert moved["path"] == f"{AWARDED}/inhoud.yaml" and moved["change"] == "A"
    [gone] = [f for f in data["files"] if f["path"] == AWARDED]
    assert "historie-verwijderen" in {r["kind"] for r in gone["requirements"]}  # the history is gone: a maintainer decides


@pytest.mark.parametrize(("name", "allowed"), [("README.md", True), (".gitkeep", True), ("notities.txt", False)])
def test_readme_is_judged_the_same_by_check_pr_and_validate(
    repo: Path, capsys: pytest.CaptureFixture[str], name: str, allowed: bool
) -> None:
    (repo / OWN_FOLDER / name).write_text("# Over deze coalitie\n")
    commit_all(repo, name)
    code, data = check_pr(repo, capsys)
    result = run_validate(repo)
    in_validate = f"{OWN_FOLDER}/{name}" in problems_of(result)
    in_check_pr = bool(file_entry(data, f"{OWN_FOLDER}/{name}")["problems"])
    assert in_validate == in_check_pr == (not allowed)
    assert (code == 0) == allowed and (result.returncode == 0) == allowed


def test_the_application_path_stays_a_requirement_of_a_maintainer(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing in a refused folder is loaded, but ownership still applies to the paths the PR changes."""
    add_gitlink(repo, APPLICATION.replace("impuls-2020", "impuls-2022"))
    code, data = check_pr(repo, capsys, author="vreemde")
    entry = file_entry(data, APPLICATION.replace("impuls-2020", "impuls-2022"))
    assert code == 1 and entry["requirements"][0]["met"] is False


# ---------------------------------------------------------------- the loader on its own: never blocks, never follows into a loop


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: os.mkfifo(p), "geen-bestand"),
        (lambda p: p.mkdir(), "geen-bestand"),
        (lambda p: os.symlink(p.name, p), "symlink-lus"),
        (lambda p: None, "onleesbaar"),
    ],
    ids=["fifo", "map", "lus", "ontbreekt"],
)
def test_loader_refuses_what_is_no_regular_file(tmp_path: Path, make: Callable[[Path], object], code: str) -> None:
    target = tmp_path / "record.yaml"
    make(target)
    with pytest.raises(LoadError) as caught:
        load_path(target, tmp_path, "record.yaml")
    assert caught.value.problem.code == code
    assert caught.value.problem.file == "record.yaml"
