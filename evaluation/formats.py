"""French presentation: numbers, dates, and HTML fragments with every input text escaped."""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, the French thousands separator


def nombre(x: float | int | None, decimales: int = 0) -> str:
    """1234.5 -> « 1 234,5 »; None or NaN -> « – »."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if round(x, decimales) == 0:
        x = 0.0  # no « -0 »
    return f"{x:,.{decimales}f}".replace(",", ESPACE_MILLIERS).replace(".", ",")


def pourcentage(part: float | None, decimales: int = 0) -> str:
    """0.123 -> « 12 % »."""
    if part is None or (isinstance(part, float) and math.isnan(part)):
        return "–"
    return f"{nombre(part * 100, decimales)}\u00a0%"


def date(d: dt.date | dt.datetime) -> str:
    return d.strftime("%d/%m/%Y")


def horodatage(d: dt.datetime) -> str:
    return d.strftime("%d/%m/%Y à %H:%M")


def evolution(avant: float | None, apres: float | None, decimales: int = 0) -> str:
    """A phrase describing the change from `avant` to `apres`."""
    if avant is None or apres is None or any(isinstance(v, float) and math.isnan(v) for v in (avant, apres)):
        return "sans comparaison possible avec l'année précédente"
    ecart = round(apres - avant, decimales)
    if ecart == 0:
        return "stable par rapport à l'année précédente"
    sens = "en hausse" if ecart > 0 else "en baisse"
    return f"{sens} de {nombre(abs(ecart), decimales)} par rapport à l'année précédente ({nombre(avant, decimales)})"


def pluriel(n: float, singulier: str, pluriel_: str | None = None) -> str:
    return singulier if abs(n) < 2 else (pluriel_ or singulier + "s")


def slug(texte: str) -> str:
    """« Joué-lès-Tours » -> « joue-les-tours » (file names of the reports)."""
    ascii_ = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "sans-nom"


# --------------------------------------------------------------------------- HTML

e = html.escape


def paragraphe(texte: str) -> str:
    """A paragraph of generated text; the text is escaped."""
    return f"<p>{e(texte)}</p>"


def liste(elements: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(x)}</li>" for x in elements) + "</ul>"


def tableau(
    entetes: Sequence[str],
    lignes: Iterable[Sequence[str]],
    legende: str | None = None,
    numeriques: Sequence[bool] | None = None,
    classes: Sequence[str] | None = None,
) -> str:
    """An HTML table; every cell is text and is escaped. `numeriques` right-aligns columns."""
    numeriques = numeriques or [False] * len(entetes)
    classes = list(classes or [])
    cap = f"<caption>{e(legende)}</caption>" if legende else ""
    tete = "".join(f'<th scope="col"{_cls(n)}>{e(h)}</th>' for h, n in zip(entetes, numeriques, strict=True))
    corps = []
    for i, ligne in enumerate(lignes):
        classe = f' class="{e(classes[i])}"' if i < len(classes) and classes[i] else ""
        cellules = "".join(
            (f'<th scope="row">{e(str(v))}</th>' if j == 0 else f"<td{_cls(n)}>{e(str(v))}</td>")
            for j, (v, n) in enumerate(zip(ligne, numeriques, strict=True))
        )
        corps.append(f"<tr{classe}>{cellules}</tr>")
    return (
        f'<table class="donnees">{cap}<thead><tr>{tete}</tr></thead><tbody>{"".join(corps)}</tbody></table>'
    )


def _cls(numerique: bool) -> str:
    return ' class="num"' if numerique else ""
