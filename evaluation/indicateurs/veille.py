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
from evaluation.indicateurs.base import (
    compter_par_perimetre_communal,
    cumuler,
    memo,
    par_perimetre_communal,
    rapport,
)
from evaluation.indicateurs.registre import Perimetres, indicateur


@memo
def remontees_de_l_annee(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals of the year with `suivie` (a follow-up other than « aucune ») and `delai`
    (days from the signal to its follow-up, when dated)."""
    r = t.annee(annee).remontees
    return r.assign(suivie=r["suite"] != "aucune", delai=(r["date_suite"] - r["date"]).dt.days, un=1)


@indicateur(
    "V1",
    "Remontées de terrain",
    lit=("remontees",),
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
    lit=("remontees",),
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
    lit=("remontees",),
    unite="remontées",
    perimetres=Perimetres.COMMUNES,
    definition="Remontées de l'année par dispositif à l'origine.",
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def v3_par_source(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals per source scheme (columns): agglomeration and communes."""
    return _par(t, annee, "source", SOURCES_REMONTEES)


def suivies(t: Territoire, annee: int) -> tuple[pd.Series, pd.Series]:
    """(signals with a follow-up, signals) for the agglomeration and each commune."""
    r = remontees_de_l_annee(t, annee)
    compter = lambda colonne: par_perimetre_communal(  # noqa: E731
        t, annee, r, lambda g: g[colonne].sum(), "code_qpv", vide=0.0
    ).astype(float)
    return compter("suivie"), compter("un")


@indicateur(
    "V4",
    "Remontées suivies",
    lit=("remontees",),
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part des remontées ayant une suite (autre que « aucune »).",
    proposition=True,
    pourcentage=True,
    comptes=suivies,
)
def v4_part_suivies(t: Territoire, annee: int) -> pd.Series:
    """Share of signals with a follow-up (suite other than « aucune »)."""
    return rapport(*suivies(t, annee))


@indicateur(
    "V5",
    "Remontées par suite donnée",
    lit=("remontees",),
    unite="remontées",
    perimetres=Perimetres.COMMUNES,
    definition="Remontées de l'année par type de suite (traitée sur place, orientation, cellule de veille, signalement à un partenaire, aucune).",
    proposition=True,
    cles=SUITES,
)
def v5_par_suite(t: Territoire, annee: int) -> pd.DataFrame:
    """Signals per kind of follow-up (columns): agglomeration and communes."""
    return _par(t, annee, "suite", SUITES)


def _delais(t: Territoire, annee: int, mesure, vide: float = np.nan) -> pd.Series:
    r = remontees_de_l_annee(t, annee)
    r = r[r["suivie"] & r["delai"].notna()].assign(sous_7_jours=lambda d: d["delai"] <= 7)
    return par_perimetre_communal(t, annee, r, mesure, "code_qpv", vide=vide).astype(float)


def suites_datees(t: Territoire, annee: int) -> tuple[pd.Series, pd.Series]:
    """(dated follow-ups within 7 days, dated follow-ups) for the agglomeration and each
    commune: the counts V6 and V7 rest on."""
    return (
        _delais(t, annee, lambda g: g["sous_7_jours"].sum(), vide=0.0),
        _delais(t, annee, lambda g: g.size(), vide=0.0),
    )


@indicateur(
    "V6",
    "Délai médian de suite",
    lit=("remontees",),
    unite="jours",
    perimetres=Perimetres.COMMUNES,
    definition="Médiane du nombre de jours entre une remontée et sa suite datée.",
    decimales=1,
    proposition=True,
    comptes=suites_datees,
)
def v6_delai_median(t: Territoire, annee: int) -> pd.Series:
    """Median days from a signal to its dated follow-up."""
    return _delais(t, annee, lambda g: g["delai"].median())


@indicateur(
    "V7",
    "Suites sous 7 jours",
    lit=("remontees",),
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part des suites datées données dans les 7 jours suivant la remontée.",
    proposition=True,
    pourcentage=True,
    comptes=suites_datees,
)
def v7_part_sous_7_jours(t: Territoire, annee: int) -> pd.Series:
    """Share of dated follow-ups given within 7 days of the signal."""
    return rapport(*suites_datees(t, annee))
