"""How report sections show things in a notebook: an HTML fragment, or a chart carrying its
alternative text (read by the project's nbconvert template)."""

from __future__ import annotations

from IPython.display import HTML, display

from .figures import Graphique


def afficher_html(fragment: str) -> None:
    """Show an HTML fragment (its input texts already escaped by `formats`)."""
    display(HTML(fragment))


def afficher_figure(g: Graphique) -> None:
    """Show a chart as an SVG output with its alternative text in the output's metadata."""
    display(
        {"image/svg+xml": g.svg, "text/plain": f"Figure : {g.titre}"},
        raw=True,
        metadata={"image/svg+xml": {"alt": g.alt}},
    )
