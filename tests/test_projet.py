"""Project-level promises: reproducible sample data, one list of dependencies."""

from __future__ import annotations

import filecmp
import subprocess
import sys
import tomllib

import yaml

from evaluation.paths import RACINE

from .conftest import ECHANTILLON


def test_donnees_d_exemple_reproductibles_octet_pour_octet(tmp_path):
    for essai in ("a", "b"):
        subprocess.run(
            [sys.executable, str(RACINE / "scripts" / "make_sample_data.py"), str(tmp_path / essai)],
            check=True,
        )
    fichiers = sorted(
        p.relative_to(ECHANTILLON) for p in ECHANTILLON.rglob("*") if p.is_file() and p.name != "README.md"
    )
    assert fichiers == sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    for f in fichiers:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
        assert filecmp.cmp(ECHANTILLON / f, tmp_path / "a" / f, shallow=False), (
            f"{f} differs from the script's output"
        )


def test_les_deux_formats_sont_utilises_par_l_echantillon():
    annees = {p.name: sorted(x.name for x in p.iterdir()) for p in ECHANTILLON.iterdir() if p.is_dir()}
    assert any(f == ["collecte.xlsx"] for f in annees.values())
    cp1252 = [
        a
        for a, f in annees.items()
        if "postes.csv" in f
        and b";" in (ECHANTILLON / a / "postes.csv").read_bytes().splitlines()[0]
        and "é".encode("cp1252") in (ECHANTILLON / a / "postes.csv").read_bytes()
    ]
    assert cp1252, "at least one year in the French-office dialect (;, Windows-1252)"


def test_environment_yml_et_pyproject_concordent():
    projet = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    attendues = set(projet["dependencies"]) | set(projet["optional-dependencies"]["test"])
    env = yaml.safe_load((RACINE / "environment.yml").read_text(encoding="utf-8"))
    conda = {d for d in env["dependencies"] if isinstance(d, str)} - {"pip"}
    python = {d for d in conda if d.startswith("python")}
    assert python == {f"python{projet['requires-python']}"}
    assert conda - python == attendues


def test_la_documentation_du_contrat_est_a_jour(tmp_path):
    from evaluation import contract

    sortie = tmp_path / "contrat.md"
    subprocess.run(
        [sys.executable, str(RACINE / "scripts" / "make_contract_doc.py"), str(sortie)], check=True
    )
    doc = (RACINE / "docs" / "contrat-donnees.md").read_text(encoding="utf-8")
    assert doc == sortie.read_text(encoding="utf-8"), "run: python scripts/make_contract_doc.py"
    for table in contract.TABLES.values():
        for colonne in table.colonnes:
            assert f"| `{colonne.nom}` |" in doc, (table.nom, colonne.nom)
