"""Financements: amounts by source and scheme, the politique de la ville's specific credits against
droit commun (F8), shares, cost per ETP, State aid per adulte-relais."""

from __future__ import annotations

import math

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import DISPOSITIFS, FINANCEURS, libelle, libelle_en_texte
from evaluation.formats import nombre
from evaluation.indicateurs.financements import GROUPES_DE_CREDITS
from evaluation.indicateurs.mesure import NON_MESURABLE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import NON_MESURE, non_mesure, tendance
from evaluation.rapport.vue import lit

# The State's ANCT credits are followed within the specific credits (F8), which add the
# délégués du préfet whatever their funder.
TENDANCES = (
    "F8.credits_specifiques",
    "F8.droit_commun",
    "F1.ville",
    "F1.departement",
    "F1.bailleur",
    "F5",
    "F6",
)


class Financements(Section):
    nom = "financements"
    titre = "Financements"
    intro = (
        "Les financements mobilisables de la fiche : montants par financeur et dispositif, part des crédits "
        "spécifiques de la politique de la ville et du droit commun, coût par ETP, aide de l'État par adulte-relais."
    )
    lit = (lit("F1.*", "F4.*", "F5", "F6", "F8.*"),)
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
        texte = f"En {ctx.annee}, {formats.euros(total)} de financements déclarés pour {ctx.nom_perimetre}"
        if total:
            texte += ", dont " + ", ".join(
                f"{formats.pourcentage(p)} {libelle_en_texte(f)}" for f, p in parts.items() if p > 0
            )
        texte += "."
        f5, f6 = ctx.valeur("F5"), ctx.valeur("F6")
        if non_mesure(ctx, "F5"):
            texte += f" Aide de l'État par ETP annuel d'adulte-relais : {NON_MESURE}."
        elif f5 is not None and not math.isnan(f5):
            texte += f" Aide de l'État par ETP annuel d'adulte-relais : {formats.euros(f5)}"
            texte += (
                f", soit {nombre(f6, 2)} fois l'aide nationale par poste de l'année."
                if f6 is not None and not math.isnan(f6)
                else " (aide nationale de l'année non connue de l'outil)."
            )
        blocs.append(Paragraphe(texte))
        if total:
            blocs += _credits_specifiques(ctx)
        croise = (
            ctx.annexe("financements")
            .pivot_table(
                index="dispositif", columns="financeur", values="montant_eur", aggfunc="sum", fill_value=0
            )
            .pipe(lambda c: c.reindex(index=[d for d in DISPOSITIFS if d in c.index]))
            .pipe(lambda c: c.reindex(columns=[f for f in FINANCEURS if f in c.columns]))
        )
        if len(croise):
            blocs += [
                tableau(
                    ["Dispositif", *[libelle(c) for c in croise.columns], "Total", "Coût par ETP annuel"],
                    [
                        *(
                            [
                                libelle(d),
                                *[formats.euros(v) for v in croise.loc[d]],
                                formats.euros(croise.loc[d].sum()),
                                _en_euros(ctx.texte(f"F4.{d}")),
                            ]
                            for d in croise.index
                        ),
                        [
                            "Total",
                            *[formats.euros(v) for v in croise.sum()],
                            formats.euros(croise.to_numpy().sum()),
                            "",
                        ],
                    ],
                    legende=(
                        f"Financements par dispositif et financeur, {ctx.nom_perimetre}, {ctx.annee} "
                        "(euros ; coût par ETP : euros par ETP annuel)"
                    ),
                    numeriques=[False] + [True] * (len(croise.columns) + 2),
                    classes=[""] * len(croise) + ["total"],
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


def _credits_specifiques(ctx) -> list:
    """The split between the politique de la ville's specific credits and the rest (F8): a
    sentence and a table with its total row."""
    montants = {g: ctx.valeur(f"F8.{g}") or 0 for g in GROUPES_DE_CREDITS}
    total = sum(montants.values())
    specifiques, droit_commun = (montants[g] for g in GROUPES_DE_CREDITS)
    return [
        Paragraphe(
            f"Crédits spécifiques de la politique de la ville (État par l'ANCT, délégués du préfet) : "
            f"{formats.euros(specifiques)}, soit {formats.pourcentage(specifiques / total)} des financements "
            f"déclarés ; droit commun et autres financements : {formats.euros(droit_commun)}, soit "
            f"{formats.pourcentage(droit_commun / total)}. Ce qui compte comme crédit spécifique est dit dans la "
            "section « Méthode et qualité des données »."
        ),
        tableau(
            ["Financements", "Montant", "Part"],
            [
                *(
                    [libelle(g), formats.euros(v), formats.pourcentage(v / total)]
                    for g, v in montants.items()
                ),
                ["Total", formats.euros(total), formats.pourcentage(1)],
            ],
            legende=(
                f"Crédits spécifiques de la politique de la ville et droit commun, {ctx.nom_perimetre}, {ctx.annee} "
                "(euros ; part du total déclaré)"
            ),
            numeriques=[False, True, True],
            classes=[""] * len(montants) + ["total"],
        ),
    ]


def _en_euros(texte: str) -> str:
    """« 41 250 € »; a cell without a value keeps its dash or its mark, without « € »."""
    return texte if texte in (formats.MANQUANT, NON_MESURABLE) else f"{texte}{formats.ESPACE_INSECABLE}€"
