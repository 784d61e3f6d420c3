"""What every page, its printed foot and the index say of the year's state — sample data,
provisional analysis, incomplete collection — worded once for all of them (the report's
banners, the running footer and colophon, the index, `build`'s output)."""

from __future__ import annotations

from evaluation import formats
from evaluation.donnees.collecte import AGENT
from evaluation.donnees.contrat import LIBELLES_TABLES

BANDEAU_PROVISOIRE = (
    "Version provisoire : l'analyse de l'année n'a pas encore été validée par le comité de pilotage ; "
    "chiffres et textes peuvent encore changer."
)


def collecte_incomplete(manquants, incomplets=()) -> str:
    """The banner of a year collected partner by partner while some have not answered, or
    returned a workbook with a sheet they fill left empty (`incomplets`, which count as
    missing), and while the officer's own part, meetings, funding and tools, is not there or
    came with one of them left empty. `incomplets` maps (or pairs) each incomplete return to
    its tables left empty."""
    incomplets = dict(incomplets)
    absents = [m for m in manquants if m != AGENT and m not in incomplets]
    partiels = [m for m in manquants if m != AGENT and m in incomplets]
    phrases = []
    if absents:
        phrases.append(
            f"{formats.accorder(len(absents), 'partenaire')} de l'année passée "
            f"{formats.pluriel(len(absents), 'n’a', 'n’ont')} pas envoyé de classeur "
            f"({formats.enumerer(absents)})"
        )
    if partiels:
        phrases.append(
            f"{formats.accorder(len(partiels), 'partenaire')} "
            f"{formats.pluriel(len(partiels), 'a', 'ont')} renvoyé un classeur incomplet, une feuille à remplir "
            f"restée vide ({formats.enumerer(partiels)}) : un retour incomplet compte comme un classeur manquant"
        )
    if absents or partiels:
        phrases[-1] += (
            " ; les chiffres qui en dépendent, là où ces partenaires interviennent, "
            "sont notés « n. m. » (non mesurable), jamais comptés pour zéro"
            if len(absents) + len(partiels) > 1
            else " ; les chiffres qui en dépendent, là où ce partenaire intervient, "
            "sont notés « n. m. » (non mesurable), jamais comptés pour zéro"
        )
    if AGENT in incomplets:
        vides = [LIBELLES_TABLES[t].lower() for t in incomplets[AGENT]]
        phrases.append(
            f"la saisie de la personne chargée de l'évaluation a été déposée, mais sans les "
            f"{formats.enumerer(vides)} de l'année, restés vides : ils sont notés « n. m. » (non mesurable)"
        )
    elif AGENT in manquants:
        phrases.append(
            "les réunions, financements et outils du réseau de l'année, saisis par la personne chargée de "
            "l'évaluation, n'ont pas été déposés : ils sont notés « n. m. » (non mesurable)"
        )
    return "Collecte incomplète : " + " ; ".join(phrases) + "."


def bandeau_exemple(plusieurs: bool = False) -> str:
    """The sample data's banner, of one report or (`plusieurs`) of the index of reports."""
    if plusieurs:
        return (
            "Données d'exemple : ces rapports sont produits sur des données en partie générées pour la "
            "démonstration ; ils ne décrivent pas la situation réelle."
        )
    return BANDEAU_EXEMPLE


BANDEAU_EXEMPLE = (
    "Données d'exemple : ce rapport est produit sur des données en partie générées pour la "
    "démonstration ; il ne décrit pas la situation réelle."
)


def mentions(incomplete: bool, provisoire: bool, exemple: bool) -> str:
    """« — collecte incomplète — version provisoire — données d'exemple », as far as each
    applies: printed at the foot of every page and in every colophon, so that a page taken
    out of the report still says it."""
    return (
        (" — collecte incomplète" if incomplete else "")
        + (" — version provisoire" if provisoire else "")
        + (" — données d'exemple" if exemple else "")
    )
