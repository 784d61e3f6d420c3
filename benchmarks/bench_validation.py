"""`python -m evaluation validate` against the same validation with the report layer loaded,
measured in one run.

- validate: the command as an officer runs it, in a new process (interpreter start-up,
  imports, reading and checking every year, the validated tables written);
- with the report layer: the same command in a new process that first imports what every
  `validate` imported before issue 21 made the report layer lazy: `evaluation.rapport.ouverture`
  (IPython, every section), matplotlib and seaborn, scipy's and HiGHS's solvers.

Prints the median wall-clock time of each over --runs runs, and their ratio. The data are
copied to a temporary folder first: the validated tables are written beside them.
Usage: python benchmarks/bench_validation.py [--runs 5] [--data data/raw]
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent

VALIDER = "import sys; from evaluation.cli import main; sys.exit(main(['validate', '--data', sys.argv[1]]))"
# What `validate` imported before issue 21: the report layer, and through it the charts'
# libraries and the secret's solvers (now imported when a chart is drawn, a cell checked).
AVEC_LE_RAPPORT = (
    "import matplotlib; matplotlib.use('Agg'); import matplotlib.figure, seaborn, scipy.optimize, highspy; "
    "import evaluation.rapport.ouverture; " + VALIDER
)


def _chronometrer(code: str, donnees: Path) -> float:
    debut = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(donnees)], check=True, capture_output=True, cwd=RACINE)
    return time.perf_counter() - debut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=RACINE / "data" / "raw")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        donnees = Path(tmp) / "raw"
        shutil.copytree(args.data, donnees)
        _chronometrer(VALIDER, donnees)  # warm the file system cache and the bytecode
        seul, avec = [], []
        for _ in range(args.runs):  # interleaved: a busy moment weighs on both alike
            seul.append(_chronometrer(VALIDER, donnees))
            avec.append(_chronometrer(AVEC_LE_RAPPORT, donnees))
    s, a = statistics.median(seul), statistics.median(avec)
    print(
        "validate:",
        " ".join(f"{x:.2f}" for x in seul),
        "| with the report layer:",
        " ".join(f"{x:.2f}" for x in avec),
    )
    print(f"{platform.machine()}, Python {platform.python_version()}, {args.runs} runs, data {args.data}")
    print(f"validate:                     {s:.2f} s (median)")
    print(f"validate, report layer loaded: {a:.2f} s (median)")
    print(f"ratio validate / with the report layer: {s / a:.2f}")


if __name__ == "__main__":
    main()
