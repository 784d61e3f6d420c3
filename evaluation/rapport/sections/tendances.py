"""Tendances (neighbourhood page): the neighbourhood's trends since the first year."""

from __future__ import annotations

from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import tendance
from evaluation.rapport.vue import lit

CODES = ("C1", "H1", "H3", "V1", "R3", "E1")


class Tendances(Section):
    nom = "tendances"
    titre = "Tendances"
    intro = "L'évolution du quartier depuis la première année disponible."
    lit = (lit(*CODES),)

    def blocs(self, ctx):
        return [
            *tendance(ctx, list(CODES), None),
        ]
