"""The report notebooks, and the refresh of their stored outputs (nbval's reference).

`python -m evaluation.production.notebooks --refresh` (or `make notebooks`) executes every notebook of
`notebooks/` in place with its default parameters, so that the outputs stored in git are
those that `pytest --nbval` compares against.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluation.io import ecrire_texte_atomique
from evaluation.paths import NOTEBOOKS

COMMUNE = NOTEBOOKS / "rapport_commune.ipynb"
AGGLOMERATION = NOTEBOOKS / "rapport_agglomeration.ipynb"
QUARTIER = NOTEBOOKS / "fiche_quartier.ipynb"
KERNEL = "python3"
# ipykernel warns on every start about local TCP; keep the output readable.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]


def rafraichir(chemin: Path) -> None:
    import nbformat  # heavy imports (≈ 2 s): only when notebooks are actually executed
    from nbclient import NotebookClient

    nb = nbformat.read(chemin, as_version=4)
    NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=600,
        record_timing=False,  # no timestamps in git
        extra_arguments=KERNEL_ARGUMENTS,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    ecrire_texte_atomique(nbformat.writes(nb) + "\n", chemin)


def main() -> None:
    parser = argparse.ArgumentParser(description="Ré-exécute les notebooks et enregistre leurs sorties.")
    parser.add_argument("--refresh", action="store_true", help="exécuter et enregistrer")
    args = parser.parse_args()
    if args.refresh:
        for chemin in sorted(NOTEBOOKS.glob("*.ipynb")):
            print(f"Exécution de {chemin.name}…")
            rafraichir(chemin)


if __name__ == "__main__":
    main()
