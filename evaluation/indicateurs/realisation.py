"""The sheet's five realisation indicators, R1–R5."""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.actions import outils_mis_en_service
from evaluation.indicateurs.base import (
    agglomeration_et_communes,
    en_poste_au_31_decembre,
    etp_annuel,
    memo,
    par_qpv,
)
from evaluation.indicateurs.registre import Perimetres, indicateur
from evaluation.indicateurs.reseau import copilotees_par_la_fiche


@indicateur(
    "R1",
    "Réunions copilotées du réseau des acteurs de terrain",
    lit=("reunions",),
    unite="réunions",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "Nombre de réunions de l'ensemble des acteurs de terrain « sous copilotage de la Préfecture, des chefs de "
        "projet villes et chargé de mission agglomération », comme le dit la fiche : réunions de l'instance « réseau "
        "des acteurs de terrain » dont le copilotage réunit la Préfecture, la ville et l'agglomération ; pour une "
        "commune, celles dont le périmètre est la commune ; pour l'agglomération, toutes celles du territoire. "
        "Toutes les réunions du réseau, copilotées ou non, sont comptées à part (N1, réseau des acteurs)."
    ),
)
def r1_reunions_reseau(t: Territoire, annee: int) -> pd.Series:
    """Network meetings (`reseau_acteurs`) co-piloted by the Préfecture, the city and the
    agglomeration together, as the sheet defines R1: per commune those whose perimetre is that
    commune; for the agglomeration, all of the territory's."""
    r = copilotees_par_la_fiche(t.annee(annee).reunions)
    return agglomeration_et_communes(t, annee, r.groupby("perimetre").size(), len(r))


@indicateur(
    "R2",
    "Adultes-relais en exercice",
    lit=("postes",),
    dispositifs=("adulte_relais",),
    unite="postes",
    perimetres=Perimetres.COMMUNES,
    definition="Nombre de postes d'adultes-relais distincts, non vacants, actifs au 31 décembre, comptés dans chaque commune où le poste a une ligne et une fois pour l'agglomération.",
)
@memo
def r2_adultes_relais(t: Territoire, annee: int) -> pd.Series:
    """Distinct non-vacant adulte_relais posts active on 31 December, per commune of the
    post's rows and for the agglomeration."""
    p = en_poste_au_31_decembre(t.annee(annee).postes, annee, "adulte_relais")
    par_commune = p.groupby("commune")["id_poste"].nunique()
    return agglomeration_et_communes(t, annee, par_commune, p["id_poste"].nunique())


@indicateur(
    "R3",
    "Correspondants de quartier",
    lit=("postes",),
    dispositifs=("correspondant_quartier",),
    unite="postes",
    perimetres=Perimetres.QPV,
    definition="Par QPV : nombre de postes de correspondants de quartier distincts, non vacants, actifs au 31 décembre, ayant une ligne pour ce quartier.",
)
def r3_correspondants_quartier(t: Territoire, annee: int) -> pd.Series:
    """Per QPV: distinct non-vacant correspondant_quartier posts active on 31 December
    with a row for that QPV."""
    p = en_poste_au_31_decembre(t.annee(annee).postes, annee, "correspondant_quartier")
    return par_qpv(t, annee, p.groupby("code_qpv")["id_poste"].nunique())


@indicateur(
    "R4",
    "Moyens de la prévention spécialisée",
    lit=("postes",),
    dispositifs=("educateur_prevention",),
    unite="ETP annuels",
    perimetres=Perimetres.COMMUNES,
    definition="ETP annuels des postes d'éducateurs de prévention spécialisée : ETP × jours d'activité dans l'année / jours de l'année, postes vacants exclus.",
    decimales=1,
)
def r4_etp_prevention(t: Territoire, annee: int) -> pd.Series:
    """Annual ETP of educateur_prevention posts, per commune and for the agglomeration."""
    return etp_du_dispositif(t, annee, "educateur_prevention")


def etp_du_dispositif(t: Territoire, annee: int, dispositif: str) -> pd.Series:
    """Annual ETP of a scheme's posts (vacant ones count for nothing), per commune of the
    posts' rows and for the agglomeration."""
    p = t.annee(annee).postes
    p = p[p["dispositif"] == dispositif].assign(etp_annuel=lambda d: etp_annuel(d, annee))
    return agglomeration_et_communes(
        t, annee, p.groupby("commune")["etp_annuel"].sum(), p["etp_annuel"].sum()
    )


@indicateur(
    "R5",
    "Outils du réseau créés",
    lit=("outils",),
    unite="outils",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "Nombre d'outils créés dans l'année, comme le dit la fiche (« création d'outils spécifiques au service du "
        "réseau des acteurs de terrain ») : outils dont la date de mise en service tombe dans l'année, qu'ils soient "
        "encore en service en fin d'année ou abandonnés depuis ; pour une commune, ceux dont le périmètre est la "
        "commune ; pour l'agglomération, tous. Un outil sans date de mise en service n'est pas compté. Les outils "
        "en service en fin d'année sont comptés à part (N5, en service)."
    ),
)
def r5_outils_crees(t: Territoire, annee: int) -> pd.Series:
    """Tools put in service in the year (`actions.outils_mis_en_service`), per commune
    (perimetre) and for the agglomeration (all)."""
    o = outils_mis_en_service(t, annee)
    return agglomeration_et_communes(t, annee, o.groupby("perimetre").size(), len(o))


def adultes_relais_hors_r2(t: Territoire, annee: int) -> int:
    """Adulte-relais posts declared in the year but not counted by R2 (vacant, or not
    active on 31 December): they explain part of a gap with ANCT's yearly count."""
    p = t.annee(annee).postes
    p = p[p["dispositif"] == "adulte_relais"]
    comptes = set(en_poste_au_31_decembre(p, annee, "adulte_relais")["id_poste"])
    return len(set(p["id_poste"]) - comptes)
