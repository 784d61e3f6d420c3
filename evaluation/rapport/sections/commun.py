"""Helpers shared by sections: trends over the years, and the change since last year."""

from __future__ import annotations

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
    lignes = [[libelle_code(c), unite(c), *ctx.textes(c)] for c in codes]
    constants = []
    if constante and ctx.agglomeration:
        for c in codes:
            s = ctx.serie(c, LISTE_CONSTANTE)
            if s.notna().any():
                constants.append(c)
                lignes.append(
                    [f"{libelle_code(c)} (liste constante de QPV)", unite(c), *ctx.textes(c, LISTE_CONSTANTE)]
                )
    legende = f"{titre}, {ctx.nom_perimetre}, {ctx.annees[0]}–{ctx.annee}"
    if constants:
        legende += (
            f" ; lignes « liste constante de QPV » : les {ctx.nombre_qpv_constants()} QPV présents chaque "
            "année ; autres lignes : tous les QPV de l'année"
        )
    blocs: list[Bloc] = [
        tableau(
            ["Indicateur", "Unité", *map(str, ctx.annees)],
            lignes,
            legende=legende,
            numeriques=[False, False] + [True] * len(ctx.annees),
        )
    ]
    # A series that is zero or missing every year is not drawn (the table still shows it).
    calculables = [c for c in codes if (series.loc[c].fillna(0) != 0).any()]
    if not calculables:
        return blocs
    series = series.loc[calculables]
    blocs.append(
        Figure(
            figures.tendances(
                series,
                f"{titre} depuis {ctx.annees[0]}, {ctx.nom_perimetre}",
                {c: libelle_code(c) for c in calculables},
                {c: unite(c) for c in calculables},
                pourcentages={c for c in calculables if indicateur_de(c).pourcentage},
            )
        )
    )
    return blocs


def evolution(ctx, code: str) -> str:
    """The change of `code` at the report's perimeter since last year, on the figures as shown
    (« +1 pt », « −0,12 », « = », « – »)."""
    i = indicateur_de(code)
    avant = ctx.valeur(code, annee=ctx.annee - 1) if ctx.annee - 1 in ctx.annees else None
    return formats.ecart(avant, ctx.valeur(code), i.decimales, points=i.pourcentage)


def unite(code: str) -> str:
    """The unit a table column states for `code` (« % » for shares)."""
    i = indicateur_de(code)
    return "%" if i.pourcentage else i.unite
