"""End to end: the real CLI runs papermill and nbconvert on the sample data."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from evaluation.donnees.territoire import charger
from evaluation.indicateurs import tableau
from evaluation.indicateurs.publication import publier
from evaluation.production.export import pour_l_export

from .conftest import QUARTIERS_MINI, ecrire_territoire, sans_variable

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

ANNEE = 2025
PAGES = ["agglomeration", "joue-les-tours", "la-riche", "saint-pierre-des-corps", "tours"]


def empreintes(dossier: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(dossier.rglob("*")) if p.is_file()}


def construire(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evaluation", "build", *map(str, args)], capture_output=True, text=True
    )


class Balises(HTMLParser):
    """Collects tags and attributes of a page."""

    def __init__(self):
        super().__init__()
        self.balises: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.balises.append((tag, dict(attrs)))


def balises(html: str) -> list[tuple[str, dict]]:
    p = Balises()
    p.feed(html)
    return p.balises


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    import shutil

    from .conftest import ECHANTILLON

    racine = tmp_path_factory.mktemp("build")
    donnees = Path(shutil.copytree(ECHANTILLON, racine / "raw"))
    avant = empreintes(donnees)
    r = construire("--data", donnees, "--year", ANNEE, "--out", racine / "reports", "--jobs", 2)
    return {"r": r, "donnees": donnees, "avant": avant, "sortie": racine / "reports" / str(ANNEE)}


def test_build_reussit_et_produit_tout(build):
    assert build["r"].returncode == 0, build["r"].stderr
    noms = {p.name for p in build["sortie"].iterdir() if p.is_file()}
    assert {f"{p}.html" for p in PAGES} | {"index.html", "indicateurs.csv", "indicateurs.xlsx"} <= noms
    assert not [n for n in noms if n.endswith(".tmp")]


def test_les_fichiers_bruts_sont_intacts(build):
    assert empreintes(build["donnees"]) == build["avant"]


def test_objectifs_proposes_ecrits(build):
    propose = build["donnees"].parent / "processed" / str(ANNEE) / f"objectifs_proposes_{ANNEE + 1}.csv"
    lignes = propose.read_text(encoding="utf-8").splitlines()
    assert lignes[0] == "annee,indicateur,perimetre,cible,sens"
    import openpyxl

    feuille = openpyxl.load_workbook(propose.with_suffix(".xlsx")).active
    assert feuille.max_row == len(lignes) and feuille["A1"].value == "Année"


@pytest.mark.parametrize("page", PAGES)
def test_page_sans_code_ni_reseau(build, page):
    html = (build["sortie"] / f"{page}.html").read_text(encoding="utf-8")
    for interdit in (
        "Rapport.ouvrir",
        "rapport.section(",
        "donnees = ",
        "annee = ",
        "import ",
        "jp-InputArea-editor",
    ):
        assert interdit not in html
    for tag, attrs in balises(html):
        assert tag != "script", "aucun script : la page se lit hors ligne"
        for attr in ("src", "href"):
            valeur = attrs.get(attr) or ""
            assert not valeur.startswith(("http:", "https:", "//")), (tag, valeur)
    assert "<link" not in html
    for trace in ("Warning", "Traceback", "Error"):
        assert trace not in html, "no stderr or error output reaches a report"


@pytest.mark.parametrize("page", PAGES)
def test_page_identifiee_et_lisible(build, page):
    html = (build["sortie"] / f"{page}.html").read_text(encoding="utf-8")
    t = charger(build["donnees"])
    assert '<html lang="fr">' in html
    assert t.nom in html and str(ANNEE) in html
    assert t.version in html
    assert "Généré le" in html
    assert "Données d’exemple" in html
    # The colophon says what the running footer says: a page taken out still tells.
    from evaluation.rapport.analyses import analyses

    provisoire = analyses(t, ANNEE).provisoire
    for fichier in (f"{page}.html", "index.html"):
        texte = (build["sortie"] / fichier).read_text(encoding="utf-8")
        [pied] = re.findall(r'<footer class="pied">(.*?)</footer>', texte, re.S)
        assert ("version provisoire" in pied) is bool(provisoire) and "données d’exemple" in pied, fichier
    sections = [
        "Synthèse",
        "Contexte",
        "Actions de l’année",
        "Indicateurs de réalisation de la fiche",
        "Présence humaine\u202f: couverture et disparités",
        "Organisation de la présence",
        "Réseau et coordination",
        "Veille sociale",
        "Effets (indicateurs proposés)",
        "Financements",
        "Objectifs",
        "Perspectives",
        "Liens avec les autres fiches",
        "Méthode et qualité des données",
        "Avis des conseils citoyens et des conseils municipaux",
    ]
    # Sections of facts and texts, with no chart by design.
    sans_figure = {"Actions de l’année", "Perspectives", "Liens avec les autres fiches"} | {sections[-1]}
    if page == "agglomeration":
        sections.insert(1, "Communes côte à côte")
        sections.insert(sections.index("Objectifs"), "Le contrat parmi les contrats de ville")
    titres = [h.split(". ", 1)[1] for h in re.findall(r"<h2[^>]*>([^<]+)<", html)]
    assert titres == sections
    assert "Sommaire" in html
    ids = {a["id"] for _, a in balises(html) if "id" in a}
    sommaire = [
        a["href"][1:]
        for tag, a in balises(html)
        if tag == "a" and a.get("href", "").startswith("#") and "anchor-link" not in a.get("class", "")
    ]
    assert len(sommaire) == len(sections) and set(sommaire) <= ids, (
        "the table of contents links every section"
    )
    for titre, morceau in zip(titres, re.split(r"<h2", html)[1:], strict=True):
        assert ("<img" in morceau) is (titre not in sans_figure), titre
    images = [a for tag, a in balises(html) if tag == "img"]
    assert len(images) >= 6
    assert "R2 et données ouvertes de l’ANCT" in html  # R2 beside ANCT's yearly counts, the contract's
    for img in images:
        assert img["src"].startswith("data:image/svg+xml;base64,")
        assert base64.b64decode(img["src"].partition(",")[2]).startswith(b"<?xml")
        assert len(img.get("alt", "")) > 30 and "No description" not in img["alt"]


def test_index_relie_les_rapports(build):
    html = (build["sortie"] / "index.html").read_text(encoding="utf-8")
    liens = {a["href"] for tag, a in balises(html) if tag == "a"}
    # The line on the contract among all contrats de ville links to its section.
    [section] = [lien for lien in liens if "#" in lien]
    assert {f"{p}.html" for p in PAGES} | {"indicateurs.csv", "indicateurs.xlsx", section} == liens
    page, _, ancre = section.partition("#")
    assert page == "agglomeration.html" and ancre.endswith(".-Le-contrat-parmi-les-contrats-de-ville")
    assert f'<h2 id="{ancre}"' in (build["sortie"] / page).read_text(encoding="utf-8")


def test_indicateurs_csv_et_xlsx_concordent_avec_la_bibliotheque(build):
    t = charger(build["donnees"])
    attendu = pour_l_export(publier(t, tableau(t, [a for a in sorted(t.annees) if a <= ANNEE])))
    csv = pd.read_csv(build["sortie"] / "indicateurs.csv", encoding="utf-8", dtype={"masque": str})
    assert list(csv.columns) == ["annee", "perimetre", "indicateur", "valeur", "masque"]
    pd.testing.assert_frame_equal(csv.fillna({"masque": ""}), attendu, check_dtype=False, atol=1e-6)
    xlsx = pd.read_excel(build["sortie"] / "indicateurs.xlsx", dtype={"masque": str})
    pd.testing.assert_frame_equal(xlsx.fillna({"masque": ""}), attendu, check_dtype=False, atol=1e-6)
    # The constant list of QPVs says which years it spans: the 2024 and 2025 files never give
    # one key two values.
    constantes = {p for p in csv["perimetre"] if "liste_constante" in p}
    assert constantes == {f"agglomeration_liste_constante_{min(t.annees)}_{ANNEE}"}
    # The sheet's facts: adultes-relais in post on 31 December as counted by ANCT.
    r2 = csv[(csv.indicateur == "R2") & (csv.perimetre == "agglomeration")].set_index("annee")["valeur"]
    assert r2.loc[2020:2024].tolist() == [28, 34, 47, 47, 46]


def test_donnees_invalides_rien_n_est_construit(tmp_path):
    dossier = ecrire_territoire(
        tmp_path / "raw", {2024: {"outils": [["X", "annuaire", "Omega", "en_service", ""]]}}
    )
    r = construire("--data", dossier, "--out", tmp_path / "reports")
    assert r.returncode == 1
    assert "1 problème dans les données :" in r.stderr
    assert "Rien n'a été produit" in r.stderr
    assert not (tmp_path / "reports").exists()


def test_commune_demandee_et_texte_echappe(tmp_path):
    quartiers = [list(q) for q in QUARTIERS_MINI]
    quartiers[0][1] = "<script>alert('quartier')</script> & Cie"
    postes = [["P1", "mediateur", "<b>Structure</b>", "Alpha", "Q1", "1", "ville", "non", "", ""]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": postes}}, quartiers=quartiers)
    r = construire("--data", dossier, "--out", tmp_path / "reports", "--city", "Alpha", "--jobs", 1)
    assert r.returncode == 0, r.stderr
    sortie = tmp_path / "reports" / "2024"
    assert sorted(p.name for p in sortie.glob("*.html")) == ["agglomeration.html", "alpha.html", "index.html"]
    for page in ("agglomeration.html", "alpha.html"):
        html = (sortie / page).read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(" in html and "&lt;/script&gt; &amp; Cie" in html
        assert "<script>" not in html and "<b>" not in html
    r = construire("--data", dossier, "--out", tmp_path / "reports", "--city", "Gamma")
    assert r.returncode == 1
    assert (
        "Commune inconnue ou sans QPV actif en 2024 : Gamma ; communes disponibles : Alpha, Beta." in r.stderr
    )


def test_un_rapport_en_echec_garde_sa_preuve(tmp_path):
    """A notebook that raises gives a failed result with its first error line; the executed
    notebook is kept with papermill's error cell."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from evaluation.production.executeurs import executer
    from evaluation.production.taches import Tache

    nb = new_notebook(
        cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell("1 / 0")]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    chemin = tmp_path / "casse.ipynb"
    nbformat.write(nb, chemin)
    r = executer(Tache("casse", "Commune — Casse", chemin, {"x": 2, "annee": 2024}), tmp_path / "out", "pied")
    assert not r.ok
    assert r.erreur.startswith("ZeroDivisionError : division by zero")
    garde = nbformat.read(tmp_path / "out" / "_notebooks" / "casse.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in garde.cells)
    assert not (tmp_path / "out" / "casse.html").exists()


def test_fiches_quartier(tmp_path):
    """--quartiers: one page per QPV of the communes built, linked from the commune and the index;
    a QPV with no post, no slot and no signal still gets its page."""
    postes = [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""]]
    plages = [["P1", "Q1", "lundi", "18:00", "21:00", "rue"]]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": postes, "plages": plages}})
    r = construire(
        "--data", dossier, "--out", tmp_path / "reports", "--city", "Alpha", "--quartiers", "--jobs", 2
    )
    assert r.returncode == 0, r.stderr
    sortie = tmp_path / "reports" / "2024"
    assert sorted(p.name for p in (sortie / "quartiers").glob("*.html")) == ["q1.html", "q2.html"]
    commune = {
        a["href"] for tag, a in balises((sortie / "alpha.html").read_text(encoding="utf-8")) if tag == "a"
    }
    assert {"quartiers/q1.html", "quartiers/q2.html"} <= commune
    index = {
        a["href"] for tag, a in balises((sortie / "index.html").read_text(encoding="utf-8")) if tag == "a"
    }
    assert {"quartiers/q1.html", "quartiers/q2.html"} <= index
    fiche = (sortie / "quartiers" / "q1.html").read_text(encoding="utf-8")
    assert "Quartier Un (Q1), Alpha" in fiche and "Paramètres" not in fiche


def test_reconstruction_incrementale(tmp_path):
    """Nothing changed: nothing rebuilt. One commune's meeting added: that commune and the
    agglomeration rebuilt, the other commune kept. --force: everything rebuilt."""
    import json

    postes = [
        ["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""],
        ["P2", "mediateur", "S", "Beta", "Q3", "1", "ville", "non", "", ""],
    ]
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": postes}})
    sortie = tmp_path / "reports"

    def lancer(*options):
        r = construire("--data", dossier, "--out", sortie, "--jobs", 2, *options)
        assert r.returncode == 0, r.stderr
        return {
            p.name: p.stat().st_mtime_ns for p in (sortie / "2024").glob("*.html") if p.name != "index.html"
        }, r.stdout

    premier, _ = lancer()
    assert set(premier) == {"agglomeration.html", "alpha.html", "beta.html"}
    manifeste = json.loads((sortie / "2024" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifeste["rapports"]) == {"agglomeration", "alpha", "beta"}

    second, journal = lancer()
    assert second == premier
    assert "0 rapport produit, 3 à jour, 0 en échec" in journal

    reunions = dossier / "2024" / "reunions.csv"
    reunions.write_text(
        reunions.read_text(encoding="utf-8") + "2024-03-01,reseau_acteurs,Beta,ville,9,\n", encoding="utf-8"
    )
    troisieme, journal = lancer()
    changes = {n for n in troisieme if troisieme[n] != second[n]}
    assert changes == {"agglomeration.html", "beta.html"}
    assert "2 rapports produits, 1 à jour" in journal
    # The page kept reads as a forced build's (generation date and data version aside).
    r = construire("--data", dossier, "--out", tmp_path / "force", "--jobs", 2, "--force")
    assert r.returncode == 0, r.stderr
    version = json.loads((sortie / "2024" / "manifest.json").read_text(encoding="utf-8"))["version_donnees"]
    for page in troisieme:
        incremental = sans_variable((sortie / "2024" / page).read_text(encoding="utf-8"))
        force = sans_variable((tmp_path / "force" / "2024" / page).read_text(encoding="utf-8"))
        assert re.sub(r"[0-9a-f]{12}", "V", incremental) == re.sub(r"[0-9a-f]{12}", "V", force), page
        assert page == "alpha.html" or version in force

    quatrieme, _ = lancer("--force")
    assert all(quatrieme[n] != troisieme[n] for n in quatrieme)


def test_build_tue_en_cours_ne_laisse_pas_de_page_tronquee(tmp_path):
    """Killed at any moment (here: as soon as a first page appears), a build leaves only
    complete pages under their final names (pages are written to a temporary file, then renamed)."""
    import os
    import shutil
    import signal
    import time

    from .conftest import ECHANTILLON

    donnees = Path(shutil.copytree(ECHANTILLON, tmp_path / "raw"))
    sortie = tmp_path / "reports" / str(ANNEE)
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "evaluation",
            "build",
            "--data",
            str(donnees),
            "--out",
            str(tmp_path / "reports"),
            "--jobs",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        limite = time.monotonic() + 300
        while time.monotonic() < limite and not list(sortie.glob("*.html")) and processus.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(processus.pid, signal.SIGKILL)
        processus.wait()
    pages = list(sortie.glob("*.html"))
    assert pages, "the build was killed after its first page"
    for page in pages:
        texte = page.read_text(encoding="utf-8")
        assert texte.rstrip().endswith("</html>") and "version des données" in texte, page.name
    assert not (sortie / "index.html").exists() or (sortie / "index.html").read_text(
        encoding="utf-8"
    ).rstrip().endswith("</html>")
