"""Veille sociale of one neighbourhood: its signals by theme (published, masked) and early
follow-up."""

from __future__ import annotations

import math

from evaluation import formats
from evaluation.indicateurs.secret import PRIMAIRE
from evaluation.rapport.blocs import Paragraphe
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.veille import par_quartier_et_theme
from evaluation.rapport.vue import Genre, lit


class Signaux(Section):
    nom = "signaux"
    titre = "Veille sociale"
    intro = "Les remontées de terrain du quartier par thème ; les petits comptes sont masqués."
    genres = frozenset({Genre.QUARTIER})
    lit = (lit("V1", "V2.*", "E6"),)

    def blocs(self, ctx):
        v1 = ctx.valeur("V1")
        texte = (
            f"En {ctx.annee}, {ctx.texte('V1')} remontées de terrain pour {ctx.nom_perimetre}"
            + (
                f" ; {formats.pourcentage(ctx.valeur('E6'))} ont eu une suite dans les 2 jours."
                if v1 and not math.isnan(v1)
                else "."
            )
            + f" Tout compte inférieur à 5 par thème est affiché « {PRIMAIRE} »."
        )
        return [
            Paragraphe(texte),
            *par_quartier_et_theme(ctx, [ctx.vue.code_qpv], "Remontées par thème", total=False),
        ]
