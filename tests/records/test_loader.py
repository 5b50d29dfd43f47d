"""The strict loader: every rejection names file, line and column; YAML 1.1 surprises stay text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansrijk.records.loader import CONTROL_CHARACTERS, MAX_BYTES, MAX_DEPTH, LoadError, load_bytes, load_path, load_text


def rejection(text: str | bytes) -> LoadError:
    with pytest.raises(LoadError) as caught:
        if isinstance(text, bytes):
            load_bytes(text, "rec.yaml")
        else:
            load_text(text, "rec.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("text", "code", "line", "column", "words"),
    [
        ("naam: a\nid: x\nnaam: b\n", "dubbele-sleutel", 3, 1, "eerder op regel 1"),
        ("a:\n  b: 1\n  b: 2\n", "dubbele-sleutel", 3, 3, "'b'"),
        ("a: &anker 1\n", "anker", 1, 4, "&anker"),
        ("a: [1]\nb: *x\n", "alias", 2, 4, "*x"),
        ("a: &x [1]\nb: *x\n", "anker", 1, 4, "&x"),
        ("a: !!str 12\n", "tag", 1, 4, "tag"),
        ("a: !eigen x\n", "tag", 1, 4, "tag"),
        ("a: !!map {b: 1}\n", "tag", 1, 4, "tag"),
        ("12: x\n", "sleutel-geen-tekst", 1, 1, "geen tekst"),
        ("true: x\n", "sleutel-geen-tekst", 1, 1, "geen tekst"),
        ("? [a, b]\n: x\n", "sleutel-geen-tekst", 1, 3, "geen lijst"),
        ("- a\n- b\n", "geen-mapping", 1, 1, "veld: waarde"),
        ("gewoon tekst\n", "geen-mapping", 1, 1, "veld: waarde"),
        ("", "leeg", 1, 1, "leeg"),
        ("# alleen commentaar\n", "leeg", 1, 1, "leeg"),
        ("a: 1\n---\nb: 2\n", "meerdere-documenten", 2, 1, "meer dan één"),
        ("a: [1, 2\nb: 3\n", "yaml-syntax", 2, 1, "op regel 1 begint"),
        ("a:\tb\n\tc: d\n", "yaml-syntax", 2, 1, "tab"),
    ],
)
def test_rejections_name_line_and_column(text: str, code: str, line: int, column: int, words: str) -> None:
    error = rejection(text)
    problem = error.problem
    assert (problem.code, problem.line, problem.column) == (code, line, column)
    assert words in problem.message
    assert problem.file == "rec.yaml"
    assert problem.is_error


def test_alias_without_anchor_line_is_rejected_as_alias() -> None:
    # The anchor is refused first; an alias to an anchor defined in a flow mapping still never expands.
    error = rejection("a: {x: &y 1}\nb: *y\n")
    assert error.problem.code == "anker"


def test_billion_laughs_is_refused_at_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert rejection(bomb).problem.code == "anker"


def test_nesting_deeper_than_limit() -> None:
    text = "a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n"
    problem = rejection(text).problem
    assert problem.code == "te-diep"
    assert problem.line == 1


def test_nesting_at_limit_loads() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert isinstance(load_text(text, "rec.yaml").data["a"], list)


def test_not_utf8_names_line_and_column() -> None:
    problem = rejection(b"naam: ok\nplaats: Z\xfcrich\n").problem
    assert (problem.code, problem.line, problem.column) == ("geen-utf8", 2, 10)
    assert "UTF-8" in problem.message


def test_byte_order_mark_is_accepted() -> None:
    assert load_bytes("\ufeffnaam: x\n".encode(), "rec.yaml").data == {"naam": "x"}


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "groot.yaml"
    big.write_text("a: " + "x" * (MAX_BYTES + 10) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_path(big, tmp_path, "groot.yaml")
    assert caught.value.problem.code == "te-groot"
    assert rejection(b"a: " + b"x" * MAX_BYTES).problem.code == "te-groot"


def test_symlink_outside_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "buiten.yaml"
    outside.write_text("a: 1\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    link = repo / "link.yaml"
    os.symlink(outside, link)
    with pytest.raises(LoadError) as caught:
        load_path(link, repo, "link.yaml")
    assert caught.value.problem.code == "symlink-buiten-repo"


def test_symlink_inside_repository_loads(tmp_path: Path) -> None:
    (tmp_path / "echt.yaml").write_text("a: 1\n", encoding="utf-8")
    os.symlink(tmp_path / "echt.yaml", tmp_path / "link.yaml")
    assert load_path(tmp_path / "link.yaml", tmp_path).data == {"a": 1}


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_path(tmp_path / "weg.yaml", tmp_path, "weg.yaml")
    assert caught.value.problem.code == "onleesbaar"


def test_no_yaml_11_surprises() -> None:
    data = load_text(
        "a: no\nb: on\nc: yes\nd: off\ne: 2024-03-01\nf: 2024-03-01T10:00:00\ng: '0363'\nh: 1_000\ni: '0x1F'\n"
        "k: 12\nl: -3\nm: 1.5\nn: true\no: null\np: ~\nq: ''\nr: 'true'\ns: 1e3\nt: .5\n",
        "rec.yaml",
    ).data
    assert data == {
        "a": "no", "b": "on", "c": "yes", "d": "off", "e": "2024-03-01", "f": "2024-03-01T10:00:00",
        "g": "0363", "h": "1_000", "i": "0x1F",
        "k": 12, "l": -3, "m": 1.5, "n": True, "o": None, "p": None, "q": "", "r": "true", "s": 1000.0, "t": 0.5,
    }  # fmt: skip


@pytest.mark.parametrize("value", ["0363", "00", "-012", "0o17", "0x1F", ".inf", "-.inf", ".NaN"])
def test_numbers_that_readers_disagree_on_are_refused(value: str) -> None:
    """YAML 1.2 (and editors) read 0363 as 363 and 0x1F as 31; YAML 1.1 reads 0363 as octal; people as text."""
    problem = rejection(f"naam: x\npostcode: {value}\n").problem
    assert (problem.code, problem.line, problem.column) == ("dubbelzinnig-getal", 2, 11)
    assert "aanhalingstekens" in problem.message and value in problem.message
    assert rejection(f"{value}: x\n").problem.code == "dubbelzinnig-getal"


# Where libyaml alone accepts what YAML 1.2 refuses: one class per row, each with the project's own snippet.
@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        # Continuation lines of a flow value must be indented more than their field (suite: 9C9N, QB6E, DK95).
        ("a:\n  b: [x,\n  y]\n", 3, 1, "springt niet"),
        ("titel: 'een\nlange titel'\n", 2, 1, "springt niet"),
        ('titel: "een\n\tlange titel"\n', 2, 1, "springt niet"),
        ("lijst:\n  - 'een\n  twee'\n", 3, 1, "springt niet"),
        # A value on the line after its field must be indented more than the field.
        ("a:\n>\n  x\n", 2, 1, "eigen regel"),
        ("a:\n|\n  x\n", 2, 1, "eigen regel"),
        # A comment needs white space before it (suite: SU5Z, X4QW).
        ("a: 'x'# opmerking\n", 1, 7, "na een spatie"),
        ("a: [x, y]# opmerking\n", 1, 10, "na een spatie"),
        ("a: [x,# opmerking\n  y]\n", 1, 7, "na een spatie"),
        ("a: |# opmerking\n  tekst\n", 1, 5, "na een spatie"),
        # No leading empty line of a block scalar may be wider than its first text line (suite: S98Z).
        ("a: >\n     \n  tekst\n", 3, 3, "meer spaties"),
        # A lone '-' inside [ ] or { } is no plain scalar in YAML 1.2.
        ("a: [-, b]\n", 1, 5, "los streepje"),
        ("a: [b, -]\n", 1, 8, "los streepje"),
    ],
)
def test_libyaml_leniencies_are_closed(text: str, line: int, column: int, words: str) -> None:
    problem = rejection(text).problem
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", line, column), problem.message
    assert words in problem.message


@pytest.mark.parametrize(
    ("text", "data"),
    [
        # A '?' glued to a key in a flow mapping is text in YAML 1.2 (suite: 652Z).
        ("a: {?x: 1, y: 2}\n", {"a": {"?x": 1, "y": 2}}),
        ("a: {? x: 1}\n", {"a": {"x": 1}}),
        # The last line without a line break still ends the block scalar's text with one (suite: L24T).
        ("a: |\n  tekst", {"a": "tekst\n"}),
        ("a: |\n  tekst\n   ", {"a": "tekst\n \n"}),
        ("a: |+\n  tekst\n\n  ", {"a": "tekst\n\n"}),
        ("a: >-\n  tekst\n ", {"a": "tekst"}),
        # What stays allowed: quoted and flow values that are indented, comments after a space.
        ("a: 'een\n  twee'\nb: [x,\n  y] # opmerking\n", {"a": "een twee", "b": ["x", "y"]}),
        ("a:\n  'x'\nb: ['x,#y']\n", {"a": "x", "b": ["x,#y"]}),
        ("a: {-: x}\nb: [-x, '-']\n", {"a": {"-": "x"}, "b": ["-x", "-"]}),
    ],
)
def test_valid_forms_libyaml_misread_load_right(text: str, data: dict) -> None:
    assert load_text(text, "rec.yaml").data == data


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: [?x]\n", 1, "'?'"),
        ("a: {?'x': 1}\n", 1, "'?'"),
        ("a: |2\n    tekst\n   ", 3, "alleen witruimte"),
        ("a: {b\n  : c}\n", 2, "tussen [ ] of { }"),
        ("a: [x, : y]\n", 1, "tussen [ ] of { }"),
        (": waarde\n", 1, "geen veldnaam"),
        ("%YAML 1.3\n---\na: 1\n", 1, "directief"),
        ("a: 1\n...\nb: 2\n", 3, "'...'"),
        ("a:\n  -\t- b\n", 2, "tab"),
        ("a:\n\t- b\n", 2, "tab"),
    ],
)
def test_valid_yaml_libyaml_cannot_read_is_refused_clearly(text: str, line: int, words: str) -> None:
    """Each class in docs/techniek/yaml.md: refused with the construct named, never as 'check the indentation'."""
    problem = rejection(text).problem
    assert (problem.code, problem.line) == ("yaml-syntax", line), problem.message
    assert words in problem.message
    assert "controleer inspringing" not in problem.message


@pytest.mark.parametrize("character", ["\x85", "\u2028", "\u2029"])
def test_line_breaks_only_yaml_11_knows_are_refused(character: str) -> None:
    problem = rejection(f"naam: x\ntitel: een{character}twee\n").problem
    assert (problem.code, problem.line, problem.column) == ("vreemd-regeleinde", 2, 11)
    assert f"U+{ord(character):04X}" in problem.message


@pytest.mark.parametrize(
    ("escaped", "code_point", "words"),
    [
        ("\\0", 0x00, "nulteken NUL"),
        ("\\e", 0x1B, "escapeteken ESC"),
        ("\\r", 0x0D, "losse regelterugloop"),
        ("\\x08", 0x08, "stuurteken"),
        ("\\x7f", 0x7F, "wisteken DEL"),
        ("\\x9b", 0x9B, "stuurteken"),
        ("\\N", 0x85, "stuurteken"),
        ("\\u202e", 0x202E, "schrijfrichting"),
        ("\\u202a", 0x202A, "schrijfrichting"),
        ("\\u2066", 0x2066, "schrijfrichting"),
        ("\\u2069", 0x2069, "schrijfrichting"),
    ],
)
def test_control_characters_written_as_escapes_are_refused(escaped: str, code_point: int, words: str) -> None:
    problem = rejection(f'id: x\nbronnen:\n  - titel: "Goed {escaped}fout"\n').problem
    assert (problem.code, problem.line, problem.column, problem.field_name) == ("stuurteken", 3, 12, "bronnen[0].titel")
    assert f"U+{code_point:04X}" in problem.message and words in problem.message
    assert "als 6e teken" in problem.message
    assert "Haal" in problem.message or "haal" in problem.message


@pytest.mark.parametrize("character", ["\u202e", "\u2067"])
def test_direction_overrides_typed_as_such_are_refused(character: str) -> None:
    for text in (f"naam: a{character}b\n", f"naam: 'a{character}b'\n", f"naam: |\n  a{character}b\n"):
        problem = rejection(text).problem
        assert (problem.code, problem.field_name) == ("stuurteken", "naam"), text


def test_a_control_character_in_a_field_name_is_refused_without_echoing_it() -> None:
    problem = rejection('groep:\n  "na\\eam": x\n').problem
    assert (problem.code, problem.line, problem.field_name) == ("stuurteken", 2, "groep")
    assert "veldnaam" in problem.message and "\x1b" not in problem.message


def test_tab_newline_crlf_and_ordinary_backslashes_still_load() -> None:
    text = 'a: "een\\ttab en\\neen regel"\r\nb: |\r\n  twee\r\n  regels\r\nc: C:\\pad\r\nd: "\\u200f\\u00e9"\r\n'
    assert load_text(text, "rec.yaml").data == {
        "a": "een\ttab en\neen regel",
        "b": "twee\nregels\n",
        "c": "C:\\pad",
        "d": "\u200fé",
    }


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["\\0", "\\e", "\\r", "\\t", "\\n", "\\x7f", "\\x85", "\\u202e", "\\u2069", "a", " "]), max_size=8)
)
def test_no_loaded_text_ever_holds_a_control_character(pieces: list[str]) -> None:
    escapes = "".join(pieces)
    try:
        document = load_text(f'a: "{escapes}"\nb: [x, "{escapes}"]\n', "fuzz.yaml")
    except LoadError as error:
        assert error.problem.code == "stuurteken", error.problem.message
    else:
        assert not any(re.search(CONTROL_CHARACTERS, str(value)) for value in document.data.values())


def test_marks_point_at_every_value() -> None:
    document = load_text("a: 1\nlijst:\n  - x\n  - naam: y\n    sub: [1, 2]\n", "rec.yaml")
    assert document.locate(("a",)) == (1, 4)
    assert document.locate(("lijst", 0)) == (3, 5)
    assert document.locate(("lijst", 1, "naam")) == (4, 11)
    assert document.locate(("lijst", 1, "sub", 1)) == (5, 14)
    assert document.locate(("lijst", 1, "bestaat-niet")) == (4, 5)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_ever_give_a_load_error(raw: bytes) -> None:
    try:
        document = load_bytes(raw, "fuzz.yaml")
    except LoadError as error:
        assert error.problem.file == "fuzz.yaml"
        assert error.problem.line >= 1
    else:
        assert isinstance(document.data, dict)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!|>'\"\n #?,", max_size=120))
def test_yaml_like_text_only_ever_gives_a_load_error(text: str) -> None:
    try:
        load_text(text, "fuzz.yaml")
    except LoadError as error:
        assert error.problem.message
