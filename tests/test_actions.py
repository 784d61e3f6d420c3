"""The year's actions as facts (décret 2015-1118): posts created and ended, correspondants
created in entering QPVs, tools put in service, meetings by instance — on a tiny territory
whose every row is written here, the expected sentences worked out by hand."""

from __future__ import annotations

import pytest

from evaluation.donnees.territoire import charger
from evaluation.rapport.blocs import Paragraphe, Tableau
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.vue import Genre

from .conftest import ecrire_territoire


def poste(id_poste, dispositif, commune, qpv, etp, debut="", fin="", vacant="non", structure="S"):
    return [id_poste, dispositif, structure, commune, qpv, etp, "ville", vacant, debut, fin]


POSTES = [
    poste("P1", "mediateur", "Alpha", "Q1", 1, debut="2024-03-01", structure="Ville d'Alpha"),
    poste("P2", "correspondant_quartier", "Alpha", "Q2", 0.5, debut="2024-02-01", structure="Bailleur B"),
    poste("P3", "adulte_relais", "Beta", "Q3", 1, fin="2024-06-30", structure="Régie R"),
    # Two rows of one post, started before the year and ending on 31 December: neither created nor ended.
    poste("P4", "educateur_prevention", "Alpha", "Q1", 0.5, debut="2023-01-01", fin="2024-12-31"),
    poste("P4", "educateur_prevention", "Alpha", "Q2", 0.5, debut="2023-01-01", fin="2024-12-31"),
    poste("P5", "mediateur", "Alpha", "Q1", 1, debut="2024-05-01", vacant="oui"),  # vacant: left out
]
OUTILS = [
    ["Annuaire", "annuaire", "Alpha", "en_service", "2024-04-02"],
    ["Vieille fiche", "fiche_liaison", "Alpha", "en_service", "2023-01-10"],
    ["Projet", "protocole", "Beta", "en_projet", ""],
]
REUNIONS = [
    ["2024-05-02", "reseau_acteurs", "Alpha", "prefecture|ville|agglomeration", 10, ""],
    ["2024-03-01", "reseau_acteurs", "Alpha", "ville", 8, ""],
    ["2024-06-01", "clspd", "Beta", "ville", 5, ""],
    ["2024-01-15", "reseau_acteurs", "agglomeration", "prefecture", 12, ""],
]


@pytest.fixture(scope="module")
def territoire(tmp_path_factory):
    dossier = ecrire_territoire(
        tmp_path_factory.mktemp("actions") / "raw",
        {2023: {}, 2024: {"postes": POSTES, "outils": OUTILS, "reunions": REUNIONS}},
    )
    return charger(dossier)


def blocs(t, genre, commune=None):
    return Rapport.pour(t, vue_de(t, genre, 2024, commune)).blocs("actions")


def test_une_commune_dit_ses_postes_ses_correspondants_ses_outils_et_ses_reunions(territoire):
    postes, tableau_postes, correspondants, outils, reunions = blocs(territoire, Genre.COMMUNE, "Alpha")
    assert postes.texte == "En 2024, pour Alpha : 2 postes créés et 0 poste terminé (postes vacants exclus)."
    assert [c.titre for c in tableau_postes.colonnes] == [
        "Poste", "Date", "Dispositif", "Structure", "Quartiers servis", "ETP"
    ]  # fmt: skip
    assert tableau_postes.lignes == (
        (
            "créé",
            "01/02/2024",
            "Correspondants de quartier",
            "Bailleur B",
            "Quartier Deux (quartier entrant)",
            "0,50",
        ),
        ("créé", "01/03/2024", "Médiateurs", "Ville d'Alpha", "Quartier Un", "1,00"),
    )
    # Quartier Deux entered the list in 2024, after the data's first year (2023).
    assert correspondants.texte == (
        "1 correspondant de quartier créé en 2024 dans les quartiers entrants, comme la fiche le demande : "
        "Bailleur B, quartier Quartier Deux, le 1er février."
    )
    assert (
        outils.texte
        == "1 outil du réseau mis en service en 2024 : « Annuaire » (annuaire, Alpha, le 2 avril)."
    )
    assert isinstance(reunions, Tableau)
    assert reunions.lignes == (("Réseau des acteurs de terrain", "2", "1er mars, 2 mai"),)


def test_l_agglomeration_compte_tout_et_dit_ou_se_sont_tenues_les_reunions(territoire):
    postes, tableau_postes, _, outils, reunions = blocs(territoire, Genre.AGGLOMERATION)
    assert postes.texte.endswith(": 2 postes créés et 1 poste terminé (postes vacants exclus).")
    assert [(ligne[0], ligne[4]) for ligne in tableau_postes.lignes] == [
        ("créé", "Alpha"),
        ("créé", "Alpha"),
        ("terminé", "Beta"),
    ]
    assert outils.texte.startswith("1 outil du réseau mis en service en 2024 : « Annuaire »")
    assert reunions.lignes == (
        ("Réseau des acteurs de terrain", "3", "Agglomération 1, Alpha 2"),
        ("CLSPD", "1", "Beta 1"),
    )


def test_sans_quartier_entrant_ni_outil_la_page_le_dit(territoire):
    postes, _, correspondants, outils, _ = blocs(territoire, Genre.COMMUNE, "Beta")
    assert postes.texte == "En 2024, pour Beta : 0 poste créé et 1 poste terminé (postes vacants exclus)."
    assert correspondants.texte == (
        "Aucun quartier entrant dans la liste des QPV depuis 2023 pour Beta : la création de correspondants "
        "de quartier que la fiche y demande ne s'applique pas."
    )
    assert outils.texte == "Aucun outil du réseau n'a été mis en service en 2024."
    assert all(isinstance(b, Paragraphe | Tableau) for b in blocs(territoire, Genre.COMMUNE, "Beta"))
