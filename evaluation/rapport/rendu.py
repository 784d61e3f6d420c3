"""Blocks to HTML, and to a notebook's outputs: the only module that displays (`IPython.display`);
the opening (`ouverture`) and the kernels' reset (`production.session`) only ask IPython for the
running shell.

Every text of a block is escaped here; a chart becomes an SVG output carrying its
alternative text and its title in the output's metadata (read by the project's nbconvert
template: the title becomes the figure's caption, text a reader can search and copy).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from IPython.display import HTML, display

from evaluation import formats
from evaluation.formats import e, t, typographie
from evaluation.mentions import BANDEAU_EXEMPLE, BANDEAU_PROVISOIRE, collecte_incomplete
from evaluation.rapport.blocs import (
    Analyse,
    Bloc,
    Definitions,
    Entete,
    Figure,
    Liens,
    Liste,
    Paragraphe,
    Tableau,
)
from evaluation.rapport.figures import Graphique

ANALYSE = "Analyse du comité de pilotage — texte du comité, pas de l'outil"
ANALYSE_PROVISOIRE = (
    "Projet d'analyse du comité de pilotage, non encore validé — texte du comité, pas de l'outil"
)


@functools.singledispatch
def html(bloc) -> str:
    raise TypeError(f"bloc inconnu : {type(bloc).__name__}")


@html.register
def _(bloc: Paragraphe) -> str:
    return formats.paragraphe(bloc.texte)


@html.register
def _(bloc: Liste) -> str:
    # The title line is printed with its list (templates/rapport/rapport.css).
    titre = f'<p class="titre-liste"><strong>{t(bloc.titre)}</strong></p>' if bloc.titre else ""
    return titre + formats.liste(bloc.elements)


@html.register
def _(bloc: Tableau) -> str:
    return formats.tableau(
        [c.titre for c in bloc.colonnes],
        bloc.lignes,
        legende=bloc.legende,
        numeriques=[c.numerique for c in bloc.colonnes],
        classes=bloc.classes,
        entier=bloc.entier,
    )


@html.register
def _(bloc: Liens) -> str:
    return (
        f"<p>{t(bloc.prefixe)}" + " · ".join(f'<a href="{e(h)}">{t(x)}</a>' for x, h in bloc.liens) + "</p>"
    )


@html.register
def _(bloc: Definitions) -> str:
    return (
        '<dl class="definitions">'
        + "".join(f"<dt>{t(terme)}</dt><dd>{t(definition)}</dd>" for terme, definition in bloc.elements)
        + "</dl>"
    )


@html.register
def _(bloc: Entete) -> str:
    bandeau = f'<p class="exemple" role="note">{t(BANDEAU_EXEMPLE)}</p>' if bloc.exemple else ""
    if bloc.provisoire:
        bandeau += f'<p class="provisoire" role="note">{t(BANDEAU_PROVISOIRE)}</p>'
    if bloc.manquants:
        bandeau += (
            f'<p class="exemple" role="note">{t(collecte_incomplete(bloc.manquants, bloc.incomplets))}</p>'
        )
    champs = "".join(
        f"<dt>{t(nom)}</dt><dd>{f'<code>{e(valeur)}</code>' if nom in bloc.code else t(valeur)}</dd>"
        for nom, valeur in bloc.champs
    )
    return f'<header class="entete"><h1>{t(bloc.titre)}</h1>{bandeau}<dl>{champs}</dl></header>'


@html.register
def _(bloc: Analyse) -> str:
    # The HTML was made safe from the comité's Markdown (rapport.analyses.en_html).
    titre = bloc.titre or (ANALYSE_PROVISOIRE if bloc.provisoire else ANALYSE)
    return f'<aside class="analyse" aria-label="{e(titre)}"><p class="analyse-titre">{t(titre)}</p>{bloc.html}</aside>'


def metadonnees(g: Graphique) -> dict[str, str]:
    """What the page's template reads of a chart: its alternative text and its title (the
    figure's caption), both in the page's typography (« lundi : 37 h ; mardi », « 1ᵉʳ »)."""
    return {"alt": typographie(g.alt), "titre": typographie(g.titre)}


def afficher(blocs: Iterable[Bloc]) -> None:
    """Show blocks as a notebook cell's outputs, one output each."""
    for bloc in blocs:
        if isinstance(bloc, Figure):
            g = bloc.graphique
            # The title as text above the chart in JupyterLab; the exported page shows it as the
            # figure's caption instead (its template reads it from the metadata; this paragraph
            # is hidden there).
            display(HTML(f'<p class="titre-graphique"><strong>{t(g.titre)}</strong></p>'))
            display(
                {"image/svg+xml": g.svg, "text/plain": f"Figure : {g.titre}"},
                raw=True,
                metadata={"image/svg+xml": metadonnees(g)},
            )
        else:
            display(HTML(html(bloc)))
