"""Write the reviewed reference of the sample's unmasked indicator table, on purpose only.

`tests/test_reference.py` compares the whole table computed from `data/raw/` (every code,
perimeter and year, before masking) with `tests/reference/indicateurs_echantillon.csv`. When a
change of definition or of the sample is meant to change values, regenerate it:
    python scripts/reference_indicateurs.py
then read its diff (`git diff --stat`, `git diff tests/reference/`) as a reviewer would, and
commit it with the change that explains it.
"""

from __future__ import annotations

import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
REFERENCE = RACINE / "tests" / "reference" / "indicateurs_echantillon.csv"


def table_de_l_echantillon(donnees: Path = RACINE / "data" / "raw"):
    """The sample's unmasked indicator table, sorted, as the reference stores it."""
    from evaluation.cache import charger_valide
    from evaluation.indicateurs.table import tableau

    t = charger_valide(donnees)
    table = tableau(t, sorted(t.annees))
    return table.sort_values(["annee", "indicateur", "perimetre"], kind="stable").reset_index(drop=True)


def main() -> int:
    from evaluation.io import ecrire_atomique

    table = table_de_l_echantillon()
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    ecrire_atomique(
        REFERENCE, lambda p: table.to_csv(p, index=False, float_format="%.12g", lineterminator="\n")
    )
    print(f"{len(table)} rows written to {REFERENCE.relative_to(RACINE)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
