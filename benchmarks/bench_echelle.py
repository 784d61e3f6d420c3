"""National scale: a synthetic territory of ≈ 800 communes and ≈ 1,500 QPVs over six years.

Measured in one run, each against its goal (issue 5):

1. validate + every indicator of every year, in a fresh process: time and peak memory
   (goals: ≤ 10 s, ≤ 2 GiB);
2. reports: `--communes K` commune reports (spread over the territory) and the
   agglomeration's, built by the batch on `--jobs` workers; the time of every report is
   printed, and the full batch (every commune + the agglomeration) is estimated from them
   (goal: ≤ 20 minutes on 2 cores). With `--tous` the full batch is built and timed instead.

Usage: python benchmarks/bench_echelle.py [--data DOSSIER] [--communes 6] [--jobs 2] [--tous]
(without --data, benchmarks/make_synthetic.py writes the default territory to a temporary folder)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_synthetic  # noqa: E402

OBJECTIF_CALCUL_S = 10.0
OBJECTIF_MEMOIRE_GIO = 2.0
OBJECTIF_BATCH_MIN = 20.0

_MESURE = """
import json, resource, sys, time
from evaluation.indicateurs import tableau
from evaluation.donnees.territoire import charger
debut = time.perf_counter()
t = charger(sys.argv[1])
valide = time.perf_counter()
table = tableau(t, sorted(t.annees))
fin = time.perf_counter()
print(json.dumps({
    "validation": valide - debut, "indicateurs": fin - valide, "valeurs": len(table),
    "memoire_gio": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    "communes": len(t.communes_actives(t.derniere_annee)),
    "qpv": len(t.quartiers_actifs(t.derniere_annee, "qpv")), "annees": len(t.annees),
    "lignes": int(sum(len(x) for a in t.annees.values() for x in a.tables.values())),
}))
"""


def mesurer_calcul(donnees: Path) -> dict:
    """Validation and indicators in a fresh interpreter (peak memory is that process's)."""
    sortie = subprocess.run(
        [sys.executable, "-c", _MESURE, str(donnees)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(sortie.strip().splitlines()[-1])


def mesurer_rapports(donnees: Path, communes: int, jobs: int, tous: bool) -> None:
    from evaluation.donnees.territoire import charger
    from evaluation.production.construction import construire

    t = charger(donnees)
    actives = t.communes_actives(t.derniere_annee)
    pas = max(1, len(actives) // communes)
    choisies = None if tous else actives[::pas][:communes]
    with tempfile.TemporaryDirectory() as sortie:
        debut = time.perf_counter()
        resultats = construire(
            donnees, sortie, communes=choisies, jobs=jobs, force=True, journal=lambda _: None
        )
        duree = time.perf_counter() - debut
    for r in resultats:
        print(f"  {r.tache.titre:<50} {r.duree:7.1f} s {'' if r.ok else 'ÉCHEC ' + r.erreur}")
    agglo = next(r for r in resultats if r.tache.slug == "agglomeration")
    par_commune = statistics.median(r.duree for r in resultats if r is not agglo)
    if tous:
        total = duree
        print(f"batch complet ({len(resultats)} rapports, {jobs} workers) : {total / 60:.1f} min")
    else:
        # What the batch does besides the reports (validation, processed tables, fingerprints,
        # exports, index) is about the same for K communes as for all of them: the measured
        # batch minus its reports, spread over the workers. The agglomeration runs beside the
        # communes; the batch lasts at least as long as it.
        fixe = max(0.0, duree - sum(r.duree for r in resultats) / jobs)
        total = fixe + max(agglo.duree, (par_commune * len(actives) + agglo.duree) / jobs)
        print(
            f"estimation du batch complet ({len(actives) + 1} rapports, {jobs} workers) : {total / 60:.1f} min "
            f"(médiane {par_commune:.1f} s par commune, agglomération {agglo.duree:.1f} s, "
            f"hors rapports ≈ {fixe:.0f} s)"
        )
    print(
        f"  objectif ≤ {OBJECTIF_BATCH_MIN:.0f} min : {'atteint' if total / 60 <= OBJECTIF_BATCH_MIN else 'NON atteint'}"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, help="territoire à mesurer (défaut : territoire synthétique)")
    p.add_argument("--communes", type=int, default=6, help="rapports de communes mesurés")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--tous", action="store_true", help="construire et chronométrer tous les rapports")
    p.add_argument("--sans-rapports", action="store_true", help="ne mesurer que validation et indicateurs")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        donnees = args.data or make_synthetic.ecrire(Path(tmp) / "raw")
        m = mesurer_calcul(donnees)
        print(
            f"machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}\n"
            f"territoire : {m['communes']} communes, {m['qpv']} QPV, {m['annees']} années, "
            f"{m['lignes']} lignes de données, {m['valeurs']} valeurs d'indicateurs"
        )
        calcul = m["validation"] + m["indicateurs"]
        print(
            f"validation {m['validation']:.1f} s + indicateurs {m['indicateurs']:.1f} s = {calcul:.1f} s "
            f"(objectif ≤ {OBJECTIF_CALCUL_S:.0f} s : {'atteint' if calcul <= OBJECTIF_CALCUL_S else 'NON atteint'})"
        )
        print(
            f"mémoire maximale {m['memoire_gio']:.2f} Gio (objectif ≤ {OBJECTIF_MEMOIRE_GIO:.0f} Gio : "
            f"{'atteint' if m['memoire_gio'] <= OBJECTIF_MEMOIRE_GIO else 'NON atteint'})"
        )
        if not args.sans_rapports:
            mesurer_rapports(donnees, args.communes, args.jobs, args.tous)


if __name__ == "__main__":
    main()
