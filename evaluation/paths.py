"""Where the project's files are, whatever the working directory."""

from __future__ import annotations

import os
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
NOTEBOOKS = RACINE / "notebooks"
TEMPLATES = RACINE / "templates"


def donnees_par_defaut() -> Path:
    """The data folder: $EVALUATION_DONNEES if set, else the bundled data/raw."""
    return Path(os.environ.get("EVALUATION_DONNEES", RACINE / "data" / "raw"))


def traitees_pour(donnees: Path) -> Path:
    """Where validated tables go: `processed/` beside a `raw/` folder, else `DONNEES/../processed`."""
    donnees = Path(donnees).resolve()
    return donnees.parent / "processed"
