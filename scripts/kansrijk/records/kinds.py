"""The record kinds, declared once: one row per kind, and everything that lists kinds derives from it.

Before this table a new kind meant about 22 hand-kept lists in 20 files (folders, schema names, id fields,
titles, export names, date fields, hook patterns), and the copies drifted: the agenda was missing from
check-pr, report-pr, the pre-commit hooks and the open data. Now the loader's classification, the rules,
check-pr's folders, report-pr's accepted kinds, ``new``, ``fmt``, ``stale``, ``export``, ``demo-corpus``,
the site, the schema reference, ``mkdocs serve``'s watched folders and the pre-commit hook patterns all
read this table. The table doubles as the glossary: one kind has one name in each place it appears.

This module imports nothing from the rest of the package, so every module can import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath
from string import Formatter

_SLUG = "[a-z0-9]+(?:-[a-z0-9]+)*"


@dataclass(frozen=True, kw_only=True)
class RecordKind:
    """One kind of record and every name it has: folder, files, schema, class, titles, page and table."""

    name: str  # the kind as in reports and schema file names: "interventie"
    folder: str  # top-level folder of the records: "interventions"
    file_template: str  # path below ``folder``: "{id}.yaml"; the placeholders, joined by "/", are the key
    # Class name in ``kansrijk.records.model``; a kind without one gets a plain ``Record`` subclass of its own.
    record_class: str | None = None
    title: str  # singular Dutch title: "Interventie"
    plural: str  # plural Dutch title: "Interventies"
    site_section: str | None  # docs folder of its pages ("interventies"), None when it has no pages of its own
    export_stem: str  # name of its JSON file in the open-data package: records/<stem>.json
    date_field: str | None  # the field that says when its facts were last checked (``kansrijk stale``)
    # The owners CODEOWNERS gives the folder (its ``/<folder>/`` rule), as GitHub handles; a coalition's own
    # folder has a rule of its own below that. tests/contracts/test_kind_owners.py holds CODEOWNERS to this.
    owners: tuple[str, ...]
    date_label: str | None = None  # ``date_field`` in a Dutch sentence: "laatst gecontroleerd op" (``kansrijk stale``)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The template as a regex: ``{name}`` is any file or folder name, ``{name:slug}`` a slug."""
        out = ""
        for literal, name, spec, _conversion in Formatter().parse(self.file_template):
            out += re.escape(literal)
            if name is not None:
                out += f"(?P<{name}>{_SLUG if spec == 'slug' else '[^/]+'})"
        return re.compile(out)

    @property
    def id_fields(self) -> tuple[str, ...]:
        """The fields that must equal the parts of the key, in path order."""
        return tuple(self.pattern.groupindex)

    @property
    def example_path(self) -> str:
        """The file pattern as contributors read it: ``interventions/<kenmerk>.yaml``."""
        shown = {name: f"<{'kenmerk' if name == 'id' else name}>" for name in self.id_fields}
        return f"{self.folder}/{re.sub(r'{([a-z_]+)(?::[a-z]+)?}', lambda m: shown[m[1]], self.file_template)}"

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def id_field(self) -> str:
        """The field a duplicate key is reported on: the last part of the key."""
        return self.id_fields[-1]

    @property
    def depth(self) -> int:
        """How many folders deep a record file sits (for relative ``$schema`` modelines)."""
        return self.file_template.count("/") + 1

    def path_of(self, key: str) -> str:
        """The repository-relative file of a record with this key: the inverse of ``key_of``."""
        values = dict(zip(self.id_fields, key.split("/"), strict=True))
        return f"{self.folder}/{re.sub(r'{([a-z_]+)(?::[a-z]+)?}', lambda m: values[m[1]], self.file_template)}"

    def key_of(self, rel_path: str) -> str | None:
        """The record key of a repository-relative path, or None if the path is no record of this kind."""
        prefix = self.folder + "/"
        if not rel_path.startswith(prefix):
            return None
        match = self.pattern.fullmatch(rel_path[len(prefix) :])
        return "/".join(match.groups()) if match else None


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind(
            name="interventie",
            folder="interventions",
            file_template="{id}.yaml",
            record_class="Intervention",
            title="Interventie",
            plural="Interventies",
            site_section="interventies",
            export_stem="interventies",
            date_field="gecontroleerd_op",
            date_label="laatst gecontroleerd op",
            owners=("@kansrijke-start/redactie", "@kansrijke-start/beheerders"),
        ),
        RecordKind(
            name="coalitie",
            folder="coalitions",
            file_template="{id}/coalitie.yaml",
            record_class="Coalition",
            title="Coalitie",
            plural="Coalities",
            site_section="coalities",
            export_stem="coalities",
            date_field="bijgewerkt_op",
            date_label="laatst bijgewerkt op",
            owners=("@kansrijke-start/beheerders",),
        ),
        RecordKind(
            name="aanvraag",
            folder="coalitions",
            file_template="{coalitie}/aanvraag-{ronde:slug}.yaml",
            record_class="Application",
            title="Aanvraag",
            plural="Aanvragen",
            site_section=None,
            export_stem="aanvragen",
            date_field=None,
            owners=("@kansrijke-start/beheerders",),
        ),
        RecordKind(
            name="ronde",
            folder="rounds",
            file_template="{id}.yaml",
            record_class="Round",
            title="Ronde",
            plural="Rondes",
            site_section="impuls",
            export_stem="rondes",
            date_field=None,
            owners=("@kansrijke-start/beheerders",),
        ),
        RecordKind(
            name="activiteit",
            folder="agenda",
            file_template="{id}.yaml",
            record_class="Activity",
            title="Activiteit",
            plural="Activiteiten",
            site_section="agenda",
            export_stem="activiteiten",
            date_field=None,
            owners=("@kansrijke-start/redactie", "@kansrijke-start/beheerders"),
        ),
        RecordKind(
            name="training",
            folder="trainings",
            file_template="{id}.yaml",
            record_class="Training",
            title="Training",
            plural="Trainingen",
            site_section="trainingen",
            export_stem="trainingen",
            date_field="gecontroleerd_op",
            date_label="laatst gecontroleerd op",
            owners=("@kansrijke-start/redactie", "@kansrijke-start/beheerders"),
        ),
    )
}

# Folders that hold records, each once, in table order.
RECORD_FOLDERS: tuple[str, ...] = tuple(dict.fromkeys(kind.folder for kind in KINDS.values()))
# Folders besides the records that a check, a copy or a rebuild needs.
SUPPORT_FOLDERS: tuple[str, ...] = ("schemas", "vocab")
_BY_FOLDER: dict[str, tuple[RecordKind, ...]] = {
    folder: tuple(kind for kind in KINDS.values() if kind.folder == folder) for folder in RECORD_FOLDERS
}


def classify_path(rel_path: str) -> tuple[str, str] | None:
    """``(kind, key)`` of the record a repository-relative path holds, or None if it holds none."""
    for kind in _BY_FOLDER.get(rel_path.split("/", 1)[0], ()):
        key = kind.key_of(rel_path)
        if key is not None:
            return kind.name, key
    return None


def is_record_area(rel_path: str) -> bool:
    """True for paths inside the folders that hold records."""
    return PurePosixPath(rel_path).parts[:1] in ((folder,) for folder in RECORD_FOLDERS)


def hook_files_pattern(extensions: str = r"\.ya?ml") -> str:
    """The ``files:`` regex of a pre-commit hook that must see every record file."""
    return rf"^({'|'.join(RECORD_FOLDERS)})/.*{extensions}$"
