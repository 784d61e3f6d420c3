"""Charts with one bar per neighbourhood stay readable on a national territory."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from evaluation.rapport import figures


def hauteur(graphique: figures.Graphique) -> float:
    """The chart's height in points, from its SVG root element."""
    return float(re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', graphique.svg).group(1))


def test_a_chart_keeps_the_40_least_served_of_45_qpv_and_says_so():
    codes = [f"Q{i:02d}" for i in range(45)]
    c1 = pd.Series(np.arange(45, dtype=float)[::-1], index=codes)  # Q44 is the least served
    noms = {c: f"Quartier {c}" for c in codes}
    g = figures.couverture(c1, noms, 10.0, "C1 par QPV")
    assert g.titre == "C1 par QPV — les 40 moins dotés sur 45"
    assert "Quartier Q44 : 0,00" in g.alt and "Quartier Q05 : 39,00" in g.alt
    assert "Quartier Q04" not in g.alt  # the five best served are left out
    quarante = figures.couverture(c1.iloc[5:], noms, 10.0, "C1 par QPV")
    assert quarante.titre == "C1 par QPV"  # 40 or fewer: all shown, no note
    assert hauteur(g) == hauteur(quarante)


def test_masked_heatmap_keeps_the_rows_with_most_signals_and_their_masks():
    comptes = pd.DataFrame({"a": range(50), "b": [3] * 50}, index=[f"Q{i:02d}" for i in range(50)])
    marques = comptes.map(lambda v: "< 5" if v < 5 else "")
    g = figures.carte_masquee(comptes.astype(float).mask(marques != ""), marques, "Remontées")
    assert g.titre == "Remontées — les 40 aux remontées les plus nombreuses sur 50"
    assert "Q49 : a 49, b < 5" in g.alt and "Q10 : a 10, b < 5" in g.alt
    assert "Q09 :" not in g.alt
    secondaire = marques.iloc[:2].copy()
    secondaire.iloc[1, 0] = "s"  # masked by the secondary rule: its value is never drawn
    g = figures.carte_masquee(comptes.iloc[:2].astype(float).mask(secondaire != ""), secondaire, "R")
    assert "Q01 : a s, b < 5" in g.alt and "1" not in g.alt.split("Q01 :")[1]


def test_a_chart_is_an_svg_without_date_and_the_same_chart_gives_the_same_bytes():
    valeurs = pd.Series({"Alpha": 1.5, "Bêta": 2.25})
    g = figures.barres(valeurs, "C3 par commune", "ETP pour 1 000 habitants", reference=2.0)
    assert g.svg.startswith("<?xml") and g.svg.rstrip().endswith("</svg>")
    assert "<dc:date>" not in g.svg  # a rebuild with the same data gives the same page
    assert figures.barres(valeurs, "C3 par commune", "ETP pour 1 000 habitants", reference=2.0).svg == g.svg
    assert "Alpha : 1,50; Bêta : 2,25" in g.alt
