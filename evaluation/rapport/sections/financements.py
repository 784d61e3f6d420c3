"""Financements: amounts by source and scheme, shares, cost per ETP, State aid per adulte-relais."""

from __future__ import annotations

import math

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import FINANCEURS, libelle, libelle_en_texte
from evaluation.formats import euros, nombre
from evaluation.indicateurs.mesure import NON_MESURABLE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import NON_MESURE, non_mesure, tendance
from evaluation.rapport.vue import lit

TENDANCES = ("F1.etat_anct", "F1.ville", "F1.departement", "F1.bailleur", "F5", "F6")


class Financements(Section):
    nom = "financements"
    titre = "Financements"
    intro = (
        "Les financements mobilisables de la fiche : montants par financeur et dispositif, coût par ETP, aide de "
        "l'État par adulte-relais."
    )
    lit = (lit("F1.*", "F4.*", "F5", "F6"),)
    annexes = ("financements",)

    def blocs(self, ctx):
        if any(non_mesure(ctx, f"F1.{f}") for f in FINANCEURS):  # the officer's funding lines missing
            return [
                Paragraphe(
                    f"Financements de {ctx.annee} : {NON_MESURE} : la saisie des financements par la personne "
                    "chargée de l'évaluation n'a pas été déposée ; aucun montant n'est compté pour zéro."
                ),
                *tendance(ctx, list(TENDANCES), "Financements"),
            ]
        f1 = pd.Series({f: ctx.valeur(f"F1.{f}") or 0 for f in FINANCEURS})
        total = f1.sum()
        blocs = [] if total else [Paragraphe(f"Aucun financement déclaré pour {ctx.annee}.")]
        parts = (f1 / total).sort_values(ascending=False) if total else f1
        texte = f"En {ctx.annee}, {euros(total)} de financements déclarés pour {ctx.nom_perimetre}"
        if total:
            texte += (
                ", dont "
                + ", ".join(
                    f"{formats.pourcentage(p)} {libelle_en_texte(f)}" for f, p in parts.items() if p > 0
                )
                + "."
            )
        f5, f6 = ctx.valeur("F5"), ctx.valeur("F6")
        if non_mesure(ctx, "F5"):
            texte += f". Aide de l'État par ETP annuel d'adulte-relais : {NON_MESURE}."
        elif f5 is not None and not math.isnan(f5):
            texte += f" Aide de l'État par ETP annuel d'adulte-relais : {euros(f5)}"
            texte += (
                f", soit {nombre(f6, 2)} fois l'aide nationale par poste de l'année."
                if f6 is not None and not math.isnan(f6)
                else " (aide nationale de l'année non connue de l'outil)."
            )
        blocs.append(Paragraphe(texte))
        croise = ctx.annexe("financements").pivot_table(
            index="dispositif", columns="financeur", values="montant_eur", aggfunc="sum", fill_value=0
        )
        if len(croise):
            blocs += [
                tableau(
                    ["Dispositif", *[libelle(c) for c in croise.columns], "Coût par ETP annuel"],
                    [
                        [
                            libelle(d),
                            *[euros(v) for v in croise.loc[d]],
                            _en_euros(ctx.texte(f"F4.{d}")),
                        ]
                        for d in croise.index
                    ],
                    legende=(
                        f"Financements par dispositif et financeur, {ctx.nom_perimetre}, {ctx.annee} "
                        "(euros ; coût par ETP : euros par ETP annuel)"
                    ),
                    numeriques=[False] + [True] * (len(croise.columns) + 1),
                ),
                Figure(
                    figures.barres(
                        pd.Series({libelle(k): v for k, v in f1.items() if v}),
                        f"Financements par financeur, {ctx.nom_perimetre}, {ctx.annee}",
                        "Euros",
                    )
                ),
            ]
        return blocs + tendance(ctx, list(TENDANCES), "Financements")


def _en_euros(texte: str) -> str:
    """« 41 250 € »; a cell without a value keeps its dash or its mark, without « € »."""
    return texte if texte in (formats.MANQUANT, NON_MESURABLE) else f"{texte}{formats.ESPACE_INSECABLE}€"
