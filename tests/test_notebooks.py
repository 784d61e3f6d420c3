"""The officer's path: each notebook runs top to bottom as opened, from any working
directory, and a wrong parameter stops it at once with one French sentence.

nbval (run on notebooks/ by `make test`) executes them with the working directory set to
notebooks/ and compares their outputs; here they run from the repository root.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from evaluation.paths import NOTEBOOKS, RACINE
from evaluation.production.notebooks import KERNEL, KERNEL_ARGUMENTS

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

CARNETS = ["rapport_commune.ipynb", "rapport_agglomeration.ipynb", "fiche_quartier.ipynb"]


def lire(nom: str):
    """A notebook as the officer opens it, stored outputs cleared."""
    nb = nbformat.read(NOTEBOOKS / nom, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    return nb


def preparer(nom: str, cwd, parametres: str | None = None):
    """The notebook (stored outputs cleared, `parametres` appended to its parameters cell) and
    a client that executes it with `cwd` as working directory."""
    nb = lire(nom)
    if parametres is not None:
        cellule = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        cellule.source += "\n" + parametres
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=300,
        extra_arguments=KERNEL_ARGUMENTS,
        resources={"metadata": {"path": str(cwd)}},
    )
    return nb, client


def executer(nom: str, cwd, parametres: str | None = None):
    nb, client = preparer(nom, cwd, parametres)
    client.execute()
    return nb


def sorties_texte(nb) -> str:
    return "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
    )


@pytest.mark.parametrize("nom", CARNETS)
def test_s_execute_depuis_la_racine(nom):
    nb = executer(nom, RACINE)
    html = "".join(
        str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", [])
    )
    assert "Présence humaine dans les quartiers prioritaires" in html
    assert "Erreur" not in sorties_texte(nb)


def test_premiere_cellule_documente_les_parametres():
    for nom in CARNETS:
        nb = nbformat.read(NOTEBOOKS / nom, as_version=4)
        parametres = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        noms = [
            ligne.split("=")[0].strip()
            for ligne in parametres.source.splitlines()
            if "=" in ligne and not ligne.startswith("#")
        ]
        premiere = nb.cells[0]
        assert premiere.cell_type == "markdown" and "Paramètres" in premiere.source
        for n in noms:
            assert f"| `{n}` |" in premiere.source, (nom, n)


def test_parametre_faux_sous_papermill(tmp_path):
    """As an officer scripts it, from another directory: papermill's error and exit code carry
    the French sentence, not an empty « Exception encountered »."""
    res = subprocess.run(
        [
            str(Path(sys.executable).with_name("papermill")),
            str(NOTEBOOKS / "rapport_commune.ipynb"),
            str(tmp_path / "sortie.ipynb"),
            "-p",
            "commune",
            "Atlantide",
            "-k",
            KERNEL,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1
    sortie = res.stdout + res.stderr
    assert "Commune inconnue ou sans QPV actif en 2025 : « Atlantide » ; communes disponibles : " in sortie
    assert "Exception encountered at" in sortie  # papermill's own message now carries it


@pytest.mark.parametrize(
    ("nom", "parametres", "message"),
    [
        (
            "rapport_commune.ipynb",
            'commune = "Paris"',
            "Erreur : Commune inconnue ou sans QPV actif en 2025 : « Paris » ; communes disponibles : "
            "Joué-lès-Tours, La Riche, Saint-Pierre-des-Corps, Tours.",
        ),
        (
            "rapport_agglomeration.ipynb",
            "annee = 2019",
            "Erreur : Aucune donnée pour l'année 2019 ; années disponibles : 2020, 2021, 2022, 2023, 2024, 2025.",
        ),
        (
            "fiche_quartier.ipynb",
            'code_qpv = "TMVL-V02"',
            "Erreur : Quartier inconnu ou non prioritaire en 2025 : « TMVL-V02 » ;",
        ),
    ],
)
def test_parametre_faux_une_phrase(nom, parametres, message):
    nb, client = preparer(nom, NOTEBOOKS, parametres)
    with pytest.raises(CellExecutionError) as exc:
        client.execute()
    assert exc.value.ename == "ErreurUtilisateur"  # the run stops at once (« Run All » too)
    sorties = [o for c in nb.cells for o in c.get("outputs", [])]
    assert [o["output_type"] for o in sorties] == ["error"], "one French sentence, no traceback"
    [erreur] = sorties
    assert erreur["ename"] == "ErreurUtilisateur"
    assert f"Erreur : {erreur['evalue']}".startswith(message)
    assert erreur["traceback"] == [f"Erreur : {erreur['evalue']}"]
