"""The same batch on a Dask distributed cluster (a real `LocalCluster`, worker processes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from distributed import LocalCluster

from evaluation.production.construction import construire

from .conftest import ECHANTILLON, sans_variable

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages


def contenus(rep: Path) -> dict[str, str]:
    """Every HTML page and export of a build, generation time masked."""
    return {
        str(p.relative_to(rep)): sans_variable(p.read_text(encoding="utf-8"))
        for p in sorted(rep.rglob("*"))
        if p.suffix in (".html", ".csv")
    }


def test_a_dask_cluster_builds_the_same_reports(tmp_path):
    donnees = Path(shutil.copytree(ECHANTILLON, tmp_path / "raw"))
    local = construire(donnees, tmp_path / "local", jobs=2, journal=lambda _: None)
    messages: list[str] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distant = construire(
            donnees,
            tmp_path / "dask",
            executeur="dask",
            ordonnanceur=cluster.scheduler_address,
            journal=messages.append,
        )
    assert [(r.tache.slug, r.ok) for r in distant] == [(r.tache.slug, True) for r in local]
    assert f"sur le cluster Dask {cluster.scheduler_address}" in messages[0]
    a, b = contenus(tmp_path / "local" / "2025"), contenus(tmp_path / "dask" / "2025")
    assert sorted(a) == sorted(b) and len(a) == 7  # index, 5 reports, indicateurs.csv
    for nom in a:
        assert a[nom] == b[nom], nom


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["--executor", "dask"],
            "L'exécuteur dask demande l'adresse de l'ordonnanceur (--scheduler ADRESSE).",
        ),
        (
            ["--executor", "local", "--scheduler", "tcp://127.0.0.1:8786"],
            "Un ordonnanceur Dask (--scheduler) ne sert qu'avec l'exécuteur dask (--executor dask).",
        ),
    ],
)
def test_executor_options_that_do_not_fit_are_refused_in_french(tmp_path, options, message):
    commande = [sys.executable, "-m", "evaluation", "build", "--data", ECHANTILLON, "--out", tmp_path]
    r = subprocess.run([*commande, *options], capture_output=True, text=True)
    assert r.returncode == 1
    assert message in r.stderr
    assert not any(tmp_path.iterdir())  # refused before anything is written
