"""Contexte: the neighbourhoods active in the year and their population, veille areas apart,
entrants marked."""

from __future__ import annotations

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import GEOGRAPHIE_2024, LIBELLES
from evaluation.donnees.populations import liste_en_vigueur
from evaluation.formats import accorder, enumerer, nombre, pluriel
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Liens, Paragraphe, tableau
from evaluation.rapport.sections import Section


class ContexteTerritorial(Section):
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
        texte += "." + _populations(ctx, qpv, veille)
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
                    formats.code_insecable(q.code_qpv),
                    q.commune,
                    LIBELLES[q.statut],
                    nombre(q.population),
                    ctx.population(q.code_qpv).source_et_annee,
                    f"{q.annee_entree}{' (entrant)' if entrant else ''}",
                ]
            )
            classes.append("entrant" if entrant else "")
        blocs = [
            Paragraphe(texte),
            tableau(
                [
                    "Quartier",
                    "Code",
                    "Commune",
                    "Statut",
                    "Population",
                    "Source et année de la population",
                    "Entrée",
                ],
                lignes,
                legende=f"Quartiers actifs en {ctx.annee}, {ctx.nom_perimetre}",
                numeriques=[False, False, False, False, True, False, False],
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


def _populations(ctx, qpv: pd.DataFrame, veille: pd.DataFrame) -> str:
    """What the year's populations rest on, when not all on a census or the official list:
    estimates, sources not given, QPVs reshaped in 2024 whose population is of another contour."""
    pops = {c: ctx.population(c) for c in qpv["code_qpv"]}
    phrases = []
    estimees = [p for p in pops.values() if p.estimee]
    if estimees:
        phrases.append(
            f"Population estimée : {accorder(len(estimees), 'QPV')} "
            f"({accorder(sum(p.habitants for p in estimees), 'habitant')} sur "
            f"{nombre(sum(p.habitants for p in pops.values()))})."
        )
    for contour in sorted({p.autre_contour for p in pops.values() if p.autre_contour}):
        noms = [ctx.noms[c] for c, p in pops.items() if p.autre_contour == contour]
        phrases.append(
            f"Population mesurée sur le contour de {contour}, non sur celui de la liste de "
            f"{liste_en_vigueur(ctx.annee)} ({pluriel(len(noms), 'QPV redessiné')} en {GEOGRAPHIE_2024}) : "
            f"{enumerer(noms)}."
        )
    sans_source = sum(ctx.population(c).source is None for c in pd.concat([qpv, veille])["code_qpv"])
    if sans_source:
        phrases.append(
            f"Source de la population non précisée dans le fichier des quartiers : "
            f"{accorder(sans_source, 'quartier')}."
        )
    return "".join(f" {p}" for p in phrases)
