"""Every rule of the data contract, each with a file that breaks it.

Messages are checked whole: file, sheet, line as a spreadsheet shows it (header = line 1),
column, value and what was expected.
"""

from __future__ import annotations

import pytest

from evaluation.cache import charger_valide as charger
from evaluation.donnees.problemes import DonneesInvalides, ErreurUtilisateur

from .conftest import QUARTIERS_MINI, ecrire_csv, ecrire_territoire


def poste(
    id_="P1", dispositif="mediateur", commune="Alpha", code="Q1", etp="1", vacant="non", debut="", fin=""
):
    return [id_, dispositif, "Structure", commune, code, etp, "ville", vacant, debut, fin]


def problemes(dossier) -> list[str]:
    with pytest.raises(DonneesInvalides) as exc:
        charger(dossier)
    return [str(p) for p in exc.value.problemes]


def unique(dossier) -> str:
    trouves = problemes(dossier)
    assert len(trouves) == 1, trouves
    return trouves[0]


def test_donnees_valides(tmp_path):
    t = charger(ecrire_territoire(tmp_path / "raw", {2024: {"postes": [poste()]}}))
    assert list(t.annees) == [2024]
    assert t.annee(2024).postes["etp"].tolist() == [1.0]


def test_colonne_inconnue_refusee(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    ecrire_csv(
        dossier / "2024" / "postes.csv",
        [
            "id_poste",
            "dispositif",
            "structure",
            "commune",
            "code_qpv",
            "etp",
            "financeur",
            "vacant",
            "nom_agent",
        ],
        [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "Jean Dupont"]],
    )
    assert unique(dossier).startswith(
        "2024/postes.csv, ligne 1, colonne « nom_agent » : colonne inconnue du contrat de données"
    )


def test_colonne_obligatoire_absente(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    ecrire_csv(
        dossier / "2024" / "outils.csv", ["nom", "type", "perimetre"], [["Annuaire", "annuaire", "Alpha"]]
    )
    assert unique(dossier) == "2024/outils.csv, ligne 1, colonne « statut » : colonne obligatoire absente"


@pytest.mark.parametrize(
    ("ligne", "attendu"),
    [
        (
            poste(code="Q9"),
            "2024/postes.csv, ligne 2, colonne « code_qpv » : valeur « Q9 » — code de quartier inconnu : choisissez-le dans la liste déroulante (les quartiers du contrat, quartiers.csv)",
        ),
        (
            poste(code="Q4", commune="Gamma"),
            "2024/postes.csv, ligne 2, colonne « code_qpv » : valeur « Q4 » — quartier hors de ses années "
            "d'activité en 2024 (annee_entree…annee_sortie)",
        ),
        (
            poste(commune="Beta"),
            "2024/postes.csv, ligne 2, colonne « commune » : valeur « Beta » — la commune n'est pas celle du "
            "quartier dans quartiers.csv",
        ),
        (poste(etp="0"), "2024/postes.csv, ligne 2, colonne « etp » : valeur « 0 » — doit être > 0"),
        (
            poste(etp="1,5"),
            "2024/postes.csv, ligne 2, colonne « etp » : valeur « 1,5 » — la somme des ETP de ce poste sur ses "
            "lignes dépasse 1",
        ),
        (
            poste(etp="un"),
            "2024/postes.csv, ligne 2, colonne « etp » : valeur « un » — un nombre est attendu (virgule ou point décimal)",
        ),
        (
            poste(dispositif="policier"),
            "2024/postes.csv, ligne 2, colonne « dispositif » : valeur « policier » — valeurs admises : "
            "educateur_prevention, mediateur, adulte_relais, correspondant_quartier, police_municipale, "
            "delegue_prefet, autre",
        ),
        (
            poste(debut="32/01/2024"),
            "2024/postes.csv, ligne 2, colonne « date_debut » : valeur « 32/01/2024 » — une date est attendue "
            "(AAAA-MM-JJ ou JJ/MM/AAAA)",
        ),
        (
            poste(debut="2025-01-01"),
            "2024/postes.csv, ligne 2, colonne « date_debut » : valeur « 2025-01-01 » — le poste doit commencer "
            "au plus tard le 31/12/2024",
        ),
        (
            poste(debut="2024-05-01", fin="2024-04-30"),
            "2024/postes.csv, ligne 2, colonne « date_fin » : valeur « 2024-04-30 » — date_fin doit être ≥ date_debut",
        ),
        (poste(vacant=""), "2024/postes.csv, ligne 2, colonne « vacant » : valeur obligatoire manquante"),
    ],
)
def test_regles_des_postes(tmp_path, ligne, attendu):
    assert unique(ecrire_territoire(tmp_path / "raw", {2024: {"postes": [ligne]}})) == attendu


def test_quartier_pas_encore_entre(tmp_path):
    # Q2 enters in 2024: using it in 2023 is an error.
    dossier = ecrire_territoire(tmp_path / "raw", {2023: {"postes": [poste(code="Q2")]}})
    assert "quartier hors de ses années d'activité en 2023" in unique(dossier)


def test_somme_etp_d_un_poste(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw", {2024: {"postes": [poste(etp="0,6"), poste(code="Q2", etp="0,5")]}}
    )
    assert problemes(dossier) == [
        f"2024/postes.csv, ligne {n}, colonne « etp » : valeur « {v} » — la somme des ETP de ce poste sur ses lignes dépasse 1"
        for n, v in ((2, "0,6"), (3, "0,5"))
    ]


def test_dispositif_constant_par_poste(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw",
        {2024: {"postes": [poste(etp="0,5"), poste(code="Q2", etp="0,5", dispositif="adulte_relais")]}},
    )
    assert len([p for p in problemes(dossier) if "même dispositif" in p]) == 2


def test_doublon_de_cle(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": [poste(etp="0,5"), poste(etp="0,5")]}})
    assert problemes(dossier) == [
        "2024/postes.csv, ligne 2, colonne « id_poste + code_qpv » : valeur « P1 / Q1 » — doublon : la même clé apparaît aussi ligne 3",
        "2024/postes.csv, ligne 3, colonne « id_poste + code_qpv » : valeur « P1 / Q1 » — doublon : la même clé apparaît aussi ligne 2",
    ]


def test_plages(tmp_path):
    plages = [
        ["P1", "Q1", "lundi", "18:00", "17:00", "rue"],
        ["P1", "Q2", "mardi", "09:00", "12:00", "rue"],
        ["P1", "Q1", "Jeudi", "9h30", "25:00", "rue"],
    ]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": [poste()], "plages": plages}})
    assert problemes(dossier) == [
        "2024/plages.csv, ligne 2, colonne « fin » : valeur « 17:00 » — l'heure de fin doit être après l'heure de début",
        "2024/plages.csv, ligne 3, colonne « id_poste » : valeur « P1 » — ce poste n'a pas de ligne pour ce quartier dans la table postes",
        "2024/plages.csv, ligne 4, colonne « fin » : valeur « 25:00 » — une heure est attendue (HH:MM)",
    ]


def test_reunions(tmp_path):
    reunions = [
        ["2023-12-31", "reseau_acteurs", "Alpha", "ville", "10", ""],
        ["2024-03-01", "reseau_acteurs", "Omega", "ville|maire", "-2", "mediateur|inconnu"],
    ]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"reunions": reunions}})
    assert problemes(dossier) == [
        "2024/reunions.csv, ligne 2, colonne « date » : valeur « 2023-12-31 » — la date doit être dans l'année du dossier (2024)",
        "2024/reunions.csv, ligne 3, colonne « copilotage » : valeur « ville|maire » — valeurs admises, séparées par "
        "« | » : prefecture, ville, agglomeration, departement, bailleur",
        "2024/reunions.csv, ligne 3, colonne « dispositifs_presents » : valeur « mediateur|inconnu » — valeurs admises, "
        "séparées par « | » : educateur_prevention, mediateur, adulte_relais, correspondant_quartier, "
        "police_municipale, delegue_prefet, autre",
        "2024/reunions.csv, ligne 3, colonne « participants » : valeur « -2 » — doit être ≥ 0",
        "2024/reunions.csv, ligne 3, colonne « perimetre » : valeur « Omega » — périmètre inconnu : une commune du "
        "contrat (quartiers.csv) ou « agglomeration »",
    ]


def test_remontees(tmp_path):
    remontees = [["2024-05-10", "Q1", "mediateur", "jeunesse", "orientation", "2024-05-09"]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"remontees": remontees}})
    assert unique(dossier) == (
        "2024/remontees.csv, ligne 2, colonne « date_suite » : valeur « 2024-05-09 » — date_suite doit être ≥ date"
    )


def test_activite(tmp_path):
    activite = [["P1", "13", "5", "1", "0", "0", "0"], ["P9", "1", "-1", "0", "0", "0", "0"]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": [poste()], "activite": activite}})
    assert problemes(dossier) == [
        "2024/activite.csv, ligne 2, colonne « mois » : valeur « 13 » — doit être ≤ 12",
        "2024/activite.csv, ligne 3, colonne « contacts » : valeur « -1 » — doit être ≥ 0",
        "2024/activite.csv, ligne 3, colonne « id_poste » : valeur « P9 » — poste inconnu de la table postes",
    ]


def test_financements_et_outils(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw",
        {
            2024: {
                "financements": [
                    ["Q1", "mediateur", "ville", "-10"],
                    ["Nulle-part", "mediateur", "ville", "10"],
                ],
                "outils": [["Annuaire", "annuaire", "Alpha", "en_service", "2025-01-02"]],
            }
        },
    )
    assert problemes(dossier) == [
        "2024/financements.csv, ligne 2, colonne « montant_eur » : valeur « -10 » — doit être ≥ 0",
        "2024/financements.csv, ligne 3, colonne « perimetre » : valeur « Nulle-part » — périmètre inconnu : "
        "« agglomeration », une commune ou un code de quartier",
        "2024/outils.csv, ligne 2, colonne « date_mise_en_service » : valeur « 2025-01-02 » — la mise en service "
        "doit être au plus tard le 31/12/2024",
    ]


def test_objectifs(tmp_path):
    objectifs = [[2025, "R9", "Alpha", "3", "au_moins"], [2025, "R1", "Omega", "3", "environ"]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}}, objectifs=objectifs)
    assert problemes(dossier) == [
        "objectifs.csv, ligne 2, colonne « indicateur » : valeur « R9 » — indicateur inconnu : un code de la "
        "section « Méthode » des rapports (ex. R1, C3, H2.mediateur)",
        "objectifs.csv, ligne 3, colonne « perimetre » : valeur « Omega » — périmètre inconnu : « agglomeration », "
        "une commune ou un code de quartier",
        "objectifs.csv, ligne 3, colonne « sens » : valeur « environ » — valeurs admises : au_moins, au_plus",
    ]


def test_quartiers(tmp_path):
    quartiers = [*QUARTIERS_MINI, ["Q1", "Doublon", "Alpha", 10, 2018, "qpv", 2020, 2019]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}}, quartiers=quartiers)
    assert problemes(dossier) == [
        "quartiers.csv, ligne 2, colonne « code_qpv » : valeur « Q1 » — doublon : la même clé apparaît aussi ligne 7",
        "quartiers.csv, ligne 7, colonne « annee_sortie » : valeur « 2019 » — annee_sortie doit être ≥ annee_entree",
        "quartiers.csv, ligne 7, colonne « code_qpv » : valeur « Q1 » — doublon : la même clé apparaît aussi ligne 2",
    ]


def test_territoire_yml(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw", {2024: {}}, parametres="nom: Test\nseuil: 2\nseuil_sous_dotation: 3\n"
    )
    assert problemes(dossier) == [
        "territoire.yml, colonne « code_contrat » : clé obligatoire absente",
        "territoire.yml, colonne « seuil » : clé inconnue (clés admises : nom, code_contrat, donnees_exemple, "
        "seuil_sous_dotation, pas_objectif_c1, reunions_reseau_minimum)",
        "territoire.yml, colonne « seuil_sous_dotation » : valeur « 3 » — un nombre > 0 et ≤ 1 est attendu",
    ]


def test_fichiers_de_l_annee(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    (dossier / "2024" / "outils.csv").unlink()
    ecrire_csv(dossier / "2024" / "agents.csv", ["nom"], [["X"]])
    assert problemes(dossier) == [
        "2024/agents.csv : fichier inconnu (attendus : postes.csv, plages.csv, reunions.csv, remontees.csv, "
        "activite.csv, financements.csv, outils.csv)",
        "2024/outils.csv : table « outils » absente",
    ]


def test_ligne_au_nombre_de_cellules_faux(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    (dossier / "2024" / "outils.csv").write_text(
        "nom,type,perimetre,statut,date_mise_en_service\nAnnuaire,annuaire,Alpha,en_service\n",
        encoding="utf-8",
    )
    assert (
        unique(dossier) == "2024/outils.csv, ligne 2 : 4 cellules au lieu de 5 (séparateur ou guillemets ?)"
    )


def test_tous_les_problemes_d_un_coup(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw",
        {
            2023: {"postes": [poste(code="Q9")]},
            2024: {"postes": [poste(etp="2")], "activite": [["P1", "0", "1", "1", "1", "1", "1"]]},
        },
    )
    trouves = problemes(dossier)
    assert [p.split(" : ")[0] for p in trouves] == [
        "2023/postes.csv, ligne 2, colonne « code_qpv »",
        "2024/activite.csv, ligne 2, colonne « mois »",
        "2024/postes.csv, ligne 2, colonne « etp »",
    ]


def test_annee_absente(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    with pytest.raises(ErreurUtilisateur, match="Aucun dossier pour l'année 2019.*années disponibles : 2024"):
        charger(dossier, [2019])


def test_colonne_en_double(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    ecrire_csv(
        dossier / "2024" / "outils.csv",
        ["nom", "type", "perimetre", "statut", "statut"],
        [["Annuaire", "annuaire", "Alpha", "en_service", "abandonne"]],
    )
    assert unique(dossier) == (
        "2024/outils.csv, ligne 1, colonne « statut » : colonne en double dans l'en-tête : seule la première est lue"
    )
