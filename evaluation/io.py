"""Atomic writes: a file appears complete under its name, or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)


def ecrire_atomique(chemin: Path, ecrire: Callable[[Path], None]) -> Path:
    """Call `ecrire(tmp)` on a temporary file beside `chemin`, then rename it into place."""
    chemin = Path(chemin)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{chemin.name}.", suffix=".tmp", dir=chemin.parent)
    os.close(fd)
    try:
        ecrire(Path(tmp))
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, chemin)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return chemin


def ecrire_texte_atomique(texte: str, chemin: Path) -> Path:
    return ecrire_atomique(chemin, lambda p: p.write_text(texte, encoding="utf-8"))


def ecrire_csv_atomique(table: pd.DataFrame, chemin: Path) -> Path:
    return ecrire_atomique(
        chemin, lambda p: table.to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
    )
