"""Both CSV dialects and the xlsx workbook give the same tables; raw files are only read."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest

from evaluation.donnees import contrat
from evaluation.donnees.lecture import code
from evaluation.donnees.problemes import DonneesInvalides
from evaluation.donnees.territoire import charger

from .conftest import ecrire_csv, ecrire_territoire

ENTETE = list(contrat.TABLES["postes"].noms)
# The same two posts as three offices would write them.
ANGLO = [
    ["P1", "mediateur", "Régie Plus", "Alpha", "Q1", "0.5", "ville", "non", "2024-03-01", ""],
    ["P1", "mediateur", "Régie Plus", "Alpha", "Q2", "0.25", "ville", "non", "2024-03-01", ""],
    ["P2", "adulte_relais", "Ville d'Alpha", "Beta", "Q3", "1", "etat_anct", "non", "", "2024-10-31"],
]
FRANCAIS = [
    ["P1", "Médiateur", "Régie Plus", "Alpha", "Q1", "0,5", "Ville", "Non", "01/03/2024", ""],
    ["P1", "mediateur", "Régie Plus", "Alpha", "Q2", "0,25", "ville", "non", "01/03/2024", ""],
    ["P2", "Adulte-relais", "Ville d'Alpha", "Beta", "Q3", "1", "etat_anct", "NON", "", "31/10/2024"],
]


def charger_postes(dossier):
    return charger(dossier).annee(2024).postes.reset_index(drop=True)


@pytest.fixture
def reference(tmp_path):
    return charger_postes(ecrire_territoire(tmp_path / "anglo", {2024: {"postes": ANGLO}}))


@pytest.mark.parametrize("encodage", ["utf-8-sig", "cp1252", "utf-8"])
def test_csv_a_la_francaise(tmp_path, reference, encodage):
    dossier = ecrire_territoire(tmp_path / "fr", {2024: {}})
    ecrire_csv(dossier / "2024" / "postes.csv", ENTETE, FRANCAIS, sep=";", encodage=encodage)
    pd.testing.assert_frame_equal(charger_postes(dossier), reference)


def territoire_en_classeur(tmp_path):
    """A tiny territory whose 2024 comes as a workbook with every sheet headed, and no row."""
    dossier = ecrire_territoire(tmp_path / "xlsx", {2024: {}})
    for f in (dossier / "2024").glob("*.csv"):
        f.unlink()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nom in contrat.TABLES_ANNUELLES:
        wb.create_sheet(nom).append(list(contrat.TABLES[nom].noms))
    return dossier, wb


def test_classeur_xlsx(tmp_path, reference):
    dossier, wb = territoire_en_classeur(tmp_path)
    ws = wb["postes"]
    for ligne in ANGLO:
        cellules = [float(v) if i == 5 else v for i, v in enumerate(ligne)]
        cellules = [
            dt.datetime.fromisoformat(v) if i in (8, 9) and v else (v or None) for i, v in enumerate(cellules)
        ]
        ws.append(cellules)
    wb.create_sheet("Lisez-moi").append(["Ce classeur se remplit…"])
    wb.save(dossier / "2024" / "collecte.xlsx")
    pd.testing.assert_frame_equal(charger_postes(dossier), reference)


def test_erreur_dans_un_classeur_nomme_la_feuille(tmp_path):
    dossier, wb = territoire_en_classeur(tmp_path)
    wb["activite"].append(["P9", 1, 3, 0, 0, 0, 0])
    wb.create_sheet("brouillon")["B2"] = "notes"  # an empty extra sheet is ignored, not this one
    wb.save(dossier / "2024" / "collecte.xlsx")
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier)
    assert [str(p) for p in exc.value.problemes] == [
        "2024/collecte.xlsx, feuille « activite », ligne 2, colonne « id_poste » : valeur « P9 » — poste inconnu de la table postes",
        "2024/collecte.xlsx, feuille « brouillon » : feuille inconnue (attendues : postes, plages, reunions, remontees, "
        "activite, financements, outils)",
    ]


def test_classeur_et_csv_ensemble_refuses(tmp_path):
    dossier = ecrire_territoire(tmp_path / "mix", {2024: {}})
    openpyxl.Workbook().save(dossier / "2024" / "collecte.xlsx")
    with pytest.raises(DonneesInvalides, match="collecte.xlsx et des fichiers CSV coexistent"):
        charger(dossier)


def test_codes_depuis_libelles():
    assert code("Éducateur prévention") == "educateur_prevention"
    assert code(" Veille active ") == "veille_active"
    assert code("Hall d'immeuble") == "hall_d_immeuble"


def test_les_fichiers_bruts_ne_sont_jamais_ecrits(echantillon):
    avant = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in echantillon.rglob("*") if p.is_file()}
    charger(echantillon)
    apres = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in echantillon.rglob("*") if p.is_file()}
    assert apres == avant


def test_lecture_rapide_et_lecture_avec_guillemets_donnent_la_meme_chose(tmp_path):
    """A file without quotes is read line by line with pandas' C parser; a quoted cell sends
    the file through the `csv` reader. Both must see the same cells, lines and problems:
    CRLF endings, blank lines, rows of empty cells, rows with too few cells, a row with one
    filled cell beyond the header (read, that cell refused by its column number)."""
    from evaluation.donnees.lecture import lire_csv

    lignes = [
        ";".join(ENTETE),
        "P1;mediateur;Régie Plus;Alpha;Q1;0,5;ville;non;01/03/2024;",
        "",
        ";;;;;;;;;",
        "P2;mediateur;Régie Plus;Alpha;Q2",
        "  ;  ;;;;;;;;",
        "P3;adulte_relais;Ville;Beta;Q3;1;etat_anct;non;;;en trop",
        "P4;adulte_relais;Ville d'Alpha;Beta;Q3; 1 ;etat_anct;non;;31/10/2024",
        "",
    ]
    rapide = tmp_path / "rapide.csv"
    rapide.write_bytes("\r\n".join(lignes).encode("cp1252"))
    guillemets = tmp_path / "guillemets.csv"
    guillemets.write_bytes("\r\n".join(lignes).replace(";Beta;Q3; 1", ';"Beta";Q3; 1').encode("cp1252"))
    table_a, problemes_a = lire_csv(rapide, "postes.csv", "postes")
    table_b, problemes_b = lire_csv(guillemets, "postes.csv", "postes")
    pd.testing.assert_frame_equal(table_a.cellules, table_b.cellules)
    assert problemes_a == problemes_b
    assert list(table_a.cellules.index) == [2, 7, 8]
    assert table_a.cellules.loc[8, "etp"] == " 1 " and table_a.cellules.loc[8, "commune"] == "Beta"
    assert table_a.cellules.loc[7, "id_poste"] == "P3"
    assert [(p.ligne, p.colonne, p.message[:41]) for p in problemes_a] == [
        (5, None, "5 cellules au lieu de 10 (séparateur ou g"),
        (7, "colonne 11 (sans en-tête)", "cellule remplie hors des colonnes nommées"),
    ]
