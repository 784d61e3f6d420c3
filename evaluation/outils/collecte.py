"""The collection campaign as it runs: one workbook per partner, pre-filled from last year,
then tracked until every partner has answered.

A partner is a `structure` of last year's posts (a landlord, an employer, a city's police,
the Département…). Its workbook holds the sheets it fills — its posts, their weekly slots and
monthly activity, and the field signals when its schemes raised some last year — pre-filled
with its posts still active at the end of last year (no `date_fin`) and their slots: a
partner updates end dates and adds new posts instead of retyping. Yearly counts (activity,
signals) are never pre-filled. Its name is in the « Lisez-moi » sheet and in the file's
properties (keywords « partenaire: … »), so that a returned file is recognised whatever its
name. Filled workbooks go to `AAAA/partenaires/`; `suivi` tells who answered what.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation import formats
from evaluation.donnees import contrat
from evaluation.donnees.territoire import Territoire, classeurs_des_partenaires

# The sheets a partner with posts fills; signals when its schemes raised some last year.
FEUILLES_DES_POSTES = ("postes", "plages", "activite")
MOT_CLE = "partenaire:"  # a partner's workbook's keywords: « partenaire: Régie Plus »
NOUVEAU = "Nouveau partenaire"


def partenaires(t: Territoire, annee: int) -> list[str]:
    """The partners of `annee` (the structures of its posts), sorted."""
    if annee not in t.annees:
        return []
    return sorted(t.annee(annee).postes["structure"].dropna().str.strip().unique())


def _postes_de(t: Territoire, annee: int, partenaire: str) -> pd.DataFrame:
    postes = t.annee(annee).postes
    return postes[postes["structure"].str.strip().str.casefold() == partenaire.strip().casefold()]


def feuilles_de(t: Territoire | None, annee: int | None, partenaire: str, toutes: bool = False) -> list[str]:
    """The sheets `partenaire` fills in the year after `annee`: its posts' (postes, plages,
    activite), and remontees when its schemes raised signals in `annee`; every yearly table
    with `toutes`, or for a partner unknown in `annee`."""
    if toutes or t is None or annee not in t.annees:
        return list(contrat.TABLES_ANNUELLES)
    postes = _postes_de(t, annee, partenaire)
    if postes.empty:
        return list(contrat.TABLES_ANNUELLES)
    feuilles = list(FEUILLES_DES_POSTES)
    if set(postes["dispositif"]) & set(t.annee(annee).remontees["source"]):
        feuilles.append("remontees")
    return [f for f in contrat.TABLES_ANNUELLES if f in feuilles]


def prerempli(t: Territoire | None, annee: int | None, partenaire: str) -> dict[str, pd.DataFrame]:
    """Last year's rows a partner finds in its workbook: its posts still active at the end of
    `annee` (no `date_fin`) and their weekly slots."""
    if t is None or annee not in t.annees:
        return {}
    postes = _postes_de(t, annee, partenaire)
    actifs = postes[postes["date_fin"].isna()]
    plages = t.annee(annee).plages
    return {
        "postes": actifs.reset_index(drop=True),
        "plages": plages[plages["id_poste"].isin(set(actifs["id_poste"]))].reset_index(drop=True),
    }


def partenaire_du_classeur(chemin: Path) -> str:
    """The partner a returned workbook belongs to: the name its properties carry (written by
    `template`), else its file name."""
    if chemin.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            classeur = openpyxl.load_workbook(chemin, read_only=True)
        except Exception:  # an unreadable file: validation says why
            return chemin.stem
        try:
            mots = classeur.properties.keywords or ""
        finally:
            classeur.close()
        if mots.startswith(MOT_CLE):
            return mots[len(MOT_CLE) :].strip()
    return chemin.stem


COLONNES_SUIVI = [
    "partenaire",
    "fichier",
    "recu",
    "feuilles_remplies",
    *contrat.TABLES_ANNUELLES,
    "problemes",
    "manque",
]


def suivi(dossier: Path, annee: int) -> pd.DataFrame:
    """For each partner expected (those of the year before) and each workbook received in
    `AAAA/partenaires/`: received or not, the sheets filled, the rows per table, the problems
    found in it, and what is still missing (an expected sheet left empty, no file at all)."""
    from evaluation.donnees.lecture import lire_classeur
    from evaluation.donnees.problemes import DonneesInvalides
    from evaluation.donnees.territoire import charger

    dossier = Path(dossier)
    precedente = annee - 1
    try:
        avant = charger(dossier, [precedente])
    except Exception:  # no previous year, or it does not validate: no partner is expected
        avant = None
    attendus = partenaires(avant, precedente) if avant is not None else []
    recus = classeurs_des_partenaires(dossier / str(annee))
    par_fichier: dict[str, int] = {}
    try:
        if (dossier / str(annee)).is_dir():  # before any file arrives, every partner is missing
            charger(dossier, [annee])
    except DonneesInvalides as exc:
        for p in exc.problemes:
            par_fichier[p.fichier] = par_fichier.get(p.fichier, 0) + 1
    lignes: list[dict] = []
    vus: set[str] = set()
    for chemin in recus:
        nom = partenaire_du_classeur(chemin)
        fichier = chemin.relative_to(dossier).as_posix()
        feuilles, _ = lire_classeur(chemin, fichier)
        comptes = {t: len(b.cellules) if b is not None else 0 for t, b in feuilles.items()}
        remplies = tuple(t for t in contrat.TABLES_ANNUELLES if comptes.get(t, 0))
        cle = nom.casefold()
        vus.add(cle)
        attendues = feuilles_de(avant, precedente, nom) if cle in {a.casefold() for a in attendus} else []
        manque = tuple(f"feuille {t} vide" for t in attendues if not comptes.get(t, 0))
        lignes.append(
            {
                "partenaire": nom,
                "fichier": fichier,
                "recu": "oui",
                "feuilles_remplies": ", ".join(remplies),
                **{t: comptes.get(t, 0) for t in contrat.TABLES_ANNUELLES},
                "problemes": par_fichier.get(fichier, 0),
                "manque": " ; ".join(manque),
            }
        )
    for nom in attendus:
        if nom.casefold() not in vus:
            lignes.append(
                {
                    "partenaire": nom,
                    "fichier": "",
                    "recu": "non",
                    "feuilles_remplies": "",
                    **dict.fromkeys(contrat.TABLES_ANNUELLES, 0),
                    "problemes": 0,
                    "manque": "classeur non reçu",
                }
            )
    autres = sum(n for f, n in par_fichier.items() if f not in {r["fichier"] for r in lignes})
    table = pd.DataFrame(lignes, columns=COLONNES_SUIVI)
    table.attrs["autres_problemes"] = autres
    return table


def resume(table: pd.DataFrame) -> str:
    """The tracking table's last line: how many workbooks came, how many problems are left."""
    recus = int((table["recu"] == "oui").sum())
    problemes = int(table["problemes"].sum()) + int(table.attrs.get("autres_problemes", 0))
    return (
        f"{formats.accorder(recus, 'classeur reçu', 'classeurs reçus')} pour "
        f"{formats.accorder(len(table), 'partenaire')} ; {formats.accorder(problemes, 'problème')} à corriger."
    )


def complet(table: pd.DataFrame) -> bool:
    """Every expected partner answered, nothing is missing, and the data validate."""
    return (
        not table.empty
        and (table["recu"] == "oui").all()
        and (table["manque"] == "").all()
        and table["problemes"].sum() == 0
        and not table.attrs.get("autres_problemes", 0)
    )
