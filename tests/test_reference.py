"""Backtest: the sample's whole unmasked indicator table against its reviewed reference.

Every code, perimeter and year computed from `data/raw/` must equal
`tests/reference/indicateurs_echantillon.csv` (to 12 significant digits, as it is stored). A
change meant to move values regenerates the reference on purpose
(`python scripts/reference_indicateurs.py`) and commits its diff with the change; any other
move of any value fails here, naming the rows."""

from __future__ import annotations

import importlib.util

import pandas as pd

from evaluation.paths import RACINE


def _script():
    spec = importlib.util.spec_from_file_location(
        "reference_indicateurs", RACINE / "scripts" / "reference_indicateurs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_la_table_de_l_echantillon_est_celle_de_reference(tmp_path):
    import shutil

    script = _script()
    donnees = shutil.copytree(RACINE / "data" / "raw", tmp_path / "raw")  # validated tables written beside
    calculee = script.table_de_l_echantillon(donnees)
    reference = pd.read_csv(script.REFERENCE, dtype={"perimetre": str, "indicateur": str})
    assert len(calculee) == len(reference)
    cles = ["annee", "perimetre", "indicateur"]
    assert calculee[cles].equals(reference[cles]), "rows added, removed or reordered"
    ecarts = ~(
        (calculee["valeur"] - reference["valeur"]).abs() <= 1e-9 * reference["valeur"].abs().clip(lower=1)
    )
    ecarts &= ~(calculee["valeur"].isna() & reference["valeur"].isna())
    assert calculee[ecarts].empty, (
        calculee[ecarts].assign(reference=reference.loc[ecarts, "valeur"]).to_string()
    )
    pd.testing.assert_frame_equal(calculee, reference, check_dtype=False, rtol=1e-10)
