"""Shared helpers: write tiny territories as real files, the way partners send them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from evaluation.donnees import contrat
from evaluation.paths import RACINE

ECHANTILLON = RACINE / "data" / "raw"


def _anct_partage() -> Path:
    """The real ANCT open data (read-only, never copied here): $EVALUATION_ANCT, else a
    `shared/data/anct` folder beside the repository or beside one of its parents."""
    import os

    if os.environ.get("EVALUATION_ANCT"):
        return Path(os.environ["EVALUATION_ANCT"])
    for parent in RACINE.parents:
        candidat = parent / "shared" / "data" / "anct"
        if candidat.is_dir():
            return candidat
    return RACINE.parent / "shared" / "data" / "anct"


ANCT_REEL = _anct_partage()


def sans_variable(texte: str) -> str:
    """`texte` with what truly varies between two runs masked, as nbval does
    (tests/nbval_sanitize.cfg: generation time, the kernel's temporary file names)."""
    import configparser
    import re

    cfg = configparser.ConfigParser()
    cfg.read(RACINE / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    for section in cfg.sections():
        texte = re.sub(cfg[section]["regex"], cfg[section]["replace"], texte)
    return texte


QUARTIERS_MINI = [
    # code_qpv, nom, commune, population, annee_population, statut, annee_entree, annee_sortie
    ["Q1", "Quartier Un", "Alpha", 2000, 2018, "qpv", 2015, ""],
    ["Q2", "Quartier Deux", "Alpha", 1000, 2020, "qpv", 2024, ""],
    ["Q3", "Quartier Trois", "Beta", 500, 2018, "qpv", 2015, ""],
    ["V1", "Veille Un", "Beta", 800, 2018, "veille_active", 2015, ""],
    ["Q4", "Quartier Quatre", "Gamma", 900, 2018, "qpv", 2015, 2023],
]


def ecrire_csv(
    chemin: Path, entete: list[str], lignes: list[list], sep: str = ",", encodage: str = "utf-8"
) -> Path:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with chemin.open("w", newline="", encoding=encodage) as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(entete)
        w.writerows(lignes)
    return chemin


def ecrire_territoire(
    dossier: Path,
    annees: dict[int, dict[str, list[list]]],
    quartiers: list[list] | None = None,
    objectifs: list[list] | None = None,
    parametres: str = "nom: Territoire test\ncode_contrat: CV000\n",
) -> Path:
    """Write a territory folder: every yearly table is written, empty when not given."""
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "territoire.yml").write_text(parametres, encoding="utf-8")
    quartiers = quartiers or QUARTIERS_MINI
    # The contract's columns in order, as many as the rows give: optional ones left out.
    entete = list(contrat.TABLES["quartiers"].noms)[: max(len(q) for q in quartiers)]
    ecrire_csv(dossier / "quartiers.csv", entete, quartiers)
    ecrire_csv(dossier / "objectifs.csv", list(contrat.TABLES["objectifs"].noms), objectifs or [])
    for annee, tables in annees.items():
        for nom in contrat.TABLES_ANNUELLES:
            ecrire_csv(
                dossier / str(annee) / f"{nom}.csv", list(contrat.TABLES[nom].noms), tables.get(nom, [])
            )
    return dossier


@pytest.fixture
def echantillon(tmp_path: Path) -> Path:
    """A private copy of the bundled sample data."""
    return Path(shutil.copytree(ECHANTILLON, tmp_path / "raw"))


def construire_echantillon(racine: Path, *options: str, env: dict | None = None):
    """`build` of the sample's pages (all of them, unless `options` name a `--city`) into
    `racine/reports`."""
    import subprocess
    import sys

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation",
            "build",
            "--data",
            str(ECHANTILLON),
            "--out",
            str(racine / "reports"),
            "--jobs",
            "2",
            *options,
        ],
        capture_output=True,
        text=True,
        env=env,
    )


def construire_tours(racine: Path, *options: str, env: dict | None = None):
    """`build` of the sample's Tours and agglomeration pages into `racine/reports`."""
    return construire_echantillon(racine, "--city", "Tours", *options, env=env)


def saisir(feuille, valeurs: list) -> int:
    """Type `valeurs` in the first empty row of a workbook's sheet, as a partner would (the
    sheet's prepared rows are formatted, so `append` would write below them); its line."""
    ligne = next(i for i in range(2, feuille.max_row + 2) if feuille.cell(i, 1).value in (None, ""))
    for j, v in enumerate(valeurs, start=1):
        feuille.cell(ligne, j, v)
    return ligne


def remplir_comme_un_partenaire(chemin: Path, annee: int, signaux: int = 1) -> Path:
    """A partner's workbook (`template --partenaires`) filled as its partner would: twelve
    months of activity for each of its posts (counts typed over any pre-filled key) and, when it
    has a « remontees » sheet, `signaux` field signals per post's scheme and neighbourhood."""
    import datetime as dt

    import openpyxl

    classeur = openpyxl.load_workbook(chemin)
    postes = [r for r in classeur["postes"].iter_rows(min_row=2, values_only=True) if r[0]]
    activite = classeur["activite"]
    if activite.max_row > 1:
        activite.delete_rows(2, activite.max_row - 1)
    for id_poste in dict.fromkeys(r[0] for r in postes):  # a post in two QPVs has two rows
        for mois in range(1, 13):
            saisir(activite, [id_poste, mois, 30, 3, 1, 1, 0])
    if "remontees" in classeur.sheetnames:
        for dispositif, code_qpv in sorted({(r[1], r[4]) for r in postes}):
            for k in range(signaux):
                saisir(
                    classeur["remontees"],
                    [dt.datetime(annee, 3, 2 + k), code_qpv, dispositif, "jeunesse", "traitee_sur_place"],
                )
    classeur.save(chemin)
    return chemin


def remplir_comme_l_agent(chemin: Path, annee: int) -> Path:
    """The officer's own workbook (`template --agent`) filled as she would: the sample's
    meetings and funding of the year before, moved to `annee` (the tools come pre-filled)."""
    import openpyxl

    classeur = openpyxl.load_workbook(chemin)
    avant = openpyxl.load_workbook(ECHANTILLON / str(annee - 1) / "collecte.xlsx", read_only=True)
    for feuille in ("reunions", "financements"):
        for ligne in list(avant[feuille].iter_rows(min_row=2, values_only=True)):
            if ligne[0] in (None, ""):
                continue
            if feuille == "reunions":  # the same meeting, a year later (29 February aside)
                jour = ligne[0]
                ligne = (jour.replace(year=annee, day=min(jour.day, 28)), *ligne[1:])
            saisir(classeur[feuille], list(ligne))
    classeur.save(chemin)
    return chemin
