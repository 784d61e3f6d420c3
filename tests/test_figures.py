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
    secondaire = marques.iloc[5:7].copy()  # Q05's 5 and Q06's 6 signals of « a »
    secondaire.iloc[1, 0] = "s"  # masked by the secondary rule: its value is never drawn
    g = figures.carte_masquee(comptes.iloc[5:7].astype(float).mask(secondaire != ""), secondaire, "R")
    assert g.alt.endswith("; 2 quartiers, valeurs dans le tableau.")  # no count, masked or not
    assert sorted(t.get_text() for t in g.figure.axes[0].texts) == ["5", "< 5", "< 5", "s"]


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


# --------------------------------------------------------------------------- print review
# A Préfecture reviewer's findings on the printed reports, read on the drawn matplotlib
# figure itself (`Graphique.figure`): the keys, the hatches, the heatmap's hour labels, and
# no chart at all when there is nothing to show.

ORANGE, BLEU = figures.COULEUR_ALERTE, figures.COULEUR_QPV


def cles(g: figures.Graphique) -> list[tuple[str, str]]:
    """(text, hatch) of each entry of the chart's key ('' for a line's)."""
    legende = g.figure.axes[0].get_legend()
    return [
        (t.get_text(), getattr(h, "get_hatch", lambda: "")() or "")
        for t, h in zip(legende.get_texts(), legende.legend_handles, strict=True)
    ]


def test_the_key_of_the_coverage_chart_says_what_orange_means():
    """Q1 (0,2) and Q2 (0,5) are under the threshold 0,8: orange and hatched, first (least
    served on top); Q3 (1,5) is blue and plain; the key names both fills, then the lines."""
    c1 = pd.Series({"Q3": 1.5, "Q1": 0.2, "Q2": 0.5})
    noms = {"Q1": "Un", "Q2": "Deux", "Q3": "Trois"}
    g = figures.couverture(c1, noms, 1.1, "C1", seuil=0.8, sous_dotes={"Q1", "Q2"})
    assert cles(g) == [
        ("QPV sous-doté (C5)", "///"),
        ("QPV non sous-doté", ""),
        ("Seuil de sous-dotation : 0,80", ""),
        ("Ensemble des QPV de l'agglomération : 1,10", ""),
    ]
    ax = g.figure.axes[0]
    cle_orange = ax.get_legend().legend_handles[0]
    assert tuple(cle_orange.get_facecolor()[:3]) == pytest.approx(ORANGE)
    # Bars top to bottom: each under-served one in the fill its key shows.
    assert ax.yaxis_inverted() and [t.get_text() for t in ax.get_yticklabels()] == ["Un", "Deux", "Trois"]
    barres = sorted(ax.patches, key=lambda p: p.get_y())
    assert [(round(b.get_width(), 2), b.get_hatch() or "") for b in barres] == [
        (0.2, "///"),
        (0.5, "///"),
        (1.5, ""),
    ]
    assert [tuple(b.get_facecolor()[:3]) for b in barres] == [
        pytest.approx(ORANGE),
        pytest.approx(ORANGE),
        pytest.approx(BLEU),
    ]
    assert "sous-dotés, en orange hachuré : Un, Deux" in g.alt
    # Threshold unknown (a return missing): no under-served QPV is known, the bars are « QPV ».
    inconnu = figures.couverture(c1, noms, float("nan"), "C1", seuil=None)
    assert cles(inconnu) == [("QPV", "")]


def _series_separees(ax, nombre: int) -> None:
    """`nombre` series of bars, each with one (colour, hatch) of its own and its key drawn
    with the same hatch: in greyscale the hatch alone tells them apart."""
    legende = ax.get_legend()
    motifs = [h.get_hatch() or "" for h in legende.legend_handles]
    assert len(set(motifs)) == nombre == len(legende.get_texts())
    assert {b.get_hatch() or "" for b in ax.patches} == set(motifs)


def test_stacked_bars_by_scheme_keep_apart_in_black_and_white():
    """Three schemes with ETP (the police municipale has none: no bar, no key); each scheme's
    hatch is its place among the table's columns, whichever schemes a page shows."""
    tableau = pd.DataFrame(
        {
            "educateur_prevention": [0.5, 1.0],
            "mediateur": [1.0, 0.0],
            "police_municipale": [0.0, 0.0],
            "delegue_prefet": [0.25, 0.25],
        },
        index=["Q1", "Q2"],
    )
    g = figures.etp_par_dispositif(tableau, {"Q1": "Un", "Q2": "Deux"}, "ETP")
    ax = g.figure.axes[0]
    assert cles(g) == [
        ("Éducateurs de prévention", figures.HACHURES[0]),
        ("Médiateurs", figures.HACHURES[1]),
        ("Délégués du préfet", figures.HACHURES[3]),
    ]
    _series_separees(ax, 3)
    # The mediators' segments: hatched like their key, over each neighbourhood (0 for Q2).
    mediateurs = [b for b in ax.patches if b.get_hatch() == figures.HACHURES[1]]
    assert sorted(b.get_width() for b in mediateurs) == [0.0, 1.0]


def test_the_objectives_chart_keeps_its_statuses_apart_in_black_and_white():
    scores = pd.DataFrame(
        {
            "indicateur": ["C1", "C1", "C3", "H1"],
            "statut": ["atteint", "non atteint", "non mesurable", "atteint"],
        }
    )
    g = figures.statuts_objectifs(scores, "Objectifs")
    assert cles(g) == [("atteint", ""), ("non atteint", "///"), ("non mesurable", "...")]
    _series_separees(g.figure.axes[0], 3)
    # A status no target has gets no key, and the others keep their hatch.
    g = figures.statuts_objectifs(scores[scores["statut"] != "non atteint"], "Objectifs")
    assert cles(g) == [("atteint", ""), ("non mesurable", "...")]


def test_the_population_chart_keeps_qpv_and_veille_areas_apart_in_black_and_white():
    q = pd.DataFrame(
        {"nom": ["A", "B", "V"], "population": [1000, 2500, 800], "statut": ["qpv", "qpv", "veille_active"]}
    )
    g = figures.population_quartiers(q, "Population")
    assert cles(g) == [("QPV", ""), ("Veille active", "///")]
    ax = g.figure.axes[0]
    _series_separees(ax, 2)
    assert {
        t.get_text(): b.get_hatch() or "" for t, b in zip(ax.get_yticklabels(), ax.patches, strict=True)
    } == {
        "V": "///",
        "A": "",
        "B": "",
    }


def test_every_series_fill_differs_from_the_others_by_its_hatch():
    """One helper fills every chart's series: as many hatches as the palette has colours."""
    motifs = [figures.remplissage(i)["hatch"] for i in range(len(figures.PALETTE))]
    assert len(set(motifs)) == len(motifs) and motifs[0] == ""


def _grille(heures: dict[tuple[str, int], float]) -> pd.DataFrame:
    from evaluation.donnees.contrat import JOURS

    g = pd.DataFrame(0.0, index=list(JOURS), columns=range(24))
    for (jour, heure), h in heures.items():
        g.loc[jour, heure] = h
    return g


def test_the_week_heatmap_reads_its_hours_in_french():
    """Columns 8 to 20 always, 22 too since it holds an hour: « 8 h–9 h » … « 22 h–23 h », a
    no-break space before « h » and an en dash; the peak is Saturday's 14 h–15 h (3 h)."""
    g = figures.grille_semaine(
        _grille({("lundi", 8): 1.0, ("samedi", 14): 3.0, ("lundi", 22): 0.5}), "Semaine"
    )
    ax = g.figure.axes[0]
    nbsp = "\u00a0"
    attendues = [f"{h}{nbsp}h–{h + 1}{nbsp}h" for h in [*range(8, 21), 22]]
    assert [t.get_text() for t in ax.get_xticklabels()] == attendues
    assert attendues[0] == "8\u00a0h–9\u00a0h"
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Lundi", "Mardi"]
    assert ax.get_xlabel() == "Heure de la journée"
    assert f"lundi : 1,5{nbsp}h; mardi : 0,0{nbsp}h" in g.alt
    assert g.alt.endswith(f"Heure la plus couverte : 14{nbsp}h–15{nbsp}h.")


def test_no_heatmap_is_drawn_when_there_is_nothing_to_show():
    assert figures.grille_semaine(_grille({}), "Semaine") is None
    comptes = pd.DataFrame({"Jeunesse": [8.0, 0.0], "Santé": [2.0, 0.0]}, index=["Un", "Deux"])
    marques = pd.DataFrame({"Jeunesse": ["s", ""], "Santé": ["< 5", ""]}, index=comptes.index)
    # Every count masked or zero: the table says « aucune valeur à afficher », no grey grid.
    assert figures.carte_masquee(comptes.mask(marques != ""), marques, "Remontées") is None
    assert figures.carte_de_chaleur(comptes * 0, "Réunions", "Instance", "Dispositif") is None
    # One visible count is enough to draw it.
    marques.loc["Un", "Jeunesse"] = ""
    assert figures.carte_masquee(comptes.mask(marques != ""), marques, "Remontées") is not None


def test_a_neighbourhood_page_without_hours_or_visible_signals_shows_no_heatmap(tmp_path):
    """Quartier Deux has no post, hence no hour, and 6 signals, all in jeunesse (masked « s »
    with its total, see test_publication): its tables say « aucune valeur à afficher », and
    neither its week's heatmap (nor the bars of places, all zero) nor its signals' heatmap is
    drawn. Quartier Un's 2 h 30 on Monday morning are drawn."""
    from evaluation.donnees.territoire import charger
    from evaluation.rapport.blocs import Figure, Paragraphe
    from evaluation.rapport.ouverture import Rapport, vue_de
    from evaluation.rapport.vue import Genre

    from .conftest import ecrire_territoire
    from .test_publication import REMONTEES

    postes = [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""]]
    plages = [["P1", "Q1", "lundi", "08:00", "10:30", "rue"]]
    t = charger(
        ecrire_territoire(
            tmp_path / "raw", {2024: {"remontees": REMONTEES, "postes": postes, "plages": plages}}
        )
    )

    def page(code: str, section: str) -> list:
        return Rapport.pour(t, vue_de(t, Genre.QUARTIER, 2024, None, code)).blocs(section)

    deux = page("Q2", "organisation")
    assert any(
        isinstance(b, Paragraphe)
        and b.texte.startswith("Heures de présence par semaine et par QPV, Quartier Deux")
        and "aucune valeur à afficher" in b.texte
        for b in deux
    )
    assert not [b for b in deux if isinstance(b, Figure)]
    signaux = page("Q2", "signaux")
    assert any(isinstance(b, Paragraphe) and "aucune valeur à afficher" in b.texte for b in signaux)
    assert not [b for b in signaux if isinstance(b, Figure)]
    [semaine, lieux, _] = [b.graphique for b in page("Q1", "organisation") if isinstance(b, Figure)]
    assert semaine.titre.startswith("Heures de présence par jour et heure")
    assert semaine.alt.endswith("Heure la plus couverte : 8\u00a0h–9\u00a0h.")
    assert lieux.titre.startswith("Heures de présence par semaine et type de lieu")


def test_the_evolution_charts_say_their_unit_in_the_alternative_text():
    """A median delay of 5 then 2.5 days, 1 then 3 adultes-relais posts, 1,200 € then 900 €,
    0.5 ETP per 1,000 inhabitants: the text says « jours », « poste » (singular below 2) and
    « postes », « € », « ETP » (the label already says « pour 1 000 habitants »); no unit is
    repeated when the label names it (« Réunions … » in réunions), nor after a share."""
    annees = [2021, 2022, 2023]
    series = pd.DataFrame(
        {
            2021: [5.0, 1.0, 1200.0, 0.5, 4.0, 0.25],
            2022: [np.nan, 2.0, 1000.0, 0.5, 6.0, 0.5],
            2023: [2.5, 3.0, 900.0, 0.75, 8.0, 0.5],
        },
        index=["V6", "R2", "F7", "C1", "R1", "V4"],
    )
    assert list(series.columns) == annees
    g = figures.tendances(
        series,
        "Titre",
        {
            "V6": "Délai médian de suite",
            "R2": "Adultes-relais en exercice",
            "F7": "Financement de la prévention spécialisée par le Département",
            "C1": "Présence humaine pour 1\u202f000 habitants",
            "R1": "Réunions copilotées du réseau",
            "V4": "Remontées suivies",
        },
        {
            "V6": "jours",
            "R2": "postes",
            "F7": "euros",
            "C1": "ETP pour 1 000 habitants",
            "R1": "réunions",
            "V4": "%",
        },
        pourcentages={"V4"},
        decimales={"V6": 1, "C1": 2, "V4": 0},
    )
    assert "Délai médian de suite : de 5,0\u00a0jours en 2021 à 2,5\u00a0jours en 2023" in g.alt
    assert "Adultes-relais en exercice : de 1\u00a0poste en 2021 à 3\u00a0postes en 2023" in g.alt
    assert "par le Département : de 1\u202f200\u00a0€ en 2021 à 900\u00a0€ en 2023" in g.alt
    assert (
        "Présence humaine pour 1\u202f000 habitants : de 0,50\u00a0ETP en 2021 à 0,75\u00a0ETP en 2023"
        in g.alt
    )
    assert "Réunions copilotées du réseau : de 4 en 2021 à 8 en 2023" in g.alt
    assert "Remontées suivies : de 25\u00a0% en 2021 à 50\u00a0% en 2023" in g.alt


def test_une_courbe_d_une_seule_valeur_garde_toutes_ses_annees():
    """A series with one value (a median known in 2025 only) keeps its six years on the axis,
    one apart, instead of squeezing them all onto the one point drawn."""
    series = pd.DataFrame(
        {
            2020: [np.nan, 12.0],
            2021: [np.nan, 9.0],
            2022: [np.nan, 15.0],
            2023: [np.nan, 9.0],
            2024: [np.nan, 11.0],
            2025: [5.0, 21.0],
        },
        index=["V6", "V1"],
    )
    g = figures.tendances(
        series, "Veille", {"V6": "Délai médian", "V1": "Remontées"}, {"V6": "jours", "V1": "remontées"}
    )
    for ax in g.figure.axes:
        assert ax.get_xlim() == (2019.5, 2025.5)
        assert [t.get_text() for t in ax.get_xticklabels()] == [str(a) for a in range(2020, 2026)]
