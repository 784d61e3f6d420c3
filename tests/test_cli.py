"""The command line as users run it: real processes, exit codes, French messages."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ecrire_territoire


def lancer(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "evaluation", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def test_validate_ok_ecrit_les_tables_traitees(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    r = lancer("validate", "--data", dossier)
    assert r.returncode == 0, r.stderr
    assert "Données valides : Territoire test, année 2024" in r.stdout
    assert (tmp_path / "processed" / "2024" / "postes.csv").is_file()
    assert (tmp_path / "processed" / "2024" / "quartiers.csv").is_file()


def test_validate_problemes_code_1(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw",
        {2024: {"outils": [["Annuaire", "annuaire", "Omega", "ouvert", ""]]}},
    )
    r = lancer("validate", "--data", dossier)
    assert r.returncode == 1
    assert r.stderr.splitlines()[:3] == [
        "2 problèmes dans les données :",
        "- 2024/outils.csv, ligne 2, colonne « perimetre » : valeur « Omega » — périmètre inconnu : une commune "
        "du contrat (quartiers.csv) ou « agglomeration »",
        "- 2024/outils.csv, ligne 2, colonne « statut » : valeur « ouvert » — valeurs admises : en_projet, "
        "en_service, abandonne",
    ]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "processed").exists()


def test_validate_une_annee(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw", {2023: {"outils": [["X", "annuaire", "Omega", "en_service", ""]]}, 2024: {}}
    )
    assert lancer("validate", "--data", dossier, "--year", "2024").returncode == 0
    assert lancer("validate", "--data", dossier, "--year", "2023").returncode == 1


def test_erreurs_d_utilisation_code_2(tmp_path):
    r = lancer("validate", "--year", "deux-mille")
    assert r.returncode == 2
    assert "erreur" in r.stderr and "année invalide : « deux-mille »" in r.stderr
    assert lancer("publier").returncode == 2
    assert lancer().returncode == 2


def test_annee_ou_dossier_absents(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {}})
    r = lancer("validate", "--data", dossier, "--year", "2019")
    assert r.returncode == 1
    assert r.stderr.strip() == (
        f"Erreur : Aucun dossier pour l'année 2019 dans {dossier} ; années disponibles : 2024."
    )
    r = lancer("validate", "--data", tmp_path / "absent")
    assert r.returncode == 1 and "Dossier de données introuvable" in r.stderr


def test_aide_en_francais():
    r = lancer("--help")
    assert r.returncode == 0
    assert r.stdout.startswith("utilisation : python -m evaluation")
    assert "afficher cette aide et quitter" in r.stdout
    r = lancer("build", "--help")
    assert "Exemple : python -m evaluation build" in r.stdout


def test_une_ligne_d_erreur_et_la_trace_avec_debug(tmp_path):
    casse = tmp_path / "casse.json"
    casse.write_text("[{", encoding="utf-8")
    r = lancer("import-anct", casse, "--out", tmp_path / "sortie")
    assert r.returncode == 1
    assert (
        r.stderr.strip()
        == "Erreur : casse.json : JSON illisible (ligne 1) : Expecting property name enclosed in double quotes"
    )
    r = lancer("--debug", "import-anct", casse, "--out", tmp_path / "sortie")
    assert r.returncode == 1 and "Traceback" in r.stderr


def test_chaque_verbe_a_une_aide_en_francais_avec_exemple():
    for verbe in ("validate", "build", "objectifs", "template", "import-anct"):
        r = lancer(verbe, "--help")
        assert r.returncode == 0
        assert r.stdout.startswith("utilisation : ") and "Exemple : python -m evaluation " + verbe in r.stdout


def test_objectifs_dit_ou_sont_les_deux_fichiers(tmp_path):
    """The CSV to append and its xlsx copy, each said with what it is for, as typed from the
    working directory; the CSV's rows appended to objectifs.csv validate."""
    from .test_indicateurs import OUTILS_2024, POSTES_2024, REUNIONS_2024

    ecrire_territoire(
        tmp_path / "data" / "raw",
        {2024: {"postes": POSTES_2024, "reunions": REUNIONS_2024, "outils": OUTILS_2024}},
    )
    r = lancer("objectifs", "--data", "data/raw", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == (
        "Écrits dans data/processed/2024/objectifs_proposes_2025.csv (même format que objectifs.csv : "
        "séparateur virgule, point décimal) et data/processed/2024/objectifs_proposes_2025.xlsx (à lire dans "
        "un tableur) : relisez-les, puis ajoutez les lignes du CSV à objectifs.csv."
    )
    propose = tmp_path / "data" / "processed" / "2024" / "objectifs_proposes_2025.csv"
    assert (propose.with_suffix(".xlsx")).read_bytes()[:2] == b"PK"  # a zip: an xlsx workbook
    subprocess.run(
        [
            "bash",
            "-c",
            "tail -n +2 data/processed/2024/objectifs_proposes_2025.csv >> data/raw/objectifs.csv",
        ],
        cwd=tmp_path,
        check=True,
    )
    assert lancer("validate", "--data", "data/raw", cwd=tmp_path).returncode == 0
