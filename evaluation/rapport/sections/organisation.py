"""Organisation de la présence: weekly hours, evenings, weekends, places, the week's grid."""

from __future__ import annotations

import math

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import LIEUX, libelle, libelle_en_texte
from evaluation.formats import arrondi, nombre, pluriel
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Paragraphe, figures_de, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import non_mesure, tendance
from evaluation.rapport.vue import Portee, lit

TENDANCES = ("H1", "H3", "H4")


class Organisation(Section):
    nom = "organisation"
    titre = "Organisation de la présence"
    intro = (
        "Les réalisations attendues incluent le partage des modes de présence et de leur organisation (lieux, "
        "horaires) : heures de présence par semaine, soirées, week-ends, jours et heures couverts, types de lieux."
    )
    lit = (
        lit("H1", "H3", "H4", "H5.*"),
        lit("H1", "H3", "H4", a=Portee.QUARTIERS),
        lit(*TENDANCES, a=Portee.LISTE_CONSTANTE),
    )
    annexes = ("grille_de_la_semaine",)

    def blocs(self, ctx):
        h1, h3, h4 = ctx.valeur("H1"), ctx.valeur("H3"), ctx.valeur("H4")
        lieux = {x: ctx.valeur(f"H5.{x}") for x in LIEUX}
        principal = max(lieux, key=lambda x: lieux[x] or 0)
        ou = (
            f"dans le quartier {ctx.nom_perimetre}"
            if ctx.vue.code_qpv
            else f"dans les quartiers de {ctx.nom_perimetre}"
        )
        texte = (
            f"En {ctx.annee}, {nombre(h1)} {pluriel(arrondi(h1 or 0), 'heure')} de présence par semaine en moyenne "
            + ou
            + f", dont {formats.pourcentage(h3)} en soirée (après {formats.heures(19)}) et "
            f"{formats.pourcentage(h4)} le week-end. Premier type de lieu : {libelle_en_texte(principal)} "
            f"({formats.pourcentage((lieux[principal] or 0) / h1) if h1 else '–'} des heures)."
        )
        if not h1 or math.isnan(h1):  # no slot: no share to state, never « – » in the sentence
            texte = f"En {ctx.annee}, aucune plage de présence n'est déclarée {ou}."
        inconnu = non_mesure(ctx, "H1")
        if inconnu:  # a partner working there has not sent its weekly slots: no hour is a fact
            texte = (
                f"En {ctx.annee}, les heures de présence {ou}"
                + f" sont non mesurables ({COLLECTE_INCOMPLETE}) : un partenaire qui y intervient n'a pas envoyé "
                "ses plages horaires."
            )
        quartiers = ctx.quartiers()
        lignes = [
            [ctx.nom_qpv(c), libelle(s), ctx.texte("H1", c), ctx.texte("H3", c), ctx.texte("H4", c)]
            for c, s in zip(quartiers["code_qpv"], quartiers["statut"], strict=True)
            if s == "qpv"
        ]
        classes = [""] * len(lignes)
        if not ctx.vue.code_qpv and len(lignes) > 1:
            # The perimeter's own figures (published, masked once), not a sum of the rows: they
            # count the quartiers de veille active too, and the label says so.
            veille = (quartiers["statut"] == "veille_active").any()
            lignes.append(
                [
                    f"Ensemble de {ctx.nom_perimetre}"
                    + (" (quartiers de veille active compris)" if veille else ""),
                    "",
                    ctx.texte("H1"),
                    ctx.texte("H3"),
                    ctx.texte("H4"),
                ]
            )
            classes.append("total")
        # No hour in the grid (the table then says there is no value to show): neither the
        # heatmap nor the bars of places, all zero, are drawn.
        semaine = (
            None
            if inconnu
            else figures.grille_semaine(
                ctx.annexe("grille_de_la_semaine"),
                f"Heures de présence par jour et heure, {ctx.nom_perimetre}, {ctx.annee}",
            )
        )
        par_lieu = (
            None
            if semaine is None
            else figures.barres(
                pd.Series({libelle(x): v or 0 for x, v in lieux.items()}),
                f"Heures de présence par semaine et type de lieu, {ctx.nom_perimetre}, {ctx.annee}",
                "Heures par semaine",
            )
        )
        return [
            Paragraphe(texte),
            tableau(
                ["QPV", "Statut", "Heures par semaine", "Part en soirée", "Part le week-end"],
                lignes,
                legende=f"Heures de présence par semaine et par QPV, {ctx.nom_perimetre}, {ctx.annee}",
                numeriques=[False, False, True, True, True],
                classes=classes,
            ),
            *figures_de(semaine, par_lieu),
            *tendance(ctx, list(TENDANCES), "Organisation de la présence", constante=True),
        ]
