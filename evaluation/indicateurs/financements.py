"""Funding (« financements mobilisables »): F1–F6.

A commune's funding lines are those whose perimetre is the commune or one of its
neighbourhoods; the agglomeration's are all lines.
"""

from __future__ import annotations

import pandas as pd

from ..contract import DISPOSITIFS, FINANCEURS
from ..references import AIDE_ADULTE_RELAIS
from ..territoire import Territoire
from .base import (
    etp_annuel,
    par_perimetre_communal,
    perimetres_communaux,
    rapport,
    sommer_par_perimetre_communal,
)
from .realisation import r2_adultes_relais


def _montants(t: Territoire, annee: int, colonne: str, valeurs: tuple[str, ...]) -> pd.DataFrame:
    f = t.annee(annee).financements
    return sommer_par_perimetre_communal(t, annee, f, "montant_eur", colonne, valeurs, "perimetre")


def f1_montants_par_financeur(t: Territoire, annee: int) -> pd.DataFrame:
    """Amounts in euros per funder (columns): agglomeration and communes."""
    return _montants(t, annee, "financeur", FINANCEURS)


def f2_montants_par_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Amounts in euros per scheme (columns): agglomeration and communes."""
    return _montants(t, annee, "dispositif", DISPOSITIFS)


def f3_part_par_financeur(t: Territoire, annee: int) -> pd.DataFrame:
    """Share of the total amount brought by each funder."""
    m = f1_montants_par_financeur(t, annee)
    return rapport(m, m.sum(axis=1))


def f4_cout_par_etp(t: Territoire, annee: int) -> pd.DataFrame:
    """Amount per annual ETP, per scheme (missing when the scheme has no ETP there)."""
    p = t.annee(annee).postes.assign(etp_annuel=lambda d: etp_annuel(d, annee))
    etp = sommer_par_perimetre_communal(t, annee, p, "etp_annuel", "dispositif", DISPOSITIFS, "code_qpv")
    montants = f2_montants_par_dispositif(t, annee)
    return (montants / etp.where(etp > 0)).astype(float)


def f5_aide_etat_par_adulte_relais(t: Territoire, annee: int) -> pd.Series:
    """State funding (etat_anct) of adulte-relais lines per adulte-relais in post (R2)."""
    f = t.annee(annee).financements
    f = f[(f["dispositif"] == "adulte_relais") & (f["financeur"] == "etat_anct")]
    montants = par_perimetre_communal(t, annee, f, lambda g: g["montant_eur"].sum()).astype(float)
    return rapport(montants, r2_adultes_relais(t, annee).reindex(montants.index))


def f6_rapport_aide_nationale(t: Territoire, annee: int) -> pd.Series:
    """F5 divided by the year's national State aid per adulte-relais post (ANCT; missing for
    a year whose national amount is not known to the package)."""
    nationale = AIDE_ADULTE_RELAIS.get(annee)
    f5 = f5_aide_etat_par_adulte_relais(t, annee)
    if nationale is None:
        return pd.Series(float("nan"), index=perimetres_communaux(t, annee))
    return f5 / nationale
