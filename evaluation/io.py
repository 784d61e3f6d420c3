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


def ecrire_csv_pour_tableur(table: pd.DataFrame, chemin: Path) -> Path:
    """A CSV for the officer to open in a French spreadsheet as it is (a tracking table):
    `;` between cells and a byte order mark, so that Excel reads its columns and accents."""
    return ecrire_atomique(
        chemin,
        lambda p: table.to_csv(p, index=False, sep=";", encoding="utf-8-sig", lineterminator="\n"),
    )


def ecrire_xlsx_atomique(feuilles: dict[str, pd.DataFrame], chemin: Path) -> Path:
    """An Excel workbook with one sheet per table of `feuilles` (by sheet name): a bold, frozen
    header row, then one row per record (empty cells for missing values).

    Streamed by openpyxl's write-only mode (with lxml): `DataFrame.to_excel` built every cell
    in memory first, ≈ 50 s for a national indicator table of 776 k rows, against ≈ 20 s."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def ecrire(p: Path) -> None:
        classeur = Workbook(write_only=True)
        for nom, table in feuilles.items():
            f = classeur.create_sheet(nom)
            f.freeze_panes = "A2"
            entete = [WriteOnlyCell(f, value=str(c)) for c in table.columns]
            for cellule in entete:
                cellule.font = Font(bold=True)
            f.append(entete)
            colonnes = [table[c].astype(object).where(table[c].notna(), None).tolist() for c in table.columns]
            for ligne in zip(*colonnes, strict=True):
                f.append(ligne)
        classeur.save(p)

    return ecrire_atomique(chemin, ecrire)
