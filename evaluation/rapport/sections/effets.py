"""Effets (indicateurs proposés): each proposed effect indicator with its definition and the
sheet's expected effect it serves."""

from __future__ import annotations

from evaluation import formats
from evaluation.formats import nombre
from evaluation.indicateurs import EFFETS_ATTENDUS, INDICATEURS
from evaluation.rapport.blocs import Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import evolution, tendance
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
                INDICATEURS[c].avec_unite(ctx.valeur(c)),
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
            Paragraphe(
                f"Chaque ETP déclarant une activité a eu {nombre(ctx.valeur('E1'))} contacts avec des habitants "
                f"dans l'année ; {formats.pourcentage(ctx.valeur('E6'))} des remontées ont eu une suite dans les "
                "2 jours."
            ),
            *tendance(ctx, list(CODES), "Indicateurs d'effets proposés"),
        ]
