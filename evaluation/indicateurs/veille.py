"""Veille sociale: field signals (`remontees`), their follow-up and its delay (V1–V7).

Objective 2 of the sheet: « formaliser / capitaliser les remontées de terrain ». Every count
here is published only through the published table (`indicateurs.publication`: small counts
masked, once for every page and export).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import SOURCES_REMONTEES, SUITES, THEMES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import compter_par_perimetre_communal, cumuler, memo, par_perimetre_communal
from evaluation.indicateurs.registre import Perimetres, indicateur


@memo
def remontees_de_l_annee(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals of the year with `suivie` (a follow-up other than « aucune ») and `delai`
    (days from the signal to its follow-up, when dated)."""
    r = t.annee(annee).remontees
    return r.assign(suivie=r["suite"] != "aucune", delai=(r["date_suite"] - r["date"]).dt.days)


@indicateur(
    "V1",
    "Remontées de terrain",
    unite="remontées",
    perimetres=Perimetres.QUARTIERS,
    definition="Nombre de remontées de terrain (veille sociale) de l'année.",
    proposition=True,
)
@memo
def v1_remontees(t: Territoire, annee: int) -> pd.Series:
    """Number of signals: agglomeration, communes, QPVs and quartiers de veille active."""
    r = remontees_de_l_annee(t, annee)
    return cumuler(t, annee, r.groupby("code_qpv").size(), veille=True)


def _par(t: Territoire, annee: int, colonne: str, valeurs: tuple[str, ...]) -> pd.DataFrame:
    return compter_par_perimetre_communal(
        t, annee, remontees_de_l_annee(t, annee), colonne, valeurs, "code_qpv"
    )


@indicateur(
    "V2",
    "Remontées par thème",
    unite="remontées",
    perimetres=Perimetres.QUARTIERS,
    definition="Remontées de l'année par thème.",
    proposition=True,
    cles=THEMES,
)
def v2_par_theme(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals per theme (columns): agglomeration, communes, QPVs and quartiers de veille
    active (the neighbourhood × theme counts that the rule of small counts protects)."""
    r = remontees_de_l_annee(t, annee)
    par_quartier = r.groupby(["code_qpv", "theme"]).size().unstack(fill_value=0)
    return cumuler(t, annee, par_quartier.reindex(columns=list(THEMES), fill_value=0), veille=True)


@indicateur(
    "V3",
    "Remontées par source",
    unite="remontées",
    perimetres=Perimetres.COMMUNES,
    definition="Remontées de l'année par dispositif à l'origine.",
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def v3_par_source(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals per source scheme (columns): agglomeration and communes."""
    return _par(t, annee, "source", SOURCES_REMONTEES)


@indicateur(
    "V4",
    "Remontées suivies",
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part des remontées ayant une suite (autre que « aucune »).",
    proposition=True,
    pourcentage=True,
)
def v4_part_suivies(t: Territoire, annee: int) -> pd.Series:
    """Share of signals with a follow-up (suite other than « aucune »)."""
    r = remontees_de_l_annee(t, annee)
    return par_perimetre_communal(t, annee, r, lambda g: g["suivie"].mean(), "code_qpv", vide=np.nan)


@indicateur(
    "V5",
    "Remontées par suite donnée",
    unite="remontées",
    perimetres=Perimetres.COMMUNES,
    definition="Remontées de l'année par type de suite (traitée sur place, orientation, cellule de veille, signalement à un partenaire, aucune).",
    proposition=True,
    cles=SUITES,
)
def v5_par_suite(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals per kind of follow-up (columns): agglomeration and communes."""
    return _par(t, annee, "suite", SUITES)


def _delais(t: Territoire, annee: int, mesure) -> pd.Series:
    r = remontees_de_l_annee(t, annee)
    r = r[r["suivie"] & r["delai"].notna()].assign(sous_7_jours=lambda d: d["delai"] <= 7)
    return par_perimetre_communal(t, annee, r, mesure, "code_qpv", vide=np.nan).astype(float)


@indicateur(
    "V6",
    "Délai médian de suite",
    unite="jours",
    perimetres=Perimetres.COMMUNES,
    definition="Médiane du nombre de jours entre une remontée et sa suite datée.",
    decimales=1,
    proposition=True,
)
def v6_delai_median(t: Territoire, annee: int) -> pd.Series:
    """Median days from a signal to its dated follow-up."""
    return _delais(t, annee, lambda g: g["delai"].median())


@indicateur(
    "V7",
    "Suites sous 7 jours",
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part des suites datées données dans les 7 jours suivant la remontée.",
    proposition=True,
    pourcentage=True,
)
def v7_part_sous_7_jours(t: Territoire, annee: int) -> pd.Series:
    """Share of dated follow-ups given within 7 days of the signal."""
    return _delais(t, annee, lambda g: g["sous_7_jours"].mean())
