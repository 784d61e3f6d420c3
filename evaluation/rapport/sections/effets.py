"""Effets (indicateurs proposés): each proposed effect indicator with its definition and the
sheet's expected effect it serves."""

from __future__ import annotations

import pandas as pd

from evaluation.formats import nombre
from evaluation.indicateurs import EFFETS_ATTENDUS, INDICATEURS
from evaluation.rapport.blocs import Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import (
    NON_MESURE,
    PART_NON_PUBLIEE,
    evolution,
    non_mesure,
    part_publiee,
    tendance,
)
from evaluation.rapport.vue import lit

CODES = tuple(c for c, i in INDICATEURS.items() if i.effet)


class Effets(Section):
    nom = "effets"
    titre = "Effets (indicateurs proposés)"
    intro = (
        "La fiche ne fixe pas d'indicateur d'effet : l'outil en propose, chacun rattaché à un effet attendu de la "
        "fiche."
    )
    lit = (lit(*CODES),)

    def blocs(self, ctx):
        lignes = [
            [
                f"{c} — {INDICATEURS[c].libelle} (proposition)",
                EFFETS_ATTENDUS[INDICATEURS[c].effet],
                INDICATEURS[c].definition,
                ctx.marque(c) or INDICATEURS[c].avec_unite(ctx.valeur(c)),
                evolution(ctx, c),
            ]
            for c in CODES
        ]
        return [
            Paragraphe(
                "La fiche énonce des effets attendus sans indicateur. Les indicateurs ci-dessous sont des "
                "propositions de l'outil, calculées à partir de l'activité mensuelle des postes et des remontées "
                "de terrain ; ils sont à discuter en comité de pilotage avant d'être retenus."
            ),
            tableau(
                [
                    "Indicateur proposé",
                    "Effet attendu de la fiche",
                    "Définition",
                    str(ctx.annee),
                    "Évolution",
                ],
                lignes,
                legende=f"Indicateurs d'effets proposés, {ctx.nom_perimetre}, {ctx.annee}",
                numeriques=[False, False, False, True, True],
            ),
            Paragraphe(phrase_des_effets(ctx)),
            *tendance(ctx, list(CODES), "Indicateurs d'effets proposés"),
        ]


def phrase_des_effets(ctx) -> str:
    """« En moyenne, 912 contacts avec des habitants par ETP annuel … ; 40 % des remontées ont eu
    une suite dans les 2 jours. », each part said not measurable or not published where it is."""
    if non_mesure(ctx, "E1"):
        contacts = f"Contacts avec des habitants par ETP : {NON_MESURE}"
    elif ctx.marque("E1") or ctx.valeur("E1") is None or pd.isna(ctx.valeur("E1")):
        contacts = "Contacts avec des habitants par ETP : aucune activité déclarée"
    else:
        contacts = (
            f"En moyenne, {nombre(ctx.valeur('E1'))} contacts avec des habitants dans l'année par ETP annuel des "
            "postes qui déclarent une activité"
        )
    if non_mesure(ctx, "E6"):
        precoce = f"la part des remontées suivies dans les 2 jours est {NON_MESURE}"
    elif part := part_publiee(ctx, "E6"):
        precoce = f"{part} des remontées ont eu une suite dans les 2 jours"
    else:
        precoce = f"la part des remontées suivies dans les 2 jours {PART_NON_PUBLIEE}"
    return f"{contacts} ; {precoce}."
