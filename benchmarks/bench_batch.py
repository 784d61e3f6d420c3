"""Batch throughput against its floor, measured in one run.

- batch: `evaluation.production.construction.construire` (papermill, one fresh kernel per report, in-process
  HTML export), every report forced, on the sample territory with neighbourhood pages;
- floor: the same notebooks' code cells, with the same parameters, executed by `exec` in one
  warm Python process per worker (imports already done, no kernel), their displayed outputs
  collected into the notebook, then the same HTML export.

Prints the per-report time of each (median of --runs runs) and the ratio batch / floor.
Usage: python benchmarks/bench_batch.py [--jobs 2] [--runs 3] [--data data/raw | --synthetique N]
(--synthetique N: a synthetic territory of N communes and 2N QPVs, from make_synthetic.py)
"""

from __future__ import annotations

import argparse
import atexit
import os
import platform
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_output

from evaluation.donnees.territoire import charger
from evaluation.production.construction import construire
from evaluation.production.export import exporter_html
from evaluation.production.taches import Tache, taches


def _prechauffer() -> None:
    import evaluation.rapport.ouverture  # noqa: F401


def _plancher(tache: Tache, sortie: str) -> float:
    """Run one report's code cells in this warm process, export it, return the seconds taken."""
    import evaluation.rapport.rendu as rendu

    debut = time.perf_counter()
    nb = nbformat.read(tache.notebook, as_version=4)
    sorties: list = []

    def collecter(objet, raw=False, metadata=None, **_):
        if raw:
            sorties.append(new_output("display_data", data=objet, metadata=metadata or {}))
        else:
            sorties.append(new_output("display_data", data={"text/html": objet.data, "text/plain": ""}))

    rendu.display = collecter
    espace: dict = {}
    for cellule in nb.cells:
        if cellule.cell_type != "code":
            continue
        sorties = []
        exec(compile(cellule.source, tache.slug, "exec"), espace)
        if "parameters" in cellule.metadata.get("tags", []):
            espace.update(tache.parametres)
        cellule.outputs = sorties
    html = exporter_html(nb, tache.titre, "banc d'essai")
    chemin = Path(sortie) / f"{tache.slug.replace('/', '_')}.html"
    chemin.write_text(html, encoding="utf-8")
    return time.perf_counter() - debut


def mesurer_plancher(liste: list[Tache], jobs: int) -> float:
    with (
        tempfile.TemporaryDirectory() as sortie,
        ProcessPoolExecutor(max_workers=jobs, initializer=_prechauffer) as pool,
    ):
        list(pool.map(_prechauffer_rien, range(jobs)))  # workers started and warm before timing
        debut = time.perf_counter()
        list(pool.map(_plancher, liste, [sortie] * len(liste)))
        return time.perf_counter() - debut


def _prechauffer_rien(_: int) -> None:
    return None


def mesurer_batch(donnees: Path, jobs: int, noyaux_neufs: bool = False) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        copie = Path(shutil.copytree(donnees, Path(tmp) / "raw"))
        debut = time.perf_counter()
        resultats = construire(
            copie,
            Path(tmp) / "out",
            jobs=jobs,
            quartiers=True,
            force=True,
            journal=lambda _: None,
            noyaux_neufs=noyaux_neufs,
        )
        assert all(r.ok for r in resultats), [r.erreur for r in resultats if not r.ok]
        return time.perf_counter() - debut, len(resultats)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "raw")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--synthetique", type=int, metavar="N", help="territoire synthétique de N communes")
    args = p.parse_args()
    if args.synthetique:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import make_synthetic

        temporaire = Path(tempfile.mkdtemp())
        atexit.register(shutil.rmtree, temporaire, ignore_errors=True)
        dossier = temporaire / "raw"
        args.data = make_synthetic.ecrire(dossier, args.synthetique, 2 * args.synthetique)

    t = charger(args.data)
    liste = taches(t, t.derniere_annee, args.data.resolve(), quartiers=True)
    batch, neufs, plancher = [], [], []
    for _ in range(args.runs):
        duree, n = mesurer_batch(args.data, args.jobs)
        batch.append(duree / n)
        duree, n = mesurer_batch(args.data, args.jobs, noyaux_neufs=True)
        neufs.append(duree / n)
        plancher.append(mesurer_plancher(liste, args.jobs) / len(liste))
    b, nf, f = statistics.median(batch), statistics.median(neufs), statistics.median(plancher)
    print(
        f"machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}"
    )
    print(f"{len(liste)} rapports, {args.jobs} workers, médiane de {args.runs} passages")
    print(f"batch (noyaux réutilisés) : {b:.2f} s par rapport")
    print(f"batch (noyaux neufs)      : {nf:.2f} s par rapport")
    print(f"plancher                  : {f:.2f} s par rapport")
    print(f"rapport batch / plancher : {b / f:.2f} (noyaux neufs : {nf / f:.2f})")


if __name__ == "__main__":
    main()
