"""Masking of small counts of field signals, primary and secondary, on crafted tables."""

from __future__ import annotations

import random

import pandas as pd

from evaluation.secret import MASQUE, TOTAL, avec_totaux, masque, masquer


def table(valeurs, lignes=("Q1", "Q2"), colonnes=("jeunesse", "sante", "autre")):
    return pd.DataFrame(valeurs, index=list(lignes), columns=list(colonnes[: len(valeurs[0])]))


def test_secondaire_necessaire():
    # Only « 3 » is small; without more masking, row and column totals give it back.
    publie = masquer(table([[10, 3, 12], [8, 9, 15]]))
    assert publie.loc["Q1"].tolist() == [MASQUE, MASQUE, "12", "25"]
    assert publie.loc["Q2"].tolist() == [MASQUE, MASQUE, "15", "32"]
    assert publie.loc[TOTAL].tolist() == ["18", "12", "27", "57"]


def test_rien_a_masquer():
    publie = masquer(table([[10, 6, 12], [8, 9, 15]]))
    assert MASQUE not in publie.to_numpy()


def test_total_de_ligne_petit():
    publie = masquer(table([[1, 2], [10, 10]]))
    assert publie.loc["Q1"].tolist() == [MASQUE, MASQUE, MASQUE]
    assert publie.loc["Q2"].tolist() == [MASQUE, MASQUE, MASQUE]  # else Q1's total = 23 - 20
    assert publie.loc[TOTAL].tolist() == ["11", "12", "23"]


def test_aucune_equation_avec_une_seule_inconnue():
    """Property on random tables: every row and column (with its total) hides 0 or ≥ 2 cells,
    and every count below 5 is hidden."""
    hasard = random.Random(7)
    for _ in range(200):
        n, m = hasard.randint(1, 5), hasard.randint(1, 6)
        comptes = pd.DataFrame(
            [[hasard.choice([0, 1, 2, 4, 5, 7, 12, 30]) for _ in range(m)] for _ in range(n)]
        )
        cache = masque(comptes)
        t = avec_totaux(comptes)
        assert cache.to_numpy()[(t < 5).to_numpy()].all()
        for i in range(n + 1):
            assert cache.iloc[i].sum() != 1
        for j in range(m + 1):
            assert cache.iloc[:, j].sum() != 1
