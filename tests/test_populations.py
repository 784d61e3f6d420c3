"""Populations: where each one comes from and for which year, said on its row; estimates and
populations of another contour than the year's list marked beside every rate per 1,000
inhabitants they underlie. Tiny quartiers tables written here, values worked out by hand."""

from __future__ import annotations

import pytest

from evaluation.cache import charger_valide as charger
from evaluation.donnees.problemes import DonneesInvalides
from evaluation.rapport.blocs import Paragraphe, Tableau
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.vue import Genre

from .conftest import QUARTIERS_MINI, ecrire_territoire

# code_qpv, nom, commune, population, annee_population, statut, annee_entree, annee_sortie,
# source_population, contour_population. Q1 was reshaped in 2024 and its population is of its
# 2015 contour; Q3's comes from the 2024 list, on its new contour; V1's source is not given;
# Q4's is typed as its French label.
QUARTIERS = [
    ["Q1", "Quartier Un", "Alpha", 2000, 2018, "qpv", 2015, "", "recensement", "2015"],
    ["Q2", "Quartier Deux", "Alpha", 1000, 2020, "qpv", 2024, "", "estimation", ""],
    ["Q3", "Quartier Trois", "Beta", 500, 2020, "qpv", 2015, "", "Liste ANCT", "2024"],
    ["V1", "Veille Un", "Beta", 800, 2018, "veille_active", 2015, "", "", ""],
    ["Q4", "Quartier Quatre", "Gamma", 900, 2018, "qpv", 2015, 2023, "Estimation", ""],
]


def poste(id_: str, commune: str, code: str, etp: str) -> list:
    return [id_, "mediateur", "Structure", commune, code, etp, "ville", "non", "", ""]


# One ETP in Q1 both years (C1 = 1 / 2 000 × 1 000 = 0,50), 0,5 in Q3 (1,00), one in Q2 in
# 2024 (1,00); none in Q4 (0,00).
POSTES = {
    2023: [poste("P1", "Alpha", "Q1", "1"), poste("P3", "Beta", "Q3", "0,5")],
    2024: [
        poste("P1", "Alpha", "Q1", "1"),
        poste("P2", "Alpha", "Q2", "1"),
        poste("P3", "Beta", "Q3", "0,5"),
    ],
}


@pytest.fixture(scope="module")
def territoire(tmp_path_factory):
    dossier = ecrire_territoire(
        tmp_path_factory.mktemp("populations") / "raw",
        {a: {"postes": p} for a, p in POSTES.items()},
        quartiers=QUARTIERS,
    )
    return charger(dossier)


def blocs(t, nom: str, annee: int, genre: Genre = Genre.AGGLOMERATION, commune=None, code=None) -> list:
    return Rapport.pour(t, vue_de(t, genre, annee, commune, code)).blocs(nom)


def tableau_de(blocs_: list, debut: str) -> Tableau:
    [table] = [b for b in blocs_ if isinstance(b, Tableau) and (b.legende or "").startswith(debut)]
    return table


def problemes(quartiers, tmp_path) -> list[str]:
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}}, quartiers=quartiers)
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier)
    return [str(p) for p in exc.value.problemes]


def test_une_source_inconnue_est_refusee_avec_fichier_ligne_et_colonne(tmp_path):
    quartiers = [list(q) for q in QUARTIERS]
    quartiers[2][8] = "sondage"
    assert problemes(quartiers, tmp_path) == [
        "quartiers.csv, ligne 4, colonne « source_population » : valeur « sondage » — valeurs admises : "
        "recensement, liste_anct, estimation"
    ]


def test_le_contour_d_une_population_suit_les_listes_de_2015_et_2024(tmp_path):
    quartiers = [list(q) for q in QUARTIERS]
    quartiers[1][9] = "2015"  # Q2 entered in 2024: it has no 2015 contour
    quartiers[3][9] = "2024"  # V1 is a veille area: no contour of a QPV list
    quartiers[4][9] = "2024"  # Q4 left in 2023: no 2024 contour
    quartiers[0][9] = "2016"  # no such list
    assert sorted(problemes(quartiers, tmp_path)) == [
        "quartiers.csv, ligne 2, colonne « contour_population » : valeur « 2016 » — valeurs admises : 2015, 2024",
        "quartiers.csv, ligne 3, colonne « contour_population » : valeur « 2015 » — un QPV entré en 2024 ou "
        "après n'a pas de contour de 2015",
        "quartiers.csv, ligne 5, colonne « contour_population » : valeur « 2024 » — un quartier de veille "
        "active n'a pas de contour de la liste des QPV : laissez la cellule vide",
        "quartiers.csv, ligne 6, colonne « contour_population » : valeur « 2024 » — un QPV sorti avant 2024 "
        "n'a pas de contour de 2024",
    ]


def test_les_lignes_du_contexte_portent_la_source_et_l_annee(territoire):
    """2024: Q1's population is of its 2015 contour, flagged; Q3's, of the 2024 contour, is not;
    V1's source is said not given, never guessed. 2023: the flags swap (Q3's population is of
    the 2024 contour while the 2015 list is in force; Q1's 2015 contour is that year's)."""
    paragraphe, table = blocs(territoire, "contexte", 2024)[:2]
    assert [c.titre for c in table.colonnes[4:6]] == ["Population", "Source et année de la population"]
    assert [ligne[:6] for ligne in table.lignes] == [
        ("Quartier Un", "Q1", "Alpha", "QPV", "2\u202f000", "recensement 2018 ; contour de 2015"),
        ("Quartier Deux", "Q2", "Alpha", "QPV", "1\u202f000", "estimation 2020"),
        ("Quartier Trois", "Q3", "Beta", "QPV", "500", "liste ANCT 2020"),
        ("Veille Un", "V1", "Beta", "Quartier de veille active", "800", "source non précisée, 2018"),
    ]
    assert paragraphe.texte == (
        "En 2024, l'agglomération (2 communes) compte 3 QPV actifs totalisant 3\u202f500 habitants, dont "
        "1 quartier entrant depuis 2024 (Quartier Deux). Population estimée : 1 QPV (1\u202f000 habitants sur "
        "3\u202f500). Population mesurée sur le contour de 2015, non sur celui de la liste de 2024 (QPV "
        "redessiné en 2024) : Quartier Un. Source de la population non précisée dans le fichier des "
        "quartiers : 1 quartier. 1 quartier de veille active (800 habitants) est suivi sans statut QPV."
    )
    table = blocs(territoire, "contexte", 2023)[1]
    lignes = {ligne[0]: ligne for ligne in table.lignes}
    assert lignes["Quartier Un"][5] == "recensement 2018"
    assert lignes["Quartier Trois"][5] == "liste ANCT 2020 ; contour de 2024"
    assert lignes["Quartier Quatre"][5] == "estimation 2018"


def test_les_taux_par_habitant_portent_la_marque_de_leur_population(territoire):
    """C1 in the coverage table: Q1's 0,50 flagged « contour de 2015 » in 2024 and not in 2023;
    Q2's 1,00 an estimate; Q3's 1,00 flagged « contour de 2024 » in 2023 only; the caption
    explains the marks it shows and only those."""
    table = tableau_de(blocs(territoire, "couverture", 2024), "ETP annuels pour 1\u202f000 habitants")
    c1 = {ligne[0]: ligne[-3] for ligne in table.lignes}
    assert c1 == {
        "Quartier Un": "0,50 (contour de 2015)",
        "Quartier Deux ★": "1,00 (estimation)",
        "Quartier Trois": "1,00",
        "Veille Un": "–",
    }
    assert table.legende.endswith(
        " — (estimation) : population estimée ; (contour de 2015) : population mesurée sur le contour de "
        "2015 d'un QPV redessiné en 2024, non sur celui de la liste des QPV en vigueur cette année-là"
    )
    table = tableau_de(blocs(territoire, "couverture", 2023), "ETP annuels pour 1\u202f000 habitants")
    c1 = {ligne[0]: ligne[-3] for ligne in table.lignes}
    assert c1["Quartier Un"] == "0,50"
    assert c1["Quartier Trois"] == "1,00 (contour de 2024)"
    assert c1["Quartier Quatre"] == "0,00 (estimation)"  # it leaves after 2023, the report's last year
    assert "(contour de 2015)" not in table.legende
    # Objective 1, 2023 beside 2024: each year's cell carries its own year's flag.
    table = tableau_de(blocs(territoire, "couverture", 2024), "Objectif 1")
    lignes = {ligne[0]: ligne[1:3] for ligne in table.lignes}
    assert lignes["Quartier Un"] == ("0,50", "0,50 (contour de 2015)")
    assert lignes["Quartier Trois"] == ("1,00 (contour de 2024)", "1,00")


def test_la_page_du_quartier_dit_sa_population(territoire):
    blocs_ = blocs(territoire, "comparaison", 2024, Genre.QUARTIER, "Alpha", "Q1")
    assert blocs_[0].texte.endswith(
        "Population du quartier : 2\u202f000 habitants (recensement 2018 ; contour de 2015)."
    )
    assert blocs_[1].lignes[0][2] == "0,50 (contour de 2015)"
    [tendances] = [b for b in blocs(territoire, "tendances", 2024, Genre.QUARTIER, "Alpha", "Q1")[:1]]
    assert tendances.lignes[0][2:] == ("0,50", "0,50 (contour de 2015)")


def test_sans_colonnes_de_population_rien_n_est_suppose(tmp_path):
    """quartiers.csv without the two optional columns (test_validation's table): accepted; every
    source is « non précisée », no rate is marked, and Méthode says, for 2024, that no contour
    is given while two QPVs of the 2015 list have a population from before 2024."""
    assert len(QUARTIERS_MINI[0]) == 8
    postes = {2024: {"postes": [poste("P1", "Alpha", "Q1", "1")]}}
    t = charger(ecrire_territoire(tmp_path / "raw", postes))
    table = blocs(t, "contexte", 2024)[1]
    assert {ligne[5] for ligne in table.lignes} == {"source non précisée, 2018", "source non précisée, 2020"}
    couverture = tableau_de(blocs(t, "couverture", 2024), "ETP annuels pour 1\u202f000 habitants")
    assert {ligne[0]: ligne[-3] for ligne in couverture.lignes}["Quartier Un"] == "0,50"
    assert "(estimation)" not in couverture.legende
    [methode] = [
        b.texte
        for b in blocs(t, "methode", 2024)
        if isinstance(b, Paragraphe) and b.texte.startswith("Populations")
    ]
    assert methode.endswith(
        "Le fichier des quartiers ne précise le contour d'aucune population : la population de 2 QPV de la "
        "liste de 2015, antérieure à 2024, peut être celle d'un contour de 2015 redessiné depuis sans que le "
        "rapport puisse le signaler."
    )
