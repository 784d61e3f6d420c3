"""The year's actions as facts, for the account décret 2015-1118 asks of the yearly report:
posts created and ended, tools put in service, meetings held by instance.

These are lists, not indicators: each row is one post, one tool or one meeting of the data,
so that a page can say what was done, where and when, beside the counts of the published
table. A commune's rows are its own (posts of the commune, tools and meetings whose perimeter
is the commune); the agglomeration's are all of the territory's.
"""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.contrat import AGGLOMERATION, INSTANCES
from evaluation.donnees.territoire import Territoire

CREE, TERMINE = "créé", "terminé"


def mouvements_de_postes(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """One row per post created (its start date in the year) or ended (its end date in the year,
    before 31 December), vacant posts left out: `mouvement` (CREE or TERMINE), `date`,
    `dispositif`, `structure`, `commune`, `quartiers` (the codes it serves, in order), `etp`
    (the post's ETP, its rows summed), `entrants` (the codes it serves that entered the list
    after the first year of the data). Sorted by date, then scheme and structure."""
    p = t.annee(annee).postes
    p = p[p["vacant"] == "non"]
    if commune is not None:
        p = p[p["commune"] == commune]
    premiere = min(t.annees)
    entree = dict(zip(t.quartiers["code_qpv"], t.quartiers["annee_entree"], strict=True))
    fin = pd.Timestamp(annee, 12, 31)
    lignes = []
    for mouvement, colonne, garde in (
        (CREE, "date_debut", lambda d: d.dt.year == annee),
        (TERMINE, "date_fin", lambda d: (d.dt.year == annee) & (d < fin)),
    ):
        choisis = p[p[colonne].notna() & garde(p[colonne])]
        for _, g in choisis.groupby("id_poste", sort=False):
            codes = tuple(sorted(g["code_qpv"].unique()))
            lignes.append(
                {
                    "mouvement": mouvement,
                    "date": g[colonne].iloc[0],
                    "dispositif": g["dispositif"].iloc[0],
                    "structure": g["structure"].iloc[0],
                    "commune": g["commune"].iloc[0],
                    "quartiers": codes,
                    "etp": float(g["etp"].sum()),
                    "entrants": tuple(c for c in codes if entree.get(c, premiere) > premiere),
                }
            )
    colonnes = ["mouvement", "date", "dispositif", "structure", "commune", "quartiers", "etp", "entrants"]
    if not lignes:
        return pd.DataFrame(columns=colonnes)
    return (
        pd.DataFrame(lignes, columns=colonnes)
        .sort_values(["date", "dispositif", "structure"])
        .reset_index(drop=True)
    )


def outils_mis_en_service(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """The tools put in service in the year — the sheet's « création d'outils » (R5): their
    date of putting in service falls in the year, whether still in service at its end or
    abandoned since (`nom`, `type`, `perimetre`, `date_mise_en_service`), by date."""
    o = t.annee(annee).outils
    if commune is not None:
        o = o[o["perimetre"] == commune]
    o = o[(o["statut"] != "en_projet") & (o["date_mise_en_service"].dt.year == annee)]
    return (
        o[["nom", "type", "perimetre", "date_mise_en_service"]]
        .sort_values(["date_mise_en_service", "nom"])
        .reset_index(drop=True)
    )


def reunions_de_l_annee(t: Territoire, annee: int, commune: str | None = None) -> pd.DataFrame:
    """The year's meetings (`instance`, `perimetre`, `date`), by instance (in the contract's
    order), date and perimeter; a commune's are those whose perimeter is the commune."""
    r = t.annee(annee).reunions
    if commune is not None:
        r = r[r["perimetre"] == commune]
    ordre = {AGGLOMERATION: ""}  # the agglomeration's own meetings before its communes'
    return (
        r[["instance", "perimetre", "date"]]
        .assign(
            _instance=r["instance"].map(INSTANCES.index), _ordre=r["perimetre"].map(lambda p: ordre.get(p, p))
        )
        .sort_values(["_instance", "date", "_ordre"])
        .drop(columns=["_instance", "_ordre"])
        .reset_index(drop=True)
    )
