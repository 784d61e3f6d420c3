"""The collection workbook: generated, filled with openpyxl as a partner would, read back."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import openpyxl
import pytest

from evaluation.donnees import contrat
from evaluation.donnees.territoire import charger
from evaluation.outils.classeur import ecrire_classeur

from .conftest import ecrire_territoire


def lancer(*args):
    return subprocess.run(
        [sys.executable, "-m", "evaluation", *map(str, args)], capture_output=True, text=True
    )


@pytest.mark.lent
def test_generer_remplir_valider_construire(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2023: {}})
    chemin = tmp_path / "collecte-2024.xlsx"
    r = lancer("template", "--out", chemin, "--data", dossier, "--year", 2024)
    assert r.returncode == 0, r.stderr

    wb = openpyxl.load_workbook(chemin)
    assert wb.sheetnames == ["Lisez-moi", "listes", *contrat.TABLES_ANNUELLES]
    assert wb["listes"].sheet_state == "hidden"
    postes = wb["postes"]
    assert [c.value for c in postes[1]] == list(contrat.TABLES["postes"].noms)
    assert postes["F1"].comment.text.startswith("ETP du poste dans ce quartier")
    listes = {str(dv.sqref)[0]: dv.formula1 for dv in postes.data_validations.dataValidation}
    assert set(listes) == {"B", "D", "E", "G", "H"}  # dispositif, commune, code_qpv, financeur, vacant
    codes = [c.value for c in wb["listes"]["A"][1:] if c.value]
    assert codes  # first list: an enumeration
    colonne_qpv = next(c for c in wb["listes"][1] if c.value == "code_qpv").column_letter
    assert [c.value for c in wb["listes"][colonne_qpv][1:] if c.value] == [
        "Q1 — Quartier Un",
        "Q2 — Quartier Deux",
        "Q3 — Quartier Trois",
        "V1 — Veille Un",
    ]
    assert postes["I2"].number_format == "DD/MM/YYYY" and postes["F2"].number_format == "0.00"

    # A partner fills it: typed dates and numbers, as Excel stores them.
    postes.append(
        ["P1", "adulte_relais", "Régie", "Alpha", "Q2", 1, "etat_anct", "non", dt.datetime(2024, 3, 1), None]
    )
    postes["A2"], postes["B2"], postes["C2"], postes["D2"], postes["E2"] = (
        "P0",
        "mediateur",
        "Ville",
        "Alpha",
        "Q1",
    )
    postes["F2"], postes["G2"], postes["H2"] = 0.5, "ville", "non"
    wb["reunions"]["A2"] = dt.datetime(2024, 5, 2)
    for col, v in zip(
        "BCDEF", ["reseau_acteurs", "Alpha", "prefecture|ville", 12, "mediateur|adulte_relais"], strict=True
    ):
        wb["reunions"][f"{col}2"] = v
    (dossier / "2024").mkdir()
    wb.save(dossier / "2024" / "collecte.xlsx")

    assert lancer("validate", "--data", dossier, "--year", 2024).returncode == 0
    t = charger(dossier)
    p = t.annee(2024).postes.set_index("id_poste")
    assert p.loc["P1", "date_debut"] == dt.datetime(2024, 3, 1) and p.loc["P0", "etp"] == 0.5
    b = lancer(
        "build",
        "--data",
        dossier,
        "--year",
        2024,
        "--out",
        tmp_path / "reports",
        "--city",
        "Alpha",
        "--jobs",
        1,
    )
    assert b.returncode == 0, b.stderr
    assert (tmp_path / "reports" / "2024" / "alpha.html").is_file()


def test_sans_territoire(tmp_path):
    chemin = tmp_path / "vierge.xlsx"
    assert lancer("template", "--out", chemin).returncode == 0
    wb = openpyxl.load_workbook(chemin)
    # Without the territory, codes and communes are typed freely: no drop-down for them.
    cols = {str(dv.sqref)[0] for dv in wb["postes"].data_validations.dataValidation}
    assert cols == {"B", "G", "H"}
    assert lancer("template", "--out", tmp_path / "x.csv").returncode == 1


def test_le_lisez_moi_de_chacun_dit_son_annee_et_ses_feuilles(tmp_path):
    """A partner's « Lisez-moi » names the year's folder it is deposited in and leaves out the
    meetings' columns it has not; the officer's tells her to track the campaign first."""
    from .conftest import ECHANTILLON

    t = charger(ECHANTILLON)
    partenaire = ecrire_classeur(tmp_path / "p.xlsx", t, 2026, partenaire="Régie Plus")
    texte = "\n".join(
        r[0] or "" for r in openpyxl.load_workbook(partenaire)["Lisez-moi"].iter_rows(values_only=True)
    )
    assert "qui le dépose dans 2026/partenaires/." in texte and "AAAA/" not in texte
    assert "copilotage" not in texte
    agent = ecrire_classeur(tmp_path / "a.xlsx", t, 2026, agent=True)
    texte = "\n".join(
        r[0] or "" for r in openpyxl.load_workbook(agent)["Lisez-moi"].iter_rows(values_only=True)
    )
    assert "puis : python -m evaluation collecte --year 2026" in texte and "copilotage" in texte
