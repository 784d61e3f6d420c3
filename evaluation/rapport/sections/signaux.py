"""Veille sociale of one neighbourhood: its signals by theme (published, masked) and early
follow-up."""

from __future__ import annotations

from evaluation.indicateurs.secret import PRIMAIRE
from evaluation.rapport.blocs import Paragraphe
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import PART_NON_PUBLIEE, part_publiee, remontees_en_toutes_lettres
from evaluation.rapport.sections.veille import par_quartier_et_theme
from evaluation.rapport.vue import lit


class Signaux(Section):
    nom = "signaux"
    titre = "Veille sociale"
    intro = "Les remontées de terrain du quartier par thème ; les petits comptes sont masqués."
    lit = (lit("V1", "V2.*", "E6"),)

    def blocs(self, ctx):
        texte = f"En {ctx.annee}, {remontees_en_toutes_lettres(ctx)} pour {ctx.nom_perimetre}"
        if ctx.valeur("V1") and not ctx.marque("V1"):
            precoce = part_publiee(ctx, "E6")
            texte += (
                f" ; {precoce} ont eu une suite dans les 2 jours."
                if precoce
                else f" ; la part suivie dans les 2 jours {PART_NON_PUBLIEE}."
            )
        else:
            texte += "."
        texte += f" Tout compte inférieur à 5 par thème est affiché « {PRIMAIRE} »."
        return [
            Paragraphe(texte),
            *par_quartier_et_theme(ctx, [ctx.vue.code_qpv], "Remontées par thème", total=False),
        ]
