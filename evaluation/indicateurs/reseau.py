"""Network and coordination: meetings (R1 and beyond), co-piloting, schemes present, tools (N1–N5).

A commune's meetings are those whose `perimetre` is the commune; the agglomeration's are all
of the territory's (its own and its communes'), as for R1.
"""

from __future__ import annotations

import pandas as pd

from ..contract import DISPOSITIFS, INSTANCES, STATUTS_OUTIL
from ..territoire import Territoire
from .base import par_perimetre_communal

COPILOTAGE_COMPLET = {"prefecture", "ville", "agglomeration"}


def _reunions_reseau(r: pd.DataFrame) -> pd.DataFrame:
    return r[r["instance"] == "reseau_acteurs"]


def _elements(serie: pd.Series) -> pd.Series:
    return serie.fillna("").map(lambda v: set(filter(None, v.split("|"))))


def n1_reunions_par_instance(t: Territoire, annee: int) -> pd.DataFrame:
    """Meetings per instance (columns): agglomeration and communes."""
    r = t.annee(annee).reunions
    return pd.DataFrame(
        {
            p: d["instance"].value_counts().reindex(list(INSTANCES), fill_value=0)
            for p, d in par_perimetre_communal(t, annee, r)
        }
    ).T.astype(float)


def n2_part_copilotees(t: Territoire, annee: int) -> pd.Series:
    """Share of network meetings (reseau_acteurs) co-piloted by the Préfecture, the city and
    the agglomeration together, as the sheet asks (missing when there is no meeting)."""
    r = _reunions_reseau(t.annee(annee).reunions)
    valeurs = {}
    for p, d in par_perimetre_communal(t, annee, r):
        complet = _elements(d["copilotage"]).map(COPILOTAGE_COMPLET.issubset)
        valeurs[p] = complet.mean() if len(d) else float("nan")
    return pd.Series(valeurs, dtype=float)


def n3_participants_moyens(t: Territoire, annee: int) -> pd.Series:
    """Mean number of participants in network meetings (missing when there is no meeting)."""
    r = _reunions_reseau(t.annee(annee).reunions)
    return pd.Series(
        {
            p: d["participants"].astype(float).mean() if len(d) else float("nan")
            for p, d in par_perimetre_communal(t, annee, r)
        },
        dtype=float,
    )


def n4_presence_des_dispositifs(t: Territoire, annee: int) -> pd.DataFrame:
    """Share of network meetings each scheme (columns) attended: agglomeration and communes."""
    r = _reunions_reseau(t.annee(annee).reunions)
    lignes = {}
    for p, d in par_perimetre_communal(t, annee, r):
        presents = _elements(d["dispositifs_presents"])
        lignes[p] = {
            x: (presents.map(lambda s, x=x: x in s).mean() if len(d) else float("nan")) for x in DISPOSITIFS
        }
    return pd.DataFrame(lignes).T.astype(float)


def matrice_dispositifs_instances(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """Meetings attended by each scheme (rows) per instance (columns)."""
    r = t.annee(annee).reunions
    if commune is not None:
        r = r[r["perimetre"] == commune]
    presents = _elements(r["dispositifs_presents"])
    return pd.DataFrame(
        {i: [int(sum(x in s for s in presents[r["instance"] == i])) for x in DISPOSITIFS] for i in INSTANCES},
        index=list(DISPOSITIFS),
    )


def n5_outils_par_statut(t: Territoire, annee: int) -> pd.DataFrame:
    """Network tools per status (columns): a commune's tools are those of its perimetre; the
    agglomeration's are all."""
    o = t.annee(annee).outils
    return pd.DataFrame(
        {
            p: d["statut"].value_counts().reindex(list(STATUTS_OUTIL), fill_value=0)
            for p, d in par_perimetre_communal(t, annee, o)
        }
    ).T.astype(float)


def liste_des_outils(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """The year's tools (all statuses), of the commune or of the whole territory."""
    o = t.annee(annee).outils
    if commune is not None:
        o = o[o["perimetre"] == commune]
    return o.sort_values(["statut", "type", "nom"]).reset_index(drop=True)
