"""Charts with one bar per neighbourhood stay readable on a national territory."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from PIL import Image

from evaluation import figures


def hauteur(graphique: figures.Graphique) -> int:
    return Image.open(io.BytesIO(graphique.png)).size[1]


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
    cache = comptes.to_numpy() < 5
    g = figures.carte_masquee(comptes, cache, "Remontées")
    assert g.titre == "Remontées — les 40 aux remontées les plus nombreuses sur 50"
    assert "Q49 : a 49, b < 5" in g.alt and "Q10 : a 10, b < 5" in g.alt
    assert "Q09 :" not in g.alt
