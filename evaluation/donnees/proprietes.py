"""The properties `template` writes in a partner's workbook (keywords « partenaire: … », title
« Collecte AAAA — … »), read back so that a returned file is recognised wherever it lies and
whatever its name. Here, below the outils layer, so that loading a year can tell a partner's
workbook dropped outside `AAAA/partenaires/`."""

from __future__ import annotations

from pathlib import Path

MOT_CLE = "partenaire:"  # a partner's workbook's keywords: « partenaire: Régie Plus »
NOUVEAU = "Nouveau partenaire"  # the name in the keywords of the new partner's workbook


def proprietes(chemin: Path) -> tuple[str, str]:
    """The keywords and title of an xlsx workbook ('' when none, or another format)."""
    if Path(chemin).suffix.lower() != ".xlsx":
        return "", ""
    import openpyxl

    try:
        classeur = openpyxl.load_workbook(chemin, read_only=True)
    except Exception:  # an unreadable file: validation says why
        return "", ""
    try:
        return classeur.properties.keywords or "", classeur.properties.title or ""
    finally:
        classeur.close()


def partenaire_ecrit(mots_cles: str) -> str:
    """The partner named in a workbook's keywords (« partenaire: Régie Plus » → « Régie Plus »),
    '' for a workbook `template` did not write for a partner."""
    return mots_cles[len(MOT_CLE) :].strip() if mots_cles.startswith(MOT_CLE) else ""
