"""Organisation of presence from the weekly slots (`plages`): H1–H5.

The sheet's realisations: share « les modes de présence », « l'organisation de cette présence
(lieu d'intervention, horaires…) ». A slot counts for the non-vacant posts of the year,
weighted by the share of the year the post is active, so that the figures are average
weekly hours over the year (a post active six months counts half its slots).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.donnees.contrat import DISPOSITIFS, JOURS, LIEUX, SOURCES_REMONTEES
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.base import cumuler, jours_actifs, memo, rapport
from evaluation.indicateurs.registre import Perimetres, indicateur

SOIREE = 19 * 60  # evening starts at 19:00
WEEKEND = ("samedi", "dimanche")


def _minutes(hhmm: pd.Series) -> pd.Series:
    return hhmm.str.slice(0, 2).astype(int) * 60 + hhmm.str.slice(3, 5).astype(int)


@memo
def plages_de_l_annee(t: Territoire, annee: int) -> pd.DataFrame:
    """Slots of non-vacant posts with: heures (weighted length), soiree (weighted hours after
    19:00), weekend (bool), dispositif, poids (share of the year the post is active)."""
    d = t.annee(annee)
    postes = d.postes[d.postes["vacant"] == "non"]
    jours_annee = 366 if pd.Timestamp(annee, 12, 31).is_leap_year else 365
    poids = (
        (jours_actifs(postes, annee) / jours_annee).groupby([postes["id_poste"], postes["code_qpv"]]).max()
    )
    dispositif = postes.groupby("id_poste")["dispositif"].first()
    p = d.plages.merge(poids.rename("poids").reset_index(), on=["id_poste", "code_qpv"], how="inner")
    debut, fin = _minutes(p["debut"]), _minutes(p["fin"])
    return p.assign(
        dispositif=p["id_poste"].map(dispositif),
        heures=(fin - debut) / 60 * p["poids"],
        soiree=(fin - debut.clip(lower=SOIREE)).clip(lower=0) / 60 * p["poids"],
        weekend=p["jour"].isin(WEEKEND),
    )


@indicateur(
    "H1",
    "Heures de présence par semaine",
    lit=("postes", "plages"),
    unite="heures par semaine",
    perimetres=Perimetres.TOUS,
    definition="Somme des durées des plages hebdomadaires des postes non vacants, chaque poste pondéré par la part de l'année où il est actif (moyenne hebdomadaire sur l'année).",
    proposition=True,
)
@memo
def h1_heures_hebdomadaires(t: Territoire, annee: int) -> pd.Series:
    """Average weekly hours of presence: agglomeration, communes, QPVs."""
    p = plages_de_l_annee(t, annee)
    return cumuler(t, annee, p.groupby("code_qpv")["heures"].sum())


@indicateur(
    "H2",
    "Heures de présence par semaine, par dispositif",
    lit=("postes", "plages"),
    par_dispositif=True,
    unite="heures par semaine",
    perimetres=Perimetres.TOUS,
    definition="H1 réparti par dispositif.",
    proposition=True,
    cles=SOURCES_REMONTEES,
)
def h2_heures_par_dispositif(t: Territoire, annee: int) -> pd.DataFrame:
    """Average weekly hours of presence by scheme: agglomeration, communes, QPVs."""
    p = plages_de_l_annee(t, annee)
    par = p.pivot_table(index="code_qpv", columns="dispositif", values="heures", aggfunc="sum", fill_value=0)
    return cumuler(t, annee, par.reindex(columns=list(DISPOSITIFS), fill_value=0.0))


@indicateur(
    "H3",
    "Part des heures en soirée",
    lit=("postes", "plages"),
    unite="%",
    perimetres=Perimetres.TOUS,
    definition="Part des heures de H1 situées après 19 h.",
    proposition=True,
    pourcentage=True,
)
def h3_part_soiree(t: Territoire, annee: int) -> pd.Series:
    """Share of weekly hours after 19:00: agglomeration, communes, QPVs (missing if no hours)."""
    p = plages_de_l_annee(t, annee)
    return rapport(
        cumuler(t, annee, p.groupby("code_qpv")["soiree"].sum()), h1_heures_hebdomadaires(t, annee)
    )


@indicateur(
    "H4",
    "Part des heures le week-end",
    lit=("postes", "plages"),
    unite="%",
    perimetres=Perimetres.TOUS,
    definition="Part des heures de H1 le samedi et le dimanche.",
    proposition=True,
    pourcentage=True,
)
def h4_part_weekend(t: Territoire, annee: int) -> pd.Series:
    """Share of weekly hours on Saturday and Sunday: agglomeration, communes, QPVs."""
    p = plages_de_l_annee(t, annee)
    weekend = p[p["weekend"]].groupby("code_qpv")["heures"].sum()
    return rapport(cumuler(t, annee, weekend), h1_heures_hebdomadaires(t, annee))


@indicateur(
    "H5",
    "Heures de présence par semaine, par type de lieu",
    lit=("postes", "plages"),
    unite="heures par semaine",
    perimetres=Perimetres.TOUS,
    definition="H1 réparti par type de lieu (rue, halls d'immeuble, local, établissements scolaires…).",
    proposition=True,
    cles=LIEUX,
)
def h5_heures_par_lieu(t: Territoire, annee: int) -> pd.DataFrame:
    """Average weekly hours by kind of place: agglomeration, communes, QPVs."""
    p = plages_de_l_annee(t, annee)
    par = p.pivot_table(index="code_qpv", columns="lieu", values="heures", aggfunc="sum", fill_value=0)
    return cumuler(t, annee, par.reindex(columns=list(LIEUX), fill_value=0.0))


def grille_hebdomadaire(t: Territoire, annee: int, codes: list[str]) -> pd.DataFrame:
    """Weekly hours of presence in the neighbourhoods `codes` by weekday (rows, Monday first)
    and hour of the day (columns 0–23), slots split across the hours they cover."""
    p = plages_de_l_annee(t, annee)
    par_quartier = t.memo(("plages_par_quartier", annee), lambda: p.groupby("code_qpv", sort=False).indices)
    vide = np.empty(0, dtype=int)
    lignes = np.sort(np.concatenate([vide, *(par_quartier.get(c, vide) for c in set(codes))]))
    heures = _heures_par_plage(t, annee).iloc[lignes]
    jours = p["jour"].to_numpy()[lignes]
    return heures.groupby(jours).sum().reindex(index=list(JOURS), fill_value=0.0).astype(float)


@memo
def _heures_par_plage(t: Territoire, annee: int) -> pd.DataFrame:
    """Each slot's weighted hours within each hour of the day (columns 0–23)."""
    p = plages_de_l_annee(t, annee)
    debut, fin = _minutes(p["debut"]).to_numpy(), _minutes(p["fin"]).to_numpy()
    return pd.DataFrame(
        {
            heure: (np.minimum(fin, (heure + 1) * 60) - np.maximum(debut, heure * 60)).clip(min=0) / 60
            for heure in range(24)
        },
        index=p.index,
    ).mul(p["poids"], axis=0)
