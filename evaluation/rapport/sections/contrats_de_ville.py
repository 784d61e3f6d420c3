"""Le contrat parmi les contrats de ville: adultes-relais per 10,000 QPV inhabitants beside
every contract of France (ANCT's open data; definitions in `indicateurs.national`)."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.formats import accorder, enumerer, euros, nombre, pourcentage, rang, typographie
from evaluation.indicateurs.national import TAUX
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.vue import Genre

DIX_MILLE = nombre(10_000)  # « 10 000 », its thin space as Babel sets it
UNITE = f"Postes pour {DIX_MILLE} habitants des QPV"
SOURCE = (
    "Source : données ouvertes de l'ANCT (« ANCT — données Dauphin/ASP », postes d'adultes-relais par "
    "contrat de ville, et listes des contrats de ville de 2015 et de 2024 avec la population de leurs QPV), "
    "Licence Ouverte 2.0."
)


def phrase(positions: pd.DataFrame) -> str:
    """The contract's place in the last year of `positions`, in one sentence (the section's
    lead and the index's line)."""
    annee = int(positions.index.max())
    p = positions.loc[annee]
    return (
        f"En {annee}, le contrat {p['code_contrat']} compte {accorder(int(p['postes']), 'poste')} "
        f"d'adultes-relais financés par l'État pour {nombre(p['population_qpv'])} habitants des QPV, soit "
        f"{nombre(p[TAUX], 1)} pour {DIX_MILLE} habitants : {rang(int(p['rang']))} des "
        f"{nombre(int(p['contrats']))} contrats de ville (du taux le plus élevé au plus faible), la médiane "
        f"nationale étant de {nombre(p['mediane'], 1)}."
    )


def en_une_phrase(t, annee: int) -> str:
    """The section's lead for the agglomeration report of `annee` (or why there is no
    comparison), in French typography: the index's line."""
    from evaluation.rapport.annexes import ANNEXES
    from evaluation.rapport.ouverture import vue_de

    raison, positions, _, _ = ANNEXES["contrats_de_ville"](
        t, vue_de(t, Genre.AGGLOMERATION, annee, None, None)
    )
    return typographie(raison or phrase(positions))


class ContratsDeVille(Section):
    nom = "contrats_de_ville"
    titre = "Le contrat parmi les contrats de ville"
    intro = (
        "Les adultes-relais financés par l'État dans le contrat de ville, rapportés à la population de ses "
        "quartiers prioritaires, à côté de tous les contrats de ville de France."
    )
    genres = frozenset({Genre.AGGLOMERATION})
    annexes = ("contrats_de_ville",)

    def blocs(self, ctx):
        raison, positions, voisins, taux = ctx.annexe("contrats_de_ville")
        if raison:
            return [Paragraphe(raison)]
        annees = [int(a) for a in positions.index]
        blocs = [
            Paragraphe(
                phrase(positions) + f" Le contrat se situe au-dessus de {_part(positions)} des contrats."
            )
        ]
        blocs.append(Paragraphe(_perimetre(positions)))
        blocs.append(
            tableau(
                [
                    "Année",
                    "Contrat",
                    "Postes financés",
                    "Habitants des QPV",
                    UNITE,
                    "Rang",
                    "Part des contrats en dessous",
                    "Médiane nationale",
                    "1er et 3e quartiles",
                    "1er et 9e déciles",
                ],
                [
                    [
                        str(a),
                        p["code_contrat"],
                        nombre(p["postes"]),
                        nombre(p["population_qpv"]),
                        nombre(p[TAUX], 1),
                        f"{rang(int(p['rang']))} sur {nombre(int(p['contrats']))}",
                        pourcentage(p["part_en_dessous"]),
                        nombre(p["mediane"], 1),
                        f"{nombre(p['q1'], 1)} – {nombre(p['q3'], 1)}",
                        f"{nombre(p['d1'], 1)} – {nombre(p['d9'], 1)}",
                    ]
                    for a, p in positions.iterrows()
                ],
                legende=(
                    f"Adultes-relais pour {DIX_MILLE} habitants des QPV, contrat de ville et ensemble des contrats de "
                    f"France, {annees[0]}–{annees[-1]}"
                ),
                numeriques=[False, False] + [True] * 8,
            )
        )
        blocs.append(
            Figure(
                figures.repartition_nationale(
                    {a: taux.loc[taux["annee"] == a, TAUX] for a in annees},
                    {a: float(positions.at[a, TAUX]) for a in annees},
                    "Ce contrat",
                    f"Adultes-relais pour {DIX_MILLE} habitants des QPV, chaque contrat de ville de France, "
                    f"{annees[0]}–{annees[-1]}",
                    UNITE,
                )
            )
        )
        blocs += _voisins(positions, voisins)
        blocs.append(Paragraphe(_aide(positions)))
        blocs.append(
            Paragraphe(
                SOURCE
                + f" Années {enumerer(annees)}. L'ANCT ne compte que les postes d'adultes-relais financés par "
                "l'État : les médiateurs, correspondants et éducateurs financés autrement (ville, bailleurs, "
                "Département) n'y figurent pas ; la présence humaine du contrat est donc plus large que ce "
                "taux. Un contrat sans poste financé compte pour 0."
            )
        )
        return blocs


def _part(positions: pd.DataFrame) -> str:
    return pourcentage(positions.loc[positions.index.max(), "part_en_dessous"])


def _perimetre(positions: pd.DataFrame) -> str:
    """The geography of each period, and the break between them."""
    periodes = []
    for geographie, d in positions.groupby("geographie", sort=True):
        annees = [int(a) for a in d.index]
        p = d.iloc[-1]
        periodes.append(
            f"{enumerer(annees) if len(annees) < 3 else f'{annees[0]} à {annees[-1]}'} : liste des contrats "
            f"de {geographie}{' (« Engagements Quartiers 2030 »)' if geographie == 2024 else ''}, contrat "
            f"{p['code_contrat']}, {nombre(p['population_qpv'])} habitants des QPV"
        )
    texte = "Chaque année est comparée aux contrats en vigueur cette année-là — " + " ; ".join(periodes) + "."
    if positions["geographie"].nunique() > 1:
        texte += (
            " En 2024, la géographie prioritaire et la liste des contrats changent : quartiers, populations "
            "et nombre de contrats ne sont plus les mêmes, et les taux d'avant et d'après se comparent avec "
            "prudence."
        )
    return texte


def _voisins(positions: pd.DataFrame, voisins: pd.DataFrame) -> list:
    annee = int(positions.index.max())
    p = positions.loc[annee]
    lignes = [
        [
            f"{p['libelle']} (ce contrat)",
            nombre(p["population_qpv"]),
            nombre(p["postes"]),
            nombre(p[TAUX], 1),
        ]
    ] + [
        [v.libelle, nombre(v.population_qpv), nombre(v.postes), nombre(v.postes_pour_10000, 1)]
        for v in voisins.itertuples()
    ]
    mediane = float(voisins[TAUX].median()) if len(voisins) else math.nan
    return [
        Paragraphe(
            f"Parmi les {nombre(len(voisins))} contrats les plus proches par la population de leurs QPV, le taux médian est de {nombre(mediane, 1)} pour {DIX_MILLE} "
            f"habitants en {annee}, contre {nombre(p[TAUX], 1)} pour ce contrat."
        ),
        tableau(
            ["Contrat de ville", "Habitants des QPV", "Postes financés", UNITE],
            lignes,
            legende=f"Les contrats de ville les plus proches par la population des QPV, {annee}",
            numeriques=[False, True, True, True],
        ),
    ]


def _aide(positions: pd.DataFrame) -> str:
    """The State aid per post of the contract against the year's usual national amount."""
    phrases = []
    for a, p in positions.iterrows():
        if p["partielle"] or math.isnan(p["aide_par_poste_eur"]):
            continue
        ecart = p["aide_par_poste_eur"] / p["aide_usuelle_eur"] - 1 if p["aide_usuelle_eur"] else math.nan
        phrases.append(
            f"{a} : {euros(p['aide_par_poste_eur'])} par poste pour une aide usuelle de "
            f"{euros(p['aide_usuelle_eur'])}"
            + (
                ""
                if math.isnan(ecart) or abs(ecart) < 0.005
                else f" ({'+' if ecart > 0 else '−'}{pourcentage(abs(ecart))})"
            )
        )
    if not phrases:
        return "Aide de l'État par poste : non calculable (années partielles ou sans poste)."
    return (
        "Aide de l'État par poste d'adulte-relais du contrat, rapportée à l'aide usuelle nationale (le montant "
        "le plus fréquent de l'année, celui d'un poste à temps plein toute l'année) — "
        + " ; ".join(phrases)
        + ". Un écart vient de postes à temps partiel ou occupés une partie de l'année."
    )
