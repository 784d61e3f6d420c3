"""Helpers shared by sections: trends over the years, and the change since last year."""

from __future__ import annotations

import math

import pandas as pd

from evaluation import formats
from evaluation.indicateurs import indicateur_de, libelle_code
from evaluation.indicateurs.geographie import LISTE_CONSTANTE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Bloc, Figure, tableau


def tendance(ctx, codes: list[str], titre: str, constante: bool = False) -> list[Bloc]:
    """Table and small multiples of `codes` for the report's perimeter over every year; for the
    agglomeration, also the codes computed on the constant list of QPVs."""
    series = pd.DataFrame({c: ctx.serie(c) for c in codes}).T
    lignes = [[libelle_code(c), *ctx.textes(c)] for c in codes]
    constants = []
    if constante and ctx.agglomeration:
        for c in codes:
            s = ctx.serie(c, LISTE_CONSTANTE)
            if s.notna().any():
                constants.append(c)
                lignes.append(
                    [f"{libelle_code(c)} (liste constante de QPV)", *ctx.textes(c, LISTE_CONSTANTE)]
                )
    legende = f"{titre}, {ctx.nom_perimetre}, {ctx.annees[0]}–{ctx.annee}"
    if constants:
        legende += f" — « liste constante » : les {ctx.nombre_qpv_constants()} QPV présents chaque année"
    blocs: list[Bloc] = [
        tableau(
            ["Indicateur", *map(str, ctx.annees)],
            lignes,
            legende=legende,
            numeriques=[False] + [True] * len(ctx.annees),
        )
    ]
    calculables = [c for c in codes if series.loc[c].notna().any()]
    if not calculables:
        return blocs
    series = series.loc[calculables]
    blocs.append(
        Figure(
            figures.tendances(
                series,
                f"{titre} depuis {ctx.annees[0]}, {ctx.nom_perimetre}",
                {c: libelle_code(c) for c in calculables},
                {c: ("%" if indicateur_de(c).pourcentage else indicateur_de(c).unite) for c in calculables},
                pourcentages={c for c in calculables if indicateur_de(c).pourcentage},
            )
        )
    )
    return blocs


def evolution(ctx, code: str) -> str:
    """The change of `code` at the report's perimeter since last year, worded."""
    s = ctx.serie(code)
    avant = s.get(ctx.annee - 1)
    maintenant = s.get(ctx.annee)
    i = indicateur_de(code)
    if i.pourcentage:
        if avant is None or maintenant is None or math.isnan(avant) or math.isnan(maintenant):
            return ""
        ecart = round((maintenant - avant) * 100)
        return "stable" if ecart == 0 else f"{'+' if ecart > 0 else '−'}{abs(ecart)} points"
    return formats.evolution(avant, maintenant, i.decimales)
