"""Masking of small counts of field signals, primary and secondary, on crafted tables."""

from __future__ import annotations

import random

import pandas as pd

from evaluation.indicateurs.secret import PRIMAIRE, SECONDAIRE, proteger, proteger_par_unites

TOTAL = "Total"


def avec_totaux(comptes: pd.DataFrame) -> pd.DataFrame:
    t = comptes.copy()
    t[TOTAL] = t.sum(axis=1)
    t.loc[TOTAL] = t.sum(axis=0)
    return t.astype(int)


def masquer(comptes: pd.DataFrame) -> pd.DataFrame:
    """One table with its row and column totals protected by the rule, as text: each row and
    each column sums to its total."""
    t = avec_totaux(comptes)
    n, m = comptes.shape
    valeurs = {(i, j): t.iat[i, j] for i in range(n + 1) for j in range(m + 1)}
    lignes = [((i, m), [(i, j) for j in range(m)]) for i in range(n + 1)]
    colonnes = [((n, j), [(i, j) for i in range(n)]) for j in range(m + 1)]
    texte = t.astype(str)
    for (i, j), marque in proteger(valeurs, lignes + colonnes).items():
        texte.iat[i, j] = marque
    return texte


def table(valeurs, lignes=("Q1", "Q2"), colonnes=("jeunesse", "sante", "autre")):
    return pd.DataFrame(valeurs, index=list(lignes), columns=list(colonnes[: len(valeurs[0])]))


def test_secondaire_necessaire():
    # Only « 3 » is small; without more masking, row and column totals give it back.
    # The second cells masked are 5 or more: they read « s », never « < 5 ».
    publie = masquer(table([[10, 3, 12], [8, 9, 15]]))
    assert publie.loc["Q1"].tolist() == [SECONDAIRE, PRIMAIRE, "12", "25"]
    assert publie.loc["Q2"].tolist() == [SECONDAIRE, SECONDAIRE, "15", "32"]
    assert publie.loc[TOTAL].tolist() == ["18", "12", "27", "57"]


def test_des_zeros_masques_ne_se_retrouvent_pas_par_difference():
    """Two « < 5 » cells that are both 0 under a visible total: 20 − 20 = 0 would tell a reader
    (counts are never negative) that each is 0; one more part is masked « s »."""
    valeurs = {"total": 20, "a": 0, "b": 0, "c": 8, "d": 12}
    masques = proteger(valeurs, [("total", ["a", "b", "c", "d"])])
    assert masques == {"a": PRIMAIRE, "b": PRIMAIRE, "c": SECONDAIRE}
    # Masked parts adding up to 3 only bound each in [0, 3]: nothing more is masked.
    assert proteger({"total": 23, "a": 0, "b": 3, "c": 8, "d": 12}, [("total", ["a", "b", "c", "d"])]) == {
        "a": PRIMAIRE,
        "b": PRIMAIRE,
    }


def test_la_note_n_explique_que_les_marques_montrees():
    from evaluation.indicateurs.secret import note

    assert note(["12", "< 5", "< 5"]) == "« < 5 » : moins de 5 remontées"
    assert note(["s", "< 5"]).endswith(
        "« s » : valeur masquée pour qu'un total ou une part ne permette pas de retrouver un compte masqué"
    )
    assert note(["12", "0"]) == ""


def test_rien_a_masquer():
    publie = masquer(table([[10, 6, 12], [8, 9, 15]]))
    assert PRIMAIRE not in publie.to_numpy() and SECONDAIRE not in publie.to_numpy()


def test_total_de_ligne_petit():
    publie = masquer(table([[1, 2], [10, 10]]))
    assert publie.loc["Q1"].tolist() == [PRIMAIRE, PRIMAIRE, PRIMAIRE]
    assert publie.loc["Q2"].tolist() == [SECONDAIRE, SECONDAIRE, SECONDAIRE]  # else Q1's total = 23 - 20
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
        publie = masquer(comptes)
        cache = publie.isin([PRIMAIRE, SECONDAIRE])
        t = avec_totaux(comptes)
        assert (publie == PRIMAIRE).to_numpy()[(t < 5).to_numpy()].all()
        assert not (publie == PRIMAIRE).to_numpy()[(t >= 5).to_numpy()].any()
        for i in range(n + 1):
            assert cache.iloc[i].sum() != 1
        for j in range(m + 1):
            assert cache.iloc[:, j].sum() != 1


def test_equations_liees_entre_tableaux():
    """Two tables sharing a total (a commune's neighbourhoods, and its sources): a cell masked
    in one makes the shared total's other equation protect it too."""
    valeurs = {"A": 20, "q1": 3, "q2": 17, "s1": 10, "s2": 10}
    marques = proteger(valeurs, [("A", ["q1", "q2"]), ("A", ["s1", "s2"])])
    assert marques == {"q1": PRIMAIRE, "q2": SECONDAIRE}  # A stays visible: s1 + s2 reveal nothing
    marques = proteger(
        {"A": 4, "q1": 3, "q2": 1, "s1": 2, "s2": 2}, [("A", ["q1", "q2"]), ("A", ["s1", "s2"])]
    )
    assert set(marques.values()) == {PRIMAIRE}


def test_un_s_vaut_au_moins_5_et_le_lecteur_le_sait():
    """6 = a + b with a = 6, b = 0: b reads « < 5 », a « s ». One equation at a time that was
    enough; but every count below 5 reads « < 5 », so a reader knows a ≥ 5: a is 5 or 6,
    b is 0 or 1. The audit finds it, and `proteger` masks the total too."""
    from evaluation.indicateurs.secret import auditer

    valeurs = {"t": 6, "a": 6, "b": 0}
    equations = [("t", ["a", "b"])]
    assert set(auditer(valeurs, equations, {"a": SECONDAIRE, "b": PRIMAIRE})) == {"a", "b"}
    masques = proteger(valeurs, equations)
    assert masques == {"a": SECONDAIRE, "b": PRIMAIRE, "t": SECONDAIRE}
    assert auditer(valeurs, equations, masques) == []


def test_deux_equations_ensemble_bornent_une_cellule():
    """A 2 × 2 table: x11 = 1 « < 5 », x12 = 6, x21 = 5, x22 = 9 masked « s », every margin
    shown (r1 = 7, r2 = 14, c1 = 6, c2 = 15). Each equation has two masked cells; together,
    with « s » ≥ 5, x11 ≤ 2 by its row and x11 ≤ 1 by its column: 0 or 1, found by the
    audit. `proteger` leaves no such cell."""
    from evaluation.indicateurs.secret import auditer

    valeurs = {"r1": 7, "r2": 14, "c1": 6, "c2": 15, "x11": 1, "x12": 6, "x21": 5, "x22": 9}
    equations = [
        ("r1", ["x11", "x12"]),
        ("r2", ["x21", "x22"]),
        ("c1", ["x11", "x21"]),
        ("c2", ["x12", "x22"]),
    ]
    masques = {"x11": PRIMAIRE, "x12": SECONDAIRE, "x21": SECONDAIRE, "x22": SECONDAIRE}
    assert "x11" in auditer(valeurs, equations, masques)
    protege = proteger(valeurs, equations)
    assert protege["x11"] == PRIMAIRE and len(protege) > 4
    assert auditer(valeurs, equations, protege) == []


def test_une_cellule_auxiliaire_est_masquee_avant_un_compte():
    """20 signals, 2 without follow-up (« < 5 »), 18 followed up: the numerator of a share
    (auxiliary, never shown itself). Shown, the share would give the 2 back; it is the
    auxiliary cell that gets masked — the share goes — and the 20 stays."""
    valeurs = {"remontees": 20, "aucune": 2, "suivies": 18}
    masques = proteger(valeurs, [("remontees", ["suivies", "aucune"])], auxiliaires={"suivies"})
    assert masques == {"aucune": PRIMAIRE, "suivies": SECONDAIRE}


def test_le_seuil_de_postes_masque_aussi_les_differences():
    """Commune A: QPV a1 on post p1 alone, a2 on p2–p4; commune B: b1 on p5–p7, b2 on p8–p10.
    a1 is one person's work; A less a2 would be it too: a2 (3 posts) goes rather than A (4).
    Nothing else rests on fewer than 3 posts, nor does any remainder: B, b1, b2, A and the
    agglomeration stay."""
    unites = {
        "a1": frozenset({"p1"}),
        "a2": frozenset({"p2", "p3", "p4"}),
        "b1": frozenset({"p5", "p6", "p7"}),
        "b2": frozenset({"p8", "p9", "p10"}),
    }
    parent = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "A": "agglo", "B": "agglo"}
    assert proteger_par_unites(unites, parent, ["agglo", "A", "B", "a1", "a2", "b1", "b2"]) == {"a1", "a2"}


def test_le_seuil_de_postes_compte_un_poste_partage_et_les_quartiers_sans_chiffre():
    """A post (p1) serving a1 and a2 counts in both: a1 (p1, p2) is masked; A less a2 (p1,
    p3, p4) would be a1's two posts: a2 goes. Commune B's only QPV b1 rests on p5 alone, and
    its veille area v (no figure of its own) on p6 and p7: B less nothing is b1 with v,
    3 posts, published. Without v, B would be p5's work, and then the agglomeration less A
    too: A (4 posts) is masked rather than the agglomeration (5)."""
    unites = {
        "a1": frozenset({"p1", "p2"}),
        "a2": frozenset({"p1", "p3", "p4"}),
        "b1": frozenset({"p5"}),
        "v": frozenset({"p6", "p7"}),
    }
    parent = {"a1": "A", "a2": "A", "b1": "B", "v": "B", "A": "agglo", "B": "agglo"}
    publies = ["agglo", "A", "B", "a1", "a2", "b1"]
    assert proteger_par_unites(unites, parent, publies) == {"a1", "a2", "b1"}
    sans_veille = {k: u for k, u in unites.items() if k != "v"}
    assert proteger_par_unites(sans_veille, parent, publies) == {"a1", "a2", "b1", "B", "A"}


def test_le_seuil_de_postes_laisse_ce_qui_ne_repose_sur_aucun_poste():
    """No post reported activity in a1: its figure describes nobody's work and stays."""
    unites = {"a1": frozenset(), "a2": frozenset({"p1", "p2", "p3"})}
    parent = {"a1": "A", "a2": "A"}
    assert proteger_par_unites(unites, parent, ["A", "a1", "a2"]) == set()
