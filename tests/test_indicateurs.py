"""Each indicator against values worked out by hand on a tiny territory.

Year 2024 is a leap year (366 days). Communes: Alpha (Q1, Q2 entrant in 2024), Beta (Q3 and
the veille area V1), Gamma (Q4, left in 2023: Gamma is not active in 2024).
"""

from __future__ import annotations

import math

import pytest

from evaluation import indicateurs
from evaluation.donnees.territoire import charger
from evaluation.indicateurs.base import etp_annuel

from .conftest import ecrire_territoire

P = [
    "id_poste",
    "dispositif",
    "structure",
    "commune",
    "code_qpv",
    "etp",
    "financeur",
    "vacant",
    "date_debut",
    "date_fin",
]


def poste(id_, dispositif, commune, code, etp, vacant="non", debut="", fin=""):
    return [id_, dispositif, "Structure", commune, code, etp, "autre", vacant, debut, fin]


POSTES_2024 = [
    poste("EP1", "educateur_prevention", "Alpha", "Q1", 1.0),
    poste("EP2", "educateur_prevention", "Beta", "Q3", 0.5, debut="2024-07-01"),  # 184 days
    poste("EP3", "educateur_prevention", "Alpha", "Q1", 1.0, vacant="oui"),
    poste("AR1", "adulte_relais", "Alpha", "Q1", 0.5),
    poste("AR1", "adulte_relais", "Beta", "Q3", 0.5),
    poste("AR2", "adulte_relais", "Alpha", "Q1", 1.0, fin="2024-12-30"),  # 365 days
    poste("AR3", "adulte_relais", "Alpha", "Q2", 1.0, vacant="oui"),
    poste("AR4", "adulte_relais", "Alpha", "Q2", 1.0, debut="31/12/2024"),  # 1 day
    poste("CQ1", "correspondant_quartier", "Alpha", "Q1", 1.0),
    poste("CQ2", "correspondant_quartier", "Alpha", "Q1", 0.5),
    poste("CQ2", "correspondant_quartier", "Alpha", "Q2", 0.5),
    poste("CQ3", "correspondant_quartier", "Beta", "Q3", 1.0, fin="2024-06-30"),  # 182 days
    poste("PM1", "police_municipale", "Beta", "V1", 1.0),  # veille area: no QPV value
]
REUNIONS_2024 = [
    ["2024-02-01", "reseau_acteurs", "Alpha", "prefecture|ville|agglomeration", 12, "mediateur"],
    ["2024-05-01", "reseau_acteurs", "Alpha", "ville", 8, ""],
    ["2024-03-01", "reseau_acteurs", "Beta", "ville", 9, ""],
    ["2024-04-01", "reseau_acteurs", "agglomeration", "prefecture", 30, ""],
    ["2024-06-01", "clspd", "Alpha", "prefecture|ville", 15, ""],
]
OUTILS_2024 = [
    ["Annuaire", "annuaire", "Alpha", "en_service", "2023-01-01"],
    ["Plateforme", "plateforme_echange", "agglomeration", "en_service", ""],
    ["Carte", "cartographie", "Beta", "en_projet", ""],
    ["Messagerie", "autre", "Alpha", "abandonne", "2024-03-01"],
]


@pytest.fixture(scope="module")
def territoire(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("mini") / "raw"
    ecrire_territoire(
        dossier,
        {2024: {"postes": POSTES_2024, "reunions": REUNIONS_2024, "outils": OUTILS_2024}},
    )
    return charger(dossier)


def serie(t, code):
    return indicateurs.valeurs(t, 2024, code).to_dict()


def test_perimetres_actifs_seulement(territoire):
    assert territoire.communes_actives(2024) == ["Alpha", "Beta"]
    assert list(indicateurs.valeurs(territoire, 2024, "R1").index) == ["agglomeration", "Alpha", "Beta"]
    assert list(indicateurs.valeurs(territoire, 2024, "C1").index) == ["Q1", "Q2", "Q3"]


def test_r1_reunions_du_reseau(territoire):
    """As the sheet says, R1 counts the network meetings co-piloted by the Préfecture, the city
    and the agglomeration: Alpha's first one only (its second was the city's alone, Beta's
    too, the agglomeration's the Préfecture's alone). N1 keeps every network meeting."""
    assert serie(territoire, "R1") == {"agglomeration": 1, "Alpha": 1, "Beta": 0}
    assert serie(territoire, "N1.reseau_acteurs") == {"agglomeration": 4, "Alpha": 2, "Beta": 1}


def test_r2_adultes_relais_au_31_decembre(territoire):
    # AR1 counts in both communes of its rows, once for the agglomeration; AR2 ended on
    # 30/12, AR3 is vacant, AR4 started on 31/12 and counts.
    assert serie(territoire, "R2") == {"agglomeration": 2, "Alpha": 2, "Beta": 1}


def test_r3_correspondants_par_qpv(territoire):
    assert serie(territoire, "R3") == {"Q1": 2, "Q2": 1, "Q3": 0}


def test_r4_etp_annuels_prevention(territoire):
    beta = 0.5 * 184 / 366
    assert serie(territoire, "R4") == pytest.approx({"agglomeration": 1 + beta, "Alpha": 1.0, "Beta": beta})


def test_r5_outils_crees_dans_l_annee(territoire):
    """The sheet's « création d'outils »: put in service in 2024, the Messagerie (Alpha, since
    abandoned) only — the Annuaire dates from 2023, the Plateforme has no date, the Carte is
    planned. In service at the end of 2024 (N5): the Annuaire and the Plateforme."""
    assert serie(territoire, "R5") == {"agglomeration": 1, "Alpha": 1, "Beta": 0}
    assert serie(territoire, "N5.en_service") == {"agglomeration": 2, "Alpha": 1, "Beta": 0}


def test_la_liste_des_outils_met_ceux_en_service_avant_les_abandonnes(territoire):
    """In service (by type: annuaire before plateforme_echange), then planned, then abandoned,
    whatever the alphabet says (« abandonne » sorts first)."""
    from evaluation.indicateurs.reseau import liste_des_outils

    assert liste_des_outils(territoire, 2024)["nom"].tolist() == [
        "Annuaire",
        "Plateforme",
        "Carte",
        "Messagerie",
    ]
    assert liste_des_outils(territoire, 2024, "Alpha")["nom"].tolist() == ["Annuaire", "Messagerie"]


def test_c1_etp_pour_mille_habitants(territoire):
    q1 = (1.0 + 0.5 + 365 / 366 + 1.0 + 0.5) / 2000 * 1000
    q2 = (1 / 366 + 0.5) / 1000 * 1000
    q3 = (0.5 * 184 / 366 + 0.5 + 182 / 366) / 500 * 1000
    assert serie(territoire, "C1") == pytest.approx({"Q1": q1, "Q2": q2, "Q3": q3})


def test_etp_annuel_annee_non_bissextile(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw",
        {
            2023: {
                "postes": [poste("X", "mediateur", "Alpha", "Q1", 0.8, debut="2023-07-01", fin="2023-07-10")]
            }
        },
    )
    postes = charger(dossier).annee(2023).postes
    assert etp_annuel(postes, 2023).tolist() == pytest.approx([0.8 * 10 / 365])


def test_zero_et_pas_absence(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    t = charger(dossier)
    assert serie(t, "R1") == {"agglomeration": 0, "Alpha": 0, "Beta": 0}
    assert serie(t, "C1") == {"Q1": 0, "Q2": 0, "Q3": 0}


def test_tableau_long_reprend_les_fonctions(territoire):
    tab = indicateurs.tableau(territoire)
    assert list(tab.columns) == ["annee", "perimetre", "indicateur", "valeur"]
    r2 = tab[(tab.indicateur == "R2") & (tab.perimetre == "Alpha")]
    assert r2["valeur"].tolist() == [2.0]
    realisation = tab[tab.indicateur.isin(["R1", "R2", "R3", "R4", "R5"])]
    assert not any(math.isnan(v) for v in realisation["valeur"])  # counts: zero, never missing


def test_chaque_indicateur_declare_les_tables_qu_il_lit():
    """`lit` says which yearly tables an indicator reads (a missing return makes it « n. m. »
    where that table misses a partner): computed alone on the sample, with a fresh memo,
    every indicator reads exactly the tables it declares."""
    from evaluation.donnees.territoire import Memo

    from .conftest import ECHANTILLON

    t = charger(ECHANTILLON, [2024, 2025])

    class Lues(dict):
        noms: set[str] = set()

        def __getitem__(self, nom):
            Lues.noms.add(nom)
            return super().__getitem__(nom)

    for a in t.annees.values():
        a.__dict__["tables"] = Lues(a.tables)
    for code, i in indicateurs.INDICATEURS.items():
        t.memo, Lues.noms = Memo(), set()
        i.calcul(t, 2025)
        assert Lues.noms == set(i.lit), code
