"""Conventions shared by every indicator (the README's « What the reports show » cites them).

- A post is active from `date_debut` (or 1 January) to `date_fin` (or 31 December), both
  days included.
- Its annual ETP is `etp × days active in the year / days in the year`.
- Vacant posts count for nothing.
- Every perimeter active in the year gets a value, zero included.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.donnees.territoire import Territoire


def memo(fonction):
    """Cache `fonction(t, annee)` on the territory: indicators share intermediate tables
    (annual ETP, slots, signals) and a report computes every indicator for every year.
    Cached values are shared: callers must not modify them in place."""

    @functools.wraps(fonction)
    def enveloppe(t: Territoire, annee: int):
        return t.memo((f"{fonction.__module__}.{fonction.__qualname__}", annee), lambda: fonction(t, annee))

    return enveloppe


def bornes(annee: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(annee, 1, 1), pd.Timestamp(annee, 12, 31)


def occupes(postes: pd.DataFrame) -> pd.DataFrame:
    """Rows of posts that are not vacant."""
    return postes[postes["vacant"] == "non"]


def jours_actifs(postes: pd.DataFrame, annee: int) -> pd.Series:
    """Days each row's post is active in `annee`, both ends included (0 if never)."""
    debut_annee, fin_annee = bornes(annee)
    debut = postes["date_debut"].fillna(debut_annee).clip(lower=debut_annee)
    fin = postes["date_fin"].fillna(fin_annee).clip(upper=fin_annee)
    return ((fin - debut).dt.days + 1).clip(lower=0).astype("int64")


def etp_annuel(postes: pd.DataFrame, annee: int) -> pd.Series:
    """Annual ETP of each row: etp × days active / days in the year; 0 for vacant posts."""
    jours_annee = 366 if pd.Timestamp(annee, 12, 31).is_leap_year else 365
    etp = postes["etp"].astype(float) * jours_actifs(postes, annee) / jours_annee
    return etp.where(postes["vacant"] == "non", 0.0)


def actifs_au_31_decembre(postes: pd.DataFrame, annee: int) -> pd.Series:
    """True for rows whose post is active on 31 December of `annee`."""
    _, fin_annee = bornes(annee)
    debut_ok = postes["date_debut"].isna() | (postes["date_debut"] <= fin_annee)
    fin_ok = postes["date_fin"].isna() | (postes["date_fin"] >= fin_annee)
    return (debut_ok & fin_ok).astype(bool)


def en_poste_au_31_decembre(postes: pd.DataFrame, annee: int, dispositif: str) -> pd.DataFrame:
    """Rows of non-vacant posts of `dispositif` active on 31 December."""
    p = occupes(postes[postes["dispositif"] == dispositif])
    return p[actifs_au_31_decembre(p, annee)]


def agglomeration_et_communes(t: Territoire, annee: int, par_commune: pd.Series, total: float) -> pd.Series:
    """Values for the agglomeration then each active commune, zero where nothing."""
    communes = t.communes_actives(annee)
    valeurs = par_commune.reindex(communes, fill_value=0)
    return pd.concat([pd.Series({AGGLOMERATION: total}), valeurs]).astype(float)


def par_qpv(t: Territoire, annee: int, valeurs: pd.Series) -> pd.Series:
    """Values for each QPV active in `annee`, zero where nothing."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"]
    return valeurs.reindex(codes, fill_value=0).astype(float)


def cumuler(
    t: Territoire,
    annee: int,
    par_quartier: pd.Series | pd.DataFrame,
    qpv: bool = True,
    veille: bool = False,
) -> pd.Series | pd.DataFrame:
    """Additive values per neighbourhood summed to every level, zero where nothing.

    Returns rows for the agglomeration, each active commune and (if `qpv`) each active QPV,
    then (if `veille`) each active quartier de veille active. Commune and agglomeration sums
    include the quartiers de veille active: presence and activity there are part of the
    territory's effort.
    """
    q = t.quartiers_actifs(annee)
    v = par_quartier.reindex(q["code_qpv"], fill_value=0)
    communes = v.groupby(q["commune"].to_numpy()).sum().reindex(t.communes_actives(annee), fill_value=0)
    agglo = v.sum()
    if isinstance(v, pd.DataFrame):
        haut = pd.concat([agglo.to_frame(AGGLOMERATION).T, communes])
    else:
        haut = pd.concat([pd.Series({AGGLOMERATION: agglo}), communes])
    if not qpv:
        return haut.astype(float)
    codes = q.loc[q["statut"] == "qpv", "code_qpv"].tolist()
    if veille:
        codes += q.loc[q["statut"] != "qpv", "code_qpv"].tolist()
    return pd.concat([haut, v.loc[codes]]).astype(float)


def cumuler_qpv(t: Territoire, annee: int, par_quartier: pd.Series, qpv: bool = True) -> pd.Series:
    """Like `cumuler`, over QPVs only (for rates per inhabitant of the priority areas)."""
    q = t.quartiers_actifs(annee, "qpv")
    v = par_quartier.reindex(q["code_qpv"], fill_value=0).astype(float)
    communes = v.groupby(q["commune"].to_numpy()).sum().reindex(t.communes_actives(annee), fill_value=0)
    parties = [pd.Series({AGGLOMERATION: v.sum()}), communes] + ([v] if qpv else [])
    return pd.concat(parties).astype(float)


def rapport(numerateur: pd.Series | pd.DataFrame, denominateur: pd.Series) -> pd.Series | pd.DataFrame:
    """Ratio, missing (not zero) where the denominator is zero: « non calculable »."""
    d = denominateur.where(denominateur != 0)
    if isinstance(numerateur, pd.DataFrame):
        return numerateur.div(d, axis=0)
    return numerateur / d


def perimetres_communaux(t: Territoire, annee: int) -> list[str]:
    """The agglomeration then each active commune."""
    return [AGGLOMERATION, *t.communes_actives(annee)]


def par_perimetre_communal(
    t: Territoire,
    annee: int,
    table: pd.DataFrame,
    agreger: Callable,
    colonne: str = "perimetre",
    vide: float = 0.0,
    par: str | None = None,
) -> pd.Series | pd.DataFrame:
    """`agreger` applied to the rows of each communal perimeter: the agglomeration's rows are
    all of `table`; a commune's, those whose `colonne` is the commune or one of its
    neighbourhoods. `agreger` receives a `DataFrameGroupBy` and returns one value per group,
    e.g. `lambda g: g["montant_eur"].sum()`; with `par`, the groups are also split by that
    column, whose values become the result's columns. Rows come in the order of
    `perimetres_communaux`; a perimeter without rows gets `vide`."""
    communes = t.communes_de(table[colonne]).to_numpy()

    def grouper(cles: np.ndarray) -> pd.Series | pd.DataFrame:
        if par is None:
            return agreger(table.groupby(cles))
        valeurs = agreger(table.groupby([cles, table[par].to_numpy()]))
        return valeurs.unstack() if len(valeurs) else pd.DataFrame(dtype=float)

    tout = grouper(np.full(len(table), AGGLOMERATION, dtype=object))
    parties = grouper(communes).drop(AGGLOMERATION, errors="ignore")
    return pd.concat([tout, parties]).reindex(perimetres_communaux(t, annee), fill_value=vide)


def compter_par_perimetre_communal(
    t: Territoire, annee: int, table: pd.DataFrame, categorie: str, valeurs: tuple[str, ...], colonne: str
) -> pd.DataFrame:
    """Rows of `table` per value of `categorie` (columns, in the order of `valeurs`), for the
    agglomeration and each active commune."""
    return sommer_par_perimetre_communal(t, annee, table, None, categorie, valeurs, colonne)


def sommer_par_perimetre_communal(
    t: Territoire,
    annee: int,
    table: pd.DataFrame,
    mesure: str | None,
    categorie: str,
    valeurs: tuple[str, ...],
    colonne: str,
) -> pd.DataFrame:
    """Sum of `mesure` (or the number of rows, when None) per value of `categorie` (columns,
    in the order of `valeurs`), for the agglomeration and each active commune."""
    resultat = par_perimetre_communal(
        t,
        annee,
        table,
        (lambda g: g.size()) if mesure is None else (lambda g: g[mesure].sum()),
        colonne,
        par=categorie,
    )
    return resultat.reindex(columns=list(valeurs)).fillna(0).astype(float)
