"""ANCT adultes-relais open data: each real quirk on a hand-written file, then the real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from evaluation.donnees.anct import pour_contrat
from evaluation.outils.anct import codes_nommes, importer
from evaluation.paths import RACINE

from .conftest import ANCT_REEL

AIDE = 22000.0


def r(id_poste, tiers, montant, cv="CV1", annee=2023, dep="37", reg="24"):
    return {
        "id_poste": id_poste,
        "code_tiers": tiers,
        "raison_sociale": f"Employeur {tiers}",
        "annee": annee,
        "montant": montant,
        "code_cv": cv,
        "insee_dep": dep,
        "insee_reg": reg,
    }


ENREGISTREMENTS = [
    r("P1", "T1", 22555.73),
    r("P2", "T1", 22555.73),
    r("P2", "T1", 22555.73),  # repeated id_poste: counted once
    r("P3", "T2", 11277.87),  # half-year amount
    r("P4", "T3", 22555.73, cv="CV2", dep=None, reg=None),  # no insee fields: kept
    {k: v for k, v in r("P5", "T4", 22555.73).items() if k != "code_cv"},  # no code_cv: excluded
]


def test_quirks_reportes_et_comptes(tmp_path):
    f = tmp_path / "ar-2023.json"
    f.write_text(json.dumps(ENREGISTREMENTS), encoding="utf-8")
    tidy, anomalies = importer([f])
    assert tidy.to_dict("records") == [
        {
            "annee": 2023,
            "code_contrat": "CV1",
            "postes": 3,
            "employeurs": 2,
            "montant_etat_eur": 22555.73 * 2 + 11277.87,
            "annee_partielle": "non",
        },
        {
            "annee": 2023,
            "code_contrat": "CV2",
            "postes": 1,
            "employeurs": 1,
            "montant_etat_eur": 22555.73,
            "annee_partielle": "non",
        },
    ]
    assert [(a.anomalie, a.enregistrements) for a in anomalies] == [
        ("sans code_cv", 1),
        ("sans insee_dep ou insee_reg", 1),
        ("id_poste répété", 2),
        ("montant différent de l'aide usuelle", 1),
    ]
    assert "aide usuelle de l'année 22\u202f555,73 €" in anomalies[3].detail


def test_meme_champs_en_csv(tmp_path):
    lignes = ["id_poste;code_tiers;raison_sociale;annee;montant;code_cv;insee_dep;insee_reg"]
    lignes += [
        f"{e['id_poste']};{e['code_tiers']};X;2023;{str(e['montant']).replace('.', ',')};{e.get('code_cv') or ''};{e['insee_dep'] or ''};{e['insee_reg'] or ''}"
        for e in ENREGISTREMENTS
    ]
    f = tmp_path / "ar-2023.csv"
    f.write_bytes("\n".join(lignes).encode("cp1252"))
    j = tmp_path / "ar-2023.json"
    j.write_text(json.dumps(ENREGISTREMENTS), encoding="utf-8")
    pd.testing.assert_frame_equal(importer([f])[0], importer([j])[0])


def test_annee_probablement_partielle(tmp_path):
    """A year whose usual aid per post is a third of the previous year's (ANCT's 2025 file:
    7 164 € against 22 811 €) is reported, flagged, and read as partial by the reports."""
    complete = [r(f"P{i}", "T1", 22811.0, annee=2024) for i in range(4)]
    partielle = [r(f"P{i}", "T1", 22811.0 / 3, annee=2025) for i in range(5)]
    baisse = [r(f"P{i}", "T1", 22811.0 * 0.7, annee=2025) for i in range(5)]
    (tmp_path / "a.json").write_text(json.dumps(complete + partielle), encoding="utf-8")
    tidy, anomalies = importer([tmp_path / "a.json"])
    assert tidy.set_index("annee")["annee_partielle"].to_dict() == {2024: "non", 2025: "oui"}
    [partie] = [a for a in anomalies if a.anomalie == "année probablement partielle"]
    assert partie.annee == 2025 and partie.enregistrements == 5
    assert "7 603,67 € contre 22 811,00 € en 2024 (33 %)" in partie.detail
    assert pour_contrat(tidy, ["CV1"])["partielle"].to_dict() == {2024: False, 2025: True}
    # A year at 70 % of the previous one is a drop, not a part-year.
    (tmp_path / "b.json").write_text(json.dumps(complete + baisse), encoding="utf-8")
    tidy, anomalies = importer([tmp_path / "b.json"])
    assert set(tidy["annee_partielle"]) == {"non"}
    assert not [a for a in anomalies if a.anomalie == "année probablement partielle"]


def test_contrat_sur_deux_periodes():
    tidy = pd.DataFrame(
        [[2023, "CV121", 47, 18, 1.0], [2024, "CN03702M", 46, 17, 2.0], [2024, "CV999", 5, 1, 3.0]],
        columns=["annee", "code_contrat", "postes", "employeurs", "montant_etat_eur"],
    )
    assert pour_contrat(tidy, ["CV121", "CN03702M"])["postes"].to_dict() == {2023: 47, 2024: 46}


def test_commande_import_anct(tmp_path):
    f = tmp_path / "ar.json"
    f.write_text(json.dumps(ENREGISTREMENTS), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "evaluation", "import-anct", str(f), "--out", str(tmp_path / "sortie")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    assert "2023 — sans code_cv : 1 enregistrement ;" in res.stdout
    assert (tmp_path / "sortie" / "anct_adultes_relais.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "annee,code_contrat,postes,employeurs,montant_etat_eur,annee_partielle"
    )
    # Counts only: no employer's name leaves the import.
    assert "Employeur" not in (tmp_path / "sortie" / "anct_adultes_relais.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(not ANCT_REEL.is_dir(), reason="ANCT open data (../shared/data/anct) absent")
def test_fichiers_reels_tours_metropole():
    tidy, anomalies = importer(sorted(ANCT_REEL.glob("adulte-relais-*.json")))
    tours = pour_contrat(tidy, ["CV121", "CN03702M"])
    assert tours["postes"].to_dict() == {2020: 28, 2021: 34, 2022: 47, 2023: 47, 2024: 46}
    assert tours.loc[2024, "codes"] == "CN03702M" and tours.loc[2020, "codes"] == "CV121"
    assert any(a.annee == 2023 and a.anomalie == "sans code_cv" for a in anomalies)
    # Cayenne, Macouria and Matoury's posts, recorded under « CV380CV384 », « CV382CV384 » and
    # « CV383CV384 » in 2020–2023, are theirs; no joined code is left.
    guyane = tidy[tidy["code_contrat"].isin(["CV380", "CV382", "CV383"]) & (tidy["annee"] < 2024)]
    assert len(guyane) == 12 and (guyane["postes"] > 0).all()
    assert tidy["code_contrat"].map(codes_nommes).str.len().eq(0).all()
    assert (
        sum(a.enregistrements for a in anomalies if a.anomalie.startswith("code_cv joint"))
        == 64 + 65 + 82 + 72
    )
    # The bundled sample data carry the same facts.
    echantillon = pd.read_csv(RACINE / "data" / "raw" / "anct_adultes_relais.csv")
    attendu = tidy[tidy.code_contrat.isin(["CV121", "CN03702M"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(echantillon, attendu, check_dtype=False)


def test_un_code_joint_va_au_premier_contrat_nomme(tmp_path):
    """« CV380CV384 » (Cayenne with Remire-Montjoly, 2020–2023): ANCT records the same posts
    under CV380 alone from 2024. Each post goes to the first contract named, once; CV384 keeps
    only its own posts; the quirk is reported."""
    postes = [
        r("J1", "T1", AIDE, "CV380CV384"),
        r("J2", "T2", AIDE, "CV380CV384"),
        r("J2", "T2", AIDE, "CV380CV384"),  # repeated: once
        r("J3", "T3", AIDE, "CV380"),
        r("K1", "T4", AIDE, "CV382CV384"),
        r("R1", "T5", AIDE, "CV384"),
    ]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    tidy, anomalies = importer([tmp_path / "ar.json"])
    assert tidy.set_index("code_contrat")["postes"].to_dict() == {"CV380": 3, "CV382": 1, "CV384": 1}
    assert tidy.set_index("code_contrat").loc["CV380", "montant_etat_eur"] == 3 * AIDE
    [joint] = [a for a in anomalies if a.anomalie == "code_cv joint (plusieurs contrats nommés)"]
    assert joint.enregistrements == 4
    assert "CV380CV384 → CV380 (3 enregistrements, aucun pour CV384)" in joint.detail
    assert "CV382CV384 → CV382 (1 enregistrement, aucun pour CV384)" in joint.detail
    assert codes_nommes("CN02A02ICN03702M") == ["CN02A02I", "CN03702M"] and codes_nommes("CV121") == []


def test_un_poste_sous_deux_contrats_est_signale(tmp_path):
    """Roissy Pays de France, 2024: the same posts under CN07708M (77) and CN09503M (95)."""
    postes = [r("P1", "T1", AIDE, "CN07708M", 2024), r("P1", "T1", AIDE, "CN09503M", 2024)]
    (tmp_path / "ar.json").write_text(json.dumps(postes), encoding="utf-8")
    _, anomalies = importer([tmp_path / "ar.json"])
    assert [(a.anomalie, a.enregistrements) for a in anomalies] == [("id_poste sous plusieurs contrats", 2)]
    assert "1 poste déclaré sous plusieurs codes de contrat (CN07708M et CN09503M : 1)" in anomalies[0].detail


def test_une_annee_importee_seule_est_comparee_a_l_aide_connue(tmp_path):
    """The officer downloads the new year alone: 2025's file at 7 164 € a post is compared with
    the 22 811 € the package knows for 2024 (ANCT's own 2024 file), and flagged; 2024's file
    alone, at its usual amount, is not."""
    (tmp_path / "2025.json").write_text(
        json.dumps([r(f"P{i}", "T1", 7164.0, annee=2025) for i in range(3)]), encoding="utf-8"
    )
    tidy, anomalies = importer([tmp_path / "2025.json"])
    assert set(tidy["annee_partielle"]) == {"oui"}
    [partie] = [a for a in anomalies if a.anomalie == "année probablement partielle"]
    assert (
        "7\u202f164,00\u00a0€ contre 22\u202f811,00\u00a0€ en 2024 selon l'outil (fichier de l'ANCT de 2024 "
        "non donné) (31\u00a0%)" in partie.detail
    )
    (tmp_path / "2024.json").write_text(
        json.dumps([r(f"P{i}", "T1", 22810.61, annee=2024) for i in range(3)]), encoding="utf-8"
    )
    tidy, anomalies = importer([tmp_path / "2024.json"])
    assert set(tidy["annee_partielle"]) == {"non"} and not anomalies
