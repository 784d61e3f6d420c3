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
from evaluation.formats import arrondi
from evaluation.indicateurs.base import (
    cumuler_qpv,
    etp_annuel,
    memo,
    par_perimetre_communal,
    par_qpv,
    rapport,
)
from evaluation.indicateurs.realisation import etp_du_dispositif
from evaluation.indicateurs.registre import Perimetres, indicateur

DECIMALES_C1 = 2  # C1 is shown, compared and judged to the hundredth


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
    lit=("postes",),
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
    lit=("postes",),
    par_dispositif=True,
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
    lit=("postes",),
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
    lit=("postes",),
    unite="QPV",
    perimetres=Perimetres.COMMUNES,
    definition="Nombre de QPV du périmètre sans aucun ETP annuel.",
    proposition=True,
)
def c4_qpv_sans_presence(t: Territoire, annee: int) -> pd.Series:
    """Agglomeration and communes: number of QPVs with no annual ETP at all."""
    etp = par_qpv(t, annee, _etp_par_quartier(t, annee))
    return cumuler_qpv(t, annee, (etp <= 0).astype(float), qpv=False)


def seuil_depuis(c3_agglomeration: float, parametres) -> float:
    """The under-served threshold from the agglomeration's C3 (all active QPVs together):
    `seuil_sous_dotation` (territoire.yml, default 0.75) × C3. The one rule, for the
    indicators (C5) and for the pages that say the threshold (from the published C3)."""
    return c3_agglomeration * float(parametres["seuil_sous_dotation"])


def seuil_sous_dotation(t: Territoire, annee: int) -> float:
    """The under-served threshold in ETP per 1,000 inhabitants (`seuil_depuis`)."""
    codes = t.quartiers_actifs(annee, "qpv")["code_qpv"].tolist()
    return seuil_depuis(etp_pour_mille_ensemble(t, annee, codes), t.parametres)


@indicateur(
    "C5",
    "QPV sous-doté",
    lit=("postes",),
    sur_toute_l_agglomeration=True,
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


ATTEINT, NON_ATTEINT = 1.0, 0.0
# What the sheet expects of a QPV by last year's C5 (1: under-served), said by the coverage
# table and by the proposals' reasons alike.
ATTENDU = {1.0: "hausse attendue", 0.0: "maintien attendu"}


@indicateur(
    "C10",
    "Objectif 1 de la fiche, par QPV",
    lit=("postes",),
    unite="atteint = 1",
    perimetres=Perimetres.QPV,
    definition=(
        "Par QPV actif l'année précédente, la règle de la fiche (« augmenter dans les territoires sous-dotés et "
        "maintenir dans les autres ») appliquée à son statut de l'année précédente : 1 si C1 a augmenté pour un "
        "QPV sous-doté l'année précédente (C5), ou s'est maintenu ou a augmenté pour un autre QPV, 0 sinon ; C1 "
        "comparé tel qu'il est affiché (au centième), sans tolérance : une baisse de 0,01 n'est pas un maintien ; "
        "sans valeur pour un QPV entrant (pas de comparaison)."
    ),
    proposition=True,
)
@memo
def c10_objectif_de_presence(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: the sheet's objective 1 judged against last year's status — 1 met, 0 missed,
    missing for a QPV absent last year (or a year without the previous one)."""
    maintenant = c1_etp_pour_mille_habitants(t, annee)
    if annee - 1 not in t.annees:
        return pd.Series(np.nan, index=maintenant.index)
    avant = c1_etp_pour_mille_habitants(t, annee - 1).reindex(maintenant.index)
    sous_dote = c5_sous_dote(t, annee - 1).reindex(maintenant.index)

    def affiche(s: pd.Series) -> pd.Series:
        return s.map(lambda v: arrondi(v, DECIMALES_C1) if pd.notna(v) else np.nan)

    maintenant, avant = affiche(maintenant), affiche(avant)
    atteint = (maintenant > avant).where(sous_dote == 1, maintenant >= avant)
    return atteint.astype(float).where(avant.notna() & maintenant.notna())


def _finis(postes: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The posts of `postes` that ended during `annee`, before 31 December (vacant ones aside)."""
    fin = pd.Timestamp(annee, 12, 31)
    return postes[postes["date_fin"].notna() & (postes["date_fin"] < fin) & (postes["vacant"] == "non")]


def postes_sortis_ou_vacants(t: Territoire, annee: int) -> pd.DataFrame:
    """Per QPV: posts that ended in the year before 31 December (`finis`), posts vacant
    (`vacants`), and posts that ended during the year before (`finis_avant`: present part of
    last year, absent from this one, they lower presence this year too), counted once per post:
    what the data say of a fall of presence."""
    p = t.annee(annee).postes
    avant = _finis(t.annee(annee - 1).postes, annee - 1) if annee - 1 in t.annees else p.iloc[:0]
    return (
        pd.DataFrame(
            {
                "finis": _finis(p, annee).groupby("code_qpv")["id_poste"].nunique(),
                "vacants": p[p["vacant"] == "oui"].groupby("code_qpv")["id_poste"].nunique(),
                "finis_avant": avant.groupby("code_qpv")["id_poste"].nunique(),
            },
            columns=["finis", "vacants", "finis_avant"],
        )
        .fillna(0)
        .astype(int)
    )


@indicateur(
    "C11",
    "Adultes-relais en ETP annuels",
    lit=("postes",),
    dispositifs=("adulte_relais",),
    unite="ETP annuels",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "ETP annuels des postes d'adultes-relais de l'année (ETP × jours d'activité / jours de l'année, postes "
        "vacants exclus), à côté de R2 qui compte les postes en exercice au 31 décembre ; dénominateur de F5."
    ),
    decimales=1,
    proposition=True,
)
def c11_etp_adultes_relais(t: Territoire, annee: int) -> pd.Series:
    """Annual ETP of the year's adulte-relais posts, per commune and for the agglomeration."""
    return etp_du_dispositif(t, annee, "adulte_relais")


@indicateur(
    "C6",
    "QPV sous-dotés",
    lit=("postes",),
    sur_toute_l_agglomeration=True,
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
    lit=("postes",),
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
    lit=("postes",),
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
    lit=("postes",),
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
