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
from evaluation.outils.anct import codes_nommes, lire_contrats, national, predecesseurs
from evaluation.rapport.annexes import ANNEXES
from evaluation.rapport.blocs import Figure, Paragraphe, Tableau
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.vue import Genre

from .conftest import ANCT_REEL, ECHANTILLON, ecrire_csv, ecrire_territoire
from .test_anct import r

AIDE = 22000.0


def geojson(chemin, contrats: list[tuple]) -> None:
    """A list of contracts as ANCT publishes it: (code_cv, lib_cv, codgeo, pop[, insee_dep[,
    (longitude, latitude)]]), in Indre-et-Loire at one point unless told."""
    chemin.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"codgeo": g, "code_cv": c, "lib_cv": lib, "insee_dep": dep, "pop": p},
                        "geometry": {"type": "Point", "coordinates": list(xy)},
                    }
                    for c, lib, g, p, dep, xy in (
                        tuple(x) + ("37", (0.7, 47.4))[len(x) - 4 :] for x in contrats
                    )
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


def test_un_code_joint_compte_pour_le_premier_contrat_nomme(tmp_path):
    """« CV380CV384 » is not a contract of the list: its posts go to CV380 (Cayenne), which no
    longer counts 0; CV384 keeps its own post only."""
    postes = [
        r("J1", "T1", AIDE, "CV380CV384"),
        r("J2", "T1", AIDE, "CV380CV384"),
        r("R1", "T2", AIDE, "CV384"),
    ]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    geojson(
        tmp_path / "l15.geojson",
        [
            ("CV380", "973 - Cayenne", "97302", 10000.0, "973"),
            ("CV384", "973 - Remire", "97309", 5000.0, "973"),
        ],
    )
    _, table, anomalies = national([tmp_path / "ar.json"], [tmp_path / "l15.geojson"])
    lignes = table.set_index("code_contrat")
    assert lignes["postes"].to_dict() == {"CV380": 2, "CV384": 1}
    assert lignes["postes_pour_10000"].to_dict() == {"CV380": 2.0, "CV384": 2.0}
    assert lignes["hors_repartition"].isna().all()
    assert [a.anomalie for a in anomalies] == ["code_cv joint (plusieurs contrats nommés)"]


def test_un_contrat_sur_deux_departements_est_compte_une_fois(tmp_path):
    """Roissy Pays de France is listed under CN07708M (Seine-et-Marne) and CN09503M
    (Val-d'Oise), the same posts under each: one contract, under its largest part's code,
    populations added, each post once."""
    postes = [
        r("P1", "T1", AIDE, "CN1", 2024, dep="77"),
        r("P1", "T1", AIDE, "CN2", 2024, dep="95"),
        r("P2", "T2", AIDE, "CN1", 2024, dep="77"),
        r("P2", "T2", AIDE, "CN2", 2024, dep="95"),
        r("P3", "T3", AIDE, "CN2", 2024, dep="95"),
        r("Q1", "T4", AIDE, "CN3", 2024, dep="95"),
    ]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    geojson(
        tmp_path / "l24.geojson",
        [
            ("CN1", "77 - CA Roissy", "G", 2000.0, "77"),
            ("CN2", "95 - CA Roissy", "G", 8000.0, "95"),
            ("CN3", "95 - Autre", "G3", 10000.0, "95"),
        ],
    )
    _, table, anomalies = national([tmp_path / "ar.json"], [tmp_path / "l24.geojson"])
    lignes = table.set_index("code_contrat")
    assert list(lignes.index) == ["CN2", "CN3"]
    assert lignes.loc["CN2", ["departement", "population_qpv", "postes", "employeurs"]].tolist() == [
        "77|95",
        10000.0,
        3,
        3,
    ]
    # 3 posts for 10,000 inhabitants (not 2 for 2,000 and 3 for 8,000), 3 aids paid, not 5.
    assert lignes.loc["CN2", ["postes_pour_10000", "montant_etat_eur"]].tolist() == [3.0, 3 * AIDE]
    [fusion] = [a for a in anomalies if a.anomalie.startswith("contrat sur plusieurs départements")]
    assert fusion.enregistrements == 1
    assert (
        "CA Roissy : CN2 (95) et CN1 (77), compté sous CN2 avec 10\u202f000 habitants des QPV "
        "(8\u202f000 + 2\u202f000)" in fusion.detail
    )


def test_aucun_poste_sous_le_nouveau_code_quand_le_precedent_en_avait_est_inconnu(tmp_path):
    """« Boucle Nord de Seine » (2024) has no post in ANCT's 2024 file while the CA Argenteuil -
    Bezons it took over had 17 in 2023: its posts are unknown, not 0, and it leaves the
    distribution. Its predecessor is the 2015 contract at the same place, else under the same
    name, else the single nearest of its département within 5 km; a contract whose
    predecessor had no post, or without a predecessor, counts 0."""
    postes = [
        r("P1", "T1", AIDE, "CV1", 2023),
        r("P2", "T1", AIDE, "CV1", 2023),
        r("P3", "T2", AIDE, "CV2", 2023),
        r("P5", "T3", AIDE, "CV5", 2023, dep="41"),
        r("P6", "T4", AIDE, "CV6", 2023),
        r("P7", "T5", AIDE, "CV7", 2023),
        r("Q1", "T1", AIDE, "CN4", 2024),
    ]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    geojson(
        tmp_path / "l15.geojson",
        [
            ("CV1", "37 - Un", "G1", 10000.0),
            ("CV2", "37 - Deux", "G2", 10000.0, "37", (1.0, 47.0)),
            ("CV3", "37 - Trois", "G3", 10000.0),
            ("CV5", "41 - Cinq", "G5", 10000.0, "41", (2.0, 47.1)),
            ("CV6", "37 - Six", "G6", 10000.0, "37", (1.5, 47.015625)),
            ("CV7", "37 - Sept", "G7", 10000.0, "37", (1.5, 46.984375)),
        ],
    )
    geojson(
        tmp_path / "l24.geojson",
        [
            ("CN1", "37 - Un bis", "G1", 10000.0),  # same place as CV1 (2 posts in 2023)
            ("CN2", "37 - Nouveau nom", "G2b", 10000.0, "37", (1.0, 47.018)),  # 2 km from CV2 (1 post)
            ("CN3", "37 - Trois", "G3b", 10000.0),  # CV3's name; CV3 had no post
            ("CN4", "37 - Quatre", "G4", 10000.0),
            ("CN5", "41 - Cinq autre", "G5b", 10000.0, "41", (2.0, 47.0)),  # 11 km from CV5: none
            ("CN6", "37 - Six et sept", "G67", 10000.0, "37", (1.5, 47.0)),  # as near CV6 as CV7: none
        ],
    )
    _, table, anomalies = national(
        [tmp_path / "ar.json"], [tmp_path / "l15.geojson", tmp_path / "l24.geojson"]
    )
    lignes = table[table["annee"] == 2024].set_index("code_contrat")
    assert pd.isna(lignes.loc["CN1", "postes"]) and pd.isna(lignes.loc["CN1", "postes_pour_10000"])
    assert lignes.loc["CN1", "hors_repartition"] == (
        "postes inconnus : aucun poste en 2024 sous ce code, 2 postes en 2023 sous le contrat précédent CV1 (Un)"
    )
    assert lignes.loc["CN2", "hors_repartition"].endswith(
        "1 poste en 2023 sous le contrat précédent CV2 (Deux)"
    )
    assert lignes.loc[["CN3", "CN5", "CN6"], "postes"].tolist() == [0, 0, 0]
    assert lignes.loc[["CN3", "CN5", "CN6"], "postes_pour_10000"].tolist() == [0.0, 0.0, 0.0]
    # Not ranked: out of the distribution, and counted among the contracts left out.
    assert n.position(table, 2024, ["CN1"]) is None
    assert n.repartition(table, 2024)["code_contrat"].tolist() == ["CN3", "CN4", "CN5", "CN6"]
    assert n.exclus(table, 2024) == {"postes inconnus : aucun poste": 2}
    [lacune] = [a for a in anomalies if a.anomalie.startswith("aucun poste sous le nouveau code")]
    assert (lacune.annee, lacune.enregistrements) == (2024, 2)
    assert "CN1 (2 en 2023 sous CV1), CN2 (1 en 2023 sous CV2)" in lacune.detail


def test_predecesseurs_par_lieu_nom_ou_proximite(tmp_path):
    geojson(
        tmp_path / "a.geojson",
        [("CV1", "37 - CA Un", "G1", 1.0), ("CV2", "37 - Deux", "G2", 1.0, "37", (1.0, 47.0))],
    )
    geojson(
        tmp_path / "b.geojson",
        [
            ("CN1", "37 - Un", "G9", 1.0, "37", (3.0, 47.0)),  # « CA » dropped: the same name
            ("CN2", "37 - Autre", "G2", 1.0),
            ("CN3", "37 - Trois", "G3", 1.0, "37", (1.0, 47.04)),  # 4.4 km from CV2
            ("CN4", "41 - Quatre", "G4", 1.0, "41", (1.0, 47.0)),  # another département
        ],
    )
    avant, apres = lire_contrats(tmp_path / "a.geojson")[1], lire_contrats(tmp_path / "b.geojson")[1]
    assert predecesseurs(avant, apres) == {
        "CN1": ("CV1", "nom"),
        "CN2": ("CV2", "lieu"),
        "CN3": ("CV2", "proche"),
    }


def table_nationale(lignes: list[tuple]) -> pd.DataFrame:
    """(annee, code, population, postes[, hors_repartition]) → the national table's columns,
    as import-anct writes them (no rate for a contract out of the distribution)."""
    t = pd.DataFrame([tuple(x) + ("",) * (5 - len(x)) for x in lignes])
    t.columns = ["annee", "code_contrat", "population_qpv", "postes", "hors_repartition"]
    return t.assign(
        geographie=t["annee"].map(lambda a: 2024 if a >= 2024 else 2015),
        libelle=t["code_contrat"].map(lambda c: f"37 - Contrat {c}"),
        departement="37",
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
        table_nationale(NATIONALE)
        .assign(departement=lambda d: d["code_contrat"].map({"E": "974", "G": "77|95"}).fillna("37"))
        .astype(object)
        .where(lambda d: d.notna(), "")
        .to_numpy()
        .tolist(),
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
        "l'État pour 10\u202f000 habitants des QPV, soit 5,0 postes pour 10\u202f000 habitants : 3\u1d49 des 5 contrats "
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
    assert annees.colonne("Rang") == ["2\u1d49 sur 2", "3\u1d49 sur 5"]  # « 2ᵉ », <sup> in HTML
    assert annees.colonne("1\u1d49\u02b3 et 9\u1d49 déciles") == ["1,2 – 2,8", "2,0 – 15,2"]
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
        and "diffère de l'aide par adulte-relais de la section Financements, qui rapporte" in p
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


@pytest.mark.lent
def test_la_section_donne_le_departement_et_liste_les_contrats_laisses_hors(territoire_national):
    """« Saint-Denis » among the peers is La Réunion's: the peer table says so; the contracts
    left out of the distribution are listed, each with its reason, in the annex and the section."""
    t = charger(territoire_national)
    vue = vue_de(t, Genre.AGGLOMERATION, 2024, None, None)
    laisses = ANNEXES["contrats_de_ville"](t, vue).laisses
    assert laisses[["code_contrat", "departement", "raison"]].to_numpy().tolist() == [
        ["G", "77|95", "population des QPV douteuse"],
        ["F", "37", "sans population"],
    ]
    tableaux = [x for x in blocs(territoire_national) if isinstance(x, Tableau)]
    [voisins] = [x for x in tableaux if "les plus proches" in (x.legende or "")]
    assert voisins.colonne("Département") == [
        "Indre-et-Loire (37)",
        "La Réunion (974)",
        "Indre-et-Loire (37)",
        "Indre-et-Loire (37)",
        "Indre-et-Loire (37)",
    ]
    [liste] = [x for x in tableaux if (x.legende or "").startswith("Contrats de ville laissés hors")]
    assert liste.legende == "Contrats de ville laissés hors de la comparaison en 2024, et pourquoi"
    assert liste.colonne("Code") == ["G", "F"]
    assert liste.colonne("Département") == ["Seine-et-Marne (77) et Val-d'Oise (95)", "Indre-et-Loire (37)"]
    assert liste.colonne("Raison") == [
        "population des QPV douteuse : 90 000 dans la liste de 2024",
        "sans population des QPV",
    ]
    methode = [
        x.texte for x in blocs(territoire_national) if isinstance(x, Paragraphe) and "Licence" in x.texte
    ]
    assert "rattachés au premier contrat nommé" in methode[0] and "compté une fois" in methode[0]


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
    # Cayenne, Macouria, Matoury: their posts under joined codes (« CV380CV384 ») are theirs.
    for code, postes in {"CV380": [50, 51, 70, 60], "CV382": [8, 6, 6, 6], "CV383": [6, 8, 6, 6]}.items():
        assert [tours.loc[(a, code), "postes"] for a in range(2020, 2024)] == postes
        assert tours.loc[(2023, code), "postes_pour_10000"] > 0
    assert table["code_contrat"].map(codes_nommes).str.len().eq(0).all()
    # Roissy Pays de France (77 and 95, the same 82 posts under each code) counted once.
    roissy = tours.loc[(2024, "CN09503M")]
    assert (roissy["postes"], roissy["population_qpv"], roissy["departement"]) == (82, 161068.0, "77|95")
    assert (2024, "CN07708M") not in tours.index
    # Boucle Nord de Seine: no post in 2024, 17 under the CA Argenteuil - Bezons in 2023: unknown.
    boucle = tours.loc[(2024, "CN09508M")]
    assert pd.isna(boucle["postes"]) and pd.isna(boucle["postes_pour_10000"])
    assert "17 postes en 2023 sous le contrat précédent CV358" in boucle["hors_repartition"]
    # Tours Métropole's place, and its peers with their département (Saint-Denis is La Réunion's).
    place = n.positions(table, list(range(2020, 2025)), ["CV121", "CN03702M"])
    assert place[["rang", "contrats"]].to_numpy().tolist() == [
        [231, 433],
        [233, 433],
        [149, 433],
        [147, 433],
        [109, 358],
    ]
    voisins = n.voisins(table, 2024, "CN03702M").set_index("code_contrat")
    assert "CN09508M" not in voisins.index and voisins.loc["CN97406I", "departement"] == "974"
    assert len(n.laisses_hors(table, 2024)) == sum(n.exclus(table, 2024).values()) == 38
    # The bundled sample carries the same national table.
    echantillon = pd.read_csv(ECHANTILLON / "anct_contrats.csv", dtype={"departement": str})
    pd.testing.assert_frame_equal(echantillon, table, check_dtype=False)
