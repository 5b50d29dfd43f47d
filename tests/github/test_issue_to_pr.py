"""``kansrijk issue-to-pr`` against the GitHub stand-in over real HTTP, through github3.py's Enterprise client."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from kansrijk.checks.validate import validate
from kansrijk.cli.main import main
from kansrijk.github.intake.answers import _FIELD_QUESTIONS, submission_for, written_today
from kansrijk.github.intake.issue_to_pr import MARKER
from kansrijk.github.intake.issueforms import Finding, FormError, load_forms, parse_body, pick_form
from kansrijk.records.loader import load_bytes
from kansrijk.records.model import Repository
from kansrijk.records.schema_check import check_document
from support.forms import APPLICATION_FORM, COALITION_FORM, form_body
from support.github_standin import TEST_TOKEN as TOKEN
from support.github_standin import GitHubStandIn, Repo

SOURCE = Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"
BASE_SHA = "b" * 40


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The base branch as the workflow checks it out: record areas, schemas, vocabularies and the issue forms."""
    root = tmp_path / "checkout"
    for folder in ("schemas", "vocab", "interventions", "coalitions", "rounds", ".github/ISSUE_TEMPLATE"):
        shutil.copytree(SOURCE / folder, root / folder)
    return root


@pytest.fixture
def repo(standin: GitHubStandIn) -> Repo:
    return standin.add_repo("kansrijke-start", "kennisbank", head_sha=BASE_SHA)


def issue_to_pr(gh: GitHubStandIn, root: Path, number: int, *extra: str) -> int:
    args = ["--root", str(root), "issue-to-pr", "--repo", "kansrijke-start/kennisbank", "--issue", str(number)]
    args += ["--api-url", gh.api, "--token-env", "KANSRIJK_TEST_TOKEN", "--bot-login", "kansrijk-bot"]
    return main([*args, "--today", TODAY, "--backoff", "0.01", *extra])


def loads_and_validates(root: Path, rel: str, raw: bytes, tmp_path: Path) -> dict:
    """The committed file, put in a copy of the checkout: the strict loader reads it and validate finds no error."""
    copy = tmp_path / "na-samenvoegen"
    shutil.copytree(root, copy)
    (copy / rel).parent.mkdir(parents=True, exist_ok=True)
    (copy / rel).write_bytes(raw)
    document = load_bytes(raw, rel)
    repository = Repository(copy)
    kind = "coalitie" if rel.endswith("coalitie.yaml") else "aanvraag"
    assert check_document(document, repository.schemas[kind]) == []
    assert validate(repository, [rel]).errors == []
    return document.data


def test_new_coalition_becomes_branch_file_pr_and_comment(
    checkout: Path, standin: GitHubStandIn, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.add_issue(
        repo, 12, "utrecht-ambtenaar", "Nieuwe coalitie: Utrecht", form_body(COALITION_FORM), ["type:coalitie", "nieuw"]
    )
    assert issue_to_pr(standin, checkout, 12) == 0
    assert "pull request #13" in capsys.readouterr().out

    branch = "issue-12-kansrijke-start-utrecht"
    rel = "coalitions/kansrijke-start-utrecht/coalitie.yaml"
    assert ("POST", "/api/v3/repos/kansrijke-start/kennisbank/git/refs") in standin.requests
    assert ("PUT", f"/api/v3/repos/kansrijke-start/kennisbank/contents/{rel}") in standin.requests
    assert repo.refs[f"heads/{branch}"] != BASE_SHA  # the branch started at the base head, then got the commit
    raw = repo.contents[(branch, rel)]
    assert raw.startswith(b"# yaml-language-server: $schema=../../schemas/coalitie.schema.json")
    data = loads_and_validates(checkout, rel, raw, tmp_path)
    assert data["id"] == "kansrijke-start-utrecht" and data["gemeenten"] == ["GM0344"]
    assert [p["type"] for p in data["partners"]] == ["gemeente", "ggd", "verloskunde"]
    assert data["interventies"]["tijdens"] == [
        {"interventie": "voorzorg", "status": "in-uitvoering"},
        {"interventie": "centeringpregnancy", "status": "gepland"},
    ]
    assert data["fase"] == "in-oprichting" and data["bijgewerkt_op"] == TODAY
    assert data["contact"] == {"email": "kansrijkestart@utrecht.example.nl"}

    pull = repo.issues[13]
    assert pull["pull"]["head_ref"] == branch and pull["pull"]["base_ref"] == "main"
    assert "Closes #12" in pull["body"] and "@utrecht-ambtenaar" in pull["body"]
    assert pull["title"] == "Nieuwe coalitie: Kansrijke Start Utrecht"
    [comment] = repo.comments_on(12)
    assert comment["body"].startswith(MARKER) and "pull request #13" in comment["body"]


def test_application_gets_history_by_the_issue_author(
    checkout: Path, standin: GitHubStandIn, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {**APPLICATION_FORM, "Uw GitHub-naam": "iemand-anders"}
    standin.add_issue(
        repo, 3, "zeist-ambtenaar", "Impulsaanvraag: Zeist", form_body(answers), ["type:aanvraag", "status:ingediend"]
    )
    assert issue_to_pr(standin, checkout, 3) == 0
    rel = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
    raw = repo.contents[("issue-3-voorbeeld-zeist-voorbeeldronde-2027", rel)]
    data = loads_and_validates(checkout, rel, raw, tmp_path)
    assert data["historie"] == [{"datum": TODAY, "status": "ingediend", "door": "zeist-ambtenaar"}]
    assert data["bedrag_aangevraagd"] == 20000
    assert [line["bedrag"] for line in data["begroting"]] == [8000, 7000, 5000]  # the "Totaal" line is not a post
    assert data["activiteiten"]["tijdens"] == ["Twee praktijken starten met CenteringPregnancy."]
    assert data["interventies"] == ["centeringpregnancy", "stevig-ouderschap"]
    body = repo.issues[4]["body"]
    assert "Closes #3" in body and "iemand-anders" in body  # the mismatch is pointed out to the maintainer


def test_application_before_the_round_opens_is_a_concept(
    checkout: Path, standin: GitHubStandIn, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.add_issue(
        repo, 3, "zeist-ambtenaar", "Impulsaanvraag", form_body(APPLICATION_FORM), ["type:aanvraag", "status:ingediend"]
    )
    assert issue_to_pr(standin, checkout, 3, "--today", "2026-08-01") == 0
    rel = "coalitions/voorbeeld-zeist/aanvraag-voorbeeldronde-2027.yaml"
    raw = repo.contents[("issue-3-voorbeeld-zeist-voorbeeldronde-2027", rel)]
    assert loads_and_validates(checkout, rel, raw, tmp_path)["historie"][0]["status"] == "concept"


def test_invalid_issue_gets_a_dutch_comment_and_no_pr(
    checkout: Path, standin: GitHubStandIn, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        **COALITION_FORM,
        "Gemeente(n), met CBS-code": "Atlantis",
        "Partners": "Gemeente Utrecht",
        "Interventies die u inzet": "tijdens: toverdrank (gepland)",
        "Contact (functionele mailbox of webpagina)": "bel ons maar",
    }
    standin.add_issue(repo, 5, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 5) == 1
    err = capsys.readouterr().err
    assert "niets geopend" in err and "Traceback" not in err
    [comment] = repo.comments_on(5)
    body = comment["body"]
    assert body.startswith(MARKER) and "geen** pull request" in body
    assert "**Gemeente\\(n\\), met CBS-code**" in body and "geen bekende gemeente" in body
    assert "soort organisatie" in body and "toverdrank" in body and "functioneel e-mailadres" in body
    assert ".yaml" not in body and "coalitions/" not in body  # no file jargon for a policy officer
    assert not [i for i in repo.issues.values() if "pull" in i]
    assert list(repo.refs) == ["heads/main"]


def test_schema_problem_is_explained_by_question(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    """A problem only the validator sees (a plan 'vastgesteld' left without its date) names the question to answer."""
    answers = {**COALITION_FORM, "Plan van aanpak": "vastgesteld"}
    standin.add_issue(repo, 6, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 6) == 1
    body = repo.comments_on(6)[0]["body"]
    assert "**Datum waarop het plan van aanpak is vastgesteld**" in body and "datum van vaststelling" in body
    assert "JJJJ-MM-DD" in body
    assert not [i for i in repo.issues.values() if "pull" in i]


def test_adopted_plan_with_its_date_and_link_becomes_a_valid_coalition(
    checkout: Path, standin: GitHubStandIn, repo: Repo, tmp_path: Path
) -> None:
    answers = {
        **COALITION_FORM,
        "Plan van aanpak": "vastgesteld",
        "Datum waarop het plan van aanpak is vastgesteld": "2024-05-15",
        "Link naar het plan van aanpak (optioneel)": "https://www.utrecht.example.nl/kansrijke-start",
    }
    standin.add_issue(repo, 16, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 16) == 0
    rel = "coalitions/kansrijke-start-utrecht/coalitie.yaml"
    data = loads_and_validates(checkout, rel, repo.contents[("issue-16-kansrijke-start-utrecht", rel)], tmp_path)
    assert data["plan_van_aanpak"] == {
        "status": "vastgesteld",
        "datum": "2024-05-15",
        "link": "https://www.utrecht.example.nl/kansrijke-start",
    }


@pytest.mark.parametrize(
    ("changes", "question", "expected"),
    [
        ({"Datum waarop het plan van aanpak is vastgesteld": "2024-05-15"}, "Datum waarop", "alleen in als het plan"),
        (
            {"Plan van aanpak": "vastgesteld", "Datum waarop het plan van aanpak is vastgesteld": "15 mei 2024"},
            "Datum waarop",
            "geen datum; schrijf JJJJ-MM-DD",
        ),
        ({"Link naar het plan van aanpak (optioneel)": "www.utrecht.nl/plan"}, "Link naar het plan", "begin met https://"),
    ],
)
def test_plan_answers_are_checked(
    checkout: Path, standin: GitHubStandIn, repo: Repo, changes: dict[str, str], question: str, expected: str
) -> None:
    standin.add_issue(
        repo, 17, "utrecht-ambtenaar", "Nieuwe coalitie", form_body({**COALITION_FORM, **changes}), ["type:coalitie"]
    )
    assert issue_to_pr(standin, checkout, 17) == 1
    body = repo.comments_on(17)[0]["body"]
    assert f"**{question}" in body and expected in body
    assert not [i for i in repo.issues.values() if "pull" in i]


def _required_paths(schema: dict, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every field path a record must have, including fields required only under a condition (if/then)."""
    found = {(*prefix, name) for name in schema.get("required", [])}
    found |= {(*prefix, name) for name in schema.get("then", {}).get("required", [])}
    for name, sub in schema.get("properties", {}).items():
        if isinstance(sub, dict) and sub.get("type") == "object":
            found |= _required_paths(sub, (*prefix, name))
    return found


@pytest.mark.parametrize(("form", "kind"), [("nieuwe-coalitie", "coalitie"), ("impulsaanvraag", "aanvraag")])
def test_every_required_record_field_can_be_answered_in_its_form(checkout: Path, form: str, kind: str) -> None:
    """A required (or conditionally required) field needs a question in the form, or a value the tool fills in itself."""
    filled_by_the_tool = {("id",), ("bijgewerkt_op",), ("historie",)}  # from the name, today's date, the issue's author
    questions = {f.id for f in next(f for f in load_forms(checkout) if f.name == form).fields}
    schema = json.loads((SOURCE / "schemas" / f"{kind}.schema.json").read_text())
    for path in sorted(_required_paths(schema) - filled_by_the_tool):
        nested = _FIELD_QUESTIONS.get(f"{kind}/{path[0]}", {})
        asked_by = nested.get(path[1]) if len(path) > 1 and path[1] in nested else _FIELD_QUESTIONS[kind].get(path[0])
        assert asked_by in questions, f"{kind}: {'.'.join(path)} is verplicht, maar het formulier {form} vraagt er niet naar"


def test_issue_forms_pass_githubs_form_schema() -> None:
    forms = sorted(str(p) for p in (SOURCE / ".github/ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
    result = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", *forms], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_existing_coalition_is_refused(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    answers = {**COALITION_FORM, "Naam van de coalitie": "Voorbeeld Zeist"}
    standin.add_issue(repo, 7, "zeist-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 7) == 1
    assert "bestaat al een coalitie" in repo.comments_on(7)[0]["body"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"Coalitie": "../../.github/workflows"}, "geen geldig kenmerk"),
        ({"Ronde": "impuls-2020/../../x"}, "geen geldig kenmerk"),
        ({"Coalitie": "voorbeeld-zeist\u202e"}, "onzichtbare stuurtekens"),
        ({"Begroting": "Post: 1000\n### Ronde\n\nimpuls-2019"}, "twee keer"),
        ({"Aangevraagd bedrag in hele euro's": "1" * 400}, "te lang"),
        ({"Bevestiging": "- [ ] Ik dien deze aanvraag in namens de genoemde gemeente(n)."}, "vinkje"),
    ],
)
def test_malicious_application_is_refused(
    checkout: Path, standin: GitHubStandIn, repo: Repo, changes: dict[str, str], expected: str
) -> None:
    standin.add_issue(repo, 9, "boef", "Impulsaanvraag", form_body({**APPLICATION_FORM, **changes}), ["type:aanvraag"])
    assert issue_to_pr(standin, checkout, 9) == 1
    assert expected in repo.comments_on(9)[0]["body"]
    assert not [i for i in repo.issues.values() if "pull" in i]
    assert not [key for key in repo.contents]


def test_yaml_and_markdown_injection_stay_data(
    checkout: Path, standin: GitHubStandIn, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = 'Kansrijk "Start": x\nvoorbeeld: true'
    sneaky = {
        **COALITION_FORM,
        "Naam van de coalitie": "Kansrijke Start <img src=x> @everyone: [klik](https://evil) {a: b} &x !!python/object",
        "Partners": "Gemeente Utrecht: gemeente\n'; id: hacked # (ggd)",
    }
    standin.add_issue(repo, 10, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(sneaky), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 10) == 0
    [(branch, rel)] = list(repo.contents)
    data = loads_and_validates(checkout, rel, repo.contents[(branch, rel)], tmp_path)
    assert data["naam"] == sneaky["Naam van de coalitie"]  # kept verbatim, as a string
    assert data["partners"][1] == {"naam": "'; id: hacked #", "type": "ggd"}
    assert set(data) >= {"id", "naam"} and "voorbeeld" not in data
    assert rel == "coalitions/kansrijke-start-img-src-x-everyone-klik-https-evil-a-b-x/coalitie.yaml"  # slug, capped
    body = next(i for i in repo.issues.values() if "pull" in i)["body"]
    assert "<img" not in body and "@everyone" not in body and "](https://evil)" not in body
    # a newline in a one-line answer is refused, so no key can be smuggled in through it
    standin.add_issue(repo, 20, "x", "Nieuwe coalitie", form_body({**COALITION_FORM, "Naam van de coalitie": name}), ["nieuw"])
    assert issue_to_pr(standin, checkout, 20) == 1
    assert "één regel" in repo.comments_on(20)[0]["body"]


def test_second_run_opens_no_second_pr_and_an_edit_updates_the_branch(
    checkout: Path, standin: GitHubStandIn, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = standin.add_issue(
        repo, 12, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(COALITION_FORM), ["type:coalitie", "nieuw"]
    )
    assert issue_to_pr(standin, checkout, 12) == 0
    assert issue_to_pr(standin, checkout, 12) == 0
    assert "ongewijzigd" in capsys.readouterr().out
    pulls = [i for i in repo.issues.values() if "pull" in i]
    assert len(pulls) == 1 and len(repo.comments_on(12)) == 1

    issue["body"] = form_body({**COALITION_FORM, "Fase": "actief"})  # the author corrects the issue
    assert issue_to_pr(standin, checkout, 12) == 0
    assert len([i for i in repo.issues.values() if "pull" in i]) == 1
    [raw] = repo.contents.values()
    assert b"fase: actief" in raw
    [comment] = repo.comments_on(12)
    assert comment["edits"] == 2 and "zijn bijgewerkt in" in comment["body"]
    puts = [r for r in standin.requests if r[0] == "PUT" and "/contents/" in r[1]]
    assert len(puts) == 2  # created once, updated once; the unchanged run wrote nothing


def test_change_request_is_handed_to_a_maintainer(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    answers = {
        "Wat wilt u wijzigen?": "een coalitie",
        "Pagina of record": "coalitions/voorbeeld-zeist/coalitie.yaml",
        "Wat moet er anders?": "Fase: actief wordt gestopt.",
        "Bron": "https://www.example.org",
        "Bevestiging": "- [X] Mijn wijziging bevat geen persoonsgegevens van privépersonen.",
    }
    standin.add_issue(repo, 4, "zeist-ambtenaar", "Wijziging: Zeist", form_body(answers), ["wijziging"])
    assert issue_to_pr(standin, checkout, 4) == 0
    assert "beheerder neemt haar over" in repo.comments_on(4)[0]["body"]
    assert not [i for i in repo.issues.values() if "pull" in i] and list(repo.refs) == ["heads/main"]


def test_form_is_recognised_by_headings_without_labels(checkout: Path) -> None:
    forms = load_forms(checkout)
    assert {f.name for f in forms} == {"impulsaanvraag", "nieuwe-coalitie", "wijziging"}
    form = pick_form(forms, set(), form_body(APPLICATION_FORM))
    assert form.name == "impulsaanvraag"
    values, findings = parse_body(form, form_body({**APPLICATION_FORM, "Partners die zich verbinden": ""}).replace("\n", "\r\n"))
    assert findings == [] and values["partners"] == "" and values["ronde"] == "voorbeeldronde-2027"


def test_api_down_ends_clearly_without_the_token(
    checkout: Path, standin: GitHubStandIn, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.add_issue(repo, 12, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(COALITION_FORM), ["type:coalitie", "nieuw"])
    standin.fail(500, times=None)
    assert issue_to_pr(standin, checkout, 12, "--retries", "3") == 1
    out, err = capsys.readouterr()
    assert "GitHub-API onbereikbaar" in err and "3 pogingen" in err and "HTTP 500" in err
    assert "Traceback" not in err and TOKEN not in out + err and TOKEN[:10] not in out + err
    assert len(standin.requests) == 3


def test_usage_errors(checkout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEEN_TOKEN_HIER", raising=False)
    base = ["--root", str(checkout), "issue-to-pr", "--repo", "a/b", "--issue", "1"]
    assert main([*base, "--token-env", "GEEN_TOKEN_HIER"]) == 2
    assert "GEEN_TOKEN_HIER" in capsys.readouterr().err
    monkeypatch.setenv("GEEN_TOKEN_HIER", TOKEN)
    assert main([*base, "--token-env", "GEEN_TOKEN_HIER", "--base", "../main"]) == 2
    assert main(["--root", str(checkout), "issue-to-pr", "--repo", "geen-repo", "--issue", "1"]) == 2
    assert TOKEN not in capsys.readouterr().err
    assert main([*base, "--token-env", "GEEN_TOKEN_HIER", "--sender", "iemand; rm -rf /"]) == 2
    assert "--sender 'iemand; rm -rf /' is geen geldige GitHub-gebruikersnaam" in capsys.readouterr().err


def test_renamed_coalition_does_not_open_a_second_pr(
    checkout: Path, standin: GitHubStandIn, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = standin.add_issue(
        repo, 12, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(COALITION_FORM), ["type:coalitie", "nieuw"]
    )
    assert issue_to_pr(standin, checkout, 12) == 0
    issue["body"] = form_body({**COALITION_FORM, "Naam van de coalitie": "Kansrijk Utrecht"})  # a new name: another branch
    assert issue_to_pr(standin, checkout, 12) == 1
    assert "er staat al pull request #13 open" in capsys.readouterr().err
    assert len([i for i in repo.issues.values() if "pull" in i]) == 1
    assert list(repo.refs) == ["heads/main", "heads/issue-12-kansrijke-start-utrecht"]


# ---------------------------------------------------------------- issue #9, section 8: every reply bounded, answered, safe


def test_refusal_of_5000_duplicate_headings_is_bounded_and_counted(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    body = (form_body(COALITION_FORM) + "\n".join(f"### Fase\n\nactief {i}\n" for i in range(5000)))[:65_536]
    headings = body.count("### Fase\n")  # GitHub keeps 65,536 characters: about 2,900 copies of the question
    assert headings > 2000
    standin.add_issue(repo, 30, "utrecht-ambtenaar", "Nieuwe coalitie", body, ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 30) == 1
    [comment] = repo.comments_on(30)
    assert len(comment["body"]) <= 10_000
    assert comment["body"].count("keer in het issue") == 1  # one point per question, with the count
    assert f"staat {headings} keer in het issue" in comment["body"]


def test_many_different_findings_are_summarised_with_a_count(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    partners = "\n".join(f"Organisatie nummer {i} zonder soort" for i in range(59))
    answers = {**COALITION_FORM, "Partners": partners}
    standin.add_issue(repo, 31, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 31) == 1
    body = repo.comments_on(31)[0]["body"]
    assert len(body) <= 10_000
    shown = body.count("ontbreekt een herkenbaar soort organisatie")
    counted = int(body.split("en nog ")[1].split(" ")[0])
    assert shown + counted == 59 and 0 < shown < 59


@pytest.mark.parametrize("name", ["NUL", "con", "Aux", "COM1", "lpt9", "nul."])
def test_windows_device_names_are_refused_as_coalition_folders(
    checkout: Path, standin: GitHubStandIn, repo: Repo, name: str
) -> None:
    standin.add_issue(
        repo, 32, "utrecht-ambtenaar", "Nieuwe coalitie", form_body({**COALITION_FORM, "Naam van de coalitie": name}), ["nieuw"]
    )
    assert issue_to_pr(standin, checkout, 32) == 1
    body = repo.comments_on(32)[0]["body"]
    assert "Windows niet toestaat" in body and "Naam van de coalitie" in body
    assert not repo.contents and list(repo.refs) == ["heads/main"]


def test_keeper_is_the_issue_author_never_a_typed_login(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    answers = {**COALITION_FORM, "GitHub-naam van wie de coalitie gaat bijhouden (optioneel)": "@ceo-van-github"}
    standin.add_issue(repo, 33, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 33) == 0
    pull_body = next(i for i in repo.issues.values() if "pull" in i)["body"]
    assert "Voeg @utrecht-ambtenaar, de indiener van dit issue, toe als eigenaar" in pull_body
    assert "@ceo-van-github" not in pull_body  # never mentioned...
    assert "`ceo-van-github`" in pull_body  # ...only quoted in a code span, which GitHub never turns into a mention
    comment = repo.comments_on(33)[0]["body"]
    assert "ceo-van-github" not in comment


def test_lone_surrogate_gets_a_dutch_refusal_not_a_traceback(
    checkout: Path, standin: GitHubStandIn, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {**COALITION_FORM, "Naam van de coalitie": "Kansrijke Start \ud800 Utrecht"}
    standin.add_issue(repo, 34, "utrecht-ambtenaar", "Nieuwe coalitie", form_body(answers), ["type:coalitie", "nieuw"])
    assert issue_to_pr(standin, checkout, 34) == 1
    assert "Traceback" not in capsys.readouterr().err
    body = repo.comments_on(34)[0]["body"]
    assert "geen geldige tekst" in body and "Naam van de coalitie" in body
    assert "\ud800" not in body and not repo.contents


def test_an_issue_that_is_no_form_is_answered_on_the_issue(checkout: Path, standin: GitHubStandIn, repo: Repo) -> None:
    standin.add_issue(repo, 35, "iemand", "Vraag", "Hoe werkt dit? @kansrijke-start/beheerders", [])
    assert issue_to_pr(standin, checkout, 35) == 1
    [comment] = repo.comments_on(35)
    assert "geen** pull request" in comment["body"] and "beheerder" in comment["body"]


def test_an_issue_no_form_matches_is_told_the_forms_by_their_titles(checkout: Path) -> None:
    forms = load_forms(checkout)
    with pytest.raises(FormError) as refused:
        pick_form(forms, set(), "Hoe werkt dit?")
    assert [f"'{form.title}'" in str(refused.value) for form in forms] == [True] * 3
    assert "'Wijziging doorgeven'" in str(refused.value)  # the title GitHub shows in its form chooser


@pytest.mark.parametrize(("typed", "refused"), [("oud-account-", False), ("twee--streepjes", False), ("geen naam!", True)])
def test_intake_builds_the_record_from_the_answers_alone(checkout: Path, typed: str, refused: bool) -> None:
    """Answers in, serialised record out, with no issue and no GitHub. A typed login of an account from before
    GitHub's current sign-up rule (a trailing or double hyphen) is only quoted to the maintainer, never refused."""
    question = "GitHub-naam van wie de coalitie gaat bijhouden (optioneel)"
    form = next(f for f in load_forms(checkout) if f.name == "nieuwe-coalitie")
    values, findings = parse_body(form, form_body({**COALITION_FORM, question: typed}))
    assert findings == []
    today = dt.date.fromisoformat(TODAY)
    submission, findings = submission_for(form, values, Repository(checkout), 12, today, "utrecht-ambtenaar")
    if refused:
        assert submission is None and findings == [Finding(question, f"'{typed}' is geen GitHub-naam.")]
        return
    assert findings == [] and submission is not None
    assert submission.path == "coalitions/kansrijke-start-utrecht/coalitie.yaml"
    assert submission.branch == "issue-12-kansrijke-start-utrecht"
    assert load_bytes(submission.text.encode(), submission.path).data == submission.data
    assert any(f"`{typed}`" in note for note in submission.notes)
    assert not any(f"@{typed}" in note for note in submission.notes)


@pytest.mark.parametrize(("form_name", "answers"), [("nieuwe-coalitie", COALITION_FORM), ("impulsaanvraag", APPLICATION_FORM)])
def test_the_date_the_intake_writes_can_be_read_back(checkout: Path, form_name: str, answers: dict[str, str]) -> None:
    """report-pr makes the record again with the date the intake wrote into it; ``written_today`` must find it."""
    form = next(f for f in load_forms(checkout) if f.name == form_name)
    values, _ = parse_body(form, form_body(answers))
    today = dt.date(2026, 11, 2)
    submission, findings = submission_for(form, values, Repository(checkout), 12, today, "zeist-ambtenaar")
    assert findings == [] and submission is not None
    assert written_today(submission.kind, load_bytes(submission.text.encode(), submission.path).data) == "2026-11-02"
