"""docs/guide-annuel.md tells the truth: every command it shows runs on a copy of the sample
data, and every output line it shows is printed by that command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.paths import RACINE

from .conftest import ANCT_REEL as ANCT
from .conftest import ECHANTILLON

GUIDE = RACINE / "docs" / "guide-annuel.md"


def espaces(texte: str) -> str:
    """French typography's no-break spaces read as spaces in the guide."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def blocs() -> list[tuple[list[str], list[str]]]:
    """(commands, expected output lines) of each ```console block, in order."""
    resultat = []
    for bloc in re.findall(r"```console\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S):
        lignes = bloc.strip("\n").splitlines()
        resultat.append(
            ([x[2:] for x in lignes if x.startswith("$ ")], [x for x in lignes if not x.startswith("$ ")])
        )
    return resultat


def test_le_guide_montre_des_commandes():
    commandes = [c for cmds, _ in blocs() for c in cmds]
    for verbe in ("template", "collecte", "validate", "build", "objectifs", "import-anct"):
        assert any(f"python -m evaluation {verbe}" in c for c in commandes), verbe


def test_chaque_commande_du_guide(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copytree(ECHANTILLON, tmp_path / "data" / "raw")
    anct = ANCT / "adulte-relais-2024.json"
    if anct.is_file():
        (tmp_path / "anct").mkdir()
        shutil.copy(anct, tmp_path / "anct")
        shutil.copy(ANCT / "contrats-de-ville-2024.geojson", tmp_path / "anct")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for commandes, attendu in blocs():
        if any("import-anct" in c for c in commandes) and not anct.is_file():
            continue  # the ANCT open data are not on this machine (../shared/data/anct)
        sortie = ""
        for commande in commandes:
            r = subprocess.run(
                ["bash", "-c", commande], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
            )
            assert r.returncode == 0, (commande, r.stderr)
            sortie += r.stdout + r.stderr
        sortie = espaces(sortie)
        for ligne in attendu:
            assert espaces(ligne.strip()) in sortie, (commandes, ligne)


@pytest.mark.skipif(not GUIDE.is_file(), reason="guide absent")
def test_le_readme_renvoie_au_guide():
    assert "docs/guide-annuel.md" in (RACINE / "README.md").read_text(encoding="utf-8")
