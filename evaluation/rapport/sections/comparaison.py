"""Comparaison (neighbourhood page): the neighbourhood beside its commune and the agglomeration."""

from __future__ import annotations

import math

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import nombre
from evaluation.indicateurs import indicateur_de, libelle_code
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import (
    NON_MESURE,
    avec_populations,
    non_mesure,
    note_des_masques,
    unite,
)
from evaluation.rapport.vue import Portee, lit

# Per-QPV codes compared with the same measure over the QPVs of the commune and of the
# agglomeration (C3 is C1's aggregate).
COMPARAISONS = (
    ("C1", "C3"),
    ("H3", "H3"),
    ("H4", "H4"),
    ("E1", "E1"),
    ("E2", "E2"),
    ("E6", "E6"),
)
AGREGES = tuple(a for _, a in COMPARAISONS)


class Comparaison(Section):
    nom = "comparaison"
    titre = "Comparaison"
    intro = "Le quartier comparé aux QPV de sa commune et de l'agglomération."
    lit = (
        lit(*(c for c, _ in COMPARAISONS), "C5"),
        lit(*AGREGES, a=Portee.COMMUNE),
        lit(*AGREGES, a=Portee.AGGLOMERATION),
        lit("C1", a=Portee.TOUS_LES_QUARTIERS),
    )

    def blocs(self, ctx):
        lignes, valeurs = [], {}
        for code, agrege in COMPARAISONS:
            lignes.append(
                [
                    libelle_code(code),
                    unite(code),
                    ctx.texte_par_habitant(code),
                    ctx.texte(agrege, ctx.commune),
                    ctx.texte(agrege, AGGLOMERATION),
                ]
            )
            valeurs[code] = (ctx.valeur(code), ctx.valeur(agrege, AGGLOMERATION))
        c1, c3 = valeurs["C1"]
        c1_tous = ctx.valeurs_annee("C1").reindex(ctx.qpv_du_territoire()["code_qpv"])
        code_qpv = ctx.vue.code_qpv
        return [
            Paragraphe(
                f"{_presence(ctx, c1, c3)} Population du quartier : {ctx.population(code_qpv).texte}."
            ),
            tableau(
                ["Indicateur", "Unité", ctx.nom_perimetre, f"QPV de {ctx.commune}", "QPV de l'agglomération"],
                lignes,
                legende=avec_populations(
                    f"Comparaison de {ctx.nom_perimetre} avec sa commune et l'agglomération, {ctx.annee}",
                    lignes,
                ),
                numeriques=[False, False, True, True, True],
            ),
            *note_des_masques(
                ctx,
                [
                    cellule
                    for code, agrege in COMPARAISONS
                    for cellule in (
                        (code, None, None),
                        (agrege, ctx.commune, None),
                        (agrege, AGGLOMERATION, None),
                    )
                ],
            ),
            Figure(
                figures.barres(
                    c1_tous.rename(index=lambda c: ctx.noms[c] + (" ◆" if c == code_qpv else "")),
                    f"C1 — ETP pour 1 000 habitants, {ctx.nom_perimetre} (◆) parmi les QPV, {ctx.annee}",
                    "ETP pour 1 000 habitants",
                    reference=c3,
                )
            ),
        ]


def _connu(valeur) -> bool:
    return valeur is not None and not math.isnan(valeur)


def _presence(ctx, c1: float | None, c3: float | None) -> str:
    """The neighbourhood's C1 beside the agglomeration's QPVs (C3) and whether it is under-served,
    in one sentence that never shows a missing mark: what is not known is said in words."""
    if not _connu(c1):
        etat = NON_MESURE if non_mesure(ctx, "C1") else "non calculable"
        return f"La présence humaine pour {nombre(1000)} habitants de {ctx.nom_perimetre} est {etat} en {ctx.annee}."
    texte = f"{ctx.nom_perimetre} compte {indicateur_de('C1').avec_unite(c1)}"
    if _connu(c3):
        texte += f", contre {nombre(c3, 2)} pour l'ensemble des QPV de l'agglomération"
    c5 = ctx.valeur("C5")
    if not _connu(c5):
        return texte + "."
    return texte + (
        " : le quartier est sous-doté (sous le seuil de sous-dotation proposé par l'outil)."
        if c5 == 1
        else " : le quartier n'est pas sous-doté."
    )
