"""A build during an incomplete collection: 2026 collected partner by partner from the
workbooks `template --partenaires` writes, Tours Habitat's never returned and the officer's
own part (meetings, funding, tools) not deposited; the others returned filled. Whatever rests
on those returns reads « n. m. » (non mesurable), is never 0 nor « non atteint », and its
target is carried over. A workbook returned as it was sent counts as missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from evaluation.donnees.territoire import charger
from evaluation.indicateurs.geographie import LISTE_CONSTANTE
from evaluation.indicateurs.mesure import NON_MESURABLE, non_mesurables

from .conftest import ECHANTILLON, remplir_comme_l_agent, remplir_comme_un_partenaire

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

ANNEE = 2026
# Tours Habitat's posts of 2025 are correspondants de quartier in these QPVs of Tours.
CHEZ_TOURS_HABITAT = ["TMVL-Q01", "TMVL-Q02", "TMVL-Q04", "TMVL-Q05", "TMVL-Q06", "TMVL-Q07", "TMVL-Q11"]
AILLEURS = ["TMVL-Q03", "TMVL-Q08", "TMVL-Q09", "TMVL-Q10", "TMVL-Q12", "TMVL-Q13"]


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evaluation", *args], cwd=cwd, capture_output=True, text=True
    )


def texte(page: Path) -> str:
    """A page's text as a reader sees it (tags, styles and charts left out)."""
    s = re.sub(r"<style.*?</style>|<script.*?</script>|<svg.*?</svg>", " ", page.read_text(), flags=re.S)
    s = unescape(re.sub(r"<[^>]+>", " ", s)).replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s)


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory):
    racine = tmp_path_factory.mktemp("incomplete")
    shutil.copytree(ECHANTILLON, racine / "raw")
    r = cli("template", "--partenaires", "--data", "raw", "--year", str(ANNEE), "--out", "envois", cwd=racine)
    assert r.returncode == 0, r.stderr
    recus = racine / "raw" / str(ANNEE) / "partenaires"
    recus.mkdir(parents=True)
    for classeur in (racine / "envois").glob("*.xlsx"):
        if classeur.name not in ("tours-habitat.xlsx", "nouveau-partenaire.xlsx"):
            remplir_comme_un_partenaire(shutil.copy(classeur, recus / classeur.name), ANNEE)
    objectifs = racine / "raw" / "objectifs.csv"
    cibles = pd.read_csv(objectifs)
    reconduites = cibles[cibles["annee"] == ANNEE - 1].assign(annee=ANNEE)
    pd.concat([cibles, reconduites]).to_csv(objectifs, index=False)
    r = cli("build", "--data", "raw", "--year", str(ANNEE), "--out", "reports", "--jobs", "2", cwd=racine)
    assert r.returncode == 0, r.stdout + r.stderr
    csv = pd.read_csv(racine / "reports" / str(ANNEE) / "indicateurs.csv", dtype={"masque": str})
    return {
        "racine": racine,
        "csv": csv.fillna({"masque": ""}),
        "sortie": racine / "reports" / str(ANNEE),
        "journal": r.stdout,
    }


def test_ce_qui_repose_sur_un_retour_manquant_est_non_mesurable(incomplete):
    csv = incomplete["csv"]
    annee = csv[csv["annee"] == ANNEE].set_index(["perimetre", "indicateur"])
    marque, valeur = annee["masque"], annee["valeur"]
    # Tours Habitat's correspondants: not measurable where it works, measured elsewhere.
    assert all(marque[(q, "R3")] == NON_MESURABLE and pd.isna(valeur[(q, "R3")]) for q in CHEZ_TOURS_HABITAT)
    assert all(marque[(q, "R3")] == "" and valeur[(q, "R3")] >= 0 for q in AILLEURS)
    # Its posts are correspondants only: the Département's educators and the adultes-relais
    # are measured, at the agglomeration too; coverage, which counts every scheme, is not.
    assert marque[("agglomeration", "R4")] == "" and valeur[("agglomeration", "R4")] > 0
    assert marque[("agglomeration", "R2")] == "" and valeur[("agglomeration", "R2")] > 0
    assert marque[("Tours", "C3")] == NON_MESURABLE and marque[("La Riche", "C3")] == ""
    assert marque[("TMVL-Q01", "C2.correspondant_quartier")] == NON_MESURABLE
    assert marque[("TMVL-Q01", "C2.educateur_prevention")] == ""
    # Under-served is a share of every QPV's presence: unknown everywhere.
    assert {marque[(q, "C5")] for q in CHEZ_TOURS_HABITAT + AILLEURS} == {NON_MESURABLE}
    # The officer's part: meetings, tools and funding, nowhere a figure.
    for code in ("R1", "R5", "N1.reseau_acteurs", "F1.etat_anct", "F5"):
        lignes = annee.xs(code, level="indicateur")
        assert (lignes["masque"] == NON_MESURABLE).all() and lignes["valeur"].isna().all(), code
    # Earlier years are whole: no mark of the kind.
    assert not (csv.loc[csv["annee"] < ANNEE, "masque"] == NON_MESURABLE).any()
    # The published table and the rule agree, cell for cell.
    t = charger(incomplete["racine"] / "raw", [ANNEE - 1, ANNEE])
    constante = f"{LISTE_CONSTANTE}_{csv['annee'].min()}_{ANNEE}"  # named by its years in the export
    regle = {(constante if p == LISTE_CONSTANTE else p, c) for p, c in non_mesurables(t, ANNEE)}
    marques = set(annee.index[annee["masque"] == NON_MESURABLE])
    assert marques == regle & set(annee.index)


def test_les_pages_ne_disent_ni_zero_ni_non_atteint(incomplete):
    agglo = texte(incomplete["sortie"] / "agglomeration.html")
    tours = texte(incomplete["sortie"] / "tours.html")
    for page in (agglo, tours):
        assert "0 € de financements" not in page and "Financements de 2026 : non mesurable" in page
        assert "sans correspondant : Sanitas" not in page
        assert "comptent pour zéro" not in page
        assert "R1 — Réunions copilotées du réseau des acteurs de terrain : non mesurable en 2026" in page
        assert "« n. m. » : non mesurable" in page  # every table showing the mark says what it means
        assert "n. m. ETP" not in page and " – heures" not in page  # no mark, no dash inside a sentence
        # Méthode: the officer's empty tables wait for her part, they are not zeros.
        assert "valent zéro ces années-là" not in page
        assert (
            "En 2026, collecte incomplète : réunions, financements, outils du réseau attendent des classeurs "
            "manquants ou incomplets ; ce qui en dépend est noté « n. m. » (non mesurable), jamais zéro."
        ) in page
    assert "Sanitas, Europe, Maryse Bastié, Rives du Cher, Rochepinard, Les Fontaines, Les Tourettes" in agglo
    assert "sans correspondant : La Galboisière, Bords de Loire" in agglo  # measured: 0, said so
    # 19 targets: the 3 missed are measured (R2 45 for 46, two QPVs' 0 correspondant); the 11
    # resting on a missing return (R1 ×4, R3 ×7) are not judged.
    assert "En 2026, 19 objectifs : 5 atteints, 3 non atteints, 11 non mesurables." in agglo
    assert "Objectifs 2026 : 5 atteints, 3 non atteints, 11 non mesurables sur 19" in agglo
    assert (
        "R3 — Correspondants de quartier Sanitas postes ≥ 1 n. m. – non mesurable (collecte incomplète : "
        "données de Tours Habitat non reçues)"
    ) in agglo
    assert "Les QPV sous-dotés ne sont pas connus cette année" in agglo
    assert "7 QPV non mesurables, collecte incomplète)" in agglo


def test_un_objectif_non_mesurable_est_reconduit_tel_quel(incomplete):
    proposes = pd.read_csv(
        incomplete["racine"] / "processed" / str(ANNEE) / f"objectifs_proposes_{ANNEE + 1}.csv"
    ).set_index(["indicateur", "perimetre"])
    # R1 ≥ 3 in each commune in 2026, not measurable: ≥ 3 again, never « ≥ 0 ».
    for commune in ("Tours", "Joué-lès-Tours", "Saint-Pierre-des-Corps", "La Riche"):
        assert proposes.loc[("R1", commune), "cible"] == 3
    assert proposes.loc[("R3", "TMVL-Q01"), "cible"] == 1  # carried over, not « maintain 0 »
    # No rule proposes from a value not measured: no C1 target where presence is unknown.
    assert not any(("C1", q) in proposes.index for q in CHEZ_TOURS_HABITAT)
    page = texte(incomplete["sortie"] / "agglomeration.html")
    assert "11 objectifs non mesurables reconduits" in page and "≥ 0" not in page


def test_un_classeur_renvoye_tel_quel_compte_comme_manquant(incomplete, tmp_path):
    """Régie Plus returns its workbook as it was sent: posts and slots pre-filled, no activity,
    no field signal. It is received, yet « retour incomplet » in `collecte`, and its figures are
    not measured, as for a partner that sent nothing."""
    from evaluation.donnees.collecte import manquants, retours_incomplets
    from evaluation.rapport.ouverture import Rapport, vue_de
    from evaluation.rapport.rendu import html
    from evaluation.rapport.vue import Genre

    racine = tmp_path / "racine"
    shutil.copytree(incomplete["racine"] / "raw", racine / "raw")
    shutil.copy(
        incomplete["racine"] / "envois" / "regie-plus.xlsx", racine / "raw" / str(ANNEE) / "partenaires"
    )
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 1
    assert (
        "- Régie Plus : reçu (2026/partenaires/regie-plus.xlsx) : postes 25, plages 68 ; manque : retour "
        "incomplet : feuilles remontees et activite vides"
    ) in r.stdout
    t = charger(racine / "raw", [ANNEE - 1, ANNEE])
    assert retours_incomplets(t, ANNEE) == {"Régie Plus": ("postes", "plages", "remontees", "activite")}
    assert "Régie Plus" in manquants(t, ANNEE)
    # Its mediators' contacts are not measured where it works; the Département's are.
    postes = t.annee(ANNEE - 1).postes
    siens = postes[postes["structure"] == "Régie Plus"]
    marques = non_mesurables(t, ANNEE)
    assert set(siens["dispositif"]) == {"adulte_relais", "mediateur"}
    for q, dispositif in sorted(set(zip(siens["code_qpv"], siens["dispositif"], strict=True))):
        assert marques[(q, f"C2.{dispositif}")] == "collecte incomplète : données de Régie Plus incomplètes"
    assert ("TMVL-Q01", "C2.educateur_prevention") not in marques
    assert marques[("TMVL-Q01", "C2.correspondant_quartier")].endswith("de Tours Habitat non reçues")
    assert marques[("agglomeration", "R2")] == "collecte incomplète : données de Régie Plus incomplètes"
    assert ("agglomeration", "R4") not in marques  # the Département's educators
    entete = html(Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, ANNEE)).blocs("entete")[0])
    assert (
        "1 partenaire de l’année passée n’a pas envoyé de classeur (Tours Habitat) ; 1 partenaire a "
        "renvoyé un classeur incomplet, une feuille à remplir restée vide (Régie Plus) : un retour incomplet "
        "compte comme un classeur manquant ; les chiffres qui en dépendent, là où ces partenaires "
        "interviennent, sont notés « n. m. »"
    ) in unescape(entete).replace("\u202f", " ")


def test_la_saisie_de_l_agent_deposee_sans_reunions_ni_financements_compte_comme_manquante(
    incomplete, tmp_path
):
    """The officer deposits her own workbook (`template --agent`) with last year's tools it
    came with and nothing else: meetings and funding, which had rows in 2025, read as missing
    — never « 0 réunion », « 0 € » — while the tools are measured."""
    from evaluation.donnees.collecte import AGENT, manquants, retours_incomplets
    from evaluation.rapport.ouverture import Rapport, vue_de
    from evaluation.rapport.rendu import html
    from evaluation.rapport.vue import Genre

    racine = tmp_path / "racine"
    shutil.copytree(incomplete["racine"] / "raw", racine / "raw")
    agent = Path("raw") / str(ANNEE) / "collecte.xlsx"
    r = cli("template", "--agent", "--data", "raw", "--year", str(ANNEE), "--out", str(agent), cwd=racine)
    assert r.returncode == 0, r.stderr
    t = charger(racine / "raw", [ANNEE - 1, ANNEE])
    assert len(t.annee(ANNEE).outils) > 0  # last year's tools, pre-filled
    assert retours_incomplets(t, ANNEE)[AGENT] == ("reunions", "financements")
    assert AGENT in manquants(t, ANNEE)
    marques = non_mesurables(t, ANNEE)
    raison = "collecte incomplète : données de la personne chargée de l'évaluation incomplètes"
    for perimetre in ("agglomeration", "Tours", "TMVL-Q01"):
        assert marques[(perimetre, "R1")] == raison
        assert marques[(perimetre, "F1.etat_anct")] == raison
    assert ("agglomeration", "R5") not in marques  # the tools are there
    entete = unescape(html(Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, ANNEE)).blocs("entete")[0]))
    assert (
        "la saisie de la personne chargée de l’évaluation a été déposée, mais sans les réunions et "
        "financements de l’année, restés vides : ils sont notés « n. m. » (non mesurable)"
    ) in entete.replace("\u202f", " ")
    assert "n’ont pas été déposés" not in entete


def test_une_table_tombee_sous_la_moitie_de_l_an_passe_est_dite():
    from evaluation.donnees.collecte import AGENT
    from evaluation.indicateurs.mesure import tables_en_baisse

    volumes = pd.DataFrame(
        {
            2025: {"postes": 10, "activite": 2240, "remontees": 251, "reunions": 9, "financements": 40},
            2026: {"postes": 4, "activite": 820, "remontees": 126, "reunions": 0, "financements": 0},
        }
    )
    # postes 4 < 5 of 10; activity 820 < 1 120; signals 126 ≥ 125.5; meetings: 9 rows, too few.
    assert tables_en_baisse(volumes, 2026) == [
        ("postes", 4, 10),
        ("activite", 820, 2240),
        ("financements", 0, 40),
    ]
    # The officer's part missing, or deposited without funding: the banner says it already.
    assert tables_en_baisse(volumes, 2026, [AGENT]) == [("postes", 4, 10), ("activite", 820, 2240)]
    incomplets = {AGENT: ("reunions",)}
    assert tables_en_baisse(volumes, 2026, [AGENT], incomplets)[-1] == ("financements", 0, 40)
    assert tables_en_baisse(volumes, 2025) == [] and tables_en_baisse(volumes, 2027) == []


@pytest.fixture(scope="module")
def complete(incomplete, tmp_path_factory):
    """The same campaign once every return is in: Tours Habitat's workbook filled, the
    officer's own deposited filled; each partner typed one field signal per scheme and
    neighbourhood, far fewer than 2025's."""
    racine = tmp_path_factory.mktemp("complete")
    shutil.copytree(incomplete["racine"] / "raw", racine / "raw")
    recus = racine / "raw" / str(ANNEE) / "partenaires"
    remplir_comme_un_partenaire(
        shutil.copy(incomplete["racine"] / "envois" / "tours-habitat.xlsx", recus), ANNEE
    )
    agent = Path("raw") / str(ANNEE) / "collecte.xlsx"
    r = cli("template", "--agent", "--data", "raw", "--year", str(ANNEE), "--out", str(agent), cwd=racine)
    assert r.returncode == 0, r.stderr
    remplir_comme_l_agent(racine / agent, ANNEE)
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=racine)
    assert r.returncode == 0, r.stdout  # nothing missing: the banner is gone
    r = cli("build", "--data", "raw", "--year", str(ANNEE), "--out", "reports", "--city", "Tours", cwd=racine)
    assert r.returncode == 0, r.stdout + r.stderr
    return {"racine": racine, "sortie": racine / "reports" / str(ANNEE), "journal": r.stdout}


def _signaux(chemin: Path) -> int:
    """The field signals typed in a workbook's « remontees » sheet."""
    import openpyxl

    classeur = openpyxl.load_workbook(chemin, read_only=True)
    if "remontees" not in classeur.sheetnames:
        return 0
    return sum(1 for r in classeur["remontees"].iter_rows(min_row=2, values_only=True) if r[0])


def test_les_remontees_tombees_sous_la_moitie_sont_dites_dans_la_synthese_et_par_build(complete):
    """Every return in, each with few field signals: the synthesis and `build` say the signals
    fell under half of 2025's (nothing else fell)."""
    raw = complete["racine"] / "raw"
    remontees = sum(_signaux(c) for c in (raw / str(ANNEE) / "partenaires").glob("*.xlsx"))
    avant = _signaux(raw / str(ANNEE - 1) / "collecte.xlsx")
    assert 0 < remontees < avant / 2
    phrase = (
        f"Données de {ANNEE} bien moins nombreuses qu'en {ANNEE - 1} (moins de la moitié des lignes) : "
        f"remontées de terrain {remontees} lignes contre {avant} ; si des classeurs ont été renvoyés en partie "
        "remplis, les chiffres qui en dépendent sont sous-estimés"
    )
    assert phrase in complete["journal"]
    assert phrase.replace("'", "’") in texte(complete["sortie"] / "agglomeration.html")
    assert "Collecte incomplète" not in complete["journal"]


def test_pendant_une_collecte_incomplete_le_bandeau_suffit(incomplete):
    """While partners are missing, the banner says the figures are incomplete: no table is
    listed as fallen (all of them would be)."""
    assert "Collecte incomplète" in incomplete["journal"]
    assert "bien moins nombreuses" not in incomplete["journal"]
    assert "bien moins nombreuses" not in texte(incomplete["sortie"] / "agglomeration.html")


def _a_retenir(html: str) -> list[str]:
    """The points of a page's « À retenir », as a reader reads them."""
    points = re.search(r"À retenir</strong></p><ul>(.*?)</ul>", html, flags=re.S).group(1)
    return [
        unescape(re.sub(r"<[^>]+>", "", p)).replace("\u202f", " ") for p in points.split("</li>") if p.strip()
    ]


def _avances(points: list[str]) -> set[str]:
    """The key figures put forward as a change of the year (« Adultes-relais en exercice : … »)."""
    from evaluation.indicateurs.registre import libelle_code
    from evaluation.rapport.sections.synthese import CHIFFRES_CLES

    return {c for c in CHIFFRES_CLES for p in points if p.startswith(f"{libelle_code(c)} : ")}


def test_a_retenir_ne_met_en_avant_ni_un_chiffre_non_mesure_ni_un_chiffre_inchange(incomplete):
    """« À retenir » puts forward the year's largest changes: never from a value masked (« n. m. »
    here; a share or a median on fewer than 5 cases reads « < 5 » and is masked alike) nor from an
    unchanged one."""
    from evaluation.rapport.sections.synthese import CHIFFRES_CLES

    csv = incomplete["csv"]
    for page, perimetre in (("agglomeration.html", "agglomeration"), ("tours.html", "Tours")):
        avances = _avances(_a_retenir((incomplete["sortie"] / page).read_text()))
        ici = csv[csv["perimetre"] == perimetre].set_index(["indicateur", "annee"])
        masques = {
            c for c in CHIFFRES_CLES if ici.loc[(c, ANNEE), "masque"] or ici.loc[(c, ANNEE - 1), "masque"]
        }
        egaux = {
            c for c in CHIFFRES_CLES if ici.loc[(c, ANNEE), "valeur"] == ici.loc[(c, ANNEE - 1), "valeur"]
        }
        assert masques and not avances & masques
        assert not avances & egaux
    assert egaux - masques  # at Tours, measured both years and unchanged: left out


def test_a_retenir_ne_met_en_avant_aucun_chiffre_tire_d_une_table_en_baisse(complete):
    """Every partner returned, each with few field signals: they fall under half of 2025's, so
    no key figure read from them is put forward as a change of the year; the others are."""
    from evaluation.indicateurs.registre import indicateur_de
    from evaluation.rapport.sections.synthese import CHIFFRES_CLES

    points = _a_retenir((complete["sortie"] / "agglomeration.html").read_text())
    assert points[0].startswith("Données de 2026 bien moins nombreuses qu’en 2025")
    csv = pd.read_csv(complete["sortie"] / "indicateurs.csv", dtype={"masque": str}).fillna({"masque": ""})
    ici = csv[csv["perimetre"] == "agglomeration"].set_index(["indicateur", "annee"])
    change = {c for c in CHIFFRES_CLES if ici.loc[(c, ANNEE), "valeur"] != ici.loc[(c, ANNEE - 1), "valeur"]}
    des_signaux = {c for c in change if "remontees" in indicateur_de(c).lit}
    assert des_signaux and not _avances(points) & des_signaux
    assert _avances(points)
