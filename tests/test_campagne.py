"""The officer's campaign, round two (a campaign built from `template --partenaires` on the
sample's 2025): the rules of one table hold across the partners' files, messages speak the
partner's language, and the workbooks name the neighbourhoods."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from evaluation.donnees.problemes import DonneesInvalides
from evaluation.donnees.territoire import charger

from .conftest import remplir_comme_un_partenaire, saisir

# The campaign's year, Régie Plus's workbook, `cli` and the workbooks `template` writes.
from .test_collecte import ANNEE, REGIE, cli, envois  # noqa: F401, F811 (envois: a fixture)


@pytest.fixture
def campagne(envois, tmp_path) -> Path:  # noqa: F811 (the fixture imported above)
    """Régie Plus's workbook returned filled, in a copy of the sample."""
    shutil.copytree(envois / "raw", tmp_path / "raw")
    shutil.copytree(envois / "envois", tmp_path / "envois")
    rep = tmp_path / "raw" / str(ANNEE) / "partenaires"
    rep.mkdir(parents=True)
    remplir_comme_un_partenaire(shutil.copy(tmp_path / "envois" / REGIE, rep / REGIE), ANNEE)
    return tmp_path


def postes_de(chemin: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(chemin)["postes"]
    return [(i, r) for i, r in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2) if r[0]]


@pytest.mark.lent
def test_un_identifiant_de_poste_repris_par_un_autre_partenaire_est_refuse(campagne):
    """A new partner reuses Régie Plus's first adulte-relais id for its own mediator in another
    neighbourhood: two structures, two schemes, 1,5 ETP in all. Each file is valid on its own;
    together, every row of that id is a problem naming the other file's row."""
    rep = campagne / "raw" / str(ANNEE) / "partenaires"
    (ligne_regie, poste), *_ = [(i, r) for i, r in postes_de(rep / REGIE) if r[1] == "adulte_relais"]
    assert [i for i, r in postes_de(rep / REGIE) if r[0] == poste[0]] == [ligne_regie]  # one row
    nouveau = openpyxl.load_workbook(campagne / "envois" / "nouveau-partenaire.xlsx")
    autre_qpv = "TMVL-Q03" if poste[4] != "TMVL-Q03" else "TMVL-Q05"
    saisir(
        nouveau["postes"],
        [poste[0], "mediateur", "Association Médiation Loire", "Tours", autre_qpv, 0.5, "ville", "non"],
    )
    nouveau.save(rep / "nouveau-partenaire.xlsx")
    remplir_comme_un_partenaire(rep / "nouveau-partenaire.xlsx", ANNEE)
    with pytest.raises(DonneesInvalides) as exc:
        charger(campagne / "raw", [ANNEE])
    siens = [p for p in exc.value.problemes if p.valeur == poste[0] and p.colonne == "id_poste"]
    lieux = sorted((p.fichier, p.feuille, p.ligne) for p in siens)
    assert lieux == [
        (f"{ANNEE}/partenaires/nouveau-partenaire.xlsx", "postes", 2),
        (f"{ANNEE}/partenaires/{REGIE}", "postes", ligne_regie),
    ]
    chez_regie = next(p for p in siens if p.fichier.endswith(REGIE))
    assert chez_regie.message.startswith(
        f"poste déclaré aussi dans {ANNEE}/partenaires/nouveau-partenaire.xlsx, feuille « postes », ligne 2 "
        f"avec deux structures (Association Médiation Loire et Régie Plus), deux dispositifs (adulte_relais "
        f"et mediateur), 1,5 ETP en tout, plus de 1 :"
    )
    chez_nouveau = next(p for p in siens if p.fichier.endswith("nouveau-partenaire.xlsx"))
    assert f"{ANNEE}/partenaires/{REGIE}, feuille « postes », ligne {ligne_regie}" in chez_nouveau.message
    r = cli("validate", "--data", "raw", "--year", str(ANNEE), cwd=campagne)
    assert r.returncode == 1 and "Données valides" not in r.stdout

    # The same post (same id, structure, scheme) in two of its QPVs at 0,5 ETP each is one post.
    nouveau = openpyxl.load_workbook(rep / "nouveau-partenaire.xlsx")
    nouveau["postes"].delete_rows(2)
    nouveau.save(rep / "nouveau-partenaire.xlsx")
    assert not [p for p in _problemes(campagne) if p.valeur == poste[0]]


def _problemes(campagne: Path) -> list:
    try:
        charger(campagne / "raw", [ANNEE])
    except DonneesInvalides as exc:
        return exc.problemes
    return []


def test_deux_structures_pour_un_poste_dans_un_meme_fichier(campagne):
    rep = campagne / "raw" / str(ANNEE) / "partenaires"
    classeur = openpyxl.load_workbook(rep / REGIE)
    (ligne, poste), *_ = postes_de(rep / REGIE)
    autre_qpv = "TMVL-Q03" if poste[4] != "TMVL-Q03" else "TMVL-Q05"
    ajoutee = saisir(
        classeur["postes"], [poste[0], poste[1], "Régie Plus bis", "Tours", autre_qpv, 0, poste[6], "non"]
    )
    classeur.save(rep / REGIE)
    problemes = [p for p in _problemes(campagne) if p.colonne == "structure"]
    assert {p.ligne for p in problemes} == {ligne, ajoutee}
    assert all("la même structure sur toutes ses lignes" in p.message for p in problemes)


def test_les_messages_parlent_comme_le_partenaire(campagne):
    """A mistyped neighbourhood code gets the nearest known ones, a date is echoed as typed
    (JJ/MM/AAAA), and the headers' comments say what to type in plain French."""
    rep = campagne / "raw" / str(ANNEE) / "partenaires"
    import datetime as dt

    classeur = openpyxl.load_workbook(rep / REGIE)
    postes = classeur["postes"]
    colonnes = [c.value for c in postes[1]]
    (ligne, _), (autre, _), *_ = postes_de(rep / REGIE)
    postes.cell(ligne, colonnes.index("code_qpv") + 1, "TMVL-Q1")
    postes.cell(autre, colonnes.index("date_debut") + 1, dt.datetime(ANNEE + 1, 3, 1))
    classeur.save(rep / REGIE)
    problemes = _problemes(campagne)
    code = next(p for p in problemes if p.colonne == "code_qpv" and p.ligne == ligne)
    assert str(code).endswith(
        "valeur « TMVL-Q1 » — code de quartier inconnu : choisissez-le dans la liste déroulante (les quartiers du contrat, quartiers.csv) ; vouliez-vous dire TMVL-Q01 (Sanitas) ?"
    )
    date = next(p for p in problemes if p.colonne == "date_debut" and p.ligne == autre)
    assert (
        date.valeur == "01/03/2027" and "le poste doit commencer au plus tard le 31/12/2026" in date.message
    )
    # A neighbourhood typed by its name is pointed to its code.
    from evaluation.donnees.regles import codes_proches

    noms = {"TMVL-Q01": "Sanitas", "TMVL-Q02": "Europe", "TMVL-Q10": "La Rabière"}
    assert codes_proches("europe", noms) == ["TMVL-Q02"]
    assert codes_proches("tmvl q 10", noms) == ["TMVL-Q10"]
    assert codes_proches("Quartier inconnu", noms) == []

    commentaires = {c.value: c.comment.text for c in openpyxl.load_workbook(rep / REGIE)["postes"][1]}
    assert "Type" not in " ".join(commentaires.values())
    assert "À saisir : un texte ; obligatoire" in commentaires["id_poste"]
    assert "À saisir : une date JJ/MM/AAAA ; peut rester vide" in commentaires["date_debut"]
    assert "À saisir : une date JJ/MM/AAAA ; peut rester vide" in commentaires["date_fin"]
    assert "une valeur de la liste déroulante ; obligatoire" in commentaires["dispositif"]


def test_les_listes_nomment_les_quartiers_et_le_lecteur_garde_le_code(campagne):
    """The code_qpv drop-down offers « TMVL-Q01 — Sanitas »; a row typed so reads TMVL-Q01."""
    rep = campagne / "raw" / str(ANNEE) / "partenaires"
    classeur = openpyxl.load_workbook(rep / REGIE)
    listes = classeur["listes"]
    colonne = next(c for c in listes[1] if c.value == "code_qpv").column
    offerts = [
        r[0] for r in listes.iter_rows(min_row=2, min_col=colonne, max_col=colonne, values_only=True) if r[0]
    ]
    assert offerts[0] == "TMVL-Q01 — Sanitas" and all(" — " in o for o in offerts)
    (ligne, poste), *_ = postes_de(rep / REGIE)
    colonnes = [c.value for c in classeur["postes"][1]]
    code = poste[colonnes.index("code_qpv")]
    t = charger(campagne / "raw", [ANNEE])
    attendu = t.annee(ANNEE).postes.query("id_poste == @poste[0]")["code_qpv"].tolist()
    nom = t.quartiers.set_index("code_qpv").loc[code, "nom"]
    classeur["postes"].cell(ligne, colonnes.index("code_qpv") + 1, f"{code} — {nom}")
    classeur.save(rep / REGIE)
    relu = charger(campagne / "raw", [ANNEE]).annee(ANNEE).postes.query("id_poste == @poste[0]")
    assert relu["code_qpv"].tolist() == attendu == [code]


def test_un_classeur_hors_de_partenaires_est_a_deplacer(campagne):
    """Régie Plus's workbook dropped in 2026/ beside the officer's collecte.xlsx: the advice is to
    move it into 2026/partenaires/, never to rename it, and `collecte` files it under Régie Plus."""
    annee = campagne / "raw" / str(ANNEE)
    shutil.move(annee / "partenaires" / REGIE, annee / REGIE)
    shutil.copy(campagne / "raw" / "2025" / "collecte.xlsx", annee / "collecte.xlsx")
    problemes = [p for p in _problemes(campagne) if p.fichier == f"{ANNEE}/{REGIE}"]
    assert len(problemes) == 1
    assert f"déplacez-le dans {ANNEE}/partenaires/" in problemes[0].message
    assert "renommez" not in problemes[0].message
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=campagne)
    assert r.returncode == 1
    ligne = next(x for x in r.stdout.splitlines() if x.startswith(f"- Régie Plus : reçu ({ANNEE}/{REGIE})"))
    assert f"classeur déposé hors de partenaires/ : déplacez-le dans {ANNEE}/partenaires/" in ligne
    agent = next(x for x in r.stdout.splitlines() if x.startswith("- Personne chargée de l'évaluation"))
    assert REGIE not in agent and "déplacez" not in agent


@pytest.mark.lent
def test_une_liste_de_corrections_par_partenaire(campagne):
    """Two partners' mistakes: each gets its own list (file, sheet, line, column, value, what is
    expected); a partner without problem none; fixed, the list goes."""
    rep = campagne / "raw" / str(ANNEE) / "partenaires"
    classeur = openpyxl.load_workbook(rep / REGIE)
    colonnes = [c.value for c in classeur["postes"][1]]
    (ligne, _), *_ = postes_de(rep / REGIE)
    classeur["postes"].cell(ligne, colonnes.index("code_qpv") + 1, "TMVL-Q99")
    classeur.save(rep / REGIE)
    fol = remplir_comme_un_partenaire(
        shutil.copy(campagne / "envois" / "fol-37.xlsx", rep / "fol-37.xlsx"), ANNEE
    )
    classeur = openpyxl.load_workbook(fol)
    classeur["activite"]["B2"] = 13  # month 13, line 2
    classeur.save(fol)
    cd = "conseil-departemental-d-indre-et-loire.xlsx"
    remplir_comme_un_partenaire(shutil.copy(campagne / "envois" / cd, rep / cd), ANNEE)
    r = cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=campagne)
    assert r.returncode == 1
    dossier = campagne / "processed" / str(ANNEE) / "corrections"
    regie = openpyxl.load_workbook(dossier / "regie-plus.xlsx").active
    lignes = [list(x) for x in regie.iter_rows(values_only=True)]
    assert lignes[0][:6] == ["fichier", "feuille", "ligne", "colonne", "valeur lue", "ce qui est attendu"]
    code = [x for x in lignes[1:] if x[3] == "code_qpv"]
    assert [[x[0], x[1], str(x[2]), x[3], x[4]] for x in code] == [
        [f"{ANNEE}/partenaires/{REGIE}", "postes", str(ligne), "code_qpv", "TMVL-Q99"]
    ]
    assert not any("fol-37" in str(x[0]) for x in lignes[1:])
    mois = [
        list(x) for x in openpyxl.load_workbook(dossier / "fol-37.xlsx").active.iter_rows(values_only=True)
    ]
    assert any(x[1] == "activite" and str(x[2]) == "2" and x[3] == "mois" and str(x[4]) == "13" for x in mois)
    assert not (dossier / "conseil-departemental-d-indre-et-loire.xlsx").exists()
    suivi = pd.read_csv(
        campagne / "processed" / str(ANNEE) / "suivi_collecte.csv",
        sep=";",
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    par_partenaire = suivi.set_index("partenaire")["corrections"]
    assert par_partenaire["Régie Plus"] == "corrections/regie-plus.xlsx"
    assert par_partenaire["Conseil départemental d'Indre-et-Loire"] == ""
    # Régie Plus fixes its code: its list goes.
    classeur = openpyxl.load_workbook(rep / REGIE)
    classeur["postes"].cell(ligne, colonnes.index("code_qpv") + 1, "TMVL-Q01")
    classeur.save(rep / REGIE)
    cli("collecte", "--data", "raw", "--year", str(ANNEE), cwd=campagne)
    assert not (dossier / "regie-plus.xlsx").exists() and (dossier / "fol-37.xlsx").exists()
