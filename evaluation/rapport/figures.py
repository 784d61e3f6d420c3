"""Every chart of the reports, in one style.

Charts are drawn on `matplotlib.figure.Figure` objects (no pyplot global state) and
returned as SVG with their title and a real alternative text. SVG rather than PNG: reports
are often printed, and vectors print sharp at any size; and drawing to SVG costs ≈ 30 % less
than rasterising (the bulk of a report's time in a national batch). Text is drawn as paths,
so a chart looks the same on every machine.

Printed in black and white, two colours can give the same grey: every series of bars is
filled by `remplissage`, a colour and a hatch of its own, and its key shows both. A heatmap
with no value to show returns None, and its section shows no figure (`blocs.figures_de`).
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import LIBELLES
from evaluation.indicateurs import libelle_code

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter


@functools.cache
def _mpl() -> SimpleNamespace:
    """matplotlib and seaborn, imported when the first chart is drawn (≈ 0.7 s): importing the
    report's sections, as validation does to know their names, draws nothing."""
    import matplotlib

    matplotlib.use("Agg")
    # The same chart gives the same bytes (clip-path identifiers are hashed with this salt).
    matplotlib.rcParams["svg.hashsalt"] = "evaluation"
    import seaborn
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    return SimpleNamespace(Figure=Figure, FuncFormatter=FuncFormatter, MaxNLocator=MaxNLocator, sns=seaborn)


# seaborn's « colorblind » palette, its first eight colours (sns.color_palette("colorblind", 8)).
_DALTONIENS = ("#0173B2", "#DE8F05", "#029E73", "#D55E00", "#CC78BC", "#CA9161", "#FBAFE4", "#949494")
PALETTE = [tuple(int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)) for c in _DALTONIENS]
COULEUR_QPV, COULEUR_VEILLE, COULEUR_REFERENCE = PALETTE[0], PALETTE[7], "#444444"
COULEUR_ALERTE = PALETTE[3]
DPI = 110
# A chart with one bar (or row) per neighbourhood shows at most this many: a national
# territory has 1,500 QPVs; the tables beside the charts keep every neighbourhood.
LIGNES_MAX = 40


@dataclass(frozen=True)
class Graphique:
    """A chart as a page shows it: its title, its alternative text and its SVG. `figure` is
    the matplotlib figure it was drawn from (what a test reads: legend, hatches, tick labels);
    it is not part of what the chart is compared on."""

    titre: str
    alt: str
    svg: str
    figure: Figure | None = field(default=None, compare=False, repr=False)


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _titre(ax, titre: str, **options) -> None:
    """A panel's title, left-aligned, just above its axes. Placed there rather than where
    matplotlib would compute it from the tick labels' extent (same place here: no tick labels
    on top), which measured every label of the chart again. A chart's own title is not drawn:
    it is text of the page (`Graphique.titre`, shown as the figure's caption)."""
    ax.set_title(titre, loc="left", y=1.0, **options)


def _legende(ax, **options) -> None:
    """The key, outside the axes on the right: it never covers a bar or a line (the canvas is
    extended to it when the chart is written). No key when nothing drawn has a label (a chart
    whose every series is masked)."""
    if "handles" not in options and not ax.get_legend_handles_labels()[0]:
        return
    ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8, frameon=False, **options
    )


def luminance(couleur) -> float:
    """WCAG relative luminance of an RGB(A) colour in [0, 1]."""

    def lineaire(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lineaire(float(c)) for c in couleur[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contraste(a, b) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    clair, sombre = sorted((luminance(a), luminance(b)), reverse=True)
    return (clair + 0.05) / (sombre + 0.05)


NOIR, BLANC = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)


def encre_sur(fond) -> tuple[float, float, float]:
    """Black or white, whichever reads better on `fond`: at least 4.58:1 on any colour."""
    return NOIR if contraste(fond, NOIR) >= contraste(fond, BLANC) else BLANC


# One hatch per series, the first plain: two colours of the palette can print as the same grey.
HACHURES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "+++", "---")


def remplissage(i: int, couleur=None) -> dict:
    """How every chart fills its `i`-th series (bars, and their keys through the legend): its
    colour (`couleur`, else the palette's `i`-th) and its hatch, so that a black-and-white
    print still tells the series apart. The hatch is drawn in the ink that reads best on the
    colour; a thin white edge parts stacked segments."""
    fond = PALETTE[i % len(PALETTE)] if couleur is None else couleur
    return {
        "facecolor": fond,
        "hatch": HACHURES[i % len(HACHURES)],
        "hatchcolor": encre_sur(fond),
        "edgecolor": BLANC,
        "linewidth": 0.6,
    }


def _textes_lisibles(ax, valeurs) -> None:
    """Each annotation of a heatmap in the ink that reads best on its cell (seaborn's own
    choice, by a luminance threshold, falls under 4.5:1 on mid-tones)."""
    import numpy as np

    maille = ax.collections[0]
    valeurs = np.asarray(valeurs, dtype=float)
    for texte in ax.texts:
        x, y = texte.get_position()
        i, j = int(y), int(x)
        if 0 <= i < valeurs.shape[0] and 0 <= j < valeurs.shape[1] and not np.isnan(valeurs[i, j]):
            texte.set_color(encre_sur(maille.cmap(maille.norm(valeurs[i, j]))))


def _graduation(x: float, _pos: int | None, decimales: int) -> str:
    return formats.nombre(x, decimales)


def _format_fr(decimales: int) -> FuncFormatter:
    """French tick labels; a partial, not a lambda, so that a figure can be pickled (the
    build's cache keeps drawn figures)."""
    return _mpl().FuncFormatter(functools.partial(_graduation, decimales=decimales))


def _svg(fig: Figure, ajuster: bool = True) -> str:
    """The chart as SVG. `ajuster`: crop or extend the canvas to what is drawn (a long title
    is never cut); a figure whose layout already fits its canvas skips that second pass."""
    tampon = io.StringIO()
    fig.savefig(
        tampon,
        format="svg",
        dpi=DPI,
        bbox_inches="tight" if ajuster else None,
        metadata={"Date": None, "Creator": None},
    )
    # One line: a notebook stores a multi-line text as one JSON string per line (thousands
    # for a chart), which papermill and nbconvert then split and join again. Line breaks are
    # only whitespace between the elements and inside path data.
    return tampon.getvalue().replace("\n", " ")


def _au_plus(n: int, quoi: str) -> str:
    """The title's note when a chart keeps only `LIGNES_MAX` of its `n` neighbourhoods."""
    return f" — les {LIGNES_MAX} {quoi} sur {formats.nombre(n)}" if n > LIGNES_MAX else ""


LARGEUR_IMPRIMEE = 6.7  # inches: within the printed width, A4 less its margins (18,2 cm: rapport.css)


def _figure(largeur: float, hauteur: float) -> tuple[Figure, object]:
    fig = _mpl().Figure(figsize=(largeur, hauteur), layout="constrained")
    return fig, fig.subplots()


def population_quartiers(quartiers: pd.DataFrame, titre: str) -> Graphique:
    """Horizontal bars: population of each neighbourhood, QPV and veille areas coloured apart."""
    titre += _au_plus(len(quartiers), "plus peuplés")
    q = quartiers.sort_values("population").tail(LIGNES_MAX)
    fig, ax = _figure(7.5, 0.45 * len(q) + 1.2)
    styles = {"qpv": remplissage(0, COULEUR_QPV), "veille_active": remplissage(1, COULEUR_VEILLE)}
    barres_ = ax.barh(q["nom"], q["population"])
    for barre, statut in zip(barres_, q["statut"], strict=True):
        barre.set(**styles[statut])
    ax.set_xlabel("Population (habitants)")
    ax.xaxis.set_major_formatter(_format_fr(0))
    _style(ax)
    from matplotlib.patches import Patch

    _legende(
        ax,
        handles=[
            Patch(**styles["qpv"], label="QPV"),
            Patch(**styles["veille_active"], label="Veille active"),
        ],
    )
    details = _extremes(pd.Series(q["population"].to_numpy(), index=q["nom"]), "habitants")
    return Graphique(
        titre,
        f"Diagramme en barres de la population par quartier (valeurs dans le tableau) : {details}.",
        _svg(fig),
        fig,
    )


def _extremes(s: pd.Series, unite: str, decimales: int = 0) -> str:
    """« 13 barres, de Bords de Loire (1 550 habitants) à Sanitas (8 227 habitants) »: the
    alternative text of a bar chart summarises it; the table beside it has every value."""
    s = s.dropna()
    if s.empty:
        return "aucune valeur"

    def dire(v) -> str:
        return formats.nombre(v, decimales) + (f" {unite}" if unite else "")

    if len(s) == 1:
        return f"{s.index[0]} : {dire(s.iloc[0])}"
    return f"{len(s)} barres, de {s.idxmin()} ({dire(s.min())}) à {s.idxmax()} ({dire(s.max())})"


# Units the alternative text does not repeat: a share carries « % », the others have no
# natural reading after a figure (« 0,4 rapport »).
_SANS_UNITE_DANS_LE_TEXTE = {"%", "oui = 1", "atteint = 1", "rapport", "coefficient de variation"}
_COMPLEMENTS = (" pour 1 000 habitants", " par ETP annuel", " par ETP", " par semaine")


def unite_du_texte(libelle: str, unite: str) -> str:
    """The unit an alternative text writes after a figure of the series `libelle`: none when
    the label already names it (« Réunions du réseau » in réunions, « Heures de présence par
    semaine »), without the complement the label carries (« Présence humaine pour 1 000
    habitants » in « ETP pour 1 000 habitants » -> « ETP »)."""

    def espaces(texte: str) -> str:
        return texte.replace(formats.ESPACE_FINE, " ").replace(formats.ESPACE_INSECABLE, " ")

    unite = espaces(unite)
    if unite in _SANS_UNITE_DANS_LE_TEXTE or not unite:
        return ""
    minuscules = espaces(libelle).lower()
    if unite.split(" ")[0].lower() in minuscules.split(" "):
        return ""
    for complement in _COMPLEMENTS:
        if unite.endswith(complement) and complement.strip().lower() in minuscules:
            unite = unite[: -len(complement)]
            break
    return unite.replace("1 000", "1" + formats.ESPACE_FINE + "000")


def _de_a(
    libelle: str, valeurs: pd.Series, pourcentage: bool, decimales: int | None = None, unite: str = ""
) -> str:
    """« Libellé : de 28 en 2020 à 46 en 2024 », on the first and last years with a value,
    with `decimales` (the table's rounding of the indicator) when given, and the unit that
    `unite_du_texte` keeps (« Délai médian de suite : de 5 jours en 2021 à 2,5 jours en 2023 »;
    euros as « 1 200 € »)."""
    connues = valeurs.dropna()
    if connues.empty:
        return f"{libelle} : non calculable"
    unite = "" if pourcentage else unite_du_texte(libelle, unite)

    def dire(a, v) -> str:
        d = decimales if decimales is not None else 1 if v != round(v) else 0
        if pourcentage:
            return f"{formats.nombre(v, d)}{formats.ESPACE_INSECABLE}% en {a}"
        if unite == "euros":
            return f"{formats.euros(v, d)} en {a}"
        if unite:
            mot = unite if abs(formats.arrondi(v, d)) >= 2 else formats.au_singulier(unite)
            return f"{formats.nombre(v, d)}{formats.ESPACE_INSECABLE}{mot} en {a}"
        return f"{formats.nombre(v, d)} en {a}"

    premiere, derniere = connues.index[0], connues.index[-1]
    if premiere == derniere:
        return f"{libelle} : {dire(premiere, connues.iloc[0])}"
    return f"{libelle} : de {dire(premiere, connues.iloc[0])} à {dire(derniere, connues.iloc[-1])}"


def rupture_de_liste(ruptures: tuple[int, ...], trait: bool = True) -> str:
    """« trait pointillé : la liste des QPV change en 2024, les valeurs de part et d'autre ne
    portent pas sur les mêmes quartiers » (without the line's name for a table)."""
    annees = formats.enumerer([str(a) for a in ruptures])
    return (
        f"{'trait pointillé : ' if trait else ''}la liste des QPV change en {annees}, les valeurs de part et "
        "d'autre ne portent pas sur les mêmes quartiers"
    )


def tendances(
    series: pd.DataFrame,
    titre: str,
    libelles: dict[str, str],
    unites: dict[str, str],
    pourcentages: set[str] = frozenset(),
    ruptures: tuple[int, ...] = (),
    decimales: dict[str, int] | None = None,
) -> Graphique:
    """Small multiples: one line per indicator (rows of `series`) over the years (columns);
    rows in `pourcentages` are shares in [0, 1] drawn as percentages; a dotted line before
    each year of `ruptures` (the list of QPVs changed: the values on either side do not cover
    the same neighbourhoods). `decimales`: each row's decimals as its table shows it (of the
    percentage for a share), used by the alternative text."""
    series = series.astype(float).copy()
    for code in pourcentages:
        series.loc[code] = series.loc[code] * 100
    codes = list(series.index)
    colonnes = min(3, len(codes))
    lignes = -(-len(codes) // colonnes)
    # A regular grid: margins in inches instead of constrained layout, which measured every
    # label of every panel again and again (these figures were 3/4 of a report's drawing).
    # Left of each panel: its unit, then tick labels as wide as the largest value (8 pt digits
    # are about 0.07 inch).
    chiffres = max([4, *(len(formats.nombre(v)) for v in series.max(axis=1).dropna())])
    graduations = 0.07 * chiffres
    gauche = 0.35 + graduations
    droite, haut, bas, entre_x, entre_y = 0.25, 0.5, 0.5, gauche + 0.1, 1.0
    # Wide enough for the figure's title (12 pt: about 0.1 inch per character).
    largeur = 3.2 * colonnes + (gauche - 0.75) * colonnes
    hauteur = 2.6 * lignes + 0.35
    fig = _mpl().Figure(figsize=(largeur, hauteur))
    panneau_x = (largeur - gauche - droite - entre_x * (colonnes - 1)) / colonnes
    panneau_y = (hauteur - haut - bas - entre_y * (lignes - 1)) / lignes
    grille = fig.add_gridspec(
        lignes,
        colonnes,
        left=gauche / largeur,
        right=1 - droite / largeur,
        top=1 - haut / hauteur,
        bottom=bas / hauteur,
        wspace=entre_x / panneau_x,
        hspace=entre_y / panneau_y,
    )
    annees = [int(a) for a in series.columns]
    for i, code in enumerate(codes):
        ax = fig.add_subplot(grille[divmod(i, colonnes)])
        valeurs = series.loc[code].astype(float)
        ax.plot(annees, valeurs.to_numpy(), marker="o", color=PALETTE[0])
        if valeurs.isna().all():
            ax.text(0.5, 0.5, "non calculable", transform=ax.transAxes, ha="center", color="#777777")
        # Axis labels at fixed places too (see `_titre`; a quarter of these figures' drawing):
        # the unit left of the widest tick labels the margin was sized for, « Année » under the years.
        _titre(ax, _couper(f"{code.partition('.')[0]} — {libelles[code]}", 32), fontsize=9)
        ax.set_xlabel("Année")
        ax.xaxis.set_label_coords(0.5, -0.27 / panneau_y)
        ax.set_ylabel(unites[code], fontsize=8)
        ax.yaxis.set_label_coords(-(graduations + 0.16) / panneau_x, 0.5)
        ax.set_xticks(annees)
        ax.set_xlim(annees[0] - 0.5, annees[-1] + 0.5)  # every year in place, even with one value drawn
        ax.tick_params(labelsize=8)
        entiers = bool(valeurs.dropna().eq(valeurs.dropna().round()).all())
        ax.yaxis.set_major_locator(_mpl().MaxNLocator(nbins=5, integer=entiers))
        ax.yaxis.set_major_formatter(_format_fr(1 if valeurs.max() < 10 and not entiers else 0))
        maximum = valeurs.max()
        ax.set_ylim(bottom=0, top=max(1.0, maximum * 1.15) if maximum == maximum else 1.0)
        for annee in ruptures:
            ax.axvline(annee - 0.5, color=COULEUR_REFERENCE, linestyle=":", linewidth=1)
            ax.text(
                annee - 0.45, 0.97, f"liste {annee}", transform=ax.get_xaxis_transform(), fontsize=7, va="top"
            )
        _style(ax)
    details = " ; ".join(
        _de_a(
            libelles[code], series.loc[code], code in pourcentages, (decimales or {}).get(code), unites[code]
        )
        for code in codes
    )
    if ruptures:
        details += " ; " + rupture_de_liste(ruptures)
    return Graphique(
        titre,
        f"Courbes d'évolution annuelle de {formats.accorder(len(codes), 'indicateur')}, "
        f"{annees[0]}–{annees[-1]} (valeurs dans le tableau) : {details}.",
        _svg(fig, ajuster=False),
        fig,
    )


def etp_par_dispositif(tableau: pd.DataFrame, noms: dict[str, str], titre: str) -> Graphique:
    """Stacked horizontal bars: annual ETP of each neighbourhood (rows) by scheme (columns).
    A scheme keeps its fill (`remplissage`) by its place among `tableau`'s columns, whichever
    schemes a page shows."""
    titre += _au_plus(len(tableau), "moins dotés")
    rangs = {d: i for i, d in enumerate(tableau.columns)}
    t = tableau.loc[:, tableau.sum() > 0]
    t = t.loc[t.sum(axis=1).sort_values().index[:LIGNES_MAX]]
    fig, ax = _figure(7.5, 0.45 * len(t) + 1.6)
    gauche = pd.Series(0.0, index=t.index)
    etiquettes = [noms[c] for c in t.index]
    for dispositif in t.columns:
        ax.barh(
            etiquettes,
            t[dispositif],
            left=gauche,
            label=LIBELLES[dispositif],
            **remplissage(rangs[dispositif]),
        )
        gauche += t[dispositif]
    ax.set_xlabel("ETP annuels")
    ax.xaxis.set_major_formatter(_format_fr(1))
    _legende(ax)
    _style(ax)
    details = _extremes(t.sum(axis=1).rename(index=noms), "ETP", 1)
    return Graphique(
        titre,
        f"Barres empilées des ETP annuels par quartier et par dispositif (valeurs dans le tableau) : {details}.",
        _svg(fig),
        fig,
    )


def couverture(
    c1: pd.Series,
    noms: dict[str, str],
    reference: float,
    titre: str,
    seuil: float | None = None,
    sous_dotes: set[str] = frozenset(),
) -> Graphique:
    """Horizontal bars of C1 per QPV, the least served on top, under-served ones (C5) in orange
    and hatched, with the agglomeration's value and the under-served threshold as reference
    lines. The key says what each fill means: « QPV sous-doté (C5) », and « QPV non sous-doté »
    (« QPV » while the threshold is unknown)."""
    from matplotlib.patches import Patch

    s = c1.dropna().sort_values()
    titre += _au_plus(len(s), "moins dotés")
    s = s.head(LIGNES_MAX)
    fig, ax = _figure(7.5, 0.45 * len(s) + 1.4)
    styles = {True: remplissage(1, COULEUR_ALERTE), False: remplissage(0, COULEUR_QPV)}
    barres_ = ax.barh(range(len(s)), s.to_numpy(), tick_label=[noms[c] for c in s.index])
    for barre, code in zip(barres_, s.index, strict=True):
        barre.set(**styles[code in sous_dotes])
    ax.invert_yaxis()
    connu = seuil is not None and not math.isnan(seuil)
    sous = [c in sous_dotes for c in s.index]
    cles = [
        *([Patch(**styles[True], label=f"{libelle_code('C5')} (C5)")] if any(sous) else []),
        *([Patch(**styles[False], label="QPV non sous-doté" if connu else "QPV")] if not all(sous) else []),
    ]
    if connu:
        ax.axvline(
            seuil,
            color=COULEUR_ALERTE,
            linestyle=":",
            linewidth=1.2,
            label=f"Seuil de sous-dotation : {formats.nombre(seuil, 2)}",
        )
    if reference is not None and not math.isnan(reference):  # unknown while a return is missing
        ax.axvline(
            reference,
            color=COULEUR_REFERENCE,
            linestyle="--",
            linewidth=1,
            label=f"Ensemble des QPV de l'agglomération : {formats.nombre(reference, 2)}",
        )
    cles += ax.get_legend_handles_labels()[0]
    if cles:
        _legende(ax, handles=cles)
    ax.set_xlabel("ETP annuels pour 1 000 habitants")
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(_format_fr(1))
    _style(ax)
    details = _extremes(s.rename(index=noms), "", 2)
    return Graphique(
        titre,
        f"Barres horizontales des ETP pour 1 000 habitants par QPV, avec la valeur de "
        f"l'agglomération ({formats.nombre(reference, 2)}) en tirets"
        + (
            f" et le seuil de sous-dotation ({formats.nombre(seuil, 2)}) en pointillés"
            if seuil is not None
            else ""
        )
        + (
            f" ; sous-dotés, en orange hachuré : {', '.join(noms[c] for c in s.index if c in sous_dotes)}"
            if sous_dotes
            else ""
        )
        + f". {details}.",
        _svg(fig),
        fig,
    )


def volumes(table: pd.DataFrame, titre: str) -> Graphique:
    """Heatmap of the number of rows per table (rows) and year (columns)."""
    fig, ax = _figure(7.5, 0.4 * len(table) + 1.4)
    _mpl().sns.heatmap(
        table.astype(float),
        annot=table.map(lambda v: formats.nombre(v)).to_numpy(),
        fmt="",
        cmap="Blues",
        cbar=False,
        linewidths=0.5,
        ax=ax,
    )
    _textes_lisibles(ax, table.astype(float).to_numpy())
    ax.set_xlabel("Année")
    ax.set_ylabel("Table")
    details = _extremes(table.sum(axis=0).rename(index=str), "lignes")
    return Graphique(
        titre,
        f"Carte de chaleur du nombre de lignes par table et par année ; total par année : {details}.",
        _svg(fig),
        fig,
    )


STATUTS = {"atteint": PALETTE[2], "non atteint": PALETTE[3], "non mesurable": PALETTE[7]}


def statuts_objectifs(scores: pd.DataFrame, titre: str) -> Graphique:
    """Stacked horizontal bars: number of targets per indicator and status."""
    t = (
        scores.groupby(["indicateur", "statut"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(STATUTS), fill_value=0)
    )
    fig, ax = _figure(7.5, 0.45 * len(t) + 1.4)
    gauche = pd.Series(0, index=t.index)
    for i, (statut, couleur) in enumerate(STATUTS.items()):
        if t[statut].sum():  # no key for a status no target has
            ax.barh(t.index, t[statut], left=gauche, label=statut, **remplissage(i, couleur))
            gauche += t[statut]
    ax.set_xlabel("Nombre d'objectifs")
    ax.set_ylabel("Indicateur")
    ax.xaxis.set_major_locator(_mpl().MaxNLocator(integer=True))
    _legende(ax)
    _style(ax)
    details = ", ".join(f"{formats.accorder(int(n), s)}" for s, n in t.sum().items() if n)
    return Graphique(
        titre,
        f"Barres empilées du nombre d'objectifs par indicateur et par statut ; en tout : {details}.",
        _svg(fig),
        fig,
    )


def _couper(texte: str, largeur: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(texte, largeur)) or texte


def grille_semaine(grille: pd.DataFrame, titre: str) -> Graphique | None:
    """Heatmap of weekly hours of presence by weekday (rows) and hour of the day (columns,
    each read « 8 h–9 h »); None when the grid holds no hour (the page's table then says
    there is no value to show, and no empty chart is drawn)."""
    if not grille.to_numpy().sum() > 0:
        return None
    g = grille.loc[:, (grille.sum() > 0) | (grille.columns.isin(range(8, 21)))]
    # As wide as the printed page (A4 less its margins): its 8 pt labels print at 8 pt.
    fig, ax = _figure(LARGEUR_IMPRIMEE, 3.8)
    _mpl().sns.heatmap(g, cmap="Blues", ax=ax, cbar_kws={"label": "Heures par semaine"}, linewidths=0.3)
    ax.set_xlabel("Heure de la journée")
    ax.set_ylabel("Jour")
    ax.set_xticks(
        [j + 0.5 for j in range(len(g.columns))],
        [formats.plage_horaire(h, h + 1) for h in g.columns],
        rotation=45,
        ha="right",
        rotation_mode="anchor",
        fontsize=8,
    )
    ax.set_yticks([i + 0.5 for i in range(len(g.index))], [j.capitalize() for j in g.index], rotation=0)
    jours = g.sum(axis=1)
    pic = g.sum(axis=0).idxmax()
    details = "; ".join(f"{j} : {formats.heures(h, 1)}" for j, h in jours.items())
    return Graphique(
        titre,
        f"Carte de chaleur des heures de présence par jour et par heure. Par jour : {details}. "
        f"Heure la plus couverte : {formats.plage_horaire(pic, pic + 1)}.",
        _svg(fig),
        fig,
    )


def barres(valeurs: pd.Series, titre: str, unite: str, reference: float | None = None) -> Graphique:
    """Horizontal bars of labelled values, optionally with a reference line (at most
    `LIGNES_MAX` bars: the lowest values)."""
    s = valeurs.dropna().sort_values()
    titre += _au_plus(len(s), "valeurs les plus basses")
    s = s.head(LIGNES_MAX)
    fig, ax = _figure(7.5, 0.4 * len(s) + 1.3)
    ax.barh([str(i) for i in s.index], s.to_numpy(), color=COULEUR_QPV)
    if reference is not None and reference == reference:
        ax.axvline(
            reference,
            color=COULEUR_REFERENCE,
            linestyle="--",
            linewidth=1,
            label=f"Agglomération : {formats.nombre(reference, 2)}",
        )
        _legende(ax)
    ax.set_xlabel(unite)
    decimales = 0 if s.abs().max() >= 100 else 1
    ax.xaxis.set_major_formatter(_format_fr(decimales))
    _style(ax)
    details = _extremes(s, "", 0 if s.abs().max() >= 100 else 2)
    return Graphique(titre, f"Diagramme en barres ({unite}) : {details}.", _svg(fig), fig)


def carte_de_chaleur(table: pd.DataFrame, titre: str, x: str, y: str) -> Graphique | None:
    """Annotated heatmap of counts; None when no count is above 0 (nothing to show)."""
    empile = table.stack()
    if not (len(empile) and empile.max() > 0):
        return None
    fig, ax = _figure(7.5, 0.45 * len(table) + 1.6)
    _mpl().sns.heatmap(
        table.astype(float),
        annot=table.astype(int).to_numpy(),
        fmt="d",
        cmap="Blues",
        cbar=False,
        linewidths=0.5,
        ax=ax,
    )
    _textes_lisibles(ax, table.astype(float).to_numpy())
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="right")  # long labels never run together
    details = (
        f"case la plus forte : {empile.idxmax()[0]} × {empile.idxmax()[1]} ({formats.nombre(empile.max())})"
    )
    return Graphique(
        titre,
        f"Carte de chaleur ({y.lower()} × {x.lower()}, valeurs dans le tableau) ; {details}.",
        _svg(fig),
        fig,
    )


def carte_masquee(valeurs: pd.DataFrame, marques: pd.DataFrame, titre: str) -> Graphique | None:
    """Heatmap of published signal counts: masked cells (missing in `valeurs`, their mark
    « < 5 » or « s » in `marques`) are grey and read their mark (no colour reveals them).
    None when no visible count is above 0: every cell masked or zero, the page's table says
    there is no value to show, and a grid of grey marks would only repeat it."""
    import numpy as np

    if not (valeurs.astype(float).mask(marques != "") > 0).to_numpy().any():
        return None

    titre += _au_plus(len(valeurs), "aux remontées les plus nombreuses")
    if len(valeurs) > LIGNES_MAX:
        gardees = np.sort(np.argsort(-valeurs.fillna(0).sum(axis=1).to_numpy(), kind="stable")[:LIGNES_MAX])
        valeurs, marques = valeurs.iloc[gardees], marques.iloc[gardees]
    cache = (marques != "").to_numpy()
    visibles = valeurs.astype(float).mask(cache)
    annotations = np.where(cache, marques.to_numpy(), visibles.fillna(0).astype(int).astype(str).to_numpy())
    fig, ax = _figure(8.5, 0.45 * len(valeurs) + 2.0)
    ax.set_facecolor("#d9d9d9")
    maximum = visibles.max().max() if visibles.notna().any().any() else 1.0
    _mpl().sns.heatmap(
        visibles,
        vmin=0,
        vmax=max(float(maximum), 1.0),
        annot=annotations,
        fmt="",
        cmap="Oranges",
        cbar=False,
        linewidths=0.5,
        ax=ax,
        mask=cache,
    )
    _textes_lisibles(ax, visibles.to_numpy())
    for (i, j), texte in np.ndenumerate(annotations):
        if cache[i, j]:
            ax.text(j + 0.5, i + 0.5, texte, ha="center", va="center", fontsize=8, color="#333333")
    ax.set_xlabel("Thème")
    ax.set_ylabel("Quartier")
    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="right")
    return Graphique(
        titre,
        "Carte de chaleur des remontées par quartier et thème, les petits comptes masqués en gris "
        f"(« < 5 » ou « s ») ; {formats.accorder(len(valeurs), 'quartier')}, valeurs dans le tableau.",
        _svg(fig),
        fig,
    )


def repartition_nationale(
    taux: dict[int, pd.Series],
    contrat: dict[int, float],
    nom: str,
    titre: str,
    unite: str,
    rupture: int | None = None,
) -> Graphique:
    """One row per year: every contract of the year's distribution as a grey dot, its
    interquartile range as a box with the median, deciles 1 and 9 as whiskers, and the
    contract `nom` marked with its value. Dots beyond twice the largest ninth decile are left
    out (a few small contracts reach 300 for 10,000): the title says how many. A dashed line
    parts the years before `rupture` (another list of contracts) from the others."""
    import math

    import numpy as np
    from matplotlib.patches import Rectangle

    annees = sorted(taux)
    limite = 2 * max(float(taux[a].quantile(0.9)) for a in annees)
    limite = 10 * math.ceil(max(limite, *(v * 1.15 for v in contrat.values())) / 10)
    hors = sum(int((taux[a] > limite).sum()) for a in annees)
    fig, ax = _figure(7.5, 0.8 * len(annees) + 1.6)
    alea = np.random.default_rng(0)  # the same jitter each run: the same bytes
    for i, a in enumerate(annees):
        valeurs = taux[a].astype(float)
        y = -i
        visibles = valeurs[valeurs <= limite].to_numpy()
        ax.scatter(visibles, y + alea.uniform(-0.3, 0.3, len(visibles)), s=5, color="#b5b5b5", linewidths=0)
        d1, q1, med, q3, d9 = (float(valeurs.quantile(q)) for q in (0.1, 0.25, 0.5, 0.75, 0.9))
        boite = dict(color=COULEUR_REFERENCE, zorder=2)
        ax.add_patch(
            Rectangle((q1, y - 0.22), q3 - q1, 0.44, fill=False, linewidth=1.4, edgecolor=COULEUR_REFERENCE)
        )
        ax.plot([med, med], [y - 0.22, y + 0.22], linewidth=2.5, **boite)
        ax.plot([d1, q1], [y, y], linewidth=1.2, **boite)
        ax.plot([q3, d9], [y, y], linewidth=1.2, **boite)
        if a in contrat:
            ax.scatter(
                [contrat[a]],
                [y],
                s=80,
                marker="D",
                color=COULEUR_ALERTE,
                edgecolors=NOIR,
                linewidths=1.2,
                zorder=3,
                label=nom if i == 0 else None,
            )
            ax.annotate(
                formats.nombre(contrat[a], 1),
                (contrat[a], y),
                xytext=(0, 13),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                fontweight="bold",
                color=NOIR,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"),
                zorder=4,
            )
    ax.scatter([], [], s=12, color="#b5b5b5", label="Chaque contrat de ville")
    ax.plot(
        [],
        [],
        color=COULEUR_REFERENCE,
        linewidth=2.5,
        label="Médiane ; boîte : quartiles ; traits : déciles 1 et 9",
    )
    ax.set_yticks([-i for i in range(len(annees))], [str(a) for a in annees])
    if rupture in annees and annees.index(rupture) > 0:
        y = -annees.index(rupture) + 0.5
        ax.axhline(y, color=COULEUR_REFERENCE, linestyle="--", linewidth=0.8)
        ax.text(
            limite,
            y - 0.06,
            f"liste des contrats de {rupture}",
            ha="right",
            va="top",
            fontsize=7,
            color=NOIR,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"),
            zorder=4,
        )
    ax.set_ylim(-len(annees) + 0.45, 0.55)
    ax.set_xlim(-limite / 60, limite)  # contracts at 0 stay visible left of the axis line
    ax.set_xlabel(unite)
    ax.xaxis.set_major_formatter(_format_fr(0))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
    _style(ax)
    if hors:
        titre += f" ({formats.accorder(hors, 'valeur')} au-delà de {formats.nombre(limite)}, hors du cadre)"
    details = " ; ".join(
        f"{a} : {formats.nombre(contrat[a], 1)} contre une médiane de {formats.nombre(float(taux[a].median()), 1)}"
        for a in annees
        if a in contrat
    )
    return Graphique(
        titre,
        f"Répartition des contrats de ville par année ({unite}), {nom} marqué : {details}.",
        _svg(fig),
        fig,
    )
