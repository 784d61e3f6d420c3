"""A commune's fingerprint follows its own rows, and only them (incremental rebuilds)."""

from __future__ import annotations

from evaluation.manifeste import empreintes_donnees
from evaluation.territoire import charger

from .conftest import ecrire_territoire

# P1 serves a QPV of Alpha and one of Beta (two rows, one post); P2 serves Alpha only.
POSTES = [
    ["P1", "mediateur", "S", "Alpha", "Q1", "0.5", "ville", "non", "", ""],
    ["P1", "mediateur", "S", "Beta", "Q3", "0.5", "ville", "non", "", ""],
    ["P2", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""],
]
ACTIVITE = [
    ["P1", "1", "10", "1", "0", "0", "0"],
    ["P2", "1", "20", "2", "0", "0", "0"],
]
REUNIONS = [["2024-03-01", "reseau_acteurs", "Beta", "ville", "9", ""]]


def _empreintes(tmp_path, nom, activite=ACTIVITE, reunions=REUNIONS):
    dossier = ecrire_territoire(
        tmp_path / nom, {2024: {"postes": POSTES, "activite": activite, "reunions": reunions}}
    )
    return empreintes_donnees(charger(dossier), ["Alpha", "Beta"], [2024])


def test_une_ligne_change_seulement_les_communes_quelle_concerne(tmp_path):
    avant = _empreintes(tmp_path, "avant")
    assert avant["Alpha"] != avant["Beta"]
    assert _empreintes(tmp_path, "encore") == avant  # same data, same fingerprints

    p2 = _empreintes(tmp_path, "p2", activite=[ACTIVITE[0], ["P2", "1", "21", "2", "0", "0", "0"]])
    assert p2["Alpha"] != avant["Alpha"] and p2["Beta"] == avant["Beta"]

    # An activity row of a post serving both communes concerns both.
    p1 = _empreintes(tmp_path, "p1", activite=[["P1", "1", "11", "1", "0", "0", "0"], ACTIVITE[1]])
    assert p1["Alpha"] != avant["Alpha"] and p1["Beta"] != avant["Beta"]

    reunion = _empreintes(
        tmp_path, "reunion", reunions=[*REUNIONS, ["2024-04-01", "clspd", "Beta", "ville", "5", ""]]
    )
    assert reunion["Alpha"] == avant["Alpha"] and reunion["Beta"] != avant["Beta"]
    assert reunion[None] != avant[None]  # the agglomeration depends on every file
