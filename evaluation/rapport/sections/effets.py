"""Effets (indicateurs proposés): each proposed effect indicator with its definition and the
sheet's expected effect it serves."""

from __future__ import annotations

import pandas as pd

from evaluation.formats import nombre, pourcentage
from evaluation.indicateurs import EFFETS_ATTENDUS, INDICATEURS
from evaluation.rapport.blocs import Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import (
    NON_MESURE,
    PART_NON_PUBLIEE,
    evolution,
    non_mesure,
    note_des_masques,
    part_publiee,
    tendance,
)
from evaluation.rapport.vue import lit

CODES = tuple(c for c, i in INDICATEURS.items() if i.effet)


# What the report says of an expected effect no indicator of this contract can measure.
SANS_INDICATEUR = (
    "pas d'indicateur proposé : cet effet se mesure en interrogeant les habitants et les partenaires, ce que "
    "les données de ce contrat ne comprennent pas"
)


class Effets(Section):
    nom = "effets"
    titre = "Effets (indicateurs proposés)"
    intro = (
        "La fiche ne fixe pas d'indicateur d'effet : l'outil en propose, chacun rattaché à un effet attendu de la "
        "fiche, avec ce qu'il ne permet pas de montrer."
    )
    lit = (lit(*CODES, "E7"),)

    def blocs(self, ctx):
        lignes = []
        for effet, texte in EFFETS_ATTENDUS.items():
            codes = [c for c in CODES if INDICATEURS[c].effet == effet]
            if not codes:  # no figure: the row is kept, its cells empty rather than « – »
                lignes.append([texte, SANS_INDICATEUR, "", "", ""])
            for n, c in enumerate(codes):
                i = INDICATEURS[c]
                lignes.append(
                    [
                        texte if n == 0 else "",
                        f"{c} — {i.libelle} (proposition)",
                        f"{i.definition} Limite : {i.limite}",
                        ctx.marque(c) or i.avec_unite(ctx.valeur(c)),
                        evolution(ctx, c),
                    ]
                )
        return [
            Paragraphe(
                "La fiche énonce des effets attendus sans indicateur. Les indicateurs ci-dessous sont des "
                "propositions de l'outil, calculées à partir de l'activité mensuelle des postes et des remontées "
                "de terrain : ils disent ce que les professionnels ont fait, pas ce que les habitants et les "
                "partenaires en ont perçu ; ils sont à discuter en comité de pilotage avant d'être retenus."
            ),
            tableau(
                [
                    "Effet attendu de la fiche",
                    "Indicateur proposé",
                    "Définition et limite",
                    str(ctx.annee),
                    "Évolution",
                ],
                lignes,
                legende=f"Effets attendus de la fiche et indicateurs proposés, {ctx.nom_perimetre}, {ctx.annee}",
                numeriques=[False, False, False, True, True],
            ),
            *note_des_masques(ctx, [(c, None, None) for c in CODES]),
            Paragraphe(phrase_des_effets(ctx)),
            *tendance(ctx, list(CODES), "Indicateurs d'effets proposés"),
        ]


def phrase_des_effets(ctx) -> str:
    """« En moyenne, 912 contacts avec des habitants par ETP annuel … ; 40 % des remontées ont eu
    une suite dans les 2 jours. », each part said not measurable or not published where it is."""
    if non_mesure(ctx, "E1"):
        contacts = f"Contacts avec des habitants par ETP : {NON_MESURE}"
    elif ctx.marque("E1"):  # it would describe one or two people's work (`secret`)
        contacts = (
            "Contacts avec des habitants par ETP : non publié ici, car il décrirait, seul ou rapproché des autres "
            "chiffres publiés, le travail d'une ou deux personnes"
        )
    elif ctx.valeur("E1") is None or pd.isna(ctx.valeur("E1")):
        contacts = "Contacts avec des habitants par ETP : aucune activité déclarée"
    else:
        contacts = (
            f"En moyenne, {nombre(ctx.valeur('E1'))} contacts avec des habitants dans l'année par ETP annuel des "
            "postes qui déclarent une activité"
        )
        if not non_mesure(ctx, "E7") and not ctx.marque("E7"):
            contacts += f" ({part_des_etp(ctx)})"
    if non_mesure(ctx, "E6"):
        precoce = f"la part des remontées suivies dans les 2 jours est {NON_MESURE}"
    elif part := part_publiee(ctx, "E6"):
        precoce = f"{part} des remontées ont eu une suite dans les 2 jours"
    else:
        precoce = f"la part des remontées suivies dans les 2 jours {PART_NON_PUBLIEE}"
    return f"{contacts} ; {precoce}."


def part_des_etp(ctx) -> str:
    """« ces postes font 83 % des ETP annuels du périmètre » (E7): what E1 and E3 rest on."""
    return f"ces postes font {pourcentage(ctx.valeur('E7'))} des ETP annuels du périmètre"
