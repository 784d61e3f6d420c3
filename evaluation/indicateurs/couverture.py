"""Coverage of the neighbourhoods by human presence."""

from __future__ import annotations

import pandas as pd

from ..territoire import Territoire
from .base import etp_annuel, par_qpv


def etp_par_qpv_et_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Annual ETP per neighbourhood (rows: every active neighbourhood) and scheme (columns)."""
    p = t.annee(annee).postes.assign(etp_annuel=lambda d: etp_annuel(d, annee))
    tableau = p.pivot_table(
        index="code_qpv", columns="dispositif", values="etp_annuel", aggfunc="sum", fill_value=0.0
    )
    codes = t.quartiers_actifs(annee)["code_qpv"]
    return tableau.reindex(codes, fill_value=0.0).rename_axis(index="code_qpv", columns=None)


def c1_etp_pour_mille_habitants(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: annual ETP of all posts of that QPV per 1,000 inhabitants."""
    p = t.annee(annee).postes
    etp = etp_annuel(p, annee).groupby(p["code_qpv"]).sum()
    etp = par_qpv(t, annee, etp)
    population = t.quartiers.set_index("code_qpv")["population"].reindex(etp.index).astype(float)
    return (etp / population * 1000).where(population > 0)


def etp_pour_mille_ensemble(t: Territoire, annee: int, codes: list[str]) -> float:
    """Annual ETP of all posts of the QPVs `codes` per 1,000 of their inhabitants together."""
    p = t.annee(annee).postes
    etp = etp_annuel(p, annee)[p["code_qpv"].isin(codes)].sum()
    population = t.quartiers.set_index("code_qpv").loc[codes, "population"].sum()
    return float(etp / population * 1000) if population else float("nan")


def sous_dotes(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: True when C1 is below `seuil_sous_dotation` (territoire.yml, default 0.75)
    times the ETP per 1,000 inhabitants of all the territory's QPVs together."""
    c1 = c1_etp_pour_mille_habitants(t, annee)
    reference = etp_pour_mille_ensemble(t, annee, list(c1.index))
    return c1 < reference * float(t.parametres["seuil_sous_dotation"])
