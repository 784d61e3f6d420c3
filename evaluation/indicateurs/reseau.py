"""Network and coordination: meetings (R1 and beyond), co-piloting, schemes present, tools (N1–N5).

A commune's meetings are those whose `perimetre` is the commune; the agglomeration's are all
of the territory's (its own and its communes'), as for R1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import DISPOSITIFS, INSTANCES, SOURCES_REMONTEES, STATUTS_OUTIL
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import compter_par_perimetre_communal, memo, par_perimetre_communal
from evaluation.indicateurs.registre import Perimetres, indicateur

COPILOTAGE_COMPLET = {"prefecture", "ville", "agglomeration"}


def _reunions_reseau(r: pd.DataFrame) -> pd.DataFrame:
    return r[r["instance"] == "reseau_acteurs"]


def _elements(serie: pd.Series) -> pd.Series:
    return serie.fillna("").map(lambda v: set(filter(None, v.split("|"))))


def copilotees_par_la_fiche(reunions: pd.DataFrame) -> pd.DataFrame:
    """The network meetings (`reseau_acteurs`) whose co-piloting holds the Préfecture, the city
    and the agglomeration: the meetings the sheet's R1 counts."""
    r = _reunions_reseau(reunions)
    return r[_elements(r["copilotage"]).map(COPILOTAGE_COMPLET.issubset).astype(bool)]


@indicateur(
    "N1",
    "Réunions par instance",
    lit=("reunions",),
    unite="réunions",
    perimetres=Perimetres.COMMUNES,
    definition="Réunions de l'année par instance (réseau des acteurs, CLSPD, cellule de veille, GUP, autre) : pour une commune, celles dont le périmètre est la commune ; pour l'agglomération, toutes.",
    proposition=True,
    cles=INSTANCES,
)
def n1_reunions_par_instance(t: Territoire, annee: int) -> pd.DataFrame:
    """Meetings per instance (columns): agglomeration and communes."""
    return compter_par_perimetre_communal(
        t, annee, t.annee(annee).reunions, "instance", INSTANCES, "perimetre"
    )


@indicateur(
    "N2",
    "Réunions du réseau copilotées",
    lit=("reunions",),
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition="Part des réunions du réseau des acteurs copilotées à la fois par la Préfecture, la ville et l'agglomération, comme le demande la fiche.",
    proposition=True,
    pourcentage=True,
    base="N1.reseau_acteurs",
)
def n2_part_copilotees(t: Territoire, annee: int) -> pd.Series:
    """Share of network meetings (reseau_acteurs) co-piloted by the Préfecture, the city and
    the agglomeration together, as the sheet asks (missing when there is no meeting)."""
    r = _reunions_reseau(t.annee(annee).reunions)
    r = r.assign(complet=_elements(r["copilotage"]).map(COPILOTAGE_COMPLET.issubset).astype(bool))
    return par_perimetre_communal(t, annee, r, lambda g: g["complet"].mean(), vide=np.nan).astype(float)


@indicateur(
    "N3",
    "Participants par réunion du réseau",
    lit=("reunions",),
    unite="participants",
    perimetres=Perimetres.COMMUNES,
    definition="Nombre moyen de participants aux réunions du réseau des acteurs.",
    decimales=1,
    proposition=True,
)
def n3_participants_moyens(t: Territoire, annee: int) -> pd.Series:
    """Mean number of participants in network meetings (missing when there is no meeting)."""
    r = _reunions_reseau(t.annee(annee).reunions)
    r = r.assign(participants=r["participants"].astype(float))
    return par_perimetre_communal(t, annee, r, lambda g: g["participants"].mean(), vide=np.nan).astype(float)


@indicateur(
    "N4",
    "Présence des dispositifs aux réunions du réseau",
    lit=("reunions",),
    unite="%",
    perimetres=Perimetres.COMMUNES,
    definition=(
        "Par dispositif : part des réunions du réseau des acteurs où il était présent (non calculé quand "
        "les dispositifs présents ne sont renseignés pour aucune réunion de l'année)."
    ),
    proposition=True,
    pourcentage=True,
    cles=SOURCES_REMONTEES,
)
def n4_presence_des_dispositifs(t: Territoire, annee: int) -> pd.DataFrame:
    """Share of network meetings each scheme (columns) attended: agglomeration and communes;
    missing when no meeting of the year gives its schemes (the optional column left out: no
    scheme is then « absent »), an empty cell beside filled ones meaning none was present."""
    r = _reunions_reseau(t.annee(annee).reunions)
    presents = _elements(r["dispositifs_presents"])
    jamais_renseigne = t.annee(annee).reunions["dispositifs_presents"].isna().all()
    colonnes = {
        x: presents.map(lambda s, x=x: x in s).astype(float) * (np.nan if jamais_renseigne else 1.0)
        for x in DISPOSITIFS
    }
    r = pd.DataFrame({"perimetre": r["perimetre"], **colonnes})
    parts = par_perimetre_communal(t, annee, r, lambda g: g[list(DISPOSITIFS)].mean(), vide=np.nan)
    return parts.reindex(columns=list(DISPOSITIFS)).astype(float)


def matrice_dispositifs_instances(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """Meetings attended by each scheme (rows) per instance (columns): the commune's meetings
    (whose perimetre is the commune), or all of them."""
    presences = _presences(t, annee)
    if commune is not None:
        presences = presences[presences["perimetre"] == commune]
    return (
        presences.groupby(["dispositif", "instance"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=list(DISPOSITIFS), columns=list(INSTANCES), fill_value=0)
        .astype(int)
        .rename_axis(index=None, columns=None)
    )


@memo
def _presences(t: Territoire, annee: int) -> pd.DataFrame:
    """One row per meeting and scheme present (perimetre, instance, dispositif)."""
    r = t.annee(annee).reunions
    presents = _elements(r["dispositifs_presents"]).map(sorted).explode().dropna()
    return pd.DataFrame(
        {
            "perimetre": r["perimetre"].loc[presents.index].to_numpy(),
            "instance": r["instance"].loc[presents.index].to_numpy(),
            "dispositif": presents.to_numpy(),
        }
    )


@indicateur(
    "N5",
    "Outils du réseau par statut",
    lit=("outils",),
    unite="outils",
    perimetres=Perimetres.COMMUNES,
    definition="Outils de l'année par statut (en projet, en service, abandonné).",
    proposition=True,
    cles=STATUTS_OUTIL,
)
def n5_outils_par_statut(t: Territoire, annee: int) -> pd.DataFrame:
    """Network tools per status (columns): a commune's tools are those of its perimetre; the
    agglomeration's are all."""
    return compter_par_perimetre_communal(
        t, annee, t.annee(annee).outils, "statut", STATUTS_OUTIL, "perimetre"
    )


ORDRE_DES_STATUTS = {"en_service": 0, "en_projet": 1, "abandonne": 2}  # lists: in service first


def liste_des_outils(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """The year's tools (all statuses), of the commune or of the whole territory: those in
    service first, then those planned, then those abandoned; by type and name within each."""
    o = t.annee(annee).outils
    if commune is not None:
        o = o[o["perimetre"] == commune]
    rang = o["statut"].map(ORDRE_DES_STATUTS).fillna(len(ORDRE_DES_STATUTS))
    return (
        o.assign(_rang=rang)
        .sort_values(["_rang", "type", "nom"])
        .drop(columns="_rang")
        .reset_index(drop=True)
    )
