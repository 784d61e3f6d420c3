"""Sections without a kernel: the plans, the notebooks generated from them, and blocks read
against values computed by hand on a tiny territory."""

from __future__ import annotations

import nbformat
import pytest

from evaluation.donnees.territoire import charger
from evaluation.production.notebooks import AGGLOMERATION, COMMUNE, QUARTIER
from evaluation.rapport.blocs import Figure, Paragraphe, Tableau
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.plans import PLANS
from evaluation.rapport.vue import Genre

from .conftest import ecrire_territoire
from .test_publication import REMONTEES

NOTEBOOKS = {Genre.COMMUNE: COMMUNE, Genre.AGGLOMERATION: AGGLOMERATION, Genre.QUARTIER: QUARTIER}


@pytest.mark.parametrize("genre", list(Genre), ids=lambda g: g.value)
def test_chaque_plan_est_l_ossature_de_son_notebook(genre):
    plan = PLANS[genre]
    assert plan[0].nom == "entete" and len({s.nom for s in plan}) == len(plan)
    assert all(genre in s.genres for s in plan), "a section in a plan it does not apply to"
    nb = nbformat.read(NOTEBOOKS[genre], as_version=4)
    appels = [c.source for c in nb.cells if c.cell_type == "code" and "rapport.section(" in c.source]
    assert appels[1:] == [f'rapport.section("{s.nom}")' for s in plan if s.titre]
    titres = [
        c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    assert titres == [f"## {i}. {s.titre}" for i, s in enumerate((s for s in plan if s.titre), start=1)]


@pytest.fixture(scope="module")
def territoire(tmp_path_factory):
    """Signals as in test_publication (Alpha: Q1 8 jeunesse and 2 santé, Q2 6 jeunesse; Beta:
    Q3 7 jeunesse, the veille area V1 5 santé); one mediator in Q1."""
    postes = [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""]]
    dossier = ecrire_territoire(
        tmp_path_factory.mktemp("sections") / "raw",
        {2024: {"remontees": REMONTEES, "postes": postes}},
        objectifs=[[2024, "V2.sante", "Q1", "1", "au_moins"]],
    )
    return charger(dossier)


def blocs(t, nom: str, genre: Genre, commune: str | None = None, code_qpv: str | None = None) -> list:
    return Rapport.pour(t, vue_de(t, genre, 2024, commune, code_qpv)).blocs(nom)


def test_veille_d_une_commune_lue_dans_la_table_publiee(territoire):
    """Alpha's table: Q1's santé (2) is « < 5 », so is Alpha's (2); the other cells of the
    santé column are zeros, masked too; the totals (10, 6, 16) stay visible."""
    tableaux = [b for b in blocs(territoire, "veille", Genre.COMMUNE, "Alpha") if isinstance(b, Tableau)]
    themes = tableaux[0]
    assert themes.legende.startswith("Remontées par quartier et thème, 2024")
    assert [ligne[0] for ligne in themes.lignes] == ["Quartier Un", "Quartier Deux", "Total"]
    assert themes.colonne("Jeunesse") == ["8", "6", "14"]
    assert themes.colonne("Santé") == ["< 5", "< 5", "< 5"]
    assert themes.colonne("Total") == ["10", "6", "16"]
    assert all(c.numerique for c in themes.colonnes[1:])


def test_presence_d_un_quartier(territoire):
    """One mediator, full time, all year in Q1 (2,000 inhabitants): 1 ETP, 0.5 per 1,000."""
    paragraphe, tableau, figure = blocs(territoire, "presence", Genre.QUARTIER, code_qpv="Q1")
    assert isinstance(paragraphe, Paragraphe) and isinstance(figure, Figure)
    assert "1,0 ETP annuels dans les QPV de Quartier Un : médiateurs 100\u00a0%" in paragraphe.texte
    assert tableau.colonne("Total") == ["1,00"]
    comparaison = blocs(territoire, "comparaison", Genre.QUARTIER, code_qpv="Q1")[1]
    assert comparaison.lignes[0][:2] == ("Présence humaine pour 1 000 habitants", "0,50")


def test_un_objectif_sur_un_compte_masque_n_en_montre_pas_la_valeur(territoire):
    """A target on Q1's santé signals (2, « < 5 » in the published table): scored, but neither
    its value nor its gap is shown."""
    tableau = next(
        b for b in blocs(territoire, "objectifs", Genre.COMMUNE, "Alpha") if isinstance(b, Tableau)
    )
    assert tableau.colonne("Indicateur") == ["V2.sante"]
    assert tableau.colonne("Valeur") == ["–"] and tableau.colonne("Écart") == ["–"]
    assert tableau.colonne("Statut") == ["atteint"]
    assert tableau.colonne("Explication")[0].startswith("valeur masquée")
