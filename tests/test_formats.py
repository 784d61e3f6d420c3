"""French presentation: Babel's French locale, agreement, typography, changes on shown figures."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from evaluation import formats as f

FINE, INSECABLE = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "decimales", "attendu"),
    [
        (1234.5, 1, f"1{FINE}234,5"),
        (1049288.06, 0, f"1{FINE}049{FINE}288"),
        (-3.5, 0, "−4"),  # half away from zero, and the minus sign
        (2.675, 2, "2,68"),  # on the decimal writing, not the binary float below it
        (-0.004, 2, "0,00"),  # no « −0,00 »
        (None, 0, "–"),
        (math.nan, 0, "–"),
        (math.inf, 0, "–"),
    ],
)
def test_nombre(valeur, decimales, attendu):
    assert f.nombre(valeur, decimales) == attendu


def test_pourcentage_euros_dates():
    assert f.pourcentage(0.425) == f"43{INSECABLE}%"
    assert f.pourcentage(0.1234, 1) == f"12,3{INSECABLE}%"
    assert f.euros(1049288.06) == f"1{FINE}049{FINE}288{INSECABLE}€"
    assert f.euros(22811.5, 2) == f"22{FINE}811,50{INSECABLE}€"
    assert f.date(dt.date(2026, 3, 1)) == "01/03/2026"
    assert f.date_longue(dt.date(2026, 3, 1)) == "1 mars 2026"
    assert f.horodatage(dt.datetime(2026, 11, 28, 9, 5)) == "28/11/2026 à 09:05"


def test_heures_et_plages_horaires():
    assert f.heures(8) == f"8{INSECABLE}h"
    assert f.heures(3.25, 1) == f"3,3{INSECABLE}h"  # half away from zero, as every figure
    assert f.heures(None) == "–"
    assert f.plage_horaire(8, 9) == f"8{INSECABLE}h–9{INSECABLE}h"  # an en dash, not « 8-9 »


@pytest.mark.parametrize(
    ("avant", "apres", "decimales", "points", "attendu"),
    [
        (0.17, 0.18, 0, True, f"+1{INSECABLE}pt"),  # 17 % -> 18 %, once labelled « +2 points »
        (0.384, 0.386, 0, True, f"+1{INSECABLE}pt"),  # 38 % -> 39 %, once labelled « stable »
        (0.40, 0.37, 0, True, f"−3{INSECABLE}pts"),
        (0.3849, 0.3751, 0, True, "="),  # 38 % -> 38 %
        (3.084, 3.1, 2, False, "+0,02"),  # 3,08 -> 3,10
        (1.14, 1.16, 1, False, "+0,1"),  # 1,1 -> 1,2: the shown figures moved
        (5, 4, 0, False, "−1"),
        (4, 4, 0, False, "="),
        (None, 3, 0, False, "–"),
        (2, math.nan, 0, False, "–"),
    ],
)
def test_ecart_sur_les_valeurs_affichees(avant, apres, decimales, points, attendu):
    assert f.ecart(avant, apres, decimales, points=points) == attendu


def test_evolution_sur_les_valeurs_affichees():
    assert f.evolution(1.14, 1.16, 1) == "en hausse de 0,1 par rapport à l'année précédente (1,1)"
    assert f.evolution(1.149, 1.051, 1) == "stable par rapport à l'année précédente"  # 1,1 and 1,1
    assert f.evolution(1.151, 1.149, 1) == "en baisse de 0,1 par rapport à l'année précédente (1,2)"
    assert f.evolution(None, 2) == "sans comparaison possible avec l'année précédente"


@pytest.mark.parametrize(
    ("n", "singulier", "attendu"),
    [
        (3, "quartier entrant", "3 quartiers entrants"),
        (1, "QPV actif", "1 QPV actif"),
        (4, "QPV actif", "4 QPV actifs"),
        (1000, "habitant", f"1{FINE}000 habitants"),
        (0, "objectif atteint", "0 objectif atteint"),
        (1.5, "jour", "1,50 jour"),
        (2, "objectif non atteint", "2 objectifs non atteints"),
        (2, "réseau local", "2 réseaux locaux"),
        (2, "poste de délégué du préfet", "2 postes de délégué du préfet"),  # the complement stays
        (3, "quartier de veille active", "3 quartiers de veille active"),
    ],
)
def test_accorder(n, singulier, attendu):
    assert f.accorder(n, singulier) == attendu


def test_accorder_forme_irreguliere_et_sans_nombre():
    assert f.accorder(2, "œil", "yeux") == "2 yeux"
    assert f.pluriel(5, "quartier") == "quartiers"
    assert f.pluriel(1, "quartier") == "quartier"


def test_typographie():
    texte = f.typographie("Selon l'ANCT : 46 postes ; « Europe » ? rendez-vous à 09:30, voir a.html")
    assert texte == (
        f"Selon l’ANCT{FINE}: 46 postes{FINE}; «{FINE}Europe{FINE}»{FINE}? rendez-vous à 09:30, voir a.html"
    )
    assert f.typographie("déjà «\u202fpropre\u202f» : oui") == f"déjà «{FINE}propre{FINE}»{FINE}: oui"


def test_enumerer():
    assert [f.enumerer(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a et b",
        "a, b et c",
    ]


def test_ordinaux_en_exposant():
    """« 1ᵉʳ », « 112ᵉ » in plain text (alternative texts), in <sup> in a page's text."""
    assert f.ordinal(1) == "1\u1d49\u02b3"
    assert f.ordinal(2) == "2\u1d49"
    assert f.ordinal(1580) == f"1{FINE}580\u1d49"
    assert f.t(f"{f.ordinal(112)} des 1580 contrats") == "112<sup>e</sup> des 1580 contrats"
    assert f.t(f"{f.ordinal(1)} et {f.ordinal(3)} quartiles") == "1<sup>er</sup> et 3<sup>e</sup> quartiles"
    assert f.t("entre 1er et 2e : rien") == f"entre 1er et 2e{FINE}: rien"  # only the helper's letters
    assert "<sup>" in f.tableau([f"{f.ordinal(1)} décile"], [])  # a table's header is a text node


def test_un_code_ne_se_coupe_pas():
    """Plain text: non-breaking hyphens; a page's text: the real code, in a span that does not
    wrap (a reader who copies it finds the code of the exports)."""
    assert f.code_insecable("TMVL-Q09") == "TMVL\u2011Q09"
    assert f.code_insecable("QN03701M") == "QN03701M"
    assert f.t(f"La Rabière ({f.code_insecable('TMVL-Q09')}), <Joué>") == (
        'La Rabière (<span style="white-space:nowrap">TMVL-Q09</span>), &lt;Joué&gt;'
    )
    assert f.t("Joué-lès-Tours") == "Joué-lès-Tours"  # a name's hyphens are left alone


def test_pas_d_unite_apres_une_cellule_vide():
    assert f.en_euros("41\u202f250") == f"41{FINE}250{INSECABLE}€"
    assert f.en_euros("+3") == f"+3{INSECABLE}€"
    assert [f.en_euros(x) for x in ("–", "=", "n. m.", "s")] == ["–", "=", "n. m.", "s"]
    assert f.euros(None) == f.euros(math.nan) == "–"


@pytest.mark.parametrize(
    ("code", "valeur", "attendu"),
    [
        ("C1", 0.5, f"0,50 ETP pour 1{FINE}000 habitants"),  # once « pour 1 000 habitant »
        ("C1", 2.5, f"2,50 ETP pour 1{FINE}000 habitants"),
        ("E1", 1, "1 contact par ETP annuel"),
        ("R4", 1.5, "1,5 ETP annuel"),
        ("R4", 1.96, "2,0 ETP annuels"),  # agrees with the figure shown
        ("V6", 1, "1,0 jour"),
        ("F7", None, "–"),  # no « – euros »
        ("V6", math.nan, "–"),
    ],
)
def test_valeur_avec_son_unite(code, valeur, attendu):
    from evaluation.indicateurs import indicateur_de

    assert indicateur_de(code).avec_unite(valeur) == attendu


def test_au_singulier_jusqu_a_la_preposition():
    assert (
        f.au_singulier(f"orientations pour 1{FINE}000 habitants") == f"orientation pour 1{FINE}000 habitants"
    )
    assert f.au_singulier("heures par semaine") == "heure par semaine"
    assert f.au_singulier("réseaux locaux") == "réseau local"
    assert f.au_singulier("QPV") == "QPV" and f.au_singulier("oui = 1") == "oui = 1"
