"""The published indicator table: every value a reader sees, small counts masked once.

`publier` takes the long indicator table (annee, perimetre, indicateur, valeur) and returns
it with a `masque` column: « < 5 » or « s » (see `evaluation.indicateurs.secret`) on the counts of field
signals that must not be shown, whose `valeur` is then missing; empty elsewhere. The counts
of field signals are V1 (every perimeter, the neighbourhoods included), V2.* (by theme: every
perimeter), V3.* (by source) and V5.* (by follow-up): agglomeration and communes.

All of a year's counts are protected together, with every equation a reader could write
between them (a neighbourhood's themes sum to its total, a commune's neighbourhoods to the
commune, the communes to the agglomeration, the constant list and the other neighbourhoods
to the agglomeration…). Every page and export reads this one table, so a cell is masked on
all of them or on none. The unmasked table stays with the officer (`data/processed/`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION, SOURCES_REMONTEES, SUITES, THEMES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.geographie import LISTE_CONSTANTE, qpv_constants
from evaluation.indicateurs.secret import Equation, proteger
from evaluation.indicateurs.table import tableau_memorise

COMPTES_DE_REMONTEES = ("V1", "V2", "V3", "V5")


def est_un_compte(codes) -> np.ndarray:
    """True for the codes whose values are counts of field signals (masked when small)."""
    return (
        pd.Series(np.asarray(codes, dtype=object)).str.partition(".")[0].isin(COMPTES_DE_REMONTEES).to_numpy()
    )


def publier(t: Territoire, table: pd.DataFrame) -> pd.DataFrame:
    """`table` with its `masque` column, the masked values removed (see the module)."""
    annees = sorted(table["annee"].unique().tolist())
    masques = pd.Series("", index=table.index, dtype=object)
    comptes = table[est_un_compte(table["indicateur"])]
    for annee, lignes in comptes.groupby("annee", sort=True):
        cles = list(zip(lignes["perimetre"], lignes["indicateur"], strict=True))
        valeurs = dict(zip(cles, lignes["valeur"].to_numpy(dtype=float), strict=True))
        marques = proteger(valeurs, equations_des_remontees(t, int(annee), annees, valeurs))
        masques.loc[lignes.index] = [marques.get(c, "") for c in cles]
    publie = table.assign(masque=masques)
    publie.loc[publie["masque"] != "", "valeur"] = np.nan
    return publie


def equations_des_remontees(
    t: Territoire, annee: int, annees: list[int], valeurs: dict[tuple[str, str], float]
) -> list[Equation]:
    """Every sum a reader could check between the year's published counts of signals
    (cells are (perimetre, indicateur)); only those that hold exactly are kept."""
    quartiers = t.quartiers_actifs(annee)["code_qpv"].tolist()
    par_commune: dict[str, list[str]] = {c: [] for c in t.communes_actives(annee)}
    hors_communes = []
    for n in quartiers:
        par_commune.get(t.commune_du_code[n], hors_communes).append(n)
    communes = list(par_commune)
    themes = [f"V2.{x}" for x in THEMES]
    sources = [f"V3.{x}" for x in SOURCES_REMONTEES]
    suites = [f"V5.{x}" for x in SUITES]
    equations: list[Equation] = []

    def somme(total: tuple[str, str], parties: list[tuple[str, str]]) -> None:
        connues = total in valeurs and parties and all(p in valeurs for p in parties)
        if connues and abs(valeurs[total] - sum(valeurs[p] for p in parties)) < 1e-9:
            equations.append((total, parties))

    for n in quartiers:
        somme((n, "V1"), [(n, c) for c in themes])
    for p in [*communes, AGGLOMERATION]:
        for famille in (themes, sources, suites):
            somme((p, "V1"), [(p, c) for c in famille])
    for c, membres in par_commune.items():
        for code in ("V1", *themes):
            somme((c, code), [(n, code) for n in membres])
    for code in ("V1", *themes):
        somme((AGGLOMERATION, code), [(c, code) for c in communes] + [(n, code) for n in hors_communes])
        somme((AGGLOMERATION, code), [(n, code) for n in quartiers])
    for code in (*sources, *suites):
        somme((AGGLOMERATION, code), [(c, code) for c in communes])
    constants = set(qpv_constants(t, annees))
    somme((LISTE_CONSTANTE, "V1"), [(n, "V1") for n in quartiers if n in constants])
    somme(
        (AGGLOMERATION, "V1"),
        [(LISTE_CONSTANTE, "V1")] + [(n, "V1") for n in quartiers if n not in constants],
    )
    return equations


def publie_memorise(t: Territoire, annees: list[int]) -> pd.DataFrame:
    """`publier` of the indicator table of `annees`, computed once per territory and years."""
    return t.memo(("publie", tuple(annees)), lambda: publier(t, tableau_memorise(t, annees)))
