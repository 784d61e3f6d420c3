"""The comité de pilotage's analysis (`AAAA/analyses.md`): read and checked line by line,
rendered safely at the top of its section, the year's status in every page's header, and
part of the page's fingerprint."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from evaluation.donnees.territoire import charger
from evaluation.production.empreintes import empreintes_des_pages
from evaluation.production.taches import taches
from evaluation.rapport.analyses import en_html, lire
from evaluation.rapport.blocs import Analyse, Entete
from evaluation.rapport.ouverture import Rapport, vue_de
from evaluation.rapport.rendu import html
from evaluation.rapport.vue import Genre

from .conftest import ecrire_territoire

VALIDE = """\
statut: validé par le comité de pilotage du 12/03/2025

## agglomeration / synthese
Le comité **retient** deux points.

## Alpha / 4. Présence humaine : couverture et disparités
Texte sur Alpha.

## Quartier Un / presence
Texte sur le quartier.
"""


@pytest.fixture
def dossier(tmp_path):
    return ecrire_territoire(tmp_path / "raw", {2024: {}})


def ecrire(dossier, texte: str) -> None:
    (dossier / "2024" / "analyses.md").write_text(texte, encoding="utf-8")


def test_les_textes_et_le_statut_sont_lus(dossier):
    ecrire(dossier, VALIDE)
    a, problemes = lire(charger(dossier), 2024)
    assert problemes == []
    assert (a.provisoire, a.valide_le) == (False, dt.date(2025, 3, 12))
    assert a.statut == "validé par le comité de pilotage du 12/03/2025"
    # Perimeters and sections by name or title; a neighbourhood by its name or code.
    assert sorted(a.textes) == [("Alpha", "couverture"), ("Q1", "presence"), ("agglomeration", "synthese")]
    assert a.textes[("agglomeration", "synthese")] == "Le comité **retient** deux points."


def test_chaque_erreur_nomme_sa_ligne(dossier):
    ecrire(
        dossier,
        "statut: bientôt\nUn texte perdu.\n## Omega / synthese\nx\n## Alpha / communes\ny\n"
        "## agglomeration / synthese\nz\n## Agglomération / Synthèse\nw\n",
    )
    _, problemes = lire(charger(dossier), 2024)
    assert [(p.fichier, p.ligne, p.colonne, p.message[:25]) for p in problemes] == [
        ("2024/analyses.md", 1, "statut", "statut non compris : écri"),
        ("2024/analyses.md", 2, None, "texte hors d'une section "),
        ("2024/analyses.md", 3, "périmètre", "périmètre inconnu en 2024"),
        ("2024/analyses.md", 5, "section", "section inconnue dans un "),  # « communes »: agglomeration only
        ("2024/analyses.md", 9, None, "section déjà commentée li"),
    ]
    r = subprocess.run(
        [sys.executable, "-m", "evaluation", "validate", "--data", str(dossier)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert (
        "2024/analyses.md, ligne 3, colonne « périmètre » : valeur « Omega » — périmètre inconnu" in r.stderr
    )


def test_le_markdown_est_rendu_sans_danger():
    rendu = en_html(
        "Voir [le rapport](tours.html), [un site](https://exemple.fr), [x](javascript:alert(1)) "
        "<script>alert(1)</script> ![photo](p.png)\n\n<div onclick='x'>bloc</div>"
    )
    assert '<a href="tours.html">le rapport</a>' in rendu
    assert "href=" not in rendu.replace('href="tours.html"', "")
    assert "<script" not in rendu and "&lt;script&gt;" in rendu
    assert "<div" not in rendu and "<img" not in rendu and "photo" in rendu


def test_le_texte_ouvre_sa_section_et_le_statut_est_dans_l_entete(dossier):
    ecrire(dossier, VALIDE)
    t = charger(dossier)
    agglomeration = Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, 2024))
    premier = agglomeration.blocs("synthese")[0]
    assert isinstance(premier, Analyse) and "<strong>retient</strong>" in premier.html
    assert html(premier).startswith('<aside class="analyse" aria-label="Analyse du comité de pilotage')
    assert not any(isinstance(b, Analyse) for b in agglomeration.blocs("couverture"))
    entete = agglomeration.blocs("entete")[0]
    assert isinstance(entete, Entete) and not entete.provisoire
    assert ("Statut", "validé par le comité de pilotage du 12/03/2025 ; aucun avis de conseil annexé") in (
        entete.champs
    )
    alpha = Rapport.pour(t, vue_de(t, Genre.COMMUNE, 2024, "Alpha"))
    assert isinstance(alpha.blocs("couverture")[0], Analyse)
    assert not any(isinstance(b, Analyse) for b in alpha.blocs("synthese"))


def test_une_annee_provisoire_porte_le_bandeau(dossier):
    ecrire(dossier, "statut: provisoire\n")
    t = charger(dossier)
    entete = Rapport.pour(t, vue_de(t, Genre.COMMUNE, 2024, "Beta")).blocs("entete")[0]
    assert entete.provisoire and '<p class="provisoire" role="note">Version provisoire' in html(entete)
    (dossier / "2024" / "analyses.md").unlink()
    entete = Rapport.pour(charger(dossier), vue_de(charger(dossier), Genre.COMMUNE, 2024, "Beta")).blocs(
        "entete"
    )[0]
    # No analyses file: the comité has not validated the year, and the page says so.
    assert entete.provisoire and ("Statut", "provisoire ; aucun avis de conseil annexé") in entete.champs


def test_un_texte_change_rebatit_sa_page_seulement(dossier):
    ecrire(dossier, VALIDE)
    avant = empreintes_des_pages(t := charger(dossier), 2024, taches(t, 2024, dossier))
    ecrire(dossier, VALIDE.replace("deux points", "trois points"))
    apres = empreintes_des_pages(t := charger(dossier), 2024, taches(t, 2024, dossier))
    assert avant["agglomeration"] != apres["agglomeration"]
    assert avant["alpha"] == apres["alpha"] and avant["beta"] == apres["beta"]
    ecrire(
        dossier,
        VALIDE.replace("statut: validé par le comité de pilotage du 12/03/2025", "statut: provisoire"),
    )
    statut = empreintes_des_pages(t := charger(dossier), 2024, taches(t, 2024, dossier))
    assert all(statut[p] != avant[p] for p in ("agglomeration", "alpha", "beta"))


def test_une_date_de_validation_impossible_est_dite(dossier):
    ecrire(dossier, "statut: validé par le comité de pilotage du 31/02/2025\n")
    [p] = lire(charger(dossier), 2024)[1]
    assert (p.ligne, p.message) == (1, "date impossible : 31/02/2025 n'existe pas")


AVIS = """\
statut: provisoire

## Alpha / avis du conseil citoyen du Quartier Un du 18/11/2025
L'avis du **conseil citoyen**.

## agglomeration / Avis du conseil communautaire du 02/12/2025
L'avis du conseil communautaire.
"""


def test_les_avis_des_conseils_sont_annexes_a_leur_page_et_tous_a_l_agglomeration(dossier):
    ecrire(dossier, AVIS)
    t = charger(dossier)
    a, problemes = lire(t, 2024)
    assert problemes == [] and a.textes == {}
    assert [(x.perimetre, x.conseil, x.date) for x in a.avis] == [
        ("Alpha", "conseil citoyen du Quartier Un", dt.date(2025, 11, 18)),
        ("agglomeration", "conseil communautaire", dt.date(2025, 12, 2)),
    ]
    alpha = Rapport.pour(t, vue_de(t, Genre.COMMUNE, 2024, "Alpha"))
    [avis] = alpha.blocs("avis")
    assert (
        avis.titre
        == "Avis du conseil citoyen du Quartier Un du 18/11/2025 — texte du conseil, pas de l'outil"
    )
    assert "<strong>conseil citoyen</strong>" in avis.html
    assert 'aria-label="Avis du conseil citoyen du Quartier Un du 18/11/2025' in html(avis)
    assert ("Statut", "provisoire ; 1 avis annexé") in alpha.blocs("entete")[0].champs
    agglomeration = Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, 2024))
    assert [b.titre.partition(" — ")[0] for b in agglomeration.blocs("avis")] == [
        "Avis du conseil citoyen du Quartier Un du 18/11/2025",
        "Avis du conseil communautaire du 02/12/2025",
    ]
    assert ("Statut", "provisoire ; 2 avis annexés") in agglomeration.blocs("entete")[0].champs
    [sans] = Rapport.pour(t, vue_de(t, Genre.COMMUNE, 2024, "Beta")).blocs("avis")
    assert sans.texte == (
        "Aucun avis n'est annexé au rapport de 2024 pour Beta : le projet de rapport doit encore leur être soumis."
    )
    # An opinion is part of its page's fingerprint, and of the agglomeration's.
    avant = empreintes_des_pages(t, 2024, taches(t, 2024, dossier))
    ecrire(dossier, AVIS.replace("L'avis du **conseil", "L'avis modifié du **conseil"))
    apres = empreintes_des_pages(t := charger(dossier), 2024, taches(t, 2024, dossier))
    assert [p for p in avant if avant[p] != apres[p]] == ["agglomeration", "alpha"]


def test_un_avis_mal_ecrit_est_dit_avec_sa_ligne(dossier):
    ecrire(
        dossier,
        "## Quartier Un / avis du conseil citoyen du 18/11/2025\nx\n"
        "## Alpha / avis du conseil citoyen\nx\n"
        "## Alpha / avis du comité des fêtes du 18/11/2025\nx\n"
        "## Alpha / avis du conseil municipal du 31/11/2025\nx\n"
        "## Alpha / avis du conseil municipal du 18/11/2023\nx\n"
        "## Alpha / avis du conseil municipal du 18/11/2025\n\n"
        "## Beta / avis du conseil municipal du 18/11/2025\nx\n"
        "## Beta / avis du conseil municipal du 18/11/2025\ny\n",
    )
    _, problemes = lire(charger(dossier), 2024)
    assert [(p.ligne, p.colonne, p.message.partition(" :")[0]) for p in problemes] == [
        (
            1,
            "périmètre",
            "un avis est annexé au rapport d'une commune ou de l'agglomération, pas d'un quartier",
        ),
        (3, "section", "avis non compris"),
        (5, "section", "conseil non reconnu"),
        (7, "section", "date de l'avis impossible ou illisible (31/11/2025)"),
        (9, "section", "avis daté du 18/11/2023, avant l'année 2024"),
        (11, None, "Avis du conseil municipal du 18/11/2025 sans texte"),
        (15, None, "avis déjà donné ligne 13"),
    ]


def test_les_demandes_du_comite_sont_lues_et_les_mal_ecrites_dites_avec_leur_ligne(dossier):
    ecrire(
        dossier,
        "## agglomeration / synthese\nLe comité demande une présence en soirée.\n"
        "demande: H3 dans les QPV sous-dotés\n"
        "Demande : h4 dans chaque QPV\n"  # a code is read as written: h4 is no code
        "## Alpha / perspectives\ndemande : H4 dans chaque qpv\n"
        "demande: H3 partout\n"
        "## Quartier Un / presence\ndemande: H3 dans chaque QPV\n",
    )
    a, problemes = lire(charger(dossier), 2024)
    assert [(p.ligne, p.colonne, p.message.partition(" ;")[0]) for p in problemes] == [
        (4, "demande", "indicateur inconnu : « h4 »"),
        (7, "demande", "portée non comprise : « partout »"),
        (
            9,
            "demande",
            "une demande porte sur une commune ou l'agglomération : écrivez « demande: H3 dans les QPV sous-dotés » (un code d'indicateur, puis « dans les QPV sous-dotés » ou « dans chaque QPV »)",
        ),
    ]
    assert [(d.perimetre, d.indicateur, d.portee, d.libelle) for d in a.demandes] == [
        ("agglomeration", "H3", "qpv_sous_dotes", "H3 dans les QPV sous-dotés"),
        ("Alpha", "H4", "chaque_qpv", "H4 dans chaque QPV"),
    ]
    # A request is an instruction, not prose: it is not repeated in the comité's text.
    assert a.textes[("agglomeration", "synthese")] == "Le comité demande une présence en soirée."


def _statut(dossier, annee: int = 2024) -> str:
    t = charger(dossier)
    champs = dict(Rapport.pour(t, vue_de(t, Genre.AGGLOMERATION, annee)).blocs("entete")[0].champs)
    return champs["Statut"]


def test_des_donnees_modifiees_apres_la_validation_sont_dites(dossier):
    """The comité validates the data it read (the last provisional build); a change to the
    year's data or targets after that is said on every page, until the status is dated again.
    A workbook saved again unchanged, or next year's targets, change nothing."""
    from evaluation.rapport.analyses import modifiees_depuis, suivre_validation

    ecrire(dossier, "statut: provisoire\n")
    suivre_validation(charger(dossier), 2024)  # the build the comité reads
    ecrire(dossier, "statut: validé par le comité de pilotage du 12/03/2025\n")
    suivre_validation(charger(dossier), 2024)  # the first build once validated
    assert _statut(dossier) == "validé par le comité de pilotage du 12/03/2025 ; aucun avis de conseil annexé"
    # Next year's targets appended, the year's file written again with the same rows: unchanged.
    objectifs = dossier / "objectifs.csv"
    objectifs.write_text(objectifs.read_text() + "2025,R2,agglomeration,3,au_moins\n")
    reunions = dossier / "2024" / "reunions.csv"
    reunions.write_bytes(reunions.read_bytes())
    suivre_validation(t := charger(dossier), 2024)
    assert modifiees_depuis(t, 2024) is None
    # A target of the year added after the comité's meeting: said, and kept said.
    objectifs.write_text(objectifs.read_text() + "2024,R2,agglomeration,2,au_moins\n")
    suivre_validation(t := charger(dossier), 2024)
    assert modifiees_depuis(t, 2024) == dt.date(2025, 3, 12)
    suivre_validation(charger(dossier), 2024)
    assert _statut(dossier) == (
        "validé par le comité de pilotage du 12/03/2025 ; données modifiées depuis la validation du "
        "12/03/2025 ; aucun avis de conseil annexé"
    )
    # Validated again on a new date: what is shown now is what the comité validated.
    ecrire(dossier, "statut: validé par le comité de pilotage du 02/04/2025\n")
    suivre_validation(charger(dossier), 2024)
    assert _statut(dossier) == "validé par le comité de pilotage du 02/04/2025 ; aucun avis de conseil annexé"


def test_des_donnees_changees_entre_la_lecture_du_comite_et_sa_validation_sont_dites(dossier):
    """Data changed after the provisional build the comité read, before the first validated
    build: the validated status already says the data changed."""
    from evaluation.rapport.analyses import suivre_validation

    ecrire(dossier, "statut: provisoire\n")
    suivre_validation(charger(dossier), 2024)
    objectifs = dossier / "objectifs.csv"
    objectifs.write_text(objectifs.read_text() + "2024,R2,agglomeration,2,au_moins\n")
    ecrire(dossier, "statut: validé par le comité de pilotage du 12/03/2025\n")
    suivre_validation(charger(dossier), 2024)
    assert "données modifiées depuis la validation du 12/03/2025" in _statut(dossier)
