"""Coverage of the neighbourhoods by human presence, and its disparities (C1–C9).

The sheet's context: « de fortes disparités selon les sites » ; objective 1: raise presence
where it is *sous-dotée*, keep it elsewhere. Rates per 1,000 inhabitants use the population
of `quartiers.csv` and the annual ETP of non-vacant posts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import DISPOSITIFS, SOURCES_REMONTEES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import (
    cumuler_qpv,
    etp_annuel,
    memo,
    par_perimetre_communal,
    par_qpv,
    rapport,
)
from evaluation.indicateurs.registre import Perimetres, indicateur


@memo
def etp_par_qpv_et_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Annual ETP per neighbourhood (rows: every active one) and scheme (columns: every scheme)."""
    p = t.annee(annee).postes.assign(etp_annuel=lambda d: etp_annuel(d, annee))
    tableau = p.pivot_table(
        index="code_qpv", columns="dispositif", values="etp_annuel", aggfunc="sum", fill_value=0.0
    )
    codes = t.quartiers_actifs(annee)["code_qpv"]
    return (
        tableau.reindex(index=codes, columns=list(DISPOSITIFS), fill_value=0.0)
        .fillna(0.0)
        .rename_axis(index="code_qpv", columns=None)
    )


def _etp_par_quartier(t: Territoire, annee: int) -> pd.Series:
    return etp_par_qpv_et_dispositif(t, annee).sum(axis=1)


def _population(t: Territoire, codes) -> pd.Series:
    return t.quartiers.set_index("code_qpv")["population"].reindex(codes).astype(float)


@indicateur(
    "C1",
    "Présence humaine pour 1 000 habitants",
    unite="ETP pour 1 000 habitants",
    perimetres=Perimetres.QPV,
    definition="Par QPV : ETP annuels de tous les postes non vacants du quartier, pour 1 000 habitants (population déclarée dans le fichier des quartiers).",
    decimales=2,
    proposition=True,
)
@memo
def c1_etp_pour_mille_habitants(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: annual ETP of all posts of that QPV per 1,000 inhabitants."""
    etp = par_qpv(t, annee, _etp_par_quartier(t, annee))
    return rapport(etp, _population(t, etp.index)) * 1000


@indicateur(
    "C2",
    "Présence pour 1 000 habitants, par dispositif",
    unite="ETP pour 1 000 habitants",
    perimetres=Perimetres.QPV,
    definition="Par QPV et par dispositif : ETP annuels des postes du dispositif pour 1 000 habitants.",
    decimales=2,
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def c2_etp_pour_mille_par_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Per QPV and scheme: annual ETP of the scheme's posts per 1,000 inhabitants."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"]
    etp = etp_par_qpv_et_dispositif(t, annee).loc[codes]
    return rapport(etp, _population(t, codes)) * 1000


def etp_pour_mille_ensemble(t: Territoire, annee: int, codes: list[str]) -> float:
    """Annual ETP of all posts of the QPVs `codes` per 1,000 of their inhabitants together."""
    etp = _etp_par_quartier(t, annee).reindex(codes, fill_value=0).sum()
    population = _population(t, codes).sum()
    return float(etp / population * 1000) if population else float("nan")


@indicateur(
    "C3",
    "Présence pour 1 000 habitants des QPV",
    unite="ETP pour 1 000 habitants",
    perimetres=Perimetres.COMMUNES,
    definition="ETP annuels de tous les postes des QPV du périmètre pour 1 000 habitants de ces QPV pris ensemble ; la valeur de l'agglomération sert de référence à la règle de sous-dotation (C5).",
    decimales=2,
    proposition=True,
)
def c3_etp_pour_mille_ensemble(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes: annual ETP of their QPVs per 1,000 inhabitants of those QPVs
    together (the reference of the under-served rule is the agglomeration's value)."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"]
    etp = cumuler_qpv(t, annee, _etp_par_quartier(t, annee), qpv=False)
    population = cumuler_qpv(t, annee, _population(t, codes).set_axis(codes), qpv=False)
    return rapport(etp, population) * 1000


@indicateur(
    "C4",
    "QPV sans présence humaine",
    unite="QPV",
    perimetres=Perimetres.COMMUNES,
    definition="Nombre de QPV du périmètre sans aucun ETP annuel.",
    proposition=True,
)
def c4_qpv_sans_presence(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes: number of QPVs with no annual ETP at all."""
    etp = par_qpv(t, annee, _etp_par_quartier(t, annee))
    return cumuler_qpv(t, annee, (etp <= 0).astype(float), qpv=False)


def seuil_sous_dotation(t: Territoire, annee: int) -> float:
    """The under-served threshold in ETP per 1,000 inhabitants: `seuil_sous_dotation`
    (territoire.yml, default 0.75) × the agglomeration's C3 (all active QPVs together)."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"].tolist()
    return etp_pour_mille_ensemble(t, annee, codes) * float(t.parametres["seuil_sous_dotation"])


@indicateur(
    "C5",
    "QPV sous-doté",
    unite="oui = 1",
    perimetres=Perimetres.QPV,
    definition="Par QPV : 1 si C1 est inférieur au seuil de sous-dotation (paramètre du territoire, 75 % par défaut, proposé par l'outil) multiplié par C3 de l'agglomération, 0 sinon.",
    proposition=True,
)
@memo
def c5_sous_dote(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: 1 when under-served (sous-doté), else 0. Rule: C1 below the threshold of
    `seuil_sous_dotation`."""
    return (c1_etp_pour_mille_habitants(t, annee) < seuil_sous_dotation(t, annee)).astype(float)


@indicateur(
    "C6",
    "QPV sous-dotés",
    unite="QPV",
    perimetres=Perimetres.COMMUNES,
    definition="Nombre de QPV sous-dotés du périmètre (règle de C5).",
    proposition=True,
)
def c6_qpv_sous_dotes(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes: number of under-served QPVs (rule of C5)."""
    return cumuler_qpv(t, annee, c5_sous_dote(t, annee), qpv=False)


def _dispersion(t: Territoire, annee: int, mesure) -> pd.Series:
    """`mesure` of the QPVs' C1 per communal perimeter (a `SeriesGroupBy` → one value per
    group), missing where fewer than 2 QPVs have a C1."""
    c1 = c1_etp_pour_mille_habitants(t, annee).dropna()
    table = pd.DataFrame({"code_qpv": c1.index, "c1": c1.to_numpy()})

    def agreger(groupes) -> pd.Series:
        return mesure(groupes["c1"]).where(groupes["c1"].count() >= 2)

    return par_perimetre_communal(t, annee, table, agreger, "code_qpv", vide=np.nan).astype(float)


def _non_nul(valeurs: pd.Series) -> pd.Series:
    return valeurs.where(valeurs != 0)


@indicateur(
    "C7",
    "Dispersion de la présence entre QPV",
    unite="coefficient de variation",
    perimetres=Perimetres.COMMUNES,
    definition="Écart-type de C1 entre les QPV du périmètre divisé par sa moyenne (au moins 2 QPV) : 0 = présence égale partout ; plus la valeur est haute, plus les écarts sont forts.",
    decimales=2,
    proposition=True,
)
def c7_coefficient_de_variation(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes (≥ 2 QPVs): standard deviation / mean of C1 across QPVs
    (population standard deviation; missing when the mean is zero)."""
    return _dispersion(t, annee, lambda g: g.std(ddof=0) / _non_nul(g.mean()))


@indicateur(
    "C8",
    "Rapport entre le QPV le moins et le mieux doté",
    unite="rapport",
    perimetres=Perimetres.COMMUNES,
    definition="C1 le plus bas divisé par C1 le plus haut parmi les QPV du périmètre (au moins 2 QPV) : 1 = égalité.",
    decimales=2,
    proposition=True,
)
def c8_rapport_min_max(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes (≥ 2 QPVs): lowest C1 / highest C1 across QPVs
    (1 = even coverage; missing when the highest is zero)."""
    return _dispersion(t, annee, lambda g: g.min() / _non_nul(g.max()))


@indicateur(
    "C9",
    "Présence pour 1 000 habitants en veille active",
    unite="ETP pour 1 000 habitants",
    perimetres=Perimetres.VEILLE,
    definition="Par quartier de veille active : ETP annuels pour 1 000 habitants, présentés à part des QPV.",
    decimales=2,
    proposition=True,
)
def c9_etp_pour_mille_veille(t: Territoire, annee: int) -> pd.Series:
    """Per quartier de veille active: annual ETP per 1,000 inhabitants (shown apart from QPVs)."""
    codes = t.quartiers_actifs(annee, "veille_active")["code_qpv"]
    etp = _etp_par_quartier(t, annee).reindex(codes, fill_value=0)
    return rapport(etp, _population(t, codes)) * 1000
