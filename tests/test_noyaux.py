"""Reports run on a reused kernel (`evaluation.production.noyaux`) are the reports a fresh kernel gives.

Every run here is real: papermill executes the notebooks on real kernels, once on this
process's pooled kernel, one report after another, and once each in a new kernel with
papermill's default engine; the stored notebooks must carry the same outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from evaluation.donnees.territoire import charger
from evaluation.paths import RACINE
from evaluation.production import noyaux
from evaluation.production.executeurs import executer
from evaluation.production.taches import Tache, taches

from .conftest import ECHANTILLON, sans_variable

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

ANNEE = 2025


def sorties(chemin: Path) -> list[tuple]:
    """Execution count and outputs of every code cell, sanitized."""
    nb = nbformat.reads(sans_variable(nbformat.writes(nbformat.read(chemin, as_version=4))), as_version=4)
    return [(c.get("execution_count"), c.get("outputs")) for c in nb.cells if c.cell_type == "code"]


@pytest.fixture
def noyau_propre():
    """This process's pooled kernels are shut down after the test."""
    noyaux.fermer_tout()
    yield
    noyaux.fermer_tout()


def test_reports_on_a_reused_kernel_equal_fresh_kernel_reports(tmp_path, noyau_propre):
    t = charger(ECHANTILLON)
    liste = {x.slug: x for x in taches(t, ANNEE, ECHANTILLON, quartiers=True)}
    mauvaise = Tache(
        "inconnue", "Commune — Inconnue", liste["la-riche"].notebook, {**liste["la-riche"].parametres}
    )
    mauvaise.parametres["commune"] = "Inconnue"
    # One kernel runs them in turn: a commune, a report that fails, another commune, a
    # neighbourhood page; each must not see anything the previous one left.
    suite = [liste["la-riche"], mauvaise, liste["saint-pierre-des-corps"], liste["quartiers/tmvl-q12"]]
    reutilise, neuf = tmp_path / "reutilise", tmp_path / "neuf"
    for tache in suite:
        a = executer(tache, reutilise, "pied")
        b = executer(tache, neuf, "pied", noyaux_neufs=True)
        assert (a.ok, a.erreur) == (b.ok, b.erreur)
    assert not executer(mauvaise, neuf, "pied", noyaux_neufs=True).ok
    assert len(noyaux._noyaux) == 1  # all four ran on the same kernel
    for tache in suite:
        nb_a = reutilise / "_notebooks" / f"{tache.slug}.ipynb"
        nb_b = neuf / "_notebooks" / f"{tache.slug}.ipynb"
        assert sorties(nb_a) == sorties(nb_b), tache.slug
        assert any(o for _, o in sorties(nb_a))  # outputs were really produced and compared


def _notebook(chemin: Path, *cellules: str) -> Path:
    nb = new_notebook(cells=[new_code_cell(c) for c in cellules])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    chemin.write_text(nbformat.writes(nb), encoding="utf-8")
    return chemin


def test_a_report_finds_no_trace_of_the_previous_one(tmp_path, noyau_propre):
    salit = _notebook(
        tmp_path / "salit.ipynb",
        "annee = 2025",
        "import os, warnings\nfuite = 42\nos.chdir('/')\nwarnings.warn('deja vu')",
    )
    regarde = _notebook(
        tmp_path / "regarde.ipynb",
        "annee = 2025",
        "import os, warnings\nprint('fuite' in globals(), os.getcwd())\nwarnings.warn('deja vu')",
    )
    executer(Tache("salit", "salit", salit, {"annee": 2025}), tmp_path / "a", "pied")
    executer(Tache("regarde", "regarde", regarde, {"annee": 2025}), tmp_path / "a", "pied")
    executer(Tache("regarde", "regarde", regarde, {"annee": 2025}), tmp_path / "b", "pied", noyaux_neufs=True)
    vu = sorties(tmp_path / "a" / "_notebooks" / "regarde.ipynb")
    assert vu == sorties(tmp_path / "b" / "_notebooks" / "regarde.ipynb")
    textes = "".join(o.get("text", "") for _, sortie in vu for o in sortie)
    assert f"False {RACINE / 'notebooks'}" in textes
    assert "deja vu" in textes  # the warning shows again, as in a new kernel


def test_a_kernel_that_dies_is_replaced_for_the_next_report(tmp_path, noyau_propre):
    tue = _notebook(tmp_path / "tue.ipynb", "annee = 2025", "import os\nos._exit(1)")
    simple = _notebook(tmp_path / "simple.ipynb", "annee = 2025", "print(annee + 1)")
    mort = executer(Tache("tue", "tue", tue, {"annee": 2025}), tmp_path, "pied")
    assert not mort.ok and "DeadKernelError" in mort.erreur
    vivant = executer(Tache("simple", "simple", simple, {"annee": 2025}), tmp_path, "pied")
    assert vivant.ok
    assert "2026" in str(sorties(tmp_path / "_notebooks" / "simple.ipynb"))


def test_a_worker_that_dies_does_not_stop_the_other_reports(tmp_path):
    """A report that kills its worker process breaks the local pool: the reports not
    finished yet run again on a new pool; only the one that breaks it again fails."""
    from evaluation.production.executeurs import executer_taches

    tueur = _notebook(
        tmp_path / "tueur.ipynb", "annee = 2025", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
    )
    simple = _notebook(tmp_path / "simple.ipynb", "annee = 2025", "print(annee + 1)")
    taches = [Tache("tueur", "tueur", tueur, {"annee": 2025})]
    taches += [Tache(f"simple{i}", f"simple {i}", simple, {"annee": 2025}) for i in range(3)]
    resultats = []
    executer_taches(taches, tmp_path / "sortie", "pied", resultats.append, jobs=2)
    assert sorted(r.tache.slug for r in resultats) == sorted(t.slug for t in taches)  # each once
    par_slug = {r.tache.slug: r for r in resultats}
    assert not par_slug["tueur"].ok and "BrokenProcessPool" in par_slug["tueur"].erreur
    assert all(par_slug[f"simple{i}"].ok for i in range(3))
    assert all((tmp_path / "sortie" / f"simple{i}.html").is_file() for i in range(3))
