"""The sheet's calendar: « objectifs à réactualiser chaque année ».

`scorer` judges the year's targets of `objectifs.csv`; `proposer` drafts next year's targets
by the rules below, each with its reason, in the `objectifs.csv` format so that an officer
reviews them and appends them to the raw file themselves.

Proposal rules (Fiche 4.2.2, « Objectifs et dynamiques » and « Indicateurs de réalisation »):

- C1, per QPV: a *sous-doté* QPV (C1 below `seuil_sous_dotation` × the C1 of all QPVs
  together) gets « au moins » min(threshold, C1 + `pas_objectif_c1`); any other QPV keeps at
  least this year's value.
- R3, per QPV: a QPV with correspondants de quartier keeps at least as many; an *entrant*
  QPV (entered after the first year of the 2015 list) without one gets « au moins 1 ».
- R2, agglomeration: at least this year's number of adultes-relais.
- R1, per commune: at least max(this year's meetings, `reunions_reseau_minimum`).
- R4, agglomeration: at least this year's ETP of prévention spécialisée.
- R5, agglomeration: at least this year's tools in service.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.donnees.territoire import Territoire
from evaluation.formats import nombre, pourcentage
from evaluation.indicateurs import Perimetres, indicateur_de, tableau
from evaluation.indicateurs.couverture import seuil_sous_dotation
from evaluation.io import ecrire_csv_atomique

ATTEINT, NON_ATTEINT, NON_MESURABLE = "atteint", "non atteint", "non mesurable"
COLONNES_OBJECTIFS = ["annee", "indicateur", "perimetre", "cible", "sens"]


def scorer(t: Territoire, annee: int, valeurs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each target of `annee`: its value, status (atteint / non atteint / non mesurable),
    gap (valeur − cible) and, when not measurable, why."""
    valeurs = tableau(t, [annee]) if valeurs is None else valeurs[valeurs["annee"] == annee]
    par_cle = valeurs.set_index(["indicateur", "perimetre"])["valeur"].to_dict()
    objectifs = t.objectifs[t.objectifs["annee"] == annee]
    lignes = []
    for o in objectifs.itertuples():
        valeur = par_cle.get((o.indicateur, o.perimetre))
        statut, ecart, explication = NON_MESURABLE, math.nan, ""
        if valeur is None:
            explication = _pourquoi_absent(t, annee, o.indicateur, o.perimetre)
            valeur = math.nan
        elif math.isnan(valeur):
            explication = "valeur non calculable (population nulle ou absente)"
        else:
            ecart = valeur - o.cible
            ok = ecart >= -1e-9 if o.sens == "au_moins" else ecart <= 1e-9
            statut = ATTEINT if ok else NON_ATTEINT
        lignes.append(
            {
                "indicateur": o.indicateur,
                "perimetre": o.perimetre,
                "cible": float(o.cible),
                "sens": o.sens,
                "valeur": valeur,
                "statut": statut,
                "ecart": ecart,
                "explication": explication,
            }
        )
    return pd.DataFrame(
        lignes,
        columns=["indicateur", "perimetre", "cible", "sens", "valeur", "statut", "ecart", "explication"],
    )


def _pourquoi_absent(t: Territoire, annee: int, indicateur: str, perimetre: str) -> str:
    codes = set(t.quartiers["code_qpv"])
    par_qpv = indicateur_de(indicateur).perimetres is Perimetres.QPV
    if perimetre in codes:
        actif = perimetre in set(t.quartiers_actifs(annee)["code_qpv"])
        if not actif:
            return f"le quartier {perimetre} n'est pas actif en {annee}"
        if not par_qpv:
            return f"{indicateur} se calcule pour l'agglomération et les communes, pas par quartier"
        return f"{perimetre} n'est pas un QPV en {annee} (quartier de veille active)"
    if par_qpv:
        return f"{indicateur} se calcule par QPV, pas pour « {perimetre} »"
    return f"la commune {perimetre} n'a pas de QPV actif en {annee}"


def proposer(t: Territoire, annee: int, valeurs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Targets for `annee + 1` by the module's rules, with the reason of each."""
    valeurs = tableau(t, [annee]) if valeurs is None else valeurs[valeurs["annee"] == annee]
    v = valeurs.set_index(["indicateur", "perimetre"])["valeur"]
    suivante = annee + 1
    p = t.parametres
    lignes: list[dict] = []

    def ajouter(indicateur, perimetre, cible, raison):
        lignes.append(
            {
                "annee": suivante,
                "indicateur": indicateur,
                "perimetre": perimetre,
                "cible": round(float(cible), indicateur_de(indicateur).decimales),
                "sens": "au_moins",
                "raison": raison,
            }
        )

    for commune in t.communes_actives(annee):
        r1 = v[("R1", commune)]
        minimum = p["reunions_reseau_minimum"]
        raison = (
            f"structurer le réseau : au moins {nombre(minimum)} réunions par commune"
            if r1 < minimum
            else f"maintenir le rythme de {annee} ({nombre(r1)} réunions)"
        )
        ajouter("R1", commune, max(r1, minimum), raison)
    ajouter(
        "R2", AGGLOMERATION, v[("R2", AGGLOMERATION)], f"au moins les adultes-relais en exercice fin {annee}"
    )
    ajouter(
        "R4",
        AGGLOMERATION,
        _tronquer(v[("R4", AGGLOMERATION)], 1),
        f"maintenir les moyens de la prévention spécialisée de {annee}",
    )
    ajouter(
        "R5",
        AGGLOMERATION,
        v[("R5", AGGLOMERATION)],
        f"maintenir les outils du réseau en service fin {annee}",
    )

    qpv = t.quartiers_actifs(annee, "qpv")
    premiere = int(t.quartiers.loc[t.quartiers["statut"] == "qpv", "annee_entree"].min())
    for q in qpv.itertuples():
        r3 = v[("R3", q.code_qpv)]
        if r3 > 0:
            ajouter(
                "R3", q.code_qpv, r3, f"maintenir les correspondants de quartier ({nombre(r3)} fin {annee})"
            )
        elif q.annee_entree > premiere:
            ajouter(
                "R3", q.code_qpv, 1, f"quartier entrant en {q.annee_entree} sans correspondant : en créer un"
            )

    seuil = seuil_sous_dotation(t, annee)
    for q in qpv.itertuples():
        c1 = v[("C1", q.code_qpv)]
        if math.isnan(c1):
            continue
        if c1 < seuil:
            cible = min(seuil, c1 + p["pas_objectif_c1"])
            raison = (
                f"QPV sous-doté : {nombre(c1, 2)} ETP pour 1 000 habitants, sous le seuil de {nombre(seuil, 2)} "
                f"({pourcentage(p['seuil_sous_dotation'])} de l'ensemble des QPV) : hausse vers le seuil"
            )
        else:
            cible = _tronquer(c1, 2)
            raison = f"maintenir la présence ({nombre(c1, 2)} ETP pour 1 000 habitants en {annee})"
        ajouter("C1", q.code_qpv, cible, raison)
    return pd.DataFrame(lignes, columns=[*COLONNES_OBJECTIFS, "raison"])


def _tronquer(x: float, decimales: int) -> float:
    """Round down, so that « at least this year's value » is met by this year's value."""
    facteur = 10**decimales
    return math.floor(x * facteur + 1e-9) / facteur


def ecrire_propositions(propositions: pd.DataFrame, rep: Path, annee_cible: int) -> Path:
    """Write the proposal in the objectifs.csv format (no reason column) under `rep`."""
    chemin = rep / f"objectifs_proposes_{annee_cible}.csv"
    return ecrire_csv_atomique(propositions[COLONNES_OBJECTIFS], chemin)
