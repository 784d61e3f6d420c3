"""The long indicator table: every published code for every year (annee, perimetre,
indicateur, valeur), computed from the registry."""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.territoire import Territoire

# The families, imported for their registrations.
from evaluation.indicateurs import couverture, effets, financements, organisation, realisation, reseau, veille  # noqa: F401
from evaluation.indicateurs.geographie import LISTE_CONSTANTE, sur_liste_constante
from evaluation.indicateurs.registre import INDICATEURS, ordre

for _code in sorted(INDICATEURS, key=ordre):  # the outline's order, whatever the imports' order
    INDICATEURS[_code] = INDICATEURS.pop(_code)

# Indicators also given on the constant list of QPVs (present every year), for like-for-like trends.
CONSTANTS = ("C3", "H1", "V1")


def sous_codes(code: str, valeur: pd.Series | pd.DataFrame) -> dict[str, pd.Series]:
    """The published codes of one indicator's result: `CODE` or `CODE.key` per family column."""
    if isinstance(valeur, pd.DataFrame):
        return {f"{code}.{k}": valeur[k] for k in valeur.columns}
    return {code: valeur}


def valeurs(t: Territoire, annee: int, code: str) -> pd.Series:
    """One published code for one year, indexed by perimeter."""
    base, _, cle = code.partition(".")
    resultat = INDICATEURS[base].calcul(t, annee)
    return resultat[cle] if cle else resultat


def tableau(t: Territoire, annees: list[int] | None = None) -> pd.DataFrame:
    """Every published code for every year, long format: annee, perimetre, indicateur, valeur.

    Also rows for perimetre `agglomeration_liste_constante` (codes of CONSTANTS computed on
    the QPVs present in every year given), so that trends compare like with like across the
    2024 change of the QPV list.
    """
    annees = annees or sorted(t.annees)
    lignes = []
    for annee in annees:
        for code, indicateur in INDICATEURS.items():
            for sous_code, serie in sous_codes(code, indicateur.calcul(t, annee)).items():
                lignes.append(_long(annee, sous_code, serie))
        constantes = sur_liste_constante(t, annee, annees)
        lignes.append(_long(annee, None, constantes))
    return pd.concat(lignes, ignore_index=True)


def est_memorise(t: Territoire, annees: list[int]) -> bool:
    """Whether `tableau_memorise(t, annees)` is already computed."""
    return ("tableau", tuple(annees)) in t.memo


def tableau_memorise(t: Territoire, annees: list[int]) -> pd.DataFrame:
    """`tableau`, computed once per territory and years (kept with the territory's cache)."""
    return t.memo(("tableau", tuple(annees)), lambda: tableau(t, annees))


def _long(annee: int, code: str | None, serie: pd.Series) -> pd.DataFrame:
    if code is None:  # a Series indexed by code, for the constant list
        return pd.DataFrame(
            {
                "annee": annee,
                "perimetre": LISTE_CONSTANTE,
                "indicateur": serie.index.astype(str),
                "valeur": serie.to_numpy(dtype=float),
            }
        )
    return pd.DataFrame(
        {
            "annee": annee,
            "perimetre": serie.index.astype(str),
            "indicateur": code,
            "valeur": serie.to_numpy(dtype=float),
        }
    )
