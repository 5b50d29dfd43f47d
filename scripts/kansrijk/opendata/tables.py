"""Open data: which CSV tables the package holds and which columns they have, derived from the record schemas.

Every kind gets a table of its records (named after its export stem in ``KINDS``) with a column per field of its
JSON Schema, in schema order, with no edit here: nested objects are flattened (``erkenning.niveau`` becomes
``erkenning_niveau``), lists of scalars are joined, and a list of objects, or a list with a table of its own, is
left to a child table declared here (one row per item). What a table declares by hand is only what the schema cannot
say: titles and descriptions, computed columns (parent keys, positions, register lookups), a column name, title or
position that reads better in a flat table, and fields left out of the CSVs, each with the reason. The writer (``opendata/export.py``) turns these declarations into
Table Schemas and CSV files; ``tests/contracts/test_export_coverage.py`` checks that every schema field is a column
or a declared exclusion.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from kansrijk.records.codelists import codelist_name
from kansrijk.records.kinds import KINDS
from kansrijk.records.model import ACTION_LINES, Application, Record, Repository
from kansrijk.records.schema_fields import ANY_ITEM, describe_field, property_names

ForeignKey = tuple[tuple[str, ...], str, tuple[str, ...]]


@dataclass(frozen=True)
class Row:
    """One source row: the record, the list item the row stands for (if any), its position and the list it is in."""

    record: Record
    repo: Repository
    item: object = None
    index: int = 0
    line: str = ""


@dataclass(frozen=True)
class Column:
    """A CSV column; ``path`` (below the table's item) names both the value and its JSON Schema.

    In a table's declared ``columns``, a column replaces the derived column of the same name or is added: after the
    column named by ``after``, or (without ``after``) before the derived columns, in declaration order.
    """

    name: str
    path: tuple[str, ...] = ()
    title: str | None = None
    description: str | None = None
    type: str | None = None
    value: Callable[[Row], object] | None = None
    joined: bool = False
    required: bool | None = None
    after: str | None = None


def _dig(data: object, path: tuple[str, ...]) -> object:
    for step in path:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


@dataclass(frozen=True)
class Table:
    """One CSV: the rows (records, or the items of ``item_paths``) and the declarations the schema cannot make."""

    name: str
    title: str
    description: str
    kind: str
    primary_key: tuple[str, ...]
    # The lists whose items are the rows, each ending in "*", read in this order; the first describes the columns.
    # Empty: one row per record.
    item_paths: tuple[tuple[str, ...], ...] = ()
    columns: tuple[Column, ...] = ()
    titles: Mapping[str, str] = field(default_factory=dict)  # column name -> title where the schema's reads unclear
    prefixes: Mapping[str, str] = field(default_factory=dict)  # nested object (dotted) -> column-name prefix
    excluded: Mapping[str, str] = field(default_factory=dict)  # field (dotted, below the item) -> why it is no column
    references: tuple[ForeignKey, ...] = ()  # foreign keys to other tables of the package

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def item_path(self) -> tuple[str, ...]:
        return self.item_paths[0] if self.item_paths else ()

    def rows(self, record: Record, repo: Repository) -> Iterator[Row]:
        """The record itself, or the items of each list in ``item_paths`` (``line`` names the list they are in)."""
        if not self.item_paths:
            yield Row(record, repo)
            return
        for item_path in self.item_paths:
            for index, item in enumerate(_dig(record.data, item_path[:-1]) or []):  # type: ignore[arg-type]
                yield Row(record, repo, item, index, item_path[-2])

    def value(self, column: Column, row: Row) -> object:
        if column.value is not None:
            return column.value(row)
        source = row.item if self.item_paths else row.record.data
        return _dig(source, column.path) if column.path else source

    def columns_in(self, document: dict) -> tuple[Column, ...]:
        """The declared columns merged into the columns derived from the kind's JSON Schema ``document``."""
        derived = list(self._derived(document, ()))
        derived_names = {column.name for column in derived}
        columns = [column for column in self.columns if column.after is None and column.name not in derived_names]
        columns += derived
        for column in self.columns:
            names = [existing.name for existing in columns]
            if column.name in derived_names and column.after is None:
                columns[names.index(column.name)] = column
            elif column.after is not None:
                if column.name in names:
                    del columns[names.index(column.name)]
                    names.remove(column.name)
                columns.insert(names.index(column.after) + 1, column)
        return tuple(columns)

    def _derived(self, document: dict, below: tuple[str, ...]) -> Iterator[Column]:
        """A column per scalar field and list of scalars at ``below``, nested objects flattened, in schema order."""
        for name in property_names(document, (*self.item_path, *below)):
            path = (*below, name)
            if ".".join(path) in self.excluded or (*self.item_path, *path, ANY_ITEM) in _CHILD_LISTS[self.kind]:
                continue
            if not self.item_paths and path in _SHARED:
                yield _SHARED[path]
                continue
            if property_names(document, (*self.item_path, *path)):
                yield from self._derived(document, path)
            elif describe_field(document, (*self.item_path, *path))[0].get("type") != "array":
                yield self._column(path)
            elif not property_names(document, (*self.item_path, *path, ANY_ITEM)):
                yield self._column(path, joined=True)

    def _column(self, path: tuple[str, ...], *, joined: bool = False) -> Column:
        name = "_".join(path)
        for depth in range(len(path) - 1, 0, -1):
            prefix = self.prefixes.get(".".join(path[:depth]))
            if prefix is not None:
                name = prefix + "_".join(path[depth:])
                break
        return Column(name, path, title=self.titles.get(name), joined=joined)

    def foreign_keys_in(self, document: dict) -> tuple[ForeignKey, ...]:
        """The declared references, then one per single-valued column whose field names a code list (``x-codelijst``).

        A joined list of codes gets none: Frictionless looks a whole cell up in the code list (and fails on a ``list``
        field), so its Table Schema pattern admits exactly the schema's enum, which the enum-sync test keeps equal to
        the code list.
        """
        derived = []
        for column in self.columns_in(document):
            if (column.path or column.value is None) and not column.joined:
                code_list = codelist_name(describe_field(document, (*self.item_path, *column.path))[0])
                if code_list:
                    derived.append(((column.name,), code_list, ("code",)))
        return (*self.references, *derived)


def _record_table(kind: str, **declared: object) -> Table:
    """The table of one kind's records: named after its export stem, one row per record, keyed by ``id``."""
    info = KINDS[kind]
    table = Table(info.export_stem, info.plural, f"Eén regel per {info.title.lower()}.", kind, ("id",))
    return dataclasses.replace(table, **declared)  # type: ignore[arg-type]


def _key(row: Row) -> str:
    return row.record.key


def _number(row: Row) -> int:
    return row.index + 1


def _awarded(row: Row) -> object:
    assert isinstance(row.record, Application)
    amounts = [step["bedrag_toegekend"] for step in row.record.history if step.get("status") == "toegekend"]
    return amounts[-1] if amounts else None


def _register_name(row: Row) -> object:
    code = str(row.item)
    place = row.repo.vocab.municipalities.get(code) or row.repo.vocab.ended_municipalities.get(code)
    return place.naam if place else None


def _register_province(row: Row) -> object:
    code = str(row.item)
    place = row.repo.vocab.municipalities.get(code) or row.repo.vocab.ended_municipalities.get(code)
    return place.provincie if place else None


def _register_ended(row: Row) -> bool:
    return str(row.item) not in row.repo.vocab.municipalities


_NUMBER = Column(
    "volgnummer",
    title="Volgnummer",
    type="integer",
    value=_number,
    required=True,
    description="Plaats in de lijst in het record, vanaf 1.",
)
_EXAMPLE = Column(
    "voorbeeld",
    ("voorbeeld",),
    type="boolean",
    value=lambda row: bool(row.record.data.get("voorbeeld")),
    required=True,
    description="true als het record een verzonnen voorbeeld is (laat voorbeelden weg bij analyses), anders false.",
)
# Columns of fields every record schema shares, in every record table.
_SHARED: dict[tuple[str, ...], Column] = {("voorbeeld",): _EXAMPLE}


def _parent(name: str, title: str, table: str) -> Column:
    return Column(
        name, title=title, type="string", value=_key, required=True, description=f"Verwijst naar de kolom id in {table}.csv."
    )


TABLES: tuple[Table, ...] = (
    _record_table(
        "interventie",
        description="Eén regel per interventie uit het menu van Kansrijke Start. Lijsten van codes staan gescheiden door een puntkomma.",
        titles={
            "erkenning_herbeoordeling_vermeld_op": "Herbeoordeling: gezien op",
            "erkenning_herbeoordeling_bron": "Herbeoordeling: webadres",
        },
    ),
    Table(
        "interventie-actielijnen",
        "Interventies per actielijn",
        "Eén regel per interventie en actielijn (voor, tijdens of na de zwangerschap) waarin zij past.",
        "interventie",
        ("interventie", "actielijn"),
        item_paths=(("actielijnen", ANY_ITEM),),
        columns=(_parent("interventie", "Interventie", "interventies"), Column("actielijn", ())),
        references=((("interventie",), "interventies", ("id",)),),
    ),
    Table(
        "interventie-bronnen",
        "Bronnen van de interventies",
        "De openbare webpagina's waar de feiten over een interventie vandaan komen.",
        "interventie",
        ("interventie", "volgnummer"),
        item_paths=(("bronnen", ANY_ITEM),),
        columns=(_parent("interventie", "Interventie", "interventies"), _NUMBER),
        references=((("interventie",), "interventies", ("id",)),),
    ),
    _record_table(
        "coalitie",
        description="Eén regel per lokale of regionale coalitie Kansrijke Start.",
        titles={
            "plan_van_aanpak_status": "Plan van aanpak: status",
            "plan_van_aanpak_datum": "Plan van aanpak: datum vastgesteld",
            "plan_van_aanpak_link": "Plan van aanpak: link",
            "contact_email": "Contact: functioneel e-mailadres",
            "contact_website": "Contact: webpagina",
        },
    ),
    Table(
        "coalitie-partners",
        "Partners van de coalities",
        "Eén regel per partnerorganisatie van een coalitie.",
        "coalitie",
        ("coalitie", "volgnummer"),
        item_paths=(("partners", ANY_ITEM),),
        columns=(_parent("coalitie", "Coalitie", "coalities"), _NUMBER),
        references=((("coalitie",), "coalities", ("id",)),),
    ),
    Table(
        "coalitie-gemeenten",
        "Gemeenten van de coalities",
        "Eén regel per gemeente die aan een coalitie deelneemt, met naam en provincie uit het CBS-register. "
        "Een code van een opgeheven gemeente staat in vocab/gemeenten-opgeheven.csv, niet in vocab/gemeenten.csv.",
        "coalitie",
        ("coalitie", "gemeente"),
        item_paths=(("gemeenten", ANY_ITEM),),
        columns=(
            _parent("coalitie", "Coalitie", "coalities"),
            Column("gemeente", ()),
            Column(
                "gemeentenaam",
                title="Gemeentenaam",
                type="string",
                value=_register_name,
                required=True,
                description="Naam volgens het CBS-register.",
            ),
            Column(
                "provincie",
                title="Provincie",
                type="string",
                value=_register_province,
                required=True,
                description="Provincie volgens het CBS-register.",
            ),
            Column(
                "opgeheven",
                title="Opgeheven gemeente",
                type="boolean",
                value=_register_ended,
                required=True,
                description="true als de gemeente niet meer bestaat; zie vocab/gemeenten-opgeheven.csv voor de opvolger.",
            ),
        ),
        references=((("coalitie",), "coalities", ("id",)),),
    ),
    Table(
        "coalitie-interventies",
        "Interventies in gebruik bij de coalities",
        "Eén regel per interventie die een coalitie noemt, per actielijn, met de status van de uitvoering.",
        "coalitie",
        ("coalitie", "actielijn", "volgnummer"),
        item_paths=tuple(("interventies", line, ANY_ITEM) for line in ACTION_LINES),
        columns=(
            _parent("coalitie", "Coalitie", "coalities"),
            Column(
                "actielijn",
                title="Actielijn",
                type="string",
                value=lambda row: row.line,
                required=True,
                description="De actielijn waaronder de coalitie de interventie noemt: voor, tijdens of na.",
            ),
            _NUMBER,
        ),
        references=((("coalitie",), "coalities", ("id",)), (("interventie",), "interventies", ("id",))),
    ),
    _record_table(
        "ronde",
        description="Eén regel per ronde van een regeling, zoals een tranche van de Impuls Kansrijke Start.",
        titles={
            "subsidiabel_soort": "Wie mag aanvragen: soort",
            "subsidiabel_gemeenten": "Wie mag aanvragen: gemeenten",
            "uitbetaling_wijze": "Uitbetaling: wijze",
            "uitbetaling_circulaire": "Uitbetaling: circulaire",
        },
    ),
    _record_table(
        "aanvraag",
        title="Impulsaanvragen",
        description="Eén regel per aanvraag van een coalitie in een ronde, met de huidige status. De volledige geschiedenis "
        "staat in aanvraag-statushistorie.csv, de begroting in records/aanvragen.json.",
        columns=(
            Column(
                "id",
                title="Kenmerk van de aanvraag",
                type="string",
                value=_key,
                required=True,
                description="Coalitie en ronde, gescheiden door een schuine streep: <coalitie>/<ronde>.",
            ),
            Column("coalitie", ("coalitie",), after="id"),
            Column(
                "bedrag_toegekend",
                title="Toegekend bedrag",
                type="integer",
                value=_awarded,
                description="In hele euro's; leeg zolang er niets is toegekend.",
                after="bedrag_aangevraagd",
            ),
            Column(
                "status",
                ("historie", ANY_ITEM, "status"),
                title="Huidige status",
                type="string",
                value=lambda row: row.record.status,  # type: ignore[attr-defined]
                required=True,
                description="De status van de laatste stap in de statusgeschiedenis.",
                after="bedrag_toegekend",
            ),
        ),
        excluded={
            "begroting": "Posten met vrije omschrijvingen; de begroting staat in records/aanvragen.json.",
            "activiteiten": "Vrije tekst per actielijn, waarin het scheidingsteken kan staan; zie records/aanvragen.json.",
            "partners": "Vrije tekst, waarin het scheidingsteken kan staan; zie records/aanvragen.json.",
        },
        references=((("coalitie",), "coalities", ("id",)), (("ronde",), "rondes", ("id",))),
    ),
    Table(
        "aanvraag-statushistorie",
        "Statusgeschiedenis van de aanvragen",
        "Eén regel per stap in de statusgeschiedenis van een aanvraag, in volgorde. Stappen worden alleen toegevoegd, nooit gewijzigd.",
        "aanvraag",
        ("aanvraag", "volgnummer"),
        item_paths=(("historie", ANY_ITEM),),
        columns=(_parent("aanvraag", "Aanvraag", "aanvragen"), _NUMBER),
        titles={"status": "Status"},
        prefixes={"verantwoording": ""},
        references=((("aanvraag",), "aanvragen", ("id",)),),
    ),
    _record_table(
        "activiteit",
        title="Activiteiten in de agenda",
        description="Eén regel per webinar, training, leerbijeenkomst of congres in de agenda van de kennisbank.",
    ),
    _record_table(
        "training",
        description="Eén regel per training, cursus of e-learning voor professionals. Lijsten van codes staan gescheiden door een puntkomma.",
    ),
    Table(
        "training-bronnen",
        "Bronnen van de trainingen",
        "De openbare webpagina's waar de feiten over een training vandaan komen.",
        "training",
        ("training", "volgnummer"),
        item_paths=(("bronnen", ANY_ITEM),),
        columns=(_parent("training", "Training", "trainingen"), _NUMBER),
        references=((("training",), "trainingen", ("id",)),),
    ),
)
# A kind declared above has its record table there; any other kind gets the default one, with no edit here.
TABLES += tuple(_record_table(kind) for kind in KINDS if kind not in {table.kind for table in TABLES if not table.item_paths})

# Per kind, the lists whose items are rows of a table of their own: the record table has no column for them.
_CHILD_LISTS: dict[str, set[tuple[str, ...]]] = {
    kind: {item_path for table in TABLES if table.kind == kind for item_path in table.item_paths} for kind in KINDS
}
