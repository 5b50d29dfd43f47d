"""Problems found in records: the one error type every check produces.

A problem carries where it is (file, line, column, field path) and what to do,
and is only turned into text by a reporter at the edge (see ``reporters``).

Every problem code is declared in ``CODES`` with a Dutch title and explanation (after frictionless's error
catalogue); a ``Problem`` with an undeclared code cannot be made, and the site's "Meldingen" page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

FieldPath = tuple[str | int, ...]


class Severity(StrEnum):
    """Errors block a change; warnings are shown but let it through."""

    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class ProblemCode:
    """What a problem code means: a short title and the explanation a contributor reads on the site."""

    title: str
    description: str


# The JSON Schema keywords a schema problem can be about: code ``schema-<keyword>``.
_SCHEMA_KEYWORDS = {
    "required": "Verplicht veld ontbreekt",
    "additionalProperties": "Onbekend veld",
    "unevaluatedProperties": "Onbekend veld",
    "enum": "Waarde staat niet in de codelijst",
    "const": "Waarde moet precies deze zijn",
    "type": "Verkeerde soort waarde",
    "format": "Verkeerde vorm (datum, webadres, e-mailadres)",
    "pattern": "Tekst heeft niet de vereiste vorm",
    "minLength": "Tekst te kort",
    "maxLength": "Tekst te lang",
    "minItems": "Lijst te kort",
    "maxItems": "Lijst te lang",
    "uniqueItems": "Waarde staat twee keer in de lijst",
    "minimum": "Getal te klein",
    "maximum": "Getal te groot",
    "exclusiveMinimum": "Getal te klein",
    "exclusiveMaximum": "Getal te groot",
    "multipleOf": "Getal is geen veelvoud van de vereiste stap",
    "minProperties": "Groep velden is leeg",
    "maxProperties": "Groep velden heeft te veel velden",
    "dependentRequired": "Veld vraagt om een ander veld",
    "propertyNames": "Veldnaam heeft niet de vereiste vorm",
    "contains": "Lijst mist een vereiste waarde",
    "oneOf": "Past bij geen van de toegestane vormen",
    "anyOf": "Past bij geen van de toegestane vormen",
    "allOf": "Voldoet niet aan alle regels",
    "not": "Deze combinatie is niet toegestaan",
    "if": "Voorwaardelijke regel niet gehaald",
    "then": "Voorwaardelijke regel niet gehaald",
    "else": "Voorwaardelijke regel niet gehaald",
    "false": "Dit veld mag hier niet staan",
}

CODES: dict[str, ProblemCode] = {
    # Reading the file (loader.py)
    "onleesbaar": ProblemCode("Bestand niet te lezen", "Het bestand bestaat niet of mag niet gelezen worden."),
    "symlink-buiten-repo": ProblemCode(
        "Koppeling naar buiten de repository",
        "Een symbolische koppeling naar een bestand buiten de repository wordt niet gevolgd; zet de inhoud in het bestand zelf.",
    ),
    "te-groot": ProblemCode(
        "Bestand te groot", "Een record heeft een maximale grootte; verwijs voor lange teksten naar een webpagina."
    ),
    "geen-utf8": ProblemCode("Geen UTF-8", "Records zijn UTF-8-tekst; sla het bestand op als UTF-8."),
    "yaml-syntax": ProblemCode(
        "Geen geldige YAML", "De YAML is niet te lezen: meestal een inspringing, dubbele punt of aanhalingsteken op die plek."
    ),
    "meerdere-documenten": ProblemCode(
        "Meer dan één document", "Eén bestand bevat één record; het scheidingsteken --- hoort er niet in."
    ),
    "te-diep": ProblemCode("Te diep genest", "De gegevens zijn dieper genest dan een record ooit nodig heeft."),
    "geen-mapping": ProblemCode("Geen velden", "Een record bestaat uit velden in de vorm 'veld: waarde'."),
    "sleutel-geen-tekst": ProblemCode("Veldnaam geen tekst", "Een veldnaam is altijd tekst, geen lijst of blok."),
    "dubbele-sleutel": ProblemCode(
        "Veld twee keer", "Een veld mag maar één keer in hetzelfde blok staan; anders is onduidelijk welke waarde telt."
    ),
    "alias": ProblemCode(
        "Verwijzing (*) niet toegestaan", "YAML-verwijzingen maken records moeilijk te lezen; schrijf de waarde voluit."
    ),
    "anker": ProblemCode("Anker (&) niet toegestaan", "YAML-ankers maken records moeilijk te lezen; schrijf de waarde voluit."),
    "tag": ProblemCode(
        "YAML-tag niet toegestaan", "Tags zoals !!str zijn niet nodig; zet tekst zo nodig tussen aanhalingstekens."
    ),
    "geen-bestand": ProblemCode(
        "Geen gewoon bestand",
        "Op de plek van een record staat een map, FIFO of ander soort bestand; zet er een gewoon bestand neer.",
    ),
    "symlink-lus": ProblemCode(
        "Koppeling die rondloopt", "De symbolische koppeling wijst (via andere koppelingen) naar zichzelf; haal haar weg."
    ),
    # What may stand in a record folder (model.py): one rule for validate and check-pr
    "map-op-recordpad": ProblemCode(
        "Map op de plek van een record", "Waar een recordbestand hoort, staat een map; zet het record terug als gewoon bestand."
    ),
    "map-niet-toegestaan": ProblemCode(
        "Map hoort niet in een recordmap", "Records staan op vaste plekken; andere mappen worden geweigerd, niet overgeslagen."
    ),
    "symlink": ProblemCode(
        "Symbolische koppeling", "In recordmappen staan alleen gewone bestanden; een koppeling wordt nooit gevolgd."
    ),
    "submodule": ProblemCode("Git-submodule", "Een submodule in een recordmap wordt geweigerd; zet de records zelf in de map."),
    "geen-gewoon-bestand": ProblemCode(
        "FIFO, apparaat of socket", "Zo'n bestand kan het lezen laten hangen; in recordmappen staan alleen gewone bestanden."
    ),
    "map-onleesbaar": ProblemCode("Map niet te lezen", "De map mag niet gelezen worden; controleer de rechten."),
    "naam-gereserveerd": ProblemCode(
        "Naam die Windows niet toestaat",
        "CON, PRN, AUX, NUL, COM1-COM9 en LPT1-LPT9 (ook met extensie) en namen die eindigen op een punt of spatie zijn op Windows niet te openen.",
    ),
    "dubbelzinnig-getal": ProblemCode(
        "Getal dat lezers verschillend lezen",
        "Waarden als 0363, 0x1F, 0o17, .inf of .nan leest niet elk programma hetzelfde; zet ze tussen aanhalingstekens.",
    ),
    "vreemd-regeleinde": ProblemCode(
        "Ongewoon regeleinde",
        "De tekens U+0085, U+2028 en U+2029 zijn voor sommige YAML-lezers een regeleinde en voor andere niet; haal ze weg.",
    ),
    "stuurteken": ProblemCode(
        "Onzichtbaar stuurteken in tekst",
        "Tekst in een record bevat geen stuurtekens (zoals NUL, ESC of een losse regelterugloop CR, ook niet geschreven als "
        "\\0, \\e of \\r tussen dubbele aanhalingstekens) en geen tekens die de schrijfrichting omkeren (U+202A-U+202E, "
        "U+2066-U+2069): ze ontregelen site, agenda en open data of laten tekst anders tonen dan hij is. Een tab en een "
        "nieuwe regel mogen wel.",
    ),
    "leeg": ProblemCode("Bestand leeg", "Een record heeft velden; een leeg bestand is geen record."),
    "bestandsnaam": ProblemCode(
        "Bestandsnaam hoort bij geen recordsoort",
        "Elke recordsoort heeft een vaste plek en bestandsnaam; zie de tabel van recordsoorten.",
    ),
    # Schemas (schemas.py, explain.py)
    "schema-onleesbaar": ProblemCode("Schema niet te lezen", "Een schemabestand in schemas/ ontbreekt of is niet te lezen."),
    "schema-json": ProblemCode("Schema geen geldige JSON", "Een schemabestand in schemas/ is geen geldige JSON."),
    "schema-ongeldig": ProblemCode("Schema geen geldig JSON Schema", "Een schemabestand volgt JSON Schema 2020-12 niet."),
    "schema-verwijzing": ProblemCode(
        "Schema verwijst naar buiten het project",
        "Een $ref in een schema wijst naar een adres (http, https, file) of een schema dat niet in schemas/ staat, of is "
        "niet te volgen. Kansrijk haalt nooit een schema op; zet de definitie in het schema zelf.",
    ),
    "schema": ProblemCode("Voldoet niet aan het schema", "Het record voldoet niet aan zijn JSON Schema; de melding zegt waarom."),
    **{
        f"schema-{keyword}": ProblemCode(title, f"Schemaregel '{keyword}': {title.lower()}. De melding noemt veld en oplossing.")
        for keyword, title in _SCHEMA_KEYWORDS.items()
    },
    # Cross-record rules (rules.py)
    "id-bestandsnaam": ProblemCode(
        "Kenmerk past niet bij de bestandsnaam", "Het kenmerk van een record is gelijk aan zijn bestands- of mapnaam."
    ),
    "id-dubbel": ProblemCode(
        "Kenmerk bestaat al", "Twee kenmerken die alleen in hoofdletters verschillen vallen op Windows en macOS samen."
    ),
    "gemeente-onbekend": ProblemCode(
        "Gemeentecode onbekend", "De code staat niet in het CBS-gemeenteregister (vocab/gemeenten.csv)."
    ),
    "gemeente-opgeheven": ProblemCode(
        "Gemeente opgeheven",
        "De gemeente bestaat niet meer; de melding noemt de opvolger. Oude records mogen de oude code houden.",
    ),
    "interventie-onbekend": ProblemCode("Interventie bestaat niet", "De verwezen interventie staat niet in interventions/."),
    "coalitie-onbekend": ProblemCode(
        "Coalitie bestaat niet", "Een aanvraag staat in de map van een coalitie zonder coalitie.yaml."
    ),
    "ronde-onbekend": ProblemCode("Ronde bestaat niet", "De ronde van een aanvraag staat niet in rounds/."),
    "gemeente-buiten-coalitie": ProblemCode(
        "Gemeente hoort niet bij de coalitie", "Een aanvraag noemt een gemeente die de coalitie niet noemt."
    ),
    "interventie-gearchiveerd": ProblemCode(
        "Gearchiveerde interventie in uitvoering", "Een coalitie voert een interventie uit die gearchiveerd is."
    ),
    "interventie-dubbel": ProblemCode(
        "Interventie twee keer", "Een coalitie noemt dezelfde interventie twee keer onder één actielijn."
    ),
    "actielijn-past-niet": ProblemCode(
        "Actielijn past niet", "De interventie hoort bij een andere actielijn dan waar de coalitie haar noemt."
    ),
    "contact-persoonlijk": ProblemCode(
        "Persoonlijk e-mailadres", "De site publiceert geen persoonsgegevens; gebruik een functioneel adres."
    ),
    "register-buiten-periode": ProblemCode(
        "Datum na de periode van het gemeenteregister",
        "Het CBS-gemeenteregister in vocab/ geldt voor een vaste periode; voor latere datums kan de gemeentelijke indeling "
        "veranderd zijn. Een beheerder voegt dan een nieuwe editie van het register toe.",
    ),
    # Grant rules (grants.py)
    "overgang-niet-toegestaan": ProblemCode(
        "Stap niet toegestaan", "De statusstap volgt niet op de vorige volgens de overgangstabel."
    ),
    "verantwoording-zonder-toekenning": ProblemCode(
        "Verantwoording zonder toekenning", "Alleen een toegekende aanvraag wordt verantwoord."
    ),
    "datum-volgorde": ProblemCode("Datums niet op volgorde", "De historie van een aanvraag loopt van oud naar nieuw."),
    "indiening-buiten-ronde": ProblemCode(
        "Ingediend buiten de ronde", "Een aanvraag wordt ingediend terwijl haar ronde open is."
    ),
    "verantwoording-te-laat": ProblemCode("Verantwoording te laat", "De verantwoording kwam na de uiterste datum van de ronde."),
    "onderbesteding-zonder-toelichting": ProblemCode(
        "Onderbesteding zonder toelichting", "Wie minder besteedt dan is toegekend, legt het verschil uit."
    ),
    "begroting-telt-niet-op": ProblemCode("Begroting telt niet op", "De begrotingsregels tellen op tot het aangevraagde bedrag."),
    "bedrag-boven-maximum": ProblemCode("Bedrag boven het maximum", "Het aangevraagde bedrag is hoger dan de ronde toestaat."),
    "toegekend-boven-aangevraagd": ProblemCode(
        "Meer toegekend dan aangevraagd", "Een toekenning is ten hoogste het aangevraagde bedrag."
    ),
    "onderdeel-ontbreekt": ProblemCode(
        "Verplicht onderdeel ontbreekt", "De ronde vraagt een onderdeel dat de aanvraag niet heeft."
    ),
    "gemeente-niet-subsidiabel": ProblemCode("Gemeente niet subsidiabel", "De gemeente mag in deze ronde niet aanvragen."),
    "gemeente-al-in-ronde": ProblemCode(
        "Gemeente vraagt twee keer aan", "Een gemeente staat in meer dan één aanvraag in dezelfde ronde."
    ),
    "ronde-budget-overschreden": ProblemCode(
        "Budget van de ronde overschreden", "Samen is meer toegekend dan het budget van de ronde."
    ),
    "ronde-datums": ProblemCode(
        "Datums van de ronde kloppen niet", "Een ronde sluit na haar opening en wordt daarna verantwoord."
    ),
    # Pull-request checks (pullrequests/judge.py) and formatting (fmt.py)
    "samenvoegconflict": ProblemCode(
        "Samenvoegconflict met de basis",
        "De PR botst met wat sinds het aftakken op de basis is veranderd; werk de branch bij en los het conflict op.",
    ),
    "bestandsnaam-onleesbaar": ProblemCode(
        "Bestandsnaam geen UTF-8",
        "Een bestandsnaam moet geldige UTF-8 zijn, zodat de controle hem kan tonen en GitHub hem net zo noemt.",
    ),
    "historie-datum-toekomst": ProblemCode(
        "Stap in de toekomst",
        "Een nieuwe stap in de historie ligt hoogstens een dag na het moment waarop GitHub de wijziging ontving.",
    ),
    "ingediend-buiten-ronde": ProblemCode(
        "Ingediend buiten de ronde",
        "Een aanvraag telt als ingediend op de dag dat GitHub haar ontving; die dag moet de ronde open zijn.",
    ),
    "historie-verwijderd": ProblemCode(
        "Stap uit de historie verwijderd", "De historie groeit alleen: eerdere stappen blijven staan."
    ),
    "historie-herschreven": ProblemCode(
        "Stap in de historie herschreven", "Eerdere stappen in de historie worden niet veranderd."
    ),
    "historie-door": ProblemCode("Stap door iemand anders", "Wie een stap toevoegt, staat zelf als 'door' in die stap."),
    "rapport-onvolledig": ProblemCode("Rapport onvolledig", "Het rapport van de PR-controle is niet compleet aangekomen."),
    "fmt-betekenis": ProblemCode(
        "Opmaak zou de inhoud veranderen", "kansrijk fmt schrijft niets als de nieuwe opmaak de gegevens anders zou laten lezen."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file, with advice in Dutch."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    field_path: FieldPath = ()
    code: str = ""

    def __post_init__(self) -> None:
        if self.code and self.code not in CODES:
            raise ValueError(f"problem code {self.code!r} is not declared in problems.CODES")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def field_name(self) -> str:
        """The field path as contributors write it: ``bronnen[0].url``."""
        return render_field_path(self.field_path)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "field": self.field_name,
            "code": self.code,
            "message": self.message,
        }


def render_field_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Deduplicated, in file and line order: the order contributors read them in."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))
