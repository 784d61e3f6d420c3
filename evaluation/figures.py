"""Every chart of the reports, in one style.

Charts are drawn on `matplotlib.figure.Figure` objects (no pyplot global state) and
returned as PNG bytes with their title and a real alternative text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from . import formats  # noqa: E402
from .contract import LIBELLES  # noqa: E402

PALETTE = sns.color_palette("colorblind", 8)
COULEUR_QPV, COULEUR_VEILLE, COULEUR_REFERENCE = PALETTE[0], PALETTE[7], "#444444"
DPI = 110


@dataclass(frozen=True)
class Graphique:
    titre: str
    alt: str
    png: bytes


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _format_fr(decimales: int) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: formats.nombre(x, decimales))


def _png(fig: Figure) -> bytes:
    tampon = io.BytesIO()
    fig.savefig(tampon, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return tampon.getvalue()


def _figure(largeur: float, hauteur: float) -> tuple[Figure, object]:
    fig = Figure(figsize=(largeur, hauteur), layout="constrained")
    return fig, fig.subplots()


def population_quartiers(quartiers: pd.DataFrame, titre: str) -> Graphique:
    """Horizontal bars: population of each neighbourhood, QPV and veille areas coloured apart."""
    q = quartiers.sort_values("population")
    fig, ax = _figure(7.5, 0.45 * len(q) + 1.2)
    couleurs = [COULEUR_QPV if s == "qpv" else COULEUR_VEILLE for s in q["statut"]]
    ax.barh(q["nom"], q["population"], color=couleurs)
    ax.set_xlabel("Population (habitants)")
    ax.xaxis.set_major_formatter(_format_fr(0))
    ax.set_title(titre, loc="left")
    _style(ax)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[Patch(color=COULEUR_QPV, label="QPV"), Patch(color=COULEUR_VEILLE, label="Veille active")],
        loc="lower right",
        frameon=False,
    )
    details = "; ".join(
        f"{n} ({LIBELLES[s]}) : {formats.nombre(p)} habitants"
        for n, s, p in zip(q["nom"], q["statut"], q["population"], strict=True)
    )
    return Graphique(titre, f"Diagramme en barres de la population par quartier. {details}.", _png(fig))


def tendances(
    series: pd.DataFrame, titre: str, libelles: dict[str, str], unites: dict[str, str]
) -> Graphique:
    """Small multiples: one line per indicator (rows of `series`) over the years (columns)."""
    codes = list(series.index)
    colonnes = min(3, len(codes))
    lignes = -(-len(codes) // colonnes)
    fig = Figure(figsize=(3.2 * colonnes, 2.6 * lignes), layout="constrained")
    axes = fig.subplots(lignes, colonnes, squeeze=False).ravel()
    annees = [int(a) for a in series.columns]
    for ax, code in zip(axes, codes, strict=False):
        valeurs = series.loc[code].astype(float)
        sns.lineplot(x=annees, y=valeurs.to_numpy(), ax=ax, marker="o", color=PALETTE[0])
        ax.set_title(f"{code} — {libelles[code]}", fontsize=9, loc="left")
        ax.set_xlabel("Année")
        ax.set_ylabel(unites[code], fontsize=8)
        ax.set_xticks(annees)
        ax.tick_params(labelsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.yaxis.set_major_formatter(
            _format_fr(1 if valeurs.max() < 10 and not valeurs.eq(valeurs.round()).all() else 0)
        )
        ax.set_ylim(bottom=0, top=max(1.0, valeurs.max() * 1.15))
        _style(ax)
    for ax in axes[len(codes) :]:
        ax.set_visible(False)
    fig.suptitle(titre, x=0.01, ha="left")
    details = "; ".join(
        f"{code} : "
        + ", ".join(
            f"{a} : {formats.nombre(v, 1 if v != round(v) else 0)}"
            for a, v in zip(annees, series.loc[code], strict=True)
        )
        for code in codes
    )
    return Graphique(titre, f"Courbes d'évolution annuelle par indicateur. {details}.", _png(fig))


def etp_par_dispositif(tableau: pd.DataFrame, noms: dict[str, str], titre: str) -> Graphique:
    """Stacked horizontal bars: annual ETP of each neighbourhood (rows) by scheme (columns)."""
    t = tableau.loc[:, tableau.sum() > 0]
    t = t.loc[t.sum(axis=1).sort_values().index]
    fig, ax = _figure(7.5, 0.45 * len(t) + 1.6)
    gauche = pd.Series(0.0, index=t.index)
    etiquettes = [noms[c] for c in t.index]
    for i, dispositif in enumerate(t.columns):
        ax.barh(
            etiquettes,
            t[dispositif],
            left=gauche,
            color=PALETTE[i % len(PALETTE)],
            label=LIBELLES[dispositif],
        )
        gauche += t[dispositif]
    ax.set_xlabel("ETP annuels")
    ax.xaxis.set_major_formatter(_format_fr(1))
    ax.set_title(titre, loc="left")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _style(ax)
    details = "; ".join(f"{noms[c]} : {formats.nombre(v, 1)} ETP" for c, v in t.sum(axis=1).items())
    return Graphique(
        titre, f"Barres empilées des ETP annuels par quartier et par dispositif. {details}.", _png(fig)
    )


def couverture(c1: pd.Series, noms: dict[str, str], reference: float, titre: str) -> Graphique:
    """Horizontal bars of C1 per QPV with the agglomeration's value as a reference line."""
    s = c1.dropna().sort_values()
    fig, ax = _figure(7.5, 0.45 * len(s) + 1.2)
    sns.barplot(x=s.to_numpy(), y=[noms[c] for c in s.index], ax=ax, color=COULEUR_QPV, orient="h")
    ax.axvline(
        reference,
        color=COULEUR_REFERENCE,
        linestyle="--",
        linewidth=1,
        label=f"Ensemble des QPV de l'agglomération : {formats.nombre(reference, 2)}",
    )
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_xlabel("ETP annuels pour 1 000 habitants")
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(_format_fr(1))
    ax.set_title(titre, loc="left")
    _style(ax)
    details = "; ".join(f"{noms[c]} : {formats.nombre(v, 2)}" for c, v in s.items())
    return Graphique(
        titre,
        f"Barres horizontales des ETP pour 1 000 habitants par QPV, avec la valeur de "
        f"l'agglomération ({formats.nombre(reference, 2)}) en pointillés. {details}.",
        _png(fig),
    )


def volumes(table: pd.DataFrame, titre: str) -> Graphique:
    """Heatmap of the number of rows per table (rows) and year (columns)."""
    fig, ax = _figure(7.5, 0.4 * len(table) + 1.4)
    sns.heatmap(
        table.astype(float),
        annot=table.map(lambda v: formats.nombre(v)).to_numpy(),
        fmt="",
        cmap="Blues",
        cbar=False,
        linewidths=0.5,
        ax=ax,
    )
    ax.set_xlabel("Année")
    ax.set_ylabel("Table")
    ax.set_title(titre, loc="left")
    details = "; ".join(
        f"{nom} : " + ", ".join(f"{a} : {formats.nombre(v)}" for a, v in ligne.items())
        for nom, ligne in table.iterrows()
    )
    return Graphique(
        titre, f"Carte de chaleur du nombre de lignes par table et par année. {details}.", _png(fig)
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
    for statut, couleur in STATUTS.items():
        ax.barh(t.index, t[statut], left=gauche, color=couleur, label=statut)
        gauche += t[statut]
    ax.set_xlabel("Nombre d'objectifs")
    ax.set_ylabel("Indicateur")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(titre, loc="left")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _style(ax)
    details = "; ".join(
        f"{code} : " + ", ".join(f"{n} {s}" for s, n in ligne.items() if n) for code, ligne in t.iterrows()
    )
    return Graphique(
        titre, f"Barres empilées du nombre d'objectifs par indicateur et par statut. {details}.", _png(fig)
    )
