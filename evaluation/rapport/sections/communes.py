"""Communes côte à côte (agglomeration report): every indicator computed per commune, and
the QPVs ranked by coverage."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import arrondi, enumerer, nombre
from evaluation.indicateurs import INDICATEURS
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import (
    avec_populations,
    du_moins_au_mieux_dote,
    note_des_masques,
    unite,
)
from evaluation.rapport.vue import Portee, lit

PAR_COMMUNE = tuple(c for c, i in INDICATEURS.items() if not i.cles and i.perimetres.par_commune)


def _additif(code: str) -> bool:
    """A count whose agglomeration value is at least the sum of its communes' (not a share, a
    rate, a ratio, a delay or a mean)."""
    i = INDICATEURS[code]
    return (
        not i.pourcentage
        and i.decimales == 0
        and not any(mot in f" {i.unite} " for mot in (" pour ", " par ", "rapport", "jours", "moyen", "%"))
    )


def _somme(ctx, code: str, communes: list[str]) -> float | None:
    valeurs = [ctx.valeur(code, x) for x in communes]
    if any(v is None or math.isnan(v) for v in valeurs):
        return None
    return sum(valeurs)


class Communes(Section):
    nom = "communes"
    titre = "Communes côte à côte"
    intro = (
        "Chaque commune sur chaque indicateur calculé par commune, et le classement des QPV du moins au "
        "mieux doté, les sous-dotés en évidence."
    )
    lit = (
        lit(*PAR_COMMUNE, a=Portee.COMMUNES),
        lit(*PAR_COMMUNE, a=Portee.AGGLOMERATION),
        lit("C1", "C5", a=Portee.QUARTIERS),
    )

    def blocs(self, ctx):
        communes = ctx.communes_actives()
        lignes = [
            [
                f"{c} — {INDICATEURS[c].libelle}",
                unite(c),
                *[ctx.texte(c, x) for x in [*communes, AGGLOMERATION]],
            ]
            for c in PAR_COMMUNE
        ]
        au_dela = [
            (c, ctx.valeur(c, AGGLOMERATION), somme)
            for c in PAR_COMMUNE
            if _additif(c)
            and (somme := _somme(ctx, c, communes)) is not None
            and arrondi(ctx.valeur(c, AGGLOMERATION) or 0) > arrondi(somme)
        ]
        c5 = ctx.valeurs_annee("C5")
        qpv = du_moins_au_mieux_dote(ctx)
        classement = [
            [
                str(r),
                ctx.nom_qpv(c),
                ctx.commune_du_code[c],
                ctx.texte_par_habitant("C1", c),
                "oui" if c5.get(c) == 1 else "non",
            ]
            for r, c in enumerate(qpv, start=1)
        ]
        return [
            # The section's introduction says what the table holds: its caption says which
            # communes, not a second introduction.
            tableau(
                ["Indicateur", "Unité", *communes, "Agglomération"],
                lignes,
                legende=f"Communes côte à côte, {ctx.annee} : les {len(communes)} communes ayant un quartier "
                "prioritaire",
                numeriques=[False, False] + [True] * (len(communes) + 1),
            ),
            *note_des_masques(ctx, [(c, x, None) for c in PAR_COMMUNE for x in [*communes, AGGLOMERATION]]),
            *(
                [
                    Paragraphe(
                        "L'agglomération compte plus que la somme de ses communes pour "
                        + enumerer(f"{c} ({nombre(v)} contre {nombre(n)})" for c, v, n in au_dela)
                        + " : une part "
                        + enumerer(f"des {INDICATEURS[c].unite}" for c, _, _ in au_dela)
                        + " est rattachée à l'agglomération, à aucune commune en particulier."
                    )
                ]
                if au_dela
                else []
            ),
            tableau(
                ["Rang", "QPV", "Commune", "ETP pour 1 000 habitants (C1)", "Sous-doté"],
                classement,
                legende=avec_populations(
                    f"QPV classés par couverture, {ctx.annee} (lignes surlignées : QPV sous-dotés)",
                    classement,
                ),
                numeriques=[True, False, False, True, False],
                classes=["echec" if c5.get(c) == 1 else "" for c in qpv],
            ),
            Figure(
                figures.barres(
                    pd.Series({x: ctx.valeur("C3", x) for x in communes}),
                    f"C3 — ETP pour 1 000 habitants des QPV par commune, {ctx.annee}",
                    "ETP pour 1 000 habitants",
                    reference=ctx.valeur("C3", AGGLOMERATION),
                )
            ),
        ]
