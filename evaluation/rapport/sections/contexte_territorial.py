"""Contexte: the neighbourhoods active in the year and their population, veille areas apart,
entrants marked."""

from __future__ import annotations

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import LIBELLES
from evaluation.formats import accorder, nombre, pluriel
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Liens, Paragraphe, tableau
from evaluation.rapport.sections import Section


class Contexte(Section):
    nom = "contexte"
    titre = "Contexte"
    intro = (
        "Les quartiers prioritaires (QPV) actifs dans l'année et leur population, ainsi que les quartiers de "
        "veille active, suivis sans statut QPV. Les quartiers *entrants* sont ceux qui ont rejoint la liste en "
        "cours de période (liste de 2024)."
    )

    def blocs(self, ctx):
        qpv = ctx.quartiers("qpv")
        veille = ctx.quartiers("veille_active")
        entrants = qpv[qpv["annee_entree"] > min(ctx.annees)]
        lieu = (
            f"la commune de {ctx.commune}"
            if ctx.commune
            else f"l'agglomération ({qpv['commune'].nunique()} communes)"
        )
        texte = (
            f"En {ctx.annee}, {lieu} compte {accorder(len(qpv), 'QPV actif')} totalisant "
            f"{accorder(qpv['population'].sum(), 'habitant')}"
        )
        if len(entrants):
            texte += (
                f", dont {accorder(len(entrants), 'quartier entrant')} depuis "
                f"{int(entrants['annee_entree'].min())} ({', '.join(entrants['nom'])})"
            )
        texte += "."
        if len(veille):
            texte += (
                f" {accorder(len(veille), 'quartier de veille active')} "
                f"({accorder(veille['population'].sum(), 'habitant')}) "
                f"{pluriel(len(veille), 'est suivi', 'sont suivis')} sans statut QPV."
            )
        lignes, classes = [], []
        for q in pd.concat([qpv, veille]).itertuples():
            entrant = q.annee_entree > min(ctx.annees)
            lignes.append(
                [
                    q.nom,
                    q.code_qpv,
                    q.commune,
                    LIBELLES[q.statut],
                    nombre(q.population),
                    str(q.annee_population),
                    f"{q.annee_entree}{' (entrant)' if entrant else ''}",
                ]
            )
            classes.append("entrant" if entrant else "")
        blocs = [
            Paragraphe(texte),
            tableau(
                ["Quartier", "Code", "Commune", "Statut", "Population", "Année de la population", "Entrée"],
                lignes,
                legende=f"Quartiers actifs en {ctx.annee}, {ctx.nom_perimetre}",
                numeriques=[False, False, False, False, True, True, False],
                classes=classes,
            ),
        ]
        if ctx.fiches_quartier:
            blocs.append(
                Liens(
                    "Fiches quartier : ",
                    tuple((ctx.noms[c], f"quartiers/{formats.slug(c)}.html") for c in qpv["code_qpv"]),
                )
            )
        blocs.append(
            Figure(
                figures.population_quartiers(
                    pd.concat([qpv, veille]), f"Population des quartiers, {ctx.nom_perimetre}, {ctx.annee}"
                )
            )
        )
        return blocs
