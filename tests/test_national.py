"""The contract among France's contrats de ville (ANCT's open data): the national table built
from hand-made posts and contract lists, rank, share below, quantiles and peers computed by
hand on tiny tables, the section and the index's line; then the real files."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest

from evaluation.donnees import contrat
from evaluation.donnees.territoire import charger
from evaluation.indicateurs import national as n
from evaluation.outils.anct import national
from evaluation.rapport.blocs import Figure, Paragraphe, Tableau
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.vue import Genre

from .conftest import ANCT_REEL, ECHANTILLON, ecrire_csv, ecrire_territoire
from .test_anct import r

AIDE = 22000.0


def geojson(chemin, contrats: list[tuple]) -> None:
    """A list of contracts as ANCT publishes it: (code_cv, lib_cv, codgeo, pop[, insee_dep])."""
    chemin.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"codgeo": g, "code_cv": c, "lib_cv": lib, "insee_dep": dep, "pop": p},
                        "geometry": {"type": "Point", "coordinates": [0.7, 47.4]},
                    }
                    for c, lib, g, p, dep in (tuple(x) + ("37",) * (5 - len(x)) for x in contrats)
                ],
            }
        ),
        encoding="utf-8",
    )


@pytest.fixture
def fichiers(tmp_path):
    """2023 (2015 list): CV1 2 posts, CV2 1 post, CV9 1 post but absent from the list, CV4
    listed without any post. 2024 (2024 list): CN1 3 posts; CV3 1 post, the old code of CN3
    (same place); CN5 without population; CN6 listed twice with the same population."""
    postes = [
        r("P1", "T1", AIDE, "CV1", 2023),
        r("P2", "T2", AIDE, "CV1", 2023),
        r("P3", "T3", AIDE / 2, "CV2", 2023),
        r("P4", "T4", AIDE, "CV9", 2023),
        r("Q1", "T1", AIDE, "CN1", 2024),
        r("Q2", "T1", AIDE, "CN1", 2024),
        r("Q3", "T2", AIDE, "CN1", 2024),
        r("Q4", "T5", AIDE, "CV3", 2024),
    ]
    (tmp_path / "ar-2023.json").write_text(json.dumps(postes[:4]), encoding="utf-8")
    (tmp_path / "ar-2024.json").write_text(json.dumps(postes[4:]), encoding="utf-8")
    geojson(
        tmp_path / "cv-2015.geojson",
        [("CV1", "Un", "G1", 10000.0), ("CV2", "Deux", "G2", 20000.0), ("CV4", "Quatre", "G4", 5000.0)],
    )
    geojson(
        tmp_path / "cv-2024.geojson",
        [
            ("CN1", "Un", "G1", 12000.0),
            ("CN3", "Trois", "G3", 8000.0),
            ("CV3", "Trois (2015)", "G3", 7000.0),
            ("CN5", "Cinq", "G5", None),
            ("CN6", "Six", "G6a", 3000.0),
            ("CN6", "Six bis", "G6b", 3000.0),
        ],
    )
    return (
        [tmp_path / "ar-2023.json", tmp_path / "ar-2024.json"],
        [tmp_path / "cv-2015.geojson", tmp_path / "cv-2024.geojson"],
    )


def test_la_table_nationale_suit_la_liste_en_vigueur(fichiers):
    tidy, table, anomalies = national(*fichiers)
    lignes = table.set_index(["annee", "code_contrat"])
    assert list(lignes.loc[2023].index) == ["CV1", "CV2", "CV4", "CV9"]
    assert list(lignes.loc[2024].index) == ["CN1", "CN3", "CN5", "CN6"]
    assert set(lignes.loc[2023, "geographie"]) == {2015} and set(lignes.loc[2024, "geographie"]) == {2024}
    # 2 posts for 10,000 inhabitants: 2.0; a contract without post counts, at 0.
    assert lignes.loc[(2023, "CV1"), "postes_pour_10000"] == 2.0
    assert lignes.loc[(2023, "CV4"), ["postes", "postes_pour_10000"]].tolist() == [0, 0.0]
    # A half-year post: 11,000 € for 1 post; the year's usual aid is the most frequent amount.
    assert lignes.loc[(2023, "CV2"), ["aide_par_poste_eur", "aide_usuelle_eur"]].tolist() == [AIDE / 2, AIDE]
    assert math.isnan(lignes.loc[(2023, "CV4"), "aide_par_poste_eur"])
    # Absent from the list: kept, without population, reported.
    assert math.isnan(lignes.loc[(2023, "CV9"), "population_qpv"])
    assert math.isnan(lignes.loc[(2023, "CV9"), "postes_pour_10000"])
    # The old code's post goes to the new contract, with the 2024 population: 1 / 8,000.
    assert lignes.loc[(2024, "CN3"), ["postes", "population_qpv"]].tolist() == [1, 8000.0]
    assert lignes.loc[(2024, "CN3"), "postes_pour_10000"] == 1.25
    assert lignes.loc[(2024, "CN1"), ["postes", "employeurs", "postes_pour_10000"]].tolist() == [3, 2, 2.5]
    assert lignes.loc[(2024, "CN6"), "population_qpv"] == 3000.0
    assert math.isnan(lignes.loc[(2024, "CN5"), "postes_pour_10000"])
    assert [(a.annee, a.anomalie, a.enregistrements) for a in anomalies if "contrat" in a.anomalie] == [
        ("liste de 2024", "contrat listé sous son ancien code (CV…) et sous le nouveau", 1),
        ("liste de 2024", "contrat listé plusieurs fois", 2),
        ("liste de 2024", "contrat sans population", 1),
        (2023, "contrat absent de la liste de 2015", 1),
    ]
    assert "CV3 = CN3" in str(
        anomalies[
            [a.anomalie for a in anomalies].index(
                "contrat listé sous son ancien code (CV…) et sous le nouveau"
            )
        ]
    )
    # The tidy table keeps ANCT's own codes.
    assert set(tidy.loc[tidy["annee"] == 2024, "code_contrat"]) == {"CN1", "CV3"}


def test_deux_parties_d_un_contrat_sur_deux_departements_s_additionnent(tmp_path, fichiers):
    postes, (l2015, _) = fichiers
    geojson(
        l2015, [("CV1", "Un", "G1", 6000.0), ("CV1", "Un", "G1b", 4000.0), ("CV2", "Deux", "G2", 20000.0)]
    )
    _, table, anomalies = national(postes[:1], [l2015])
    assert table.set_index("code_contrat").loc["CV1", "population_qpv"] == 10000.0
    assert any("populations de QPV additionnées (6\u202f000 + 4\u202f000)" in a.detail for a in anomalies)
    assert (
        any(a.annee == 2024 and "liste des contrats de 2024 non fournie" in a.anomalie for a in anomalies)
        is False
    )


def test_une_annee_sans_sa_liste_est_signalee(fichiers):
    postes, (l2015, _) = fichiers
    _, table, anomalies = national(postes, [l2015])
    assert set(table["annee"]) == {2023}
    assert any(a.annee == 2024 and a.anomalie == "liste des contrats de 2024 non fournie" for a in anomalies)


def test_un_departement_absent_du_fichier_n_est_pas_compte_zero(tmp_path):
    """Seine-Saint-Denis (hundreds of posts in 2023) is absent from ANCT's whole 2024 file:
    its contracts' posts are unknown, not 0, and they leave the distribution."""
    postes = [r(f"S{i}", "T9", AIDE, "CV7", 2023, dep="93", reg="11") for i in range(12)]
    postes += [r("P1", "T1", AIDE, "CV1", 2023), r("Q1", "T1", AIDE, "CN1", 2024)]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    geojson(
        tmp_path / "l15.geojson",
        [("CV1", "37 - Un", "G1", 10000.0), ("CV7", "93 - Sept", "G7", 30000.0, "93")],
    )
    geojson(
        tmp_path / "l24.geojson",
        [("CN1", "37 - Un", "G1", 11000.0), ("CN7", "93 - Sept", "G7b", 31000.0, "93")],
    )
    _, table, anomalies = national(
        [tmp_path / "ar.json"], [tmp_path / "l15.geojson", tmp_path / "l24.geojson"]
    )
    sept = table.set_index(["annee", "code_contrat"]).loc[(2024, "CN7")]
    assert pd.isna(sept["postes"]) and pd.isna(sept["postes_pour_10000"])
    assert sept["hors_repartition"] == "postes inconnus : département absent du fichier de l'ANCT de 2024"
    assert table.set_index(["annee", "code_contrat"]).loc[(2023, "CV7"), "postes"] == 12
    assert any(a.annee == 2024 and "départements 93 présents d'autres années" in a.detail for a in anomalies)


def test_une_population_plus_que_doublee_est_douteuse(tmp_path):
    """The 2024 list gives the Métropole européenne de Lille 683 713 QPV inhabitants against
    207 382 in 2015: beyond twice the 2015 figure (same EPCI, or the same name), the contract
    leaves the distribution, the reason said."""
    (tmp_path / "ar.json").write_text(
        json.dumps([r("Q1", "T1", AIDE, "CN1", 2024), r("Q2", "T1", AIDE, "CN2", 2024)]), encoding="utf-8"
    )
    geojson(
        tmp_path / "l15.geojson", [("CV1", "37 - CA Un", "G1", 10000.0), ("CV2", "37 - Deux", "G2", 10000.0)]
    )
    geojson(
        tmp_path / "l24.geojson", [("CN1", "37 - Un", "G1bis", 25000.0), ("CN2", "37 - Deux", "G2", 19000.0)]
    )
    _, table, anomalies = national(
        [tmp_path / "ar.json"], [tmp_path / "l15.geojson", tmp_path / "l24.geojson"]
    )
    lignes = table.set_index("code_contrat")
    # CN1 matched by its name (« CA » dropped), 2.5 times: doubtful; CN2 (same EPCI), 1.9 times: kept.
    assert lignes.loc["CN1", "hors_repartition"].startswith("population des QPV douteuse : 25\u202f000")
    assert pd.isna(lignes.loc["CN1", "postes_pour_10000"])
    assert pd.isna(lignes.loc["CN2", "hors_repartition"]) and lignes.loc["CN2", "postes_pour_10000"] > 0
    assert any("population des QPV plus que doublée" in a.anomalie for a in anomalies)


def table_nationale(lignes: list[tuple]) -> pd.DataFrame:
    """(annee, code, population, postes[, hors_repartition]) → the national table's columns,
    as import-anct writes them (no rate for a contract out of the distribution)."""
    t = pd.DataFrame([tuple(x) + ("",) * (5 - len(x)) for x in lignes])
    t.columns = ["annee", "code_contrat", "population_qpv", "postes", "hors_repartition"]
    return t.assign(
        geographie=t["annee"].map(lambda a: 2024 if a >= 2024 else 2015),
        libelle=t["code_contrat"].map(lambda c: f"37 - Contrat {c}"),
        employeurs=1,
        montant_etat_eur=t["postes"] * AIDE,
        postes_pour_10000=(t["postes"] / t["population_qpv"] * 10_000).where(t["hors_repartition"] == ""),
        aide_par_poste_eur=AIDE,
        aide_usuelle_eur=AIDE,
        annee_partielle="non",
    )[list(contrat.TABLES["anct_contrats"].noms)]


# Rates of 2024: A 5, B 0, C 20, D 5, E 8; F (no population) and G (doubtful population) are out
# of the distribution. Sorted: 0, 5, 5, 8, 20.
NATIONALE = [
    (2024, "A", 10000.0, 5),
    (2024, "B", 20000.0, 0),
    (2024, "C", 5000.0, 10),
    (2024, "D", 40000.0, 20),
    (2024, "E", 10000.0, 8),
    (2024, "F", float("nan"), 3, "sans population des QPV"),
    (2024, "G", 90000.0, 1, "population des QPV douteuse : 90 000 dans la liste de 2024"),
    (2023, "X", 10000.0, 1),  # the 2015 list: A's old code
    (2023, "Y", 10000.0, 3),
]


def test_rang_part_en_dessous_quantiles():
    p = n.position(table_nationale(NATIONALE), 2024, ["X", "A"])
    # Rank: 1 + the two strictly higher rates (20, 8); below: 1 lower + half of the 2 equal, of 5.
    assert (p["code_contrat"], p["rang"], p["contrats"]) == ("A", 3, 5)
    assert p["part_en_dessous"] == pytest.approx(2 / 5)
    # Linear interpolation on 0, 5, 5, 8, 20: d1 at 0.4 → 2; q1 at 1 → 5; median 5; q3 at 3 → 8; d9 at 3.6 → 15.2.
    assert [p[k] for k in ("d1", "q1", "mediane", "q3", "d9")] == pytest.approx([2.0, 5.0, 5.0, 8.0, 15.2])
    # Years of the 2015 list under the old code: 1 of 2 contracts higher, none lower.
    avant = n.position(table_nationale(NATIONALE), 2023, ["X", "A"])
    assert (avant["code_contrat"], avant["rang"], avant["part_en_dessous"]) == ("X", 2, 0.25)
    assert n.positions(table_nationale(NATIONALE), [2023, 2024, 2025], ["X", "A"]).index.tolist() == [
        2023,
        2024,
    ]
    assert n.position(table_nationale(NATIONALE), 2024, ["F"]) is None  # no population, no rank


def test_les_voisins_sont_les_plus_proches_en_population():
    """A has 10,000 inhabitants: E (0 apart), C (5,000), B (10,000), then D (30,000)."""
    voisins = n.voisins(table_nationale(NATIONALE), 2024, "A", n=3)
    assert voisins["code_contrat"].tolist() == ["E", "C", "B"]


@pytest.fixture
def territoire_national(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw", {2023: {}, 2024: {}}, parametres="nom: T\ncode_contrat: [X, A]\n"
    )
    ecrire_csv(
        dossier / "anct_contrats.csv",
        list(contrat.TABLES["anct_contrats"].noms),
        table_nationale(NATIONALE).astype(object).where(lambda d: d.notna(), "").to_numpy().tolist(),
    )
    return dossier


def blocs(dossier, annee=2024):
    t = charger(dossier)
    return Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, annee, None, None)).blocs("contrats_de_ville")


def test_la_section_situe_le_contrat(territoire_national):
    b = blocs(territoire_national)
    paragraphes = [x.texte for x in b if isinstance(x, Paragraphe)]
    tableaux = [x for x in b if isinstance(x, Tableau)]
    assert paragraphes[0].startswith(
        "En 2024, selon l'ANCT, le contrat de ville Contrat A (A) compte 5 postes d'adultes-relais financés par "
        "l'État pour 10\u202f000 habitants des QPV, soit 5,0 postes pour 10\u202f000 habitants : 3e des 5 contrats "
        "de ville comparés"
    )
    assert (
        "la médiane des contrats est de 5,0" in paragraphes[0] and "au-dessus de 40\u00a0%" in paragraphes[0]
    )
    # Contracts left out, and why.
    [exclus] = [p for p in paragraphes if p.startswith("Certains contrats des listes sont laissés hors")]
    assert "en 2024, 2 contrats (1 dont la population des QPV de la liste est plus du double" in exclus
    assert ", 1 sans population des QPV dans la liste)" in exclus
    annees = tableaux[0]
    assert annees.colonne("Année") == ["2023", "2024"]
    assert annees.colonne("Contrat") == ["X", "A"]
    assert annees.colonne("Rang") == ["2e sur 2", "3e sur 5"]
    assert annees.colonne("1er et 9e déciles") == ["1,2 – 2,8", "2,0 – 15,2"]
    # The break between the two lists is said.
    assert any(
        "En 2024, la géographie prioritaire et la liste des contrats changent" in p for p in paragraphes
    )
    assert any("Licence Ouverte 2.0" in p and "financés par l'État" in p for p in paragraphes)
    assert any(
        p.startswith(
            "Aide de l'État par poste d'adulte-relais du contrat selon l'ANCT : égale à l'aide usuelle"
        )
        and "chaque année en 2023 et 2024 (22\u202f000\u00a0€ en 2023" in p
        and "diffère de l'aide par adulte-relais de la section Financements (F5)" in p
        for p in paragraphes
    )
    voisins = tableaux[1]
    assert voisins.colonne("Contrat de ville") == [
        "Contrat A (ce contrat)",
        "Contrat E",
        "Contrat C",
        "Contrat B",
        "Contrat D",
    ]
    [figure] = [x for x in b if isinstance(x, Figure)]
    assert "2024 : 5,0 contre une médiane de 5,0" in figure.graphique.alt


def test_un_territoire_hors_de_la_table_le_dit_en_une_phrase(tmp_path, territoire_national):
    [sans_table] = blocs(ecrire_territoire(tmp_path / "autre", {2024: {}}))
    assert sans_table.texte.startswith("Aucune table nationale des contrats de ville dans les données")
    yml = territoire_national / "territoire.yml"
    yml.write_text("nom: T\ncode_contrat: CV000\n", encoding="utf-8")
    [absent] = blocs(territoire_national)
    assert absent.texte.startswith("Le contrat CV000 ne figure pas dans la répartition nationale")


def test_commande_import_anct_avec_les_contrats(tmp_path, fichiers):
    postes, listes = fichiers
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation",
            "import-anct",
            *map(str, postes),
            "--contrats",
            *map(str, listes),
            "--out",
            str(tmp_path / "sortie"),
        ],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "Table nationale écrite" in res.stdout
    assert "2023 — contrat absent de la liste de 2015 : 1 contrat ; CV9 : 1 poste" in res.stdout
    lue = pd.read_csv(tmp_path / "sortie" / "anct_contrats.csv")
    assert list(lue.columns) == list(contrat.TABLES["anct_contrats"].noms)
    assert "Employeur" not in (tmp_path / "sortie" / "anct_contrats.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(not ANCT_REEL.is_dir(), reason="ANCT open data (../shared/data/anct) absent")
def test_fichiers_reels_tours_metropole_parmi_les_contrats():
    _, table, _ = national(
        sorted(ANCT_REEL.glob("adulte-relais-*.json")), sorted(ANCT_REEL.glob("contrats-de-ville-*.geojson"))
    )
    tours = table.set_index(["annee", "code_contrat"])
    assert tours.loc[(2024, "CN03702M"), ["postes", "population_qpv", "geographie"]].tolist() == [
        46,
        38919.0,
        2024,
    ]
    assert tours.loc[(2023, "CV121"), ["postes", "population_qpv", "geographie"]].tolist() == [
        47,
        34756.0,
        2015,
    ]
    # The bundled sample carries the same national table.
    echantillon = pd.read_csv(ECHANTILLON / "anct_contrats.csv")
    pd.testing.assert_frame_equal(echantillon, table, check_dtype=False)
