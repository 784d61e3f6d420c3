"""What a year's collection brought: who was expected, what arrived, what is missing.

Read-side rules of the campaign, for every stage that says what the data hold: the partners of
a year (the structures of its posts), the sheets each fills, the workbooks received in
`AAAA/partenaires/` and whose they are, the returns missing or incomplete. They read the data
folder and the validated territory only; the campaign's own tools (workbooks written,
tracking table, corrections) are in `evaluation.outils.collecte`, which builds on them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation import formats
from evaluation.donnees import contrat
from evaluation.donnees.proprietes import NOUVEAU, partenaire_ecrit
from evaluation.donnees.proprietes import proprietes as _proprietes
from evaluation.donnees.territoire import (
    CLASSEURS,
    PARTENAIRES,
    Territoire,
    classeurs_des_partenaires,
    fichiers_de_l_annee,
)

# The sheets a partner with posts fills; signals when its schemes raised some last year.
FEUILLES_DES_POSTES = ("postes", "plages", "activite")


def partenaires(t: Territoire, annee: int) -> list[str]:
    """The partners of `annee` (the structures of its posts), sorted."""
    if annee not in t.annees:
        return []
    return sorted(t.annee(annee).postes["structure"].dropna().str.strip().unique())


def postes_de(t: Territoire, annee: int, partenaire: str) -> pd.DataFrame:
    postes = t.annee(annee).postes
    return postes[postes["structure"].str.strip().str.casefold() == partenaire.strip().casefold()]


def feuilles_de(t: Territoire | None, annee: int | None, partenaire: str, toutes: bool = False) -> list[str]:
    """The sheets `partenaire` fills in the year after `annee`: its posts' (postes, plages,
    activite), and remontees when its schemes raised signals in `annee`; for a partner unknown
    in `annee` (a new one), every yearly table but the officer's own (`TABLES_DE_L_AGENT`: what
    she keeps is never typed twice); every yearly table with `toutes`, or without last year."""
    if toutes or t is None or annee not in t.annees:
        return list(contrat.TABLES_ANNUELLES)
    postes = postes_de(t, annee, partenaire)
    if postes.empty:
        return [f for f in contrat.TABLES_ANNUELLES if f not in TABLES_DE_L_AGENT]
    feuilles = list(FEUILLES_DES_POSTES)
    if set(postes["dispositif"]) & set(t.annee(annee).remontees["source"]):
        feuilles.append("remontees")
    return [f for f in contrat.TABLES_ANNUELLES if f in feuilles]


def partenaire_du_classeur(
    chemin: Path, attendus: list[str] = (), feuilles: dict | None = None, mots_cles: str | None = None
) -> str:
    """The partner a returned file belongs to: the name its keywords carry (written by
    `template`; read here unless given); for the new partner's workbook, the structure its
    posts name; else the expected partner whose name its file name holds (« Copie de
    regie-plus.xlsx », « regie plus final v2.ods »); else its file name."""
    mots = _proprietes(chemin)[0] if mots_cles is None else mots_cles
    nom = partenaire_ecrit(mots)
    if nom and nom != NOUVEAU:
        return nom
    brute = (feuilles or {}).get("postes")
    if brute is not None and "structure" in brute.cellules.columns:
        structures = sorted({s.strip() for s in brute.cellules["structure"] if str(s).strip()})
        if structures:
            return " ; ".join(structures)
    if nom == NOUVEAU:
        return f"{NOUVEAU} ({chemin.name})"
    tiret = formats.slug(chemin.stem)
    candidats = [a for a in attendus if formats.slug(a) in tiret]
    return max(candidats, key=len) if candidats else chemin.stem


AGENT = "Personne chargée de l'évaluation"


# The tables the officer keeps (the partners' workbooks hold posts, slots, activity, signals).
TABLES_DE_L_AGENT = ("reunions", "financements", "outils")


def fichiers_de_l_agent(rep: Path) -> list[Path]:
    """The officer's own files of a year folder: the year's workbook, else its CSV files."""
    if not rep.is_dir():
        return []
    classeur = next((rep / n for n in CLASSEURS if (rep / n).is_file()), None)
    return [classeur] if classeur else [p for p in fichiers_de_l_annee(rep) if p.suffix.lower() == ".csv"]


def manquants(t: Territoire, annee: int) -> list[str]:
    """The partners of the year before whose workbook has not arrived in `AAAA/partenaires/`
    (a partner whose posts the year's data hold anyway is not missing), or arrived incomplete
    (`retours_incomplets`), and the officer when her own part is missing; none when the year
    was not collected partner by partner."""
    rep = t.dossier / str(annee)
    if not (rep / PARTENAIRES).is_dir() or annee - 1 not in t.annees:
        return []

    def calcul() -> list[str]:
        attendus = partenaires(t, annee - 1)
        recus = set(_classeurs_recus(t, annee))
        presents = set(partenaires(t, annee)) if annee in t.annees else set()
        incomplets = retours_incomplets(t, annee)
        manque = [a for a in attendus if (a not in recus and a not in presents) or a in incomplets]
        if not fichiers_de_l_agent(rep) or AGENT in incomplets:  # else they would read 0
            manque.append(AGENT)
        return manque

    return t.memo(("partenaires_manquants", annee), calcul)


def _classeurs_recus(t: Territoire, annee: int) -> dict[str, list[str]]:
    """The workbooks of `AAAA/partenaires/` by the partner each belongs to (paths relative to
    the data folder): their properties are read once per territory."""
    rep = t.dossier / str(annee)

    def calcul() -> dict[str, list[str]]:
        attendus = partenaires(t, annee - 1)
        recus: dict[str, list[str]] = {}
        for chemin in classeurs_des_partenaires(rep):
            nom = partenaire_du_classeur(chemin, attendus)
            recus.setdefault(nom, []).append(chemin.relative_to(t.dossier).as_posix())
        return recus

    return t.memo(("classeurs_recus", annee), calcul)


# Where a year's rows came from, as a report names it (never by a file's name).
CLASSEUR_DE_L_ANNEE, CSV_DE_L_ANNEE = "classeur de collecte de l'année", "fichiers CSV de l'année"


SAISIE_DE_L_AGENT = "saisie de la personne chargée de l'évaluation"


NON_IDENTIFIE = "classeur d'un partenaire non identifié"


def auteurs(t: Territoire, annee: int) -> dict[str, str | None]:
    """Who sent each workbook of `AAAA/partenaires/` (paths relative to the data folder): its
    partner (`partenaire_du_classeur`, else the structures of the posts it declared), or None
    when neither its properties, its name nor its posts tell; {} when the year was not collected
    partner by partner. The year's other files are the officer's (`AGENT`)."""
    if not (t.dossier / str(annee) / PARTENAIRES).is_dir():
        return {}
    attendus = set(partenaires(t, annee - 1))
    postes = t.annee(annee).postes if annee in t.annees else None
    qui: dict[str, str | None] = {}
    for nom, fichiers in _classeurs_recus(t, annee).items():
        for f in fichiers:
            if nom in attendus or (nom != Path(f).stem and not nom.startswith(f"{NOUVEAU} (")):
                qui[f] = nom
                continue
            siens = (
                postes[(t.annee(annee).provenance["postes"] == f).to_numpy()] if postes is not None else None
            )
            structures = sorted({s.strip() for s in siens["structure"]}) if siens is not None else []
            qui[f] = " ; ".join(structures) or None
    return qui


def retours_incomplets(t: Territoire, annee: int) -> dict[str, tuple[str, ...]]:
    """The partners expected in `annee` whose workbook arrived with a sheet they fill left
    empty (`feuilles_de`: no activity, say, or no field signal when their schemes raised some
    last year), with the sheets that read as missing: all of them when the activity is empty
    (a workbook returned as it was sent: its pre-filled posts are last year's, not checked),
    else the empty ones. A partner's files are taken together. The officer's own part
    deposited with a table she keeps left empty that had rows last year (meetings, funding,
    tools) is incomplete too (`AGENT`, with those tables)."""
    rep = t.dossier / str(annee)
    if not (rep / PARTENAIRES).is_dir() or annee - 1 not in t.annees or annee not in t.annees:
        return {}

    def calcul() -> dict[str, tuple[str, ...]]:
        attendus = set(partenaires(t, annee - 1))
        provenance = t.annee(annee).provenance
        lignes = {table: serie.value_counts().to_dict() for table, serie in provenance.items()}
        incomplets: dict[str, tuple[str, ...]] = {}
        for nom, fichiers in sorted(_classeurs_recus(t, annee).items()):
            if nom not in attendus:
                continue
            siennes = feuilles_de(t, annee - 1, nom)
            vides = [f for f in siennes if not sum(lignes.get(f, {}).get(x, 0) for x in fichiers)]
            if vides:
                incomplets[nom] = tuple(siennes) if {"postes", "activite"} & set(vides) else tuple(vides)
        if fichiers_de_l_agent(rep):
            avant, cette = t.annee(annee - 1), t.annee(annee)
            vides = [f for f in TABLES_DE_L_AGENT if len(avant.tables[f]) and not len(cette.tables[f])]
            if vides:
                incomplets[AGENT] = tuple(vides)
        return incomplets

    return t.memo(("retours_incomplets", annee), calcul)
