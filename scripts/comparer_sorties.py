"""Compare two builds' outputs, page by page, modulo the dates they were generated on.

A refactoring promises « outputs unchanged »: build the same data before and after it
(`python -m evaluation build --quartiers --force --out AVANT`, then `--out APRES`), then
    python scripts/comparer_sorties.py AVANT/2025 APRES/2025
prints every file that differs once dates are blanked (HTML and CSV bytes; workbooks cell by
cell, a zip's own timestamps aside; the manifest's pages and their status) and exits 1 if any does.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_DATES = [
    re.compile(r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2}"),  # « Généré le 06/12/2026 à 22:16 »
    re.compile(r"\d{1,2}(?:er)? [a-zéû]+ \d{4} à \d{1,2}[ :h]\s?\d{2}"),  # a long French date
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"),
]


def _sans_dates(texte: str) -> str:
    for motif in _DATES:
        texte = motif.sub("DATE", texte)
    return texte


def _contenu(chemin: Path):
    if chemin.suffix == ".xlsx":
        from openpyxl import load_workbook

        classeur = load_workbook(chemin, read_only=True)
        return {f.title: [list(r) for r in f.iter_rows(values_only=True)] for f in classeur.worksheets}
    if chemin.name == "manifest.json":
        # fingerprints hash the code too: a refactoring changes them by design
        return {
            page: r["ok"] for page, r in json.loads(chemin.read_text(encoding="utf-8"))["rapports"].items()
        }
    if chemin.suffix in (".html", ".csv", ".json", ".md", ".txt"):
        return _sans_dates(chemin.read_text(encoding="utf-8"))
    return chemin.read_bytes()


def main(avant: str, apres: str) -> int:
    a, b = Path(avant), Path(apres)
    noms = sorted(
        {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
        | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    )
    noms = [n for n in noms if "_notebooks" not in n.parts and n.suffix != ".pdf"]
    differents = []
    for n in noms:
        if not (a / n).is_file() or not (b / n).is_file():
            differents.append(f"{n}: only in {'the second' if (b / n).is_file() else 'the first'}")
        elif _contenu(a / n) != _contenu(b / n):
            differents.append(f"{n}: differs")
    print("\n".join(differents) or f"{len(noms)} files, the same modulo dates.")
    return 1 if differents else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
