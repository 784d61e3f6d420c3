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
