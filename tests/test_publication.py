"""Publish once, mask once: the published table's masks, computed by hand on a tiny territory,
then checked on every page and export of the sample built with --quartiers: each signal count
reads the same everywhere, and no masked count can be recomputed from the visible ones."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.donnees.contrat import AGGLOMERATION, SOURCES_REMONTEES, SUITES, THEMES, libelle
from evaluation.donnees.territoire import charger
from evaluation.indicateurs import tableau
from evaluation.indicateurs.geographie import LISTE_CONSTANTE, qpv_constants
from evaluation.indicateurs.publication import equations_des_remontees, est_un_compte, publier
from evaluation.indicateurs.secret import PRIMAIRE, SECONDAIRE
from evaluation.production.export import decimales_des_parts, pour_l_export

from .attaque_entiere import attaquer
from .conftest import ECHANTILLON, ecrire_territoire

ANNEE = 2025


def remontee(qpv: str, theme: str) -> list:
    return ["2024-05-02", qpv, "mediateur", theme, "orientation", "2024-05-03"]


# Alpha: Q1 (8 jeunesse, 2 santé), Q2 (6 jeunesse); Beta: Q3 (7 jeunesse) and the veille area
# V1 (5 santé).
REMONTEES = (
    [remontee("Q1", "jeunesse")] * 8
    + [remontee("Q1", "sante")] * 2
    + [remontee("Q2", "jeunesse")] * 6
    + [remontee("Q3", "jeunesse")] * 7
    + [remontee("V1", "sante")] * 5
)


def petit_territoire(tmp_path):
    return charger(ecrire_territoire(tmp_path / "raw", {2024: {"remontees": REMONTEES}}))


def test_masques_calcules_a_la_main(tmp_path):
    """Santé: Q1's 2 and Alpha's 2 are « < 5 » (zeros too). The agglomeration's santé (7) less
    Beta's (5) would give Alpha's back: Beta's is masked « s », and V1's (5) beside Q3's
    masked 0. Q2's and Q3's only theme is jeunesse (6, 7): shown, their total would tell that
    every masked theme is 0, so they are masked « s », and Q1's (8) with them (Alpha's
    jeunesse, 14, is Q1's plus Q2's). One equation at a time, that was all; a reader who takes
    them together knows more: every count below 5 reads « < 5 », so an « s » is at least 5,
    and Q2's jeunesse « s » under its visible total 6 could only be 5 or 6. Q2's total is
    masked, then, and Q1's with it (Alpha's 16 would give it back); Q3's and V1's totals are
    masked already, and the constant list's with them. The communes' totals (16, 12) and the
    agglomeration's (28) stay: each masked total then keeps at least three possible values
    (Q2 is 5 to 11 under Alpha's 16)."""
    t = petit_territoire(tmp_path)
    publie = publier(t, tableau(t))
    p = publie.set_index(["perimetre", "indicateur"])
    marque = p["masque"].to_dict()
    valeur = p["valeur"].to_dict()
    assert marque[("Q1", "V2.sante")] == PRIMAIRE and marque[("Alpha", "V2.sante")] == PRIMAIRE
    assert marque[("Beta", "V2.sante")] == SECONDAIRE and marque[("V1", "V2.sante")] == SECONDAIRE
    assert marque[("Q1", "V2.autre")] == PRIMAIRE  # a zero is below 5 too
    assert [marque[(q, "V2.jeunesse")] for q in ("Q1", "Q2", "Q3")] == [SECONDAIRE] * 3
    assert marque[(AGGLOMERATION, "V2.sante")] == SECONDAIRE
    assert marque[("Beta", "V3.mediateur")] == SECONDAIRE  # its only source: the others read 0
    assert np.isnan(valeur[("Beta", "V2.sante")]) and np.isnan(valeur[("V1", "V2.sante")])
    totaux = {n: marque[(n, "V1")] for n in ("Q1", "Q2", "Q3", "V1", LISTE_CONSTANTE)}
    assert totaux == dict.fromkeys(totaux, SECONDAIRE)
    visibles = {n: (marque[(n, "V1")], valeur[(n, "V1")]) for n in ("Alpha", "Beta", AGGLOMERATION)}
    assert visibles == {"Alpha": ("", 16), "Beta": ("", 12), AGGLOMERATION: ("", 28)}
    assert set(p.loc[~est_un_compte(p.index.get_level_values("indicateur")), "masque"]) <= {"", SECONDAIRE}
    assert recuperables(t, publie, 2024, [2024]) == []
    assert attaquer(t, pour_l_export(publie), 2024, [2024], precision_publiee()) == {}


def remontee_suivie(qpv: str, jours: int) -> list:
    return ["2024-05-02", qpv, "mediateur", "jeunesse", "orientation", f"2024-05-{2 + jours:02d}"]


def precision_publiee() -> dict[str, float]:
    """Half the rounding step of each share of signals as indicateurs.csv gives it."""
    return {c: 0.5 * 10.0**-k for c, k in decimales_des_parts().items() if c in ("V4", "E6", "V7")}


def test_une_part_ne_redonne_pas_un_compte_masque(tmp_path):
    """Q2 has 3 signals, one followed up within 2 days: its V1 reads « < 5 », and its E6
    (1/3) published beside it would pin it to 3 — what happened to La Galboisière in 2025
    (2/7). Published, E6 is masked at Q2, and the integer attack leaves every masked count at
    least three possible values; put the share back and the attack finds V1 = 3."""
    remontees = (
        [remontee_suivie("Q1", 1)] * 8
        + [remontee_suivie("Q1", 9)] * 6
        + [remontee_suivie("Q2", 1)]
        + [remontee_suivie("Q2", 9)] * 2
        + [remontee_suivie("Q3", 1)] * 6
        + [remontee_suivie("Q3", 9)] * 6
    )
    t = charger(ecrire_territoire(tmp_path / "raw", {2024: {"remontees": remontees}}))
    brute = tableau(t)
    publie = pour_l_export(publier(t, brute))
    q2 = (publie["perimetre"] == "Q2") & (publie["indicateur"] == "E6")
    assert publie.loc[q2, "masque"].tolist() == [SECONDAIRE] and publie.loc[q2, "valeur"].isna().all()
    assert attaquer(t, publie, 2024, [2024], precision_publiee()) == {}
    fuite = publie.copy()
    fuite.loc[q2, ["masque", "valeur"]] = ["", round(1 / 3, 2)]
    assert attaquer(t, fuite, 2024, [2024], precision_publiee())[("Q2", "V1")] == (3, 3)


# --------------------------------------------------------------------------- the oracle


def recuperables(t, publie: pd.DataFrame, annee: int, annees: list[int]) -> list[tuple[str, str]]:
    """The masked counts of `annee` that a reader could recompute from the visible ones by
    any linear combination. Each published count is a sum of unknown counts of signals per
    (neighbourhood, theme, source, follow-up); a masked count is recoverable exactly when its
    vector lies in the span of the visible counts' vectors."""
    q = t.quartiers_actifs(annee)
    commune_de = dict(zip(q["code_qpv"], q["commune"], strict=True))
    atomes = list(product(q["code_qpv"], THEMES, SOURCES_REMONTEES, SUITES))
    constants = set(qpv_constants(t, annees))
    position = {"V2": 1, "V3": 2, "V5": 3}

    def vecteur(perimetre: str, code: str) -> np.ndarray:
        famille, _, cle = code.partition(".")

        def dedans(n: str) -> bool:
            if perimetre == AGGLOMERATION:
                return True
            if perimetre.startswith(LISTE_CONSTANTE):  # named with its years in the exports
                return n in constants
            return n == perimetre if perimetre in commune_de else commune_de[n] == perimetre

        j = position.get(famille)
        return np.array([float(dedans(a[0]) and (j is None or a[j] == cle)) for a in atomes])

    lignes = publie[(publie["annee"] == annee) & est_un_compte(publie["indicateur"])]
    visibles = lignes[lignes["masque"] == ""]
    masques = lignes[lignes["masque"] != ""]
    v = np.array([vecteur(p, c) for p, c in zip(visibles["perimetre"], visibles["indicateur"], strict=True)])
    _, s, vt = np.linalg.svd(v, full_matrices=False)
    base = vt[s > 1e-9 * s.max()]
    trouves = []
    for p, c in zip(masques["perimetre"], masques["indicateur"], strict=True):
        m = vecteur(p, c)
        if np.linalg.norm(m - base.T @ (base @ m)) < 1e-6:
            trouves.append((p, c))
    return trouves


def test_l_oracle_trouve_une_cellule_recuperable(tmp_path):
    """The oracle itself can fail: show Beta's santé (5) and the agglomeration's (7) gives
    Alpha's (2) back."""
    t = petit_territoire(tmp_path)
    fuite = publier(t, tableau(t))
    for perimetre, valeur in (("Beta", 5.0), (AGGLOMERATION, 7.0)):
        ligne = (fuite["perimetre"] == perimetre) & (fuite["indicateur"] == "V2.sante")
        fuite.loc[ligne, ["masque", "valeur"]] = ["", valeur]
    assert ("Alpha", "V2.sante") in recuperables(t, fuite, 2024, [2024])


# --------------------------------------------------------------------------- the sample, built


class Tableaux(HTMLParser):
    """Every table of a page: its caption and rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tableaux: list[tuple[str, list[list[str]]]] = []
        self._texte: list[str] | None = None
        self._ligne: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tableaux.append(("", []))
        elif tag == "tr":
            self._ligne = []
        elif tag in ("td", "th", "caption"):
            self._texte = []

    def handle_data(self, data):
        if self._texte is not None:
            self._texte.append(data)

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tableaux[-1] = ("".join(self._texte), self.tableaux[-1][1])
            self._texte = None
        elif tag in ("td", "th") and self._ligne is not None:
            self._ligne.append("".join(self._texte))
            self._texte = None
        elif tag == "tr":
            self.tableaux[-1][1].append(self._ligne)
            self._ligne = None


def tableaux(page: Path) -> list[tuple[str, list[list[str]]]]:
    p = Tableaux()
    p.feed(page.read_text(encoding="utf-8"))
    return p.tableaux


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    racine = tmp_path_factory.mktemp("publication")
    donnees = Path(shutil.copytree(ECHANTILLON, racine / "raw"))
    r = subprocess.run(
        [sys.executable, "-m", "evaluation", "build", "--data", str(donnees), "--year", str(ANNEE)]
        + ["--out", str(racine / "reports"), "--quartiers", "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    csv = pd.read_csv(racine / "reports" / str(ANNEE) / "indicateurs.csv", dtype={"masque": str})
    return {
        "t": charger(donnees),
        "sortie": racine / "reports" / str(ANNEE),
        "traitees": racine / "processed" / str(ANNEE),
        "csv": csv.fillna({"masque": ""}),
    }


@pytest.mark.lent
def test_aucune_cellule_masquee_n_est_recuperable_dans_les_exports(sample):
    t, csv = sample["t"], sample["csv"]
    annees = t.annees_jusqu_a(ANNEE)
    comptes = csv[est_un_compte(csv["indicateur"])]
    assert (comptes["masque"] != "").sum() > 50  # the sample has small counts every year
    assert (comptes.loc[comptes["masque"] == "", "valeur"] >= 5).all(), "no visible count below 5"
    assert comptes.loc[comptes["masque"] != "", "valeur"].isna().all(), "a masked count has no value"
    for annee in annees:
        assert recuperables(t, csv, annee, annees) == [], annee
    xlsx = pd.read_excel(sample["sortie"] / "indicateurs.xlsx", dtype={"masque": str}).fillna({"masque": ""})
    pd.testing.assert_frame_equal(xlsx, csv, check_dtype=False)


@pytest.mark.lent
def test_l_attaque_entiere_laisse_trois_valeurs_a_chaque_compte_masque(sample):
    """From everything indicateurs.csv publishes for each year — counts, marks, and the shares
    of signals (V4, V7, E6) to the precision given — a reader solving integer programs keeps
    at least three possible values for every masked count (the published table of 2020–2025
    before this rule gave 170 of them away, La Galboisière's 7 signals of 2025 among them)."""
    t, csv = sample["t"], sample["csv"]
    annees = t.annees_jusqu_a(ANNEE)
    parts = csv[csv["indicateur"].isin(["V4", "E6", "V7"]) & csv["valeur"].notna()]
    assert len(parts) > 30  # shares are still published where they give nothing away
    assert (parts["valeur"].round(2) == parts["valeur"]).all()  # to the percent, as the pages
    for annee in annees:
        assert attaquer(t, csv, annee, annees, precision_publiee()) == {}, annee


@pytest.mark.lent
def test_la_table_non_masquee_reste_chez_l_agent(sample):
    assert not list(sample["sortie"].rglob("*non_masques*"))
    brute = pd.read_csv(sample["traitees"] / "indicateurs_non_masques.csv")
    t = sample["t"]
    attendu = pour_l_export(tableau(t, t.annees_jusqu_a(ANNEE)))
    pd.testing.assert_frame_equal(brute, attendu, check_dtype=False, atol=1e-6)


@pytest.mark.lent
def test_chaque_page_montre_les_comptes_publies(sample):
    """Every signal count on every page reads as in indicateurs.csv: its value, or its mark."""
    t, csv, sortie = sample["t"], sample["csv"], sample["sortie"]
    annee = csv[csv["annee"] == ANNEE]
    attendu = {
        (p, c): m or str(int(v))
        for p, c, v, m in zip(
            annee["perimetre"], annee["indicateur"], annee["valeur"], annee["masque"], strict=True
        )
        if est_un_compte(pd.Series([c]))[0]
    }
    code_du_nom = dict(zip(t.quartiers["nom"], t.quartiers["code_qpv"], strict=True))
    pages = {p: p.stem for p in sortie.glob("*.html") if p.name != "index.html"}
    pages |= {p: p.stem.upper() for p in (sortie / "quartiers").glob("*.html")}
    communes = {
        c.lower().replace("é", "e").replace("è", "e").replace(" ", "-"): c for c in t.communes_actives(ANNEE)
    }
    vus = 0
    for page, slug in pages.items():
        perimetre = {"agglomeration": AGGLOMERATION} | communes
        perimetre = perimetre.get(slug, slug)
        for legende, lignes in tableaux(page):
            if legende.startswith(("Remontées par quartier et thème", "Remontées par thème")):
                debut = 2 if lignes[0][1] == "Statut" else 1  # the status column, with veille areas
                for ligne in lignes[1:]:
                    nom = ligne[0].removesuffix(" ★").removesuffix(" †")
                    ici = perimetre if nom == "Total" else code_du_nom[nom]
                    codes = [f"V2.{x}" for x in THEMES] + ["V1"]
                    assert ligne[debut:] == [attendu[(ici, c)] for c in codes], (page.name, ligne)
                    vus += 1
            for prefixe, famille, valeurs in (
                ("Remontées par dispositif", "V3", SOURCES_REMONTEES),
                ("Remontées par suite", "V5", SUITES),
            ):
                if legende.startswith(prefixe):
                    assert lignes[0][1:-1] == [libelle(x) for x in valeurs]
                    codes = [f"{famille}.{x}" for x in valeurs] + ["V1"]
                    assert lignes[1][1:] == [attendu[(perimetre, c)] for c in codes], (page.name, legende)
                    vus += 1
            for ligne in lignes[1:]:
                if ligne[0] == "Remontées de terrain" and legende.startswith(
                    ("Veille sociale", "Le quartier")
                ):
                    textes = {
                        (p, c, a): m or str(int(v))
                        for p, c, a, v, m in zip(
                            csv.perimetre, csv.indicateur, csv.annee, csv.valeur, csv.masque, strict=True
                        )
                        if c == "V1" and p == perimetre
                    }
                    valeurs = ligne[2:] if lignes[0][1] == "Unité" else ligne[1:]
                    assert valeurs == [
                        textes.get((perimetre, "V1", a), "–") for a in t.annees_jusqu_a(ANNEE)
                    ], page.name
                    vus += 1
    assert vus > 60


class Texte(HTMLParser):
    """The text a reader sees: text nodes outside scripts, styles, drawings and code."""

    CACHES = frozenset({"script", "style", "svg", "code", "title"})

    def __init__(self):
        super().__init__()
        self.profondeur = 0
        self.morceaux: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.CACHES:
            self.profondeur += 1

    def handle_endtag(self, tag):
        if tag in self.CACHES:
            self.profondeur -= 1

    def handle_data(self, data):
        if not self.profondeur:
            self.morceaux.append(data)


# What a page must never say: agreement errors, developer terms, hand-made typography.
INTERDITS = {
    "accord en « (s) »": r"\w\(s\)",
    "pluriel après 0 ou 1": r"(?<![\d,\u202f])[01] (?:QPV actifs|quartiers|habitants|objectifs|réunions|postes)\b",
    "singulier après 2 ou plus": r"(?<![≥≤][ \u00a0])\b(?:[2-9]|\d{2,}) (?:quartier|habitant|objectif|poste) (?!de\b)",
    "commande": r"python -m|import-anct|--\w+",
    "nom de fichier": r"\b(?!indicateurs\.(?:csv|xlsx)\b)\w+\.(?:csv|yml|ipynb|py)\b",
    "identifiant": r"\b(?!agglomeration_liste_constante_\d{4}_\d{4}\b)[a-z]+_[a-z_]+\b",
    "code décliné": r"\b[A-Z]\d\.[a-z_]+\b",
    "espace avant ponctuation haute": r"[ \u00a0][:;!?»]",
    "espace après guillemet": r"«[ \u00a0]",
    "apostrophe droite": r"\w'\w",
    "trait d'union pour moins": r"(?<![\w\-–])-\d",
    "ETP à 0,0": r"comptent 0,0\b",
}


@pytest.mark.lent
def test_les_pages_parlent_comme_une_personne(sample):
    """Every page of the build, read as text: no agreement error, developer term or
    hand-made typography (the list above), with the offending words quoted."""
    pages = [*sample["sortie"].glob("*.html"), *(sample["sortie"] / "quartiers").glob("*.html")]
    assert len(pages) > 10
    fautes = []
    for page in pages:
        lecteur = Texte()
        lecteur.feed(page.read_text(encoding="utf-8"))
        texte = " ".join(lecteur.morceaux)
        for nom, motif in INTERDITS.items():
            for m in re.finditer(motif, texte):
                fautes.append(f"{page.name} — {nom} : « {texte[max(0, m.start() - 40) : m.end() + 20]} »")
    assert not fautes, "\n".join(fautes[:40])


@pytest.mark.lent
def test_titre_d_abord_sommaire_et_liens_de_retour(sample):
    """The H1 and the banner open each page; the table of contents is a <nav> whose every link
    reaches a heading of the page; every page links back to the index, a neighbourhood's page
    to its commune's report; every relative link reaches a page of the build."""
    pages = [*sample["sortie"].glob("*.html"), *(sample["sortie"] / "quartiers").glob("*.html")]
    for page in pages:
        if page.name == "index.html":
            continue
        html = page.read_text(encoding="utf-8")
        corps = html[html.index("<main") :]
        avant = corps[: corps.index('<header class="entete"><h1>')]
        assert re.sub(r"<[^>]+>", "", avant).strip() == "", f"{page.name}: text before the title"
        assert corps.index('class="exemple"') < corps.index("<nav"), page.name
        nav = re.search(r"<nav [^>]*>.*?</nav>", corps, re.S).group(0)
        ids = set(re.findall(r'id="([^"]+)"', html))
        assert [h for h in re.findall(r'href="#([^"]+)"', nav) if h not in ids] == [], page.name
        liens = re.findall(r'href="([^"#][^"]*)"', corps)
        assert [lien for lien in liens if not (page.parent / lien).resolve().is_file()] == [], page.name
        figures = re.findall(r'<figure class="graphique">(.*?)</figure>', corps, re.S)
        assert figures and all(re.search(r"<figcaption>[^<]{10,}</figcaption>", f) for f in figures), (
            page.name
        )
        retour = "../index.html" if page.parent.name == "quartiers" else "index.html"
        assert retour in liens, page.name
        if page.parent.name == "quartiers":
            assert any(lien.startswith("../") and lien != "../index.html" for lien in liens), page.name


@pytest.mark.lent
def test_aucun_zero_masque_ne_se_retrouve_par_difference(sample):
    """Counts are never negative: masked parts that add up to 0 under a visible total would
    each read 0. No equation of any year of the sample leaves them so."""
    t = sample["t"]
    annees = t.annees_jusqu_a(ANNEE)
    brute = tableau(t, annees)
    publie = publier(t, brute)
    comptes = brute[est_un_compte(brute["indicateur"])]
    fautes = []
    for annee, lignes in comptes.groupby("annee"):
        cles = list(zip(lignes["perimetre"], lignes["indicateur"], strict=True))
        valeurs = dict(zip(cles, lignes["valeur"], strict=True))
        p = publie[publie["annee"] == annee]
        masque = dict(zip(zip(p["perimetre"], p["indicateur"], strict=True), p["masque"], strict=True))
        for total, parties in equations_des_remontees(t, int(annee), annees, valeurs):
            cachees = [x for x in parties if masque.get(x)]
            if not masque.get(total) and cachees and sum(valeurs[x] for x in cachees) == 0:
                fautes.append((annee, total, cachees))
    assert fautes == []


def territoire_d_activite(tmp_path):
    """Alpha: Quartier Un, one mediator (P1, 100 contacts a month); Quartier Deux, three (P2–P4:
    30, 60, 90). Beta: Quartier Trois, one (P5: 10); its veille area V1, three (P6–P8: 20, 30,
    40). Every post 1 ETP all 2024, one orientation a month."""

    def poste(i, qpv, commune):
        return [f"P{i}", "mediateur", "S", commune, qpv, "1", "ville", "non", "", ""]

    lieux = {1: "Q1", 2: "Q2", 3: "Q2", 4: "Q2", 5: "Q3", 6: "V1", 7: "V1", 8: "V1"}
    postes = [poste(i, q, "Alpha" if q in ("Q1", "Q2") else "Beta") for i, q in lieux.items()]
    contacts = {"P1": 100, "P2": 30, "P3": 60, "P4": 90, "P5": 10, "P6": 20, "P7": 30, "P8": 40}
    activite = [[p, str(m), str(n), "1", "0", "0", "0"] for p, n in contacts.items() for m in range(1, 13)]
    return charger(ecrire_territoire(tmp_path / "raw", {2024: {"postes": postes, "activite": activite}}))


def test_un_indicateur_d_activite_sur_moins_de_3_postes_n_est_pas_publie(tmp_path):
    """Quartier Un's and Quartier Trois's figures would be one person's work: « s ». Alpha less
    Quartier Deux would be Quartier Un's: Quartier Deux (3 posts) is masked rather than Alpha
    (4). Beta less nothing is Quartier Trois with its veille area, 4 posts: Beta is published,
    E1 = 12 × (10 + 90) / 4 = 300; Alpha 12 × (100 + 180) / 4 = 840; the agglomeration
    12 × 380 / 8 = 570.
    E2 (per inhabitant of the QPVs) does not count the veille area: Beta's would be Quartier
    Trois's one post, masked; then the agglomeration less Alpha would be it: Alpha (4 posts)
    is masked, not the agglomeration (5). Agglomeration: 5 QPV posts × 12 orientations over
    3 500 inhabitants = 17,14 per 1 000."""
    from evaluation.indicateurs.table import tableau

    t = territoire_d_activite(tmp_path)
    publie = publier(t, tableau(t, [2024])).set_index(["perimetre", "indicateur"])

    def masques(code):
        return {
            p for p in ("agglomeration", "Alpha", "Beta", "Q1", "Q2", "Q3") if publie.loc[(p, code), "masque"]
        }

    for code in ("E1", "E3", "E4", "E5"):
        assert masques(code) == {"Q1", "Q2", "Q3"}, code
    assert masques("E2") == {"Alpha", "Beta", "Q1", "Q2", "Q3"}
    assert publie.loc[("Q1", "E1"), "masque"] == SECONDAIRE and pd.isna(publie.loc[("Q1", "E1"), "valeur"])
    e1 = publie.xs("E1", level="indicateur")["valeur"]
    assert e1[["Beta", "Alpha", "agglomeration"]].tolist() == pytest.approx([300, 840, 570])
    assert publie.loc[("agglomeration", "E2"), "valeur"] == pytest.approx(60 / 3500 * 1000)
    # The share of ETP declaring activity (E7) is about ETP, not anyone's work: published.
    assert not publie.xs("E7", level="indicateur")["masque"].any()


@pytest.mark.lent
def test_aucune_difference_d_indicateurs_d_activite_publies_ne_decrit_un_ou_deux_postes(sample):
    """An attack on the sample's published activity figures, every year, independent of the
    masking's reasoning: each published figure of E1 (and E2) is taken as its perimeter's total
    (its declaring ETP is public), a row of sums over the neighbourhoods. For every set of
    neighbourhoods whose declaring posts are one or two, and every non-empty part of it, the
    part's sum must not be a combination of the published rows (least squares)."""
    from itertools import combinations

    from evaluation.indicateurs.effets import postes_declarants, postes_declarants_qpv

    t, publie = sample["t"], sample["csv"]
    essais = 0
    for annee in sorted(publie["annee"].unique()):
        for code, declarants in (("E1", postes_declarants), ("E2", postes_declarants_qpv)):
            unites = {n: u for n, u in declarants(t, int(annee)).items() if u}  # the others are 0
            feuilles = sorted(unites)
            lignes = publie[(publie["annee"] == annee) & (publie["indicateur"] == code)]
            vues = lignes.loc[lignes["masque"] == "", "perimetre"]
            a = np.array(
                [
                    [1.0 if p in (n, t.commune_du_code[n], AGGLOMERATION) else 0.0 for n in feuilles]
                    for p in vues
                ]
            ).reshape(-1, len(feuilles))
            postes = sorted(set().union(*unites.values()))
            for k in (1, 2):
                for groupe in combinations(postes, k):
                    dedans = [n for n in feuilles if unites[n] <= set(groupe)]
                    for r in range(1, len(dedans) + 1):
                        for partie in combinations(dedans, r):
                            cible = np.array([1.0 if n in partie else 0.0 for n in feuilles])
                            essais += 1
                            if len(a):
                                x = np.linalg.lstsq(a.T, cible, rcond=None)[0]
                                assert not np.allclose(a.T @ x, cible), (annee, code, partie)
    assert essais > 0  # the sample has neighbourhoods on one or two posts


@pytest.mark.lent
def test_le_masquage_garde_le_moins_couteux_des_deux_lecteurs(sample):
    """The protection keeps, each year, the masking that hides the least of two greedy searches
    (a hidden share's other count taken as known, or masked with it): on the sample it hides
    no more than the stricter search alone, and in 2024 a commune's total of signals is
    published again (the stricter search alone masked all four beside the agglomeration's
    229)."""
    from evaluation.indicateurs import publication as p
    from evaluation.indicateurs.secret import _proteger

    t, csv = sample["t"], sample["csv"]
    annees = t.annees_jusqu_a(ANNEE)
    table = tableau(t, annees)
    for annee in annees:
        lignes = table[table["annee"] == annee]
        comptes = lignes[est_un_compte(lignes["indicateur"])]
        valeurs = dict(
            zip(zip(comptes["perimetre"], comptes["indicateur"], strict=True), comptes["valeur"], strict=True)
        )
        equations = p.equations_des_remontees(t, annee, annees, valeurs)
        auxiliaires, caches = p.comptes_des_parts(
            t, annee, set(p.sur_des_comptes().values()), valeurs, equations
        )
        stricte = _proteger(valeurs, equations, 5, frozenset(auxiliaires), caches, {})
        publies = csv[(csv["annee"] == annee) & est_un_compte(csv["indicateur"])]
        cachees = set(
            zip(
                publies.loc[publies["masque"] == SECONDAIRE, "perimetre"],
                publies.loc[publies["masque"] == SECONDAIRE, "indicateur"],
                strict=True,
            )
        )
        assert sum(valeurs[c] for c in cachees) <= sum(
            valeurs[c] for c, m in stricte.items() if m == SECONDAIRE and c not in auxiliaires
        ), annee
    v1 = csv[
        (csv["annee"] == 2024) & (csv["indicateur"] == "V1") & csv["perimetre"].isin(t.communes_actives(2024))
    ]
    assert (v1["masque"] == "").any()
