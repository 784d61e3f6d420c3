"""What a build writes besides the pages' notebooks: each page's HTML (nbconvert with the
project's template), the index, and the published indicator table as CSV and xlsx."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from evaluation import formats
from evaluation.donnees.collecte import manquants, retours_incomplets
from evaluation.donnees.territoire import Territoire
from evaluation.formats import arrondi
from evaluation.hachage import hacher
from evaluation.indicateurs.geographie import LISTE_CONSTANTE
from evaluation.indicateurs.publication import publie_memorise
from evaluation.indicateurs.registre import INDICATEURS
from evaluation.io import ecrire_csv_atomique, ecrire_texte_atomique, ecrire_xlsx_atomique
from evaluation.mentions import BANDEAU_PROVISOIRE, bandeau_exemple, collecte_incomplete
from evaluation.paths import TEMPLATES
from evaluation.production.taches import Resultat
from evaluation.rapport.analyses import analyses
from evaluation.rapport.annexes import ANNEXES
from evaluation.rapport.ouverture import vue_de
from evaluation.rapport.plans import ancre_de
from evaluation.rapport.sections.contrats_de_ville import ContratsDeVille, phrase
from evaluation.rapport.vue import Genre

TEMPLATE = "rapport"
TAGS_MASQUES = ("parameters", "injected-parameters", "notebook-only")
NON_MASQUES = "indicateurs_non_masques.csv"


def exporter_html(nb, titre: str, pied: str, bas_de_page: str = "") -> str:
    """HTML of an executed notebook with the project's template: no code, no parameters;
    `bas_de_page` is printed at the foot of every printed page, beside the page number."""
    exporteur = _exporteur(threading.get_ident())
    metadata = {
        "titre": titre,
        "pied": pied,
        "bas_de_page_css": chaine_css(formats.typographie(bas_de_page or titre)),
    }
    corps, _ = exporteur.from_notebook_node(nb, resources={"metadata": metadata})
    return corps


def chaine_css(texte: str) -> str:
    """`texte` as a CSS string literal, safe inside an HTML <style> element."""
    echappe = "".join(c if c.isalnum() or c in " -—–,.()'’" else f"\\{ord(c):X} " for c in texte)
    return f'"{echappe}"'


@functools.cache
def _exporteur(_fil: int):
    """One HTML exporter per thread of a worker (its template is loaded once, then reused
    report after report; a Dask worker may export from several threads at once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = set(TAGS_MASQUES)
    config.TagRemovePreprocessor.enabled = True
    exporteur = HTMLExporter(
        config=config,
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporteur.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporteur


# Rows of an Excel sheet, its header included.
LIGNES_EXCEL = 1_048_576


def ecrire_exports(t: Territoire, annee: int, rep: Path) -> pd.DataFrame:
    """indicateurs.csv (UTF-8, comma) and indicateurs.xlsx: every published indicator, every
    year ≤ annee, from the published table (`masque`: « < 5 » or « s » where a count of field
    signals is masked, its `valeur` then empty — the same cells as on every page).

    The workbook has one sheet « indicateurs », or one per year (« indicateurs AAAA ») when the
    table would not fit in a sheet (a national territory has ≈ 130 k values a year)."""
    table = pour_l_export(publie_memorise(t, t.annees_jusqu_a(annee)))
    ecrire_csv_atomique(table, rep / "indicateurs.csv")
    if len(table) < LIGNES_EXCEL:
        feuilles = {"indicateurs": table}
    else:
        feuilles = {f"indicateurs {a}": lignes for a, lignes in table.groupby("annee", sort=True)}
    ecrire_xlsx_atomique(feuilles, rep / "indicateurs.xlsx")
    return table


def ecrire_non_masques(table: pd.DataFrame, rep: Path) -> Path:
    """The unmasked indicator table, for the officer only (`data/processed/AAAA/`): never
    written to the published folder."""
    return ecrire_csv_atomique(pour_l_export(table), rep / NON_MASQUES)


def pour_l_export(table: pd.DataFrame) -> pd.DataFrame:
    """Values rounded to 6 decimals, shares (fractions in [0, 1]) to the percent the pages
    show (`decimales_des_parts`: a share more precise than its page would tell its numerator
    and denominator apart); the constant list of QPVs named with the years it spans
    (`agglomeration_liste_constante_2020_2025`): the list depends on the years of the build,
    so two years' files never give one key two values."""
    annees = table["annee"]
    constante = f"{LISTE_CONSTANTE}_{annees.min()}_{annees.max()}" if len(table) else LISTE_CONSTANTE
    parts = decimales_des_parts()
    valeurs = table["valeur"].round(6)
    est_une_part = table["indicateur"].isin(parts) & valeurs.notna()
    valeurs[est_une_part] = [
        arrondi(v, parts[c])
        for v, c in zip(valeurs[est_une_part], table["indicateur"][est_une_part], strict=True)
    ]
    return table.assign(
        valeur=valeurs,
        perimetre=table["perimetre"].where(table["perimetre"] != LISTE_CONSTANTE, constante),
    )


def decimales_des_parts() -> dict[str, int]:
    """Each share's code with the decimals of its fraction as the pages show it (12 % → 0.12)."""
    return {
        code: indicateur.decimales + 2
        for code, indicateur in INDICATEURS.items()
        if indicateur.pourcentage
        for code in indicateur.codes
    }


def ecrire_index(
    t: Territoire, annee: int, rep: Path, resultats: list[Resultat], pied: str
) -> tuple[Path, str]:
    """index.html, and its fingerprint: its HTML but for its footer (whose generation date
    changes every build), so that its PDF is printed again only when what it says changed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES), str(TEMPLATES / TEMPLATE)]),
        autoescape=True,
    )
    env.filters["typo"] = lambda texte: Markup(formats.t(texte))  # French typography, escaped
    gabarit = env.get_template("index.html.j2")
    contexte = dict(
        territoire=t,
        annee=annee,
        rapports=[r for r in resultats if not r.tache.slug.startswith("quartiers/")],
        fiches=[r for r in resultats if r.tache.slug.startswith("quartiers/")],
        pied=pied,
        exemple=bandeau_exemple(plusieurs=True) if t.exemple else "",
        provisoire=BANDEAU_PROVISOIRE,
        contrats_de_ville=_contrats_de_ville(t, annee, resultats),
        statut=analyses(t, annee),
        collecte_incomplete=(
            collecte_incomplete(m, retours_incomplets(t, annee)) if (m := manquants(t, annee)) else ""
        ),
    )
    html = gabarit.render(**contexte)
    return ecrire_texte_atomique(html, rep / "index.html"), hacher(gabarit.render(**{**contexte, "pied": ""}))


def _contrats_de_ville(t: Territoire, annee: int, resultats: list[Resultat]) -> dict | None:
    """The index's line on the contract among France's contrats de ville: the sentence that
    opens the agglomeration report's section (or why there is none), and a link to it when the
    agglomeration report was built."""
    vue = vue_de(t, Genre.AGGLOMERATION, annee, None, None)
    comparaison = ANNEXES[ContratsDeVille.annexes[0]](t, vue)  # annexes.ComparaisonNationale
    agglomeration = next((r for r in resultats if r.tache.genre is Genre.AGGLOMERATION and r.ok), None)
    return {
        "titre": ContratsDeVille.titre,
        # Made HTML as the pages make their text (`formats.t`: typography, escaping, « 112<sup>e</sup> »).
        "texte": Markup(formats.t(comparaison.raison or phrase(comparaison.positions))),
        "lien": f"{agglomeration.fichier}#{ancre_de(Genre.AGGLOMERATION, ContratsDeVille.nom)}"
        if agglomeration
        else None,
    }
