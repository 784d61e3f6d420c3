"""indicateurs.xlsx: the same values as indicateurs.csv, in sheets Excel can open."""

from __future__ import annotations

import openpyxl
import pandas as pd

from evaluation.donnees.territoire import charger
from evaluation.production import export

from .conftest import ecrire_territoire

POSTES = [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""]]


def _relu(chemin) -> dict[str, pd.DataFrame]:
    """Every sheet; an empty `masque` cell (a value shown) reads back as ''."""
    return {
        nom: f.fillna({"masque": ""})
        for nom, f in pd.read_excel(chemin, sheet_name=None, dtype={"masque": str}).items()
    }


def test_une_feuille_puis_une_par_annee_quand_la_table_depasse_une_feuille(tmp_path, monkeypatch):
    t = charger(ecrire_territoire(tmp_path / "raw", {2023: {"postes": POSTES}, 2024: {"postes": POSTES}}))
    sortie = tmp_path / "out"
    table = export.ecrire_exports(t, 2024, sortie)
    assert table["valeur"].isna().any()  # missing values become empty cells

    monkeypatch.setattr(export, "LIGNES_EXCEL", len(table) + 1)  # header + every row: one sheet
    export.ecrire_exports(t, 2024, sortie)
    feuilles = _relu(sortie / "indicateurs.xlsx")
    assert list(feuilles) == ["indicateurs"]
    pd.testing.assert_frame_equal(feuilles["indicateurs"], table, check_dtype=False)

    monkeypatch.setattr(export, "LIGNES_EXCEL", len(table))  # one row too many: a sheet per year
    export.ecrire_exports(t, 2024, sortie)
    feuilles = _relu(sortie / "indicateurs.xlsx")
    assert list(feuilles) == ["indicateurs 2023", "indicateurs 2024"]
    for annee in (2023, 2024):
        attendu = table[table["annee"] == annee].reset_index(drop=True)
        pd.testing.assert_frame_equal(feuilles[f"indicateurs {annee}"], attendu, check_dtype=False)

    feuille = openpyxl.load_workbook(sortie / "indicateurs.xlsx")["indicateurs 2024"]
    assert feuille.freeze_panes == "A2" and feuille["A1"].font.bold and feuille["A1"].value == "annee"
