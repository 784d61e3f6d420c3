"""Comparing like with like across changes of the QPV list (2015 list → 2024 list).

Published agglomeration totals follow each year's list (entrants counted from their first
year, leavers until their last). The *constant list* is the QPVs active in every year
compared: totals on it show the trend with the geography held fixed.
"""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.couverture import etp_pour_mille_ensemble
from evaluation.indicateurs.organisation import h1_heures_hebdomadaires
from evaluation.indicateurs.veille import v1_remontees

LISTE_CONSTANTE = "agglomeration_liste_constante"


def qpv_constants(t: Territoire, annees: list[int]) -> list[str]:
    """QPVs active in every one of `annees`."""
    ensembles = [set(t.quartiers_actifs(a, "qpv")["code_qpv"]) for a in annees]
    return sorted(set.intersection(*ensembles)) if ensembles else []


def entrants_et_sortants(t: Territoire, annees: list[int]) -> tuple[list[str], list[str]]:
    """QPVs that enter after the first of `annees`, and QPVs that leave before the last."""
    q = t.quartiers[t.quartiers["statut"] == "qpv"]
    debut, fin = min(annees), max(annees)
    entrants = q.loc[q["annee_entree"] > debut, "code_qpv"].tolist()
    sortants = q.loc[
        q["annee_sortie"].notna() & (q["annee_sortie"] < fin) & (q["annee_sortie"] >= debut), "code_qpv"
    ]
    return entrants, sortants.tolist()


def sur_liste_constante(t: Territoire, annee: int, annees: list[int]) -> pd.Series:
    """C3, H1 and V1 of the agglomeration on the constant list of QPVs of `annees`."""
    codes = qpv_constants(t, annees)
    return pd.Series(
        {
            "C3": etp_pour_mille_ensemble(t, annee, codes) if codes else float("nan"),
            "H1": float(h1_heures_hebdomadaires(t, annee).reindex(codes).sum()),
            "V1": float(v1_remontees(t, annee).reindex(codes).sum()),
        }
    )
