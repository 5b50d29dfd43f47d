"""Issue-form bodies as GitHub writes them, and honest answers to the two forms that become a pull request."""

from __future__ import annotations


def form_body(answers: dict[str, str]) -> str:
    """An issue body exactly as GitHub writes it for an issue form."""
    return "\n\n".join(f"### {label}\n\n{value or '_No response_'}" for label, value in answers.items()) + "\n"


COALITION_FORM = {
    "Naam van de coalitie": "Kansrijke Start Utrecht",
    "Gemeente(n), met CBS-code": "GM0344 Utrecht",
    "Partners": "Gemeente Utrecht (gemeente)\n- GGD regio Utrecht - ggd\nVerloskundig samenwerkingsverband Utrecht: verloskundigen",
    "Fase": "in oprichting",
    "Startdatum": "2024-03-01",
    "Plan van aanpak": "in voorbereiding",
    "Datum waarop het plan van aanpak is vastgesteld": "",
    "Link naar het plan van aanpak (optioneel)": "",
    "Interventies die u inzet": "tijdens: VoorZorg (in uitvoering), centeringpregnancy (gepland)\nna:\n- stevig-ouderschap (gepland)",
    "Contact (functionele mailbox of webpagina)": "kansrijkestart@utrecht.example.nl",
    "GitHub-naam van wie de coalitie gaat bijhouden (optioneel)": "",
    "Bevestiging": "- [X] Ik mag deze gegevens namens de coalitie openbaar maken.",
}
APPLICATION_FORM = {
    "Ronde": "voorbeeldronde-2027",
    "Coalitie": "Voorbeeldcoalitie Kansrijke Start Zeist",
    "Deelnemende gemeente(n), met CBS-code": "GM0355 Zeist",
    "Aangevraagd bedrag in hele euro's": "€ 20.000",
    "Begroting": "Procesbegeleiding: € 8.000\nScholing professionals: 7000\nOuders betrekken - 5.000,-\nTotaal: 20000",
    "Geplande activiteiten per actielijn": "Tijdens de zwangerschap:\n- Twee praktijken starten met CenteringPregnancy.\nna: Stevig Ouderschap op alle consultatiebureaus.",
    "Interventies die u wilt starten": "centeringpregnancy, Stevig Ouderschap",
    "Partners die zich verbinden": "Gemeente Zeist\nJGZ Zeist",
    "Uw GitHub-naam": "zeist-ambtenaar",
    "Bevestiging": "- [x] Ik dien deze aanvraag in namens de genoemde gemeente(n).",
}
