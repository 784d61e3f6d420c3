"""Charts with one bar per neighbourhood stay readable on a national territory."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

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
    # The alternative text summarises the chart: the table beside it has every value.
    assert "40 barres, de Quartier Q44 (0,00) à Quartier Q05 (39,00)" in g.alt
    assert "Quartier Q04" not in g.alt and len(g.alt) < 300  # the five best served are left out
    quarante = figures.couverture(c1.iloc[5:], noms, 10.0, "C1 par QPV")
    assert quarante.titre == "C1 par QPV"  # 40 or fewer: all shown, no note
    assert hauteur(g) == hauteur(quarante)


def test_masked_heatmap_keeps_the_rows_with_most_signals_and_their_masks():
    comptes = pd.DataFrame({"a": range(50), "b": [3] * 50}, index=[f"Q{i:02d}" for i in range(50)])
    marques = comptes.map(lambda v: "< 5" if v < 5 else "")
    g = figures.carte_masquee(comptes.astype(float).mask(marques != ""), marques, "Remontées")
    assert g.titre == "Remontées — les 40 aux remontées les plus nombreuses sur 50"
    assert g.alt.endswith("; 40 quartiers, valeurs dans le tableau.")
    secondaire = marques.iloc[:2].copy()
    secondaire.iloc[1, 0] = "s"  # masked by the secondary rule: its value is never drawn
    g = figures.carte_masquee(comptes.iloc[:2].astype(float).mask(secondaire != ""), secondaire, "R")
    assert g.alt.endswith("; 2 quartiers, valeurs dans le tableau.")  # no count, masked or not


def test_a_chart_is_an_svg_without_date_and_the_same_chart_gives_the_same_bytes():
    valeurs = pd.Series({"Alpha": 1.5, "Bêta": 2.25})
    g = figures.barres(valeurs, "C3 par commune", "ETP pour 1 000 habitants", reference=2.0)
    assert g.svg.startswith("<?xml") and g.svg.rstrip().endswith("</svg>")
    assert "<dc:date>" not in g.svg  # a rebuild with the same data gives the same page
    assert figures.barres(valeurs, "C3 par commune", "ETP pour 1 000 habitants", reference=2.0).svg == g.svg
    assert (
        g.alt == "Diagramme en barres (ETP pour 1 000 habitants) : 2 barres, de Alpha (1,50) à Bêta (2,25)."
    )


@pytest.mark.parametrize("palette", ["Blues", "Oranges"])
def test_le_texte_des_cartes_de_chaleur_se_lit_sur_chaque_teinte(palette):
    """Every shade a heatmap can draw gets an ink at 4.5:1 or more (WCAG AA)."""
    import matplotlib

    from evaluation.rapport.figures import contraste, encre_sur

    cmap = matplotlib.colormaps[palette]
    assert min(contraste(cmap(k / 255), encre_sur(cmap(k / 255))) for k in range(256)) >= 4.5
    # seaborn's own threshold (luminance 0.408) picks white on a mid-tone where black reads better
    assert (
        contraste((0.5, 0.5, 0.5), (1, 1, 1)) < 4.5 <= contraste((0.5, 0.5, 0.5), encre_sur((0.5, 0.5, 0.5)))
    )
