"""Funding (« financements mobilisables »): F1–F8.

A commune's funding lines are those whose perimetre is the commune or one of its
neighbourhoods; the agglomeration's are all lines.

The politique de la ville's specific credits (F8) are, by convention, every line funded by
the State through ANCT (formerly CGET; funder `etat_anct`), whatever its scheme, and every
line for the délégués du préfet (`delegue_prefet`), whatever the funder declared: the sheet
names « les crédits du CGET pour les adultes relais et les délégués du Préfet ». Every other
line (FIPD — a State fund, but not the politique de la ville's —, Département, cities,
social landlords, GUP, other) is droit commun or other funding.
"""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.anct import annees_partielles
from evaluation.donnees.contrat import DISPOSITIFS, FINANCEURS, SOURCES_REMONTEES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import (
    etp_annuel,
    par_perimetre_communal,
    perimetres_communaux,
    rapport,
    sommer_par_perimetre_communal,
)
from evaluation.indicateurs.realisation import etp_du_dispositif
from evaluation.indicateurs.registre import Perimetres, indicateur
from evaluation.references import AIDE_ADULTE_RELAIS

# F8's keys: the politique de la ville's specific credits, and the rest.
GROUPES_DE_CREDITS = ("credits_specifiques", "droit_commun")

CREDITS_SPECIFIQUES = (
    "Sont comptés comme crédits spécifiques de la politique de la ville les montants de l'État versés par "
    "l'ANCT (financeur « État (ANCT) »), quel que soit le dispositif (adultes-relais, délégués du préfet ou "
    "autre action), et tout montant déclaré pour les délégués du préfet, quel que soit son financeur : la fiche "
    "cite parmi les financements mobilisables « les crédits du CGET pour les adultes relais et les délégués du "
    "Préfet », le CGET étant devenu l'ANCT. Les autres montants — FIPD (fonds de l'État qui ne relève pas de la "
    "politique de la ville), Département, villes, bailleurs sociaux, GUP et autres financeurs — forment le droit "
    "commun et les autres financements."
)


def groupe_de_credits(financements: pd.DataFrame) -> pd.Series:
    """Each funding line's group (GROUPES_DE_CREDITS): « credits_specifiques » for the State's
    lines through ANCT and every line for the délégués du préfet, « droit_commun » otherwise."""
    specifique = financements["financeur"].eq("etat_anct") | financements["dispositif"].eq("delegue_prefet")
    return specifique.map({True: GROUPES_DE_CREDITS[0], False: GROUPES_DE_CREDITS[1]})


def _montants(t: Territoire, annee: int, colonne: str, valeurs: tuple[str, ...]) -> pd.DataFrame:
    f = t.annee(annee).financements
    return sommer_par_perimetre_communal(t, annee, f, "montant_eur", colonne, valeurs, "perimetre")


@indicateur(
    "F1",
    "Financements par financeur",
    lit=("financements",),
    unite="euros",
    perimetres=Perimetres.COMMUNES,
    definition="Montants déclarés par financeur : pour une commune, les lignes de la commune et de ses quartiers ; pour l'agglomération, toutes.",
    proposition=True,
    cles=FINANCEURS,
)
def f1_montants_par_financeur(t: Territoire, annee: int) -> pd.DataFrame:
    """Amounts in euros per funder (columns): agglomeration and communes."""
    return _montants(t, annee, "financeur", FINANCEURS)


@indicateur(
    "F2",
    "Financements par dispositif",
    lit=("financements",),
    unite="euros",
    perimetres=Perimetres.COMMUNES,
    definition="Montants déclarés par dispositif.",
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def f2_montants_par_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Amounts in euros per scheme (columns): agglomeration and communes."""
    return _montants(t, annee, "dispositif", DISPOSITIFS)


@indicateur(
    "F3",
    "Part de chaque financeur",
    lit=("financements",),
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part du montant total apportée par chaque financeur.",
    proposition=True,
    pourcentage=True,
    cles=FINANCEURS,
)
def f3_part_par_financeur(t: Territoire, annee: int) -> pd.DataFrame:
    """Share of the total amount brought by each funder."""
    m = f1_montants_par_financeur(t, annee)
    return rapport(m, m.sum(axis=1))


@indicateur(
    "F4",
    "Coût par ETP annuel",
    lit=("postes", "financements"),
    par_dispositif=True,
    unite="euros par ETP",
    perimetres=Perimetres.COMMUNES,
    definition="Par dispositif : montant déclaré divisé par les ETP annuels du dispositif dans le périmètre.",
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def f4_cout_par_etp(t: Territoire, annee: int) -> pd.DataFrame:
    """Amount per annual ETP, per scheme (missing when the scheme has no ETP there)."""
    p = t.annee(annee).postes.assign(etp_annuel=lambda d: etp_annuel(d, annee))
    etp = sommer_par_perimetre_communal(t, annee, p, "etp_annuel", "dispositif", DISPOSITIFS, "code_qpv")
    montants = f2_montants_par_dispositif(t, annee)
    return (montants / etp.where(etp > 0)).astype(float)


@indicateur(
    "F5",
    "Aide de l'État par adulte-relais",
    lit=("postes", "financements"),
    dispositifs=("adulte_relais",),
    unite="euros par ETP annuel",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "Montants de l'État (ANCT) pour les adultes-relais de l'année divisés par les ETP annuels des postes "
        "d'adultes-relais de l'année (C11) : un flux rapporté au même flux, et non aux postes en exercice au "
        "31 décembre (R2), que les postes terminés dans l'année gonfleraient."
    ),
    proposition=True,
)
def f5_aide_etat_par_adulte_relais(t: Territoire, annee: int) -> pd.Series:
    """State funding (etat_anct) of adulte-relais lines per annual ETP of the year's
    adulte-relais posts (C11)."""
    f = t.annee(annee).financements
    f = f[(f["dispositif"] == "adulte_relais") & (f["financeur"] == "etat_anct")]
    montants = par_perimetre_communal(t, annee, f, lambda g: g["montant_eur"].sum()).astype(float)
    return rapport(montants, etp_du_dispositif(t, annee, "adulte_relais").reindex(montants.index))


@indicateur(
    "F6",
    "Aide par adulte-relais rapportée à l'aide nationale",
    lit=("postes", "financements"),
    dispositifs=("adulte_relais",),
    unite="rapport",
    perimetres=Perimetres.COMMUNES,
    definition="F5 divisé par l'aide de l'État par poste de l'année (ANCT : 19 875 € en 2020 à 22 811 € en 2024) ; non calculé pour une année dont l'aide nationale n'est pas connue de l'outil ou dont le fichier de l'ANCT est partiel.",
    decimales=2,
    proposition=True,
)
def f6_rapport_aide_nationale(t: Territoire, annee: int) -> pd.Series:
    """F5 divided by the year's national State aid per adulte-relais post (ANCT; missing for
    a year whose national amount is not known to the package)."""
    nationale = AIDE_ADULTE_RELAIS.get(annee)
    f5 = f5_aide_etat_par_adulte_relais(t, annee)
    if nationale is None or annee in annees_partielles(t.anct):
        return pd.Series(float("nan"), index=perimetres_communaux(t, annee))
    return f5 / nationale


@indicateur(
    "F7",
    "Financement de la prévention spécialisée par le Département",
    lit=("financements",),
    unite="euros",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "Montants déclarés par le Département pour la prévention spécialisée (éducateurs de prévention), à lire "
        "à côté de ses ETP annuels (R4)."
    ),
    proposition=True,
)
def f7_prevention_par_le_departement(t: Territoire, annee: int) -> pd.Series:
    """The Département's funding of prévention spécialisée, in euros: agglomeration and
    communes (the euros beside R4's ETP)."""
    f = t.annee(annee).financements
    f = f[(f["dispositif"] == "educateur_prevention") & (f["financeur"] == "departement")]
    return par_perimetre_communal(t, annee, f, lambda g: g["montant_eur"].sum()).astype(float)


@indicateur(
    "F8",
    "Financements par nature de crédits",
    lit=("financements",),
    unite="euros",
    perimetres=Perimetres.COMMUNES,
    definition="Montants déclarés répartis en deux groupes. " + CREDITS_SPECIFIQUES,
    proposition=True,
    cles=GROUPES_DE_CREDITS,
)
def f8_credits_specifiques_et_droit_commun(t: Territoire, annee: int) -> pd.DataFrame:
    """Amounts in euros of the specific credits and of the rest (columns, GROUPES_DE_CREDITS):
    agglomeration and communes; the two add up to F1's total."""
    f = t.annee(annee).financements
    f = f.assign(groupe=groupe_de_credits(f))
    return sommer_par_perimetre_communal(
        t, annee, f, "montant_eur", "groupe", GROUPES_DE_CREDITS, "perimetre"
    )
