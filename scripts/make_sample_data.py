"""Write the bundled sample territory (Tours Métropole Val de Loire, 2020–2025) to a folder.

Real facts of ../shared/DOMAIN.md are used where they exist (neighbourhoods, known
populations, adultes-relais posts per year as counted by ANCT, about 16–17 ETP of
prévention spécialisée, the Régie Plus mediation team from July 2022); everything else is
drawn from a seeded generator. The output is byte-for-byte reproducible: running the
script twice gives identical files (tests/test_sample_data.py checks it).

Usage: python scripts/make_sample_data.py [DOSSIER]   (default: data/raw)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.donnees import contrat
from evaluation.donnees.contrat import TABLES, TABLES_ANNUELLES

ANNEES = range(2020, 2026)
GRAINE = 4202

# Adultes-relais in post on 31 December (ANCT open data for 2020–2024; 2025 is sample).
ADULTES_RELAIS = {2020: 28, 2021: 34, 2022: 47, 2023: 47, 2024: 46, 2025: 45}
# State aid per adulte-relais post (DOMAIN.md for 2020–2024; 2025 is a sample estimate).
AIDE_AR = {2020: 19875, 2021: 20072, 2022: 21254, 2023: 22556, 2024: 22811, 2025: 23040}

TOURS, JOUE, SPDC, LA_RICHE = "Tours", "Joué-lès-Tours", "Saint-Pierre-des-Corps", "La Riche"

# code, nom, commune, population, annee_population, statut, annee_entree, annee_sortie,
# source_population, contour_population. Census populations are DOMAIN.md's (RP 2018); the
# others are estimates (Niqueux-Bruère: the 2015 total less the other nine). The « liste ANCT »
# source and the QPVs reshaped in 2024 (contour 2015 or 2024) are sample cases, not facts,
# as is the veille area left without a source.
QUARTIERS = [
    ("TMVL-Q01", "Sanitas", TOURS, 8227, 2018, "qpv", 2015, None, "recensement", None),
    ("TMVL-Q02", "Europe", TOURS, 3400, 2018, "qpv", 2015, None, "estimation", None),
    ("TMVL-Q03", "Bords de Loire", TOURS, 1550, 2018, "qpv", 2015, None, "estimation", None),
    ("TMVL-Q04", "Maryse Bastié", TOURS, 1830, 2018, "qpv", 2015, None, "recensement", None),
    ("TMVL-Q05", "Rives du Cher", TOURS, 2600, 2018, "qpv", 2015, None, "estimation", None),
    ("TMVL-Q06", "Rochepinard", TOURS, 1500, 2020, "qpv", 2015, None, "liste_anct", "2024"),
    ("TMVL-Q07", "Les Fontaines", TOURS, 2700, 2018, "qpv", 2015, None, "estimation", "2015"),
    ("TMVL-Q08", "La Rabaterie", SPDC, 5000, 2018, "qpv", 2015, None, "recensement", None),
    ("TMVL-Q09", "La Rabière", JOUE, 5850, 2018, "qpv", 2015, None, "recensement", "2015"),
    (
        "TMVL-Q10",
        "Niqueux-Bruère – Marcel Pagnol",
        LA_RICHE,
        2099,
        2018,
        "qpv",
        2015,
        None,
        "estimation",
        None,
    ),
    ("TMVL-Q11", "Les Tourettes", TOURS, 1700, 2020, "qpv", 2024, None, "estimation", None),
    ("TMVL-Q12", "Le Morier", JOUE, 1550, 2020, "qpv", 2024, None, "estimation", None),
    ("TMVL-Q13", "La Galboisière", SPDC, 900, 2020, "qpv", 2024, None, "estimation", None),
    (
        "TMVL-V01",
        "Le Morier (veille active)",
        JOUE,
        1550,
        2018,
        "veille_active",
        2015,
        2023,
        "estimation",
        None,
    ),
    ("TMVL-V02", "Vallée Violette", JOUE, 1200, 2018, "veille_active", 2015, None, "estimation", None),
    (
        "TMVL-V03",
        "Secteur de veille A (exemple)",
        TOURS,
        1100,
        2018,
        "veille_active",
        2015,
        None,
        "estimation",
        None,
    ),
    (
        "TMVL-V04",
        "Secteur de veille B (exemple)",
        SPDC,
        800,
        2018,
        "veille_active",
        2015,
        None,
        "estimation",
        None,
    ),
    (
        "TMVL-V05",
        "Secteur de veille C (exemple)",
        LA_RICHE,
        700,
        2018,
        "veille_active",
        2015,
        None,
        None,
        None,
    ),
]
COMMUNE = {q[0]: q[2] for q in QUARTIERS}
QPV_2015 = [q[0] for q in QUARTIERS if q[5] == "qpv" and q[6] == 2015]
ENTRANTS = ["TMVL-Q11", "TMVL-Q12", "TMVL-Q13"]


def actifs(annee: int) -> list[str]:
    return [q[0] for q in QUARTIERS if q[6] <= annee and (q[7] is None or annee <= q[7])]


@dataclass
class Poste:
    id_poste: str
    dispositif: str
    structure: str
    financeur: str
    repartition: dict[str, float]  # code_qpv -> etp
    debut: dt.date | None = None
    fin: dt.date | None = None
    vacant_en: set[int] = field(default_factory=set)

    def present(self, annee: int) -> bool:
        return (self.debut is None or self.debut.year <= annee) and (
            self.fin is None or self.fin.year >= annee
        )


def postes() -> list[Poste]:
    r = random.Random(GRAINE)
    liste: list[Poste] = []

    # Prévention spécialisée (Conseil départemental): ~16.5 ETP in the six named areas.
    prevention = {"TMVL-Q01": 4, "TMVL-Q02": 3, "TMVL-Q07": 3, "TMVL-Q06": 2, "TMVL-Q08": 3, "TMVL-Q09": 2}
    n = 0
    for code, nombre in prevention.items():
        for _ in range(nombre):
            n += 1
            etp = 0.8 if n in (5, 11) else 1.0
            liste.append(
                Poste(
                    f"EP-{n:03d}",
                    "educateur_prevention",
                    "Conseil départemental d'Indre-et-Loire",
                    "departement",
                    {code: etp},
                    dt.date(2012 + n % 6, 9, 1),
                    vacant_en={2021} if n == 7 else ({2023} if n == 13 else set()),
                )
            )

    # Adultes-relais: the ANCT totals per year, posts numbered in order of creation.
    employeurs = [
        "Régie Plus",
        "FOL 37",
        "Centre socio-culturel Courteline",
        "Ville de La Riche",
        "Association Jeunesse et Habitat (exemple)",
    ]
    zones = {
        "Régie Plus": ["TMVL-Q01", "TMVL-Q04", "TMVL-Q02"],
        "FOL 37": ["TMVL-Q08", "TMVL-Q09", "TMVL-Q07"],
        "Centre socio-culturel Courteline": ["TMVL-Q05", "TMVL-Q03", "TMVL-Q06"],
        "Ville de La Riche": ["TMVL-Q10"],
        "Association Jeunesse et Habitat (exemple)": ["TMVL-Q01", "TMVL-Q09", "TMVL-Q02"],
    }
    creation = {0: 2016, 28: 2021, 34: 2022, 47: 2026}
    for i in range(47):
        annee_creation = max(a for s, a in creation.items() if s <= i)
        employeur = employeurs[i % len(employeurs)]
        code = zones[employeur][i % len(zones[employeur])]
        if i >= 44 and employeur != "Ville de La Riche":
            code = ENTRANTS[i % 3] if annee_creation >= 2022 else code
        debut = dt.date(annee_creation, 1 + (i * 5) % 12, 1)
        repartition = {code: 1.0}
        if i % 6 == 1 and code in QPV_2015:
            autre = (
                next(c for c in QPV_2015 if COMMUNE[c] == COMMUNE[code] and c != code)
                if COMMUNE[code] == TOURS
                else None
            )
            if autre:
                repartition = {code: 0.5, autre: 0.5}
        liste.append(Poste(f"AR-{i + 1:03d}", "adulte_relais", employeur, "etat_anct", repartition, debut))
    # Posts in entrant QPVs only exist once those QPVs do (2024 list).
    for p in liste:
        if p.dispositif == "adulte_relais" and set(p.repartition) & set(ENTRANTS):
            p.debut = max(p.debut, dt.date(2024, 1, 1)) if p.debut else dt.date(2024, 1, 1)
    # Adjust to the ANCT counts on 31 December: end the surplus posts during the year.
    for annee, cible in ADULTES_RELAIS.items():
        en_poste = [
            p
            for p in liste
            if p.dispositif == "adulte_relais" and p.present(annee) and (p.fin is None or p.fin.year > annee)
        ]
        for p in en_poste[cible:] if len(en_poste) > cible else []:
            p.fin = dt.date(annee, 6 + len(p.id_poste) % 6, 30)
        manque = cible - min(len(en_poste), cible)
        for k in range(manque):
            code = ENTRANTS[k % 3] if annee >= 2024 else QPV_2015[(k * 3) % len(QPV_2015)]
            liste.append(
                Poste(
                    f"AR-{len(liste) + 1:03d}",
                    "adulte_relais",
                    employeurs[k % 2],
                    "etat_anct",
                    {code: 1.0},
                    dt.date(annee, 3, 1),
                )
            )
    # One vacant adulte-relais post every year (does not count).
    liste.append(
        Poste("AR-V01", "adulte_relais", "FOL 37", "etat_anct", {"TMVL-Q09": 1.0}, vacant_en=set(ANNEES))
    )

    # The Régie Plus mediation team (9 mediators, 3 supervisors) from July 2022.
    financeurs_mediation = ["ville"] * 6 + ["bailleur"] * 4 + ["fipd"] * 2
    for k in range(12):
        code = "TMVL-Q01" if k < 7 else "TMVL-Q04"
        repartition = {code: 1.0} if k < 9 else {"TMVL-Q01": 0.5, "TMVL-Q04": 0.5}
        liste.append(
            Poste(
                f"MED-{k + 1:03d}",
                "mediateur",
                "Régie Plus",
                financeurs_mediation[k],
                repartition,
                dt.date(2022, 7, 1),
            )
        )
    # Other mediators: city teams of Joué-lès-Tours, Saint-Pierre-des-Corps and La Riche.
    autres = [
        ("Ville de Joué-lès-Tours", "TMVL-Q09", 3, 2018),
        ("Ville de Joué-lès-Tours", "TMVL-Q12", 1, 2024),
        ("Ville de Saint-Pierre-des-Corps", "TMVL-Q08", 2, 2019),
        ("Ville de La Riche", "TMVL-Q10", 1, 2021),
    ]
    k = 12
    for structure, code, nombre, depuis in autres:
        for _ in range(nombre):
            k += 1
            liste.append(
                Poste(f"MED-{k:03d}", "mediateur", structure, "ville", {code: 0.8}, dt.date(depuis, 1, 1))
            )

    # Correspondants de quartier of the social landlords; created in entrant QPVs.
    bailleurs = {
        "TMVL-Q01": ("Tours Habitat", 3),
        "TMVL-Q02": ("Tours Habitat", 2),
        "TMVL-Q04": ("Tours Habitat", 1),
        "TMVL-Q05": ("Tours Habitat", 1),
        "TMVL-Q06": ("Tours Habitat", 1),
        "TMVL-Q07": ("Tours Habitat", 2),
        "TMVL-Q08": ("Val Touraine Habitat", 2),
        "TMVL-Q09": ("Val Touraine Habitat", 2),
        "TMVL-Q10": ("Val Touraine Habitat", 1),
        "TMVL-Q11": ("Tours Habitat", 1),
        "TMVL-Q12": ("Val Touraine Habitat", 1),
    }
    k = 0
    for code, (bailleur, nombre) in bailleurs.items():
        for j in range(nombre):
            k += 1
            debut = (
                dt.date(2024, 4, 1)
                if code == "TMVL-Q11"
                else (dt.date(2025, 2, 1) if code == "TMVL-Q12" else dt.date(2010 + k % 9, 1, 1))
            )
            fin = dt.date(2022, 8, 31) if (code == "TMVL-Q05" and j == 0) else None
            liste.append(
                Poste(f"CQ-{k:03d}", "correspondant_quartier", bailleur, "bailleur", {code: 1.0}, debut, fin)
            )
    liste.append(
        Poste(
            "CQ-R05",
            "correspondant_quartier",
            "Tours Habitat",
            "bailleur",
            {"TMVL-Q05": 1.0},
            dt.date(2023, 3, 1),
        )
    )

    # Police municipale: share of each city's officers' time in its neighbourhoods.
    polices = {TOURS: 8, JOUE: 3, SPDC: 2, LA_RICHE: 1}
    k = 0
    for commune, nombre in polices.items():
        codes = [c for c in QPV_2015 if COMMUNE[c] == commune]
        for j in range(nombre):
            k += 1
            code = codes[j % len(codes)]
            liste.append(
                Poste(
                    f"PM-{k:03d}",
                    "police_municipale",
                    f"Police municipale de {commune}",
                    "ville",
                    {code: 0.5},
                    dt.date(2015, 1, 1),
                )
            )

    # Délégués du Préfet.
    liste.append(
        Poste(
            "DP-001",
            "delegue_prefet",
            "Préfecture d'Indre-et-Loire",
            "etat_anct",
            {"TMVL-Q01": 0.3, "TMVL-Q02": 0.2, "TMVL-Q07": 0.2, "TMVL-Q06": 0.2},
        )
    )
    liste.append(
        Poste(
            "DP-002",
            "delegue_prefet",
            "Préfecture d'Indre-et-Loire",
            "etat_anct",
            {"TMVL-Q08": 0.3, "TMVL-Q09": 0.3, "TMVL-Q10": 0.2},
        )
    )
    r.random()
    return liste


# Headers, days, themes and follow-ups come from the data contract itself.
ENTETES = {nom: list(TABLES[nom].noms) for nom in TABLES_ANNUELLES}
JOURS = list(contrat.JOURS)
HORAIRES = {
    "educateur_prevention": [(14, 19), (16, 21), (17, 22), (10, 13)],
    "mediateur": [(9, 12), (14, 20), (16, 21), (18, 22)],
    "adulte_relais": [(9, 12), (13, 17), (14, 18), (16, 19)],
    "correspondant_quartier": [(8, 12), (13, 17), (9, 12)],
    "police_municipale": [(8, 12), (14, 18), (18, 22)],
    "delegue_prefet": [(9, 12), (14, 17)],
}
LIEUX = {
    "educateur_prevention": ["rue", "rue", "local", "equipement_public", "etablissement_scolaire"],
    "mediateur": ["rue", "hall_immeuble", "transports", "rue"],
    "adulte_relais": ["local", "equipement_public", "etablissement_scolaire", "rue"],
    "correspondant_quartier": ["hall_immeuble", "hall_immeuble", "local"],
    "police_municipale": ["rue", "transports", "equipement_public"],
    "delegue_prefet": ["equipement_public", "local"],
}
THEMES = list(contrat.THEMES)
SUITES = list(contrat.SUITES)
SOURCES = [
    "mediateur",
    "adulte_relais",
    "educateur_prevention",
    "correspondant_quartier",
    "police_municipale",
]
COUT_ETP = {
    "educateur_prevention": 52000,
    "mediateur": 38000,
    "correspondant_quartier": 41000,
    "police_municipale": 46000,
    "delegue_prefet": 70000,
}
FINANCEUR_PAR_DISPOSITIF = {
    "educateur_prevention": [("departement", 0.85), ("ville", 0.15)],
    "mediateur": [("ville", 0.55), ("bailleur", 0.25), ("fipd", 0.12), ("gup", 0.08)],
    "correspondant_quartier": [("bailleur", 1.0)],
    "police_municipale": [("ville", 0.9), ("fipd", 0.1)],
    "delegue_prefet": [("etat_anct", 1.0)],
}
OUTILS = [
    # nom, type, perimetre, (year -> statut), date de mise en service
    (
        "Annuaire des acteurs de terrain",
        "annuaire",
        "agglomeration",
        {2020: "en_service"},
        dt.date(2019, 10, 1),
    ),
    (
        "Fiche de liaison médiation",
        "fiche_liaison",
        TOURS,
        {2020: "en_projet", 2021: "en_service"},
        dt.date(2021, 3, 15),
    ),
    (
        "Formation commune des médiateurs",
        "formation",
        "agglomeration",
        {2021: "en_projet", 2022: "en_service"},
        dt.date(2022, 1, 20),
    ),
    (
        "Cartographie des présences",
        "cartographie",
        JOUE,
        {2021: "en_projet", 2022: "en_service"},
        dt.date(2022, 6, 1),
    ),
    (
        "Plateforme d'échange du réseau",
        "plateforme_echange",
        "agglomeration",
        {2022: "en_projet", 2023: "en_service"},
        dt.date(2023, 2, 1),
    ),
    (
        "Messagerie de veille (abandonnée)",
        "plateforme_echange",
        SPDC,
        {2021: "en_projet", 2022: "abandonne"},
        None,
    ),
    (
        "Protocole de remontée des signaux",
        "protocole",
        SPDC,
        {2023: "en_projet", 2024: "en_service"},
        dt.date(2024, 4, 2),
    ),
    (
        "Fiche de liaison La Riche",
        "fiche_liaison",
        LA_RICHE,
        {2024: "en_projet", 2025: "en_service"},
        dt.date(2025, 1, 13),
    ),
]


def statut_outil(statuts: dict[int, str], annee: int) -> str | None:
    connus = [a for a in statuts if a <= annee]
    return statuts[max(connus)] if connus else None


def tables_annee(annee: int, liste: list[Poste]) -> dict[str, list[list]]:
    r = random.Random(GRAINE * 10000 + annee)
    quartiers = set(actifs(annee))
    t: dict[str, list[list]] = {nom: [] for nom in ENTETES}

    presents = [p for p in liste if p.present(annee) and set(p.repartition) <= quartiers]
    for p in presents:
        vacant = "oui" if annee in p.vacant_en else "non"
        for code, etp in p.repartition.items():
            t["postes"].append(
                [
                    p.id_poste,
                    p.dispositif,
                    p.structure,
                    COMMUNE[code],
                    code,
                    etp,
                    p.financeur,
                    vacant,
                    p.debut,
                    p.fin,
                ]
            )
        if vacant == "oui":
            continue
        for code in p.repartition:
            jours = r.sample(JOURS[:6] if p.dispositif != "police_municipale" else JOURS, k=r.randint(2, 4))
            for jour in sorted(jours, key=JOURS.index):
                h1, h2 = r.choice(HORAIRES[p.dispositif])
                t["plages"].append(
                    [
                        p.id_poste,
                        code,
                        jour,
                        f"{h1:02d}:00",
                        f"{h2:02d}:{r.choice(['00', '30'])}",
                        r.choice(LIEUX[p.dispositif]),
                    ]
                )
        premier = p.debut.month if p.debut and p.debut.year == annee else 1
        dernier = p.fin.month if p.fin and p.fin.year == annee else 12
        croissance = 1 + 0.04 * (annee - 2020)
        for mois in range(premier, dernier + 1):
            contacts = (
                int(r.gauss(60, 15) * croissance) if p.dispositif != "delegue_prefet" else r.randint(5, 15)
            )
            t["activite"].append(
                [
                    p.id_poste,
                    mois,
                    max(contacts, 0),
                    r.randint(0, 8),
                    r.randint(0, 5),
                    r.randint(0, 2),
                    r.randint(0, 4),
                ]
            )

    communes = sorted({COMMUNE[c] for c in quartiers if c.startswith("TMVL-Q")})
    instances = [("reseau_acteurs", 2, 5), ("clspd", 1, 2), ("cellule_veille", 4, 10), ("gup", 1, 3)]
    for perimetre in ["agglomeration", *communes]:
        for instance, mini, maxi in instances:
            if perimetre == "agglomeration" and instance != "reseau_acteurs":
                continue
            nombre = r.randint(mini, maxi) + (1 if instance == "reseau_acteurs" and annee >= 2023 else 0)
            for _ in range(nombre):
                jour = dt.date(annee, 1, 1) + dt.timedelta(days=r.randint(10, 350))
                if instance == "reseau_acteurs":
                    copil = ["prefecture", "ville", "agglomeration"] if r.random() < 0.7 else ["ville"]
                elif instance == "clspd":
                    copil = ["prefecture", "ville"]
                else:
                    copil = r.sample(["ville", "bailleur", "departement", "prefecture"], k=r.randint(1, 2))
                presents_ = sorted(r.sample(SOURCES + ["delegue_prefet"], k=r.randint(2, 5)))
                t["reunions"].append(
                    [jour, instance, perimetre, "|".join(copil), r.randint(6, 35), "|".join(presents_)]
                )
    t["reunions"].sort(key=lambda x: (x[0], x[1], x[2]))

    for code in sorted(quartiers):
        population = next(q[3] for q in QUARTIERS if q[0] == code)
        nombre = max(1, int(population / 1000 * r.uniform(3, 9)))
        for _ in range(nombre):
            jour = dt.date(annee, 1, 1) + dt.timedelta(days=r.randint(0, 364))
            suite = r.choices(SUITES, weights=[35, 30, 15, 12, 8])[0]
            date_suite = (
                None
                if suite == "aucune"
                else jour
                + dt.timedelta(
                    days=min(
                        r.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35]), (dt.date(annee, 12, 31) - jour).days + 20
                    )
                )
            )
            t["remontees"].append(
                [
                    jour,
                    code,
                    r.choice(SOURCES),
                    r.choices(THEMES, weights=[25, 18, 20, 8, 14, 8, 4, 3])[0],
                    suite,
                    date_suite,
                ]
            )
    t["remontees"].sort(key=lambda x: (x[0], x[1]))

    etp = {}
    for p in presents:
        if annee in p.vacant_en or p.dispositif == "adulte_relais":
            continue
        for code, e in p.repartition.items():
            etp[(COMMUNE[code], p.dispositif)] = etp.get((COMMUNE[code], p.dispositif), 0) + e
    for (commune, dispositif), e in sorted(etp.items()):
        for financeur, part in FINANCEUR_PAR_DISPOSITIF[dispositif]:
            montant = round(
                e * COUT_ETP[dispositif] * part * (1 + 0.02 * (annee - 2020)) * r.uniform(0.95, 1.05), -2
            )
            t["financements"].append([commune, dispositif, financeur, montant])
    ar = {}
    for p in presents:
        if p.dispositif == "adulte_relais" and annee not in p.vacant_en:
            commune = COMMUNE[next(iter(p.repartition))]
            ar[commune] = ar.get(commune, 0) + 1
    for commune, n in sorted(ar.items()):
        t["financements"].append([commune, "adulte_relais", "etat_anct", float(n * AIDE_AR[annee])])
        t["financements"].append(
            [commune, "adulte_relais", "ville", float(round(n * 4200 * r.uniform(0.9, 1.1), -2))]
        )
    t["financements"].append(["agglomeration", "autre", "gup", float(round(r.uniform(15000, 30000), -2))])

    for nom, type_, perimetre, statuts, mise in OUTILS:
        statut = statut_outil(statuts, annee)
        if statut:
            t["outils"].append([nom, type_, perimetre, statut, mise if statut == "en_service" else None])
    return t


# --------------------------------------------------------------------------- writing

FORMATS = {  # year -> (encoding, separator, decimal comma, French dates, line end) or "xlsx"
    2020: ("utf-8", ",", False, False, "\n"),
    2021: ("utf-8", ",", False, False, "\n"),
    2022: ("utf-8-sig", ";", True, True, "\r\n"),
    2023: ("cp1252", ";", True, True, "\r\n"),
    2024: ("cp1252", ";", True, True, "\r\n"),
    2025: "xlsx",
}


def _cellule(v, virgule: bool, dates_fr: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y") if dates_fr else v.isoformat()
    if isinstance(v, float):
        texte = f"{v:.2f}".rstrip("0").rstrip(".")
        return texte.replace(".", ",") if virgule else texte
    return str(v)


def ecrire_csv(
    chemin: Path, entete: list[str], lignes: list[list], fmt=("utf-8", ",", False, False, "\n")
) -> None:
    encodage, sep, virgule, dates_fr, fin = fmt
    tampon = io.StringIO()
    w = csv.writer(tampon, delimiter=sep, lineterminator=fin)
    w.writerow(entete)
    for ligne in lignes:
        w.writerow([_cellule(v, virgule, dates_fr) for v in ligne])
    chemin.write_bytes(tampon.getvalue().encode(encodage))


def ecrire_classeur(chemin: Path, tables: dict[str, list[list]]) -> None:
    """An xlsx workbook whose bytes depend only on its content (fixed dates in the zip)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for nom, lignes in tables.items():
        ws = wb.create_sheet(nom)
        ws.append(ENTETES[nom])
        for ligne in lignes:
            ws.append([dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v for v in ligne])
        for cellules in ws.iter_rows(min_row=2):
            for c in cellules:
                if isinstance(c.value, dt.datetime):
                    c.number_format = "DD/MM/YYYY"
    fixe = dt.datetime(2026, 1, 15, 9, 0, 0)
    wb.properties.created = wb.properties.modified = fixe
    wb.properties.creator = "make_sample_data.py"
    tampon = io.BytesIO()
    wb.save(tampon)
    with zipfile.ZipFile(tampon) as source, zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            donnees = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the time of saving
                donnees = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + fixe.isoformat().encode() + b"Z", donnees
                )
            cible.writestr(
                zipfile.ZipInfo(info.filename, date_time=fixe.timetuple()[:6]), donnees, zipfile.ZIP_DEFLATED
            )


TERRITOIRE_YML = """\
# Données d'exemple : Tours Métropole Val de Loire, 2020-2025.
# Faits réels repris de DOMAIN.md ; le reste est généré par scripts/make_sample_data.py.
nom: Tours Métropole Val de Loire
code_contrat: [CV121, CN03702M]
donnees_exemple: true
seuil_sous_dotation: 0.75
"""


# ANCT open data for the contract, as `python -m evaluation import-anct` summarises it
# (real counts: CV121 for 2020–2023, CN03702M for 2024).
ANCT = [
    [2020, "CV121", 28, 18, 556501.68, "non"],
    [2021, "CV121", 34, 17, 682441.88, "non"],
    [2022, "CV121", 47, 17, 998938.0, "non"],
    [2023, "CV121", 47, 18, 1060119.31, "non"],
    [2024, "CN03702M", 46, 17, 1049288.06, "non"],
]


def objectifs() -> list[list]:
    lignes = []
    for annee in range(2021, 2026):
        lignes.append([annee, "R2", "agglomeration", float(ADULTES_RELAIS[annee - 1]), "au_moins"])
        lignes.append([annee, "R4", "agglomeration", 16.0, "au_moins"])
        for commune in (TOURS, JOUE, SPDC, LA_RICHE):
            lignes.append([annee, "R1", commune, 3.0, "au_moins"])
        for code in QPV_2015 + (ENTRANTS if annee >= 2024 else []):
            lignes.append([annee, "R3", code, 1.0, "au_moins"])
    return lignes


def ecrire(dossier: Path) -> None:
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "territoire.yml").write_bytes(TERRITOIRE_YML.encode("utf-8"))
    ecrire_csv(dossier / "quartiers.csv", list(TABLES["quartiers"].noms), [list(q) for q in QUARTIERS])
    ecrire_csv(dossier / "objectifs.csv", list(TABLES["objectifs"].noms), objectifs())
    ecrire_csv(
        dossier / "anct_adultes_relais.csv",
        list(TABLES["anct_adultes_relais"].noms),
        ANCT,
    )
    liste = postes()
    for annee in ANNEES:
        rep = dossier / str(annee)
        rep.mkdir(exist_ok=True)
        for ancien in [*rep.glob("*.csv"), *rep.glob("*.xlsx")]:
            ancien.unlink()
        tables = tables_annee(annee, liste)
        if FORMATS[annee] == "xlsx":
            ecrire_classeur(rep / "collecte.xlsx", tables)
        else:
            for nom, lignes in tables.items():
                ecrire_csv(rep / f"{nom}.csv", ENTETES[nom], lignes, FORMATS[annee])
    (dossier / "2025" / "analyses.md").write_bytes(ANALYSES_2025.encode("utf-8"))


# The comité de pilotage's analysis of 2025 (AAAA/analyses.md): a clearly fictitious text, so
# that the sample reports show where the comité's reading goes and how it is set apart.
ANALYSES_2025 = """\
statut: provisoire

## agglomeration / synthese

*Texte d'exemple, fictif, écrit pour montrer l'outil : aucun comité de pilotage ne l'a rédigé.*

Le comité relève que la présence humaine s'est maintenue dans les quartiers prioritaires et
souhaite suivre de près les quartiers entrés en 2024. Il demande :

- de rapprocher chaque année les adultes-relais déclarés par les employeurs du compte de l'ANCT ;
- de proposer, pour l'an prochain, une présence en soirée dans les quartiers sous-dotés.

demande: H3 dans les QPV sous-dotés

## Tours / couverture

*Texte d'exemple, fictif, écrit pour montrer l'outil : aucun comité de pilotage ne l'a rédigé.*

Le comité note que la couverture reste inégale entre les quartiers de
la commune et demande que la carte des plages de présence soit présentée au prochain réseau des
acteurs de terrain.

## Tours / avis du conseil citoyen du Sanitas du 18/11/2026

*Texte d'exemple, fictif, écrit pour montrer l'outil : aucun conseil citoyen ne l'a rendu.*

Le conseil citoyen a lu le projet de rapport. Il souhaite que les plages de présence du soir
soient affichées dans les halls et que les habitants soient associés au prochain réseau des
acteurs de terrain.
"""


if __name__ == "__main__":
    ecrire(Path(sys.argv[1] if len(sys.argv) > 1 else "data/raw"))
