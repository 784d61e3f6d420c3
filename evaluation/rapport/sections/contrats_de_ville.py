"""Le contrat parmi les contrats de ville: adultes-relais per 10,000 QPV inhabitants beside
every contract of France (ANCT's open data; definitions in `indicateurs.national`)."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.donnees.anct import nom_du_contrat
from evaluation.formats import accorder, enumerer, euros, nombre, ordinal, pourcentage
from evaluation.indicateurs.national import EXCLUSIONS, TAUX
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.references import DEPARTEMENTS

DIX_MILLE = nombre(10_000)  # « 10 000 », its thin space as Babel sets it
UNITE = f"Postes pour {DIX_MILLE} habitants des QPV"
SOURCE = (
    "Source : données ouvertes de l'ANCT (« ANCT — données Dauphin/ASP », postes d'adultes-relais par "
    "contrat de ville, et listes des contrats de ville de 2015 et de 2024 avec la population de leurs QPV), "
    "Licence Ouverte 2.0."
)


def departement_en_clair(codes) -> str:
    """A contract's département(s) by name and code, « La Réunion (974) », « Seine-et-Marne
    (77) et Val-d'Oise (95) » for a contract over two; « – » when the list gives none."""
    if not isinstance(codes, str) or not codes:
        return "–"
    return enumerer([f"{DEPARTEMENTS[c]} ({c})" if c in DEPARTEMENTS else c for c in codes.split("|")])


def phrase(positions: pd.DataFrame) -> str:
    """The contract's place in the last year of `positions`, in one sentence (the section's
    lead and the index's line)."""
    annee = int(positions.index.max())
    p = positions.loc[annee]
    return (
        f"En {annee}, selon l'ANCT, le contrat de ville {nom_du_contrat(p['libelle'])} ({p['code_contrat']}) "
        f"compte {accorder(int(p['postes']), 'poste')} d'adultes-relais financés par l'État pour "
        f"{nombre(p['population_qpv'])} habitants des QPV, soit {nombre(p[TAUX], 1)} postes pour {DIX_MILLE} "
        f"habitants : {ordinal(int(p['rang']))} des {nombre(int(p['contrats']))} contrats de ville comparés (du taux "
        f"le plus élevé au plus faible) ; la médiane des contrats est de {nombre(p['mediane'], 1)}."
    )


# How ANCT's records are read into the comparison (`outils.anct`), said in the section's method.
METHODE = (
    "Les postes enregistrés sous un code joint de plusieurs contrats (« CV380CV384 » en Guyane de 2020 à "
    "2023) sont rattachés au premier contrat nommé, sous lequel l'ANCT enregistre ces mêmes postes à partir "
    "de 2024 ; un contrat sur deux départements, inscrit sous un code par département, est compté une fois "
    "(populations additionnées, chaque poste une fois) ; un contrat sans aucun poste la première année d'une "
    "nouvelle liste alors que le contrat qu'il remplace en avait l'année d'avant a des postes inconnus, et non "
    "nuls : il est laissé hors de la comparaison, comme un contrat d'un département absent du fichier de "
    "l'année ou à la population douteuse."
)


class ContratsDeVille(Section):
    nom = "contrats_de_ville"
    titre = "Le contrat parmi les contrats de ville"
    intro = (
        "Les adultes-relais financés par l'État dans le contrat de ville, rapportés à la population de ses "
        "quartiers prioritaires, à côté de tous les contrats de ville de France."
    )
    annexes = ("contrats_de_ville",)

    def blocs(self, ctx):
        comparaison = ctx.annexe("contrats_de_ville")  # annexes.ComparaisonNationale
        if comparaison.raison:
            return [Paragraphe(comparaison.raison)]
        positions, voisins, taux, laisses = (
            comparaison.positions,
            comparaison.voisins,
            comparaison.taux,
            comparaison.laisses,
        )
        annees = [int(a) for a in positions.index]
        blocs = [
            Paragraphe(
                phrase(positions)
                + f" Le contrat se situe au-dessus de {_part(positions)} des contrats. Ces taux comptent des "
                f"postes (et non des ETP) pour {DIX_MILLE} habitants : ils ne se comparent pas aux ETP pour "
                f"{nombre(1000)} habitants (C1 à C3) du reste du rapport."
            )
        ]
        blocs.append(Paragraphe(_perimetre(positions)))
        if texte := _exclus(positions):
            blocs.append(Paragraphe(texte))
        blocs.append(
            tableau(
                [
                    "Année",
                    "Contrat",
                    "Postes financés",
                    "Habitants des QPV",
                    f"Postes pour {DIX_MILLE} habitants",
                    "Rang",
                    "Part des contrats en dessous",
                    "Médiane des contrats",
                    f"{ordinal(1)} et {ordinal(3)} quartiles",
                    f"{ordinal(1)} et {ordinal(9)} déciles",
                ],
                [
                    [
                        str(a),
                        p["code_contrat"],
                        nombre(p["postes"]),
                        nombre(p["population_qpv"]),
                        nombre(p[TAUX], 1),
                        f"{ordinal(int(p['rang']))} sur {nombre(int(p['contrats']))}",
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
                    ctx.nom_perimetre,
                    f"Adultes-relais pour {DIX_MILLE} habitants des QPV, chaque contrat de ville de France, "
                    f"{annees[0]}–{annees[-1]}",
                    UNITE,
                    rupture=2024 if positions["geographie"].nunique() > 1 else None,
                )
            )
        )
        blocs += _voisins(positions, voisins)
        blocs.append(Paragraphe(_aide(positions)))
        if len(laisses):
            blocs.append(_laisses_hors(laisses, annees[-1]))
        blocs.append(
            Paragraphe(
                SOURCE
                + f" Années {_periode(annees)}. L'ANCT ne compte que les postes d'adultes-relais financés par "
                "l'État : les médiateurs, correspondants et éducateurs financés autrement (ville, bailleurs, "
                "Département) n'y figurent pas ; la présence humaine du contrat est donc plus large que ce "
                "taux. Un contrat de la liste sans aucun poste financé compte pour 0. " + METHODE
            )
        )
        return blocs


def _laisses_hors(laisses: pd.DataFrame, annee: int):
    """The contracts left out of the last year's distribution, one row each, with why."""
    avec = _avec_departement(laisses)
    return tableau(
        ["Contrat de ville"] + ["Département"] * avec + ["Code", "Raison"],
        [
            [nom_du_contrat(x.libelle)]
            + [departement_en_clair(x.departement)] * avec
            + [x.code_contrat, x.hors_repartition]
            for x in laisses.itertuples()
        ],
        legende=f"Contrats de ville laissés hors de la comparaison en {annee}, et pourquoi",
    )


def _avec_departement(contrats: pd.DataFrame) -> bool:
    """Whether the national table gives the contracts' départements (a table written before
    it did has none: no column then)."""
    return "departement" in contrats.columns and bool(contrats["departement"].notna().any())


def _exclus(positions: pd.DataFrame) -> str:
    """The contracts of the lists left out of the distribution, and why; the population the
    comparison takes for this contract against the report's own."""
    phrases = []
    for a, p in positions.iterrows():
        exclus = p["exclus"] or {}
        if exclus:
            details = ", ".join(f"{nombre(n)} {EXCLUSIONS[k]}" for k, n in exclus.items())
            phrases.append(f"en {a}, {accorder(sum(exclus.values()), 'contrat')} ({details})")
    texte = ""
    if phrases:
        texte = (
            "Certains contrats des listes sont laissés hors de la comparaison, leurs chiffres n'étant pas "
            "fiables dans les fichiers de l'ANCT : " + " ; ".join(phrases) + "."
        )
    derniere = positions.loc[positions.index.max()]
    if derniere["exclus"]:
        texte += f" Ceux de {positions.index.max()} sont nommés, avec leur raison, dans le dernier tableau de la section."
    if derniere["population_locale"] and round(derniere["population_locale"]) != round(
        derniere["population_qpv"]
    ):
        texte += (
            f" La population des QPV du contrat retenue ici est celle de la liste de l'ANCT "
            f"({nombre(derniere['population_qpv'])} habitants en {positions.index.max()}) ; celle des quartiers "
            f"de ce rapport, tirée des données locales, est de {nombre(derniere['population_locale'])}."
        )
    return texte.strip()


def _part(positions: pd.DataFrame) -> str:
    return pourcentage(positions.loc[positions.index.max(), "part_en_dessous"])


def _perimetre(positions: pd.DataFrame) -> str:
    """The geography of each period, and the break between them."""
    periodes = []
    for geographie, d in positions.groupby("geographie", sort=True):
        annees = [int(a) for a in d.index]
        p = d.iloc[-1]
        periodes.append(
            f"{_periode(annees)} : liste des contrats "
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
    avec = _avec_departement(voisins)
    lignes = [
        [
            f"{nom_du_contrat(p['libelle'])} (ce contrat)",
            *[departement_en_clair(p["departement"])] * avec,
            nombre(p["population_qpv"]),
            nombre(p["postes"]),
            nombre(p[TAUX], 1),
        ]
    ] + [
        [
            nom_du_contrat(v.libelle),
            *[departement_en_clair(v.departement)] * avec,
            nombre(v.population_qpv),
            nombre(v.postes),
            nombre(v.postes_pour_10000, 1),
        ]
        for v in voisins.itertuples()
    ]
    mediane = float(voisins[TAUX].median()) if len(voisins) else math.nan
    return [
        Paragraphe(
            f"Parmi les {nombre(len(voisins))} contrats les plus proches par la population de leurs QPV, le taux "
            f"médian est de {nombre(mediane, 1)} postes pour {DIX_MILLE} habitants en {annee}, contre "
            f"{nombre(p[TAUX], 1)} pour ce contrat."
        ),
        tableau(
            ["Contrat de ville", *["Département"] * avec, "Habitants des QPV", "Postes financés", UNITE],
            lignes,
            legende=(
                f"Les {nombre(len(voisins))} contrats de ville les plus proches par la population des QPV, {annee}, "
                "du plus proche au moins proche (ce contrat en tête)"
            ),
            numeriques=[False, *[False] * avec, True, True, True],
            classes=["ce-contrat"] + [""] * len(voisins),
        ),
    ]


def _aide(positions: pd.DataFrame) -> str:
    """The State aid per post of the contract against the year's usual national amount (the
    most frequent one: a full-time post all year)."""
    comparables = positions[~positions["partielle"] & positions["aide_par_poste_eur"].notna()]
    autre = (
        " Ce montant, versé par l'État selon l'ANCT pour chaque poste financé, diffère de l'aide par "
        "adulte-relais de la section Financements, qui rapporte les financements de l'État déclarés par "
        "les partenaires aux ETP annuels d'adultes-relais de l'année (et non aux postes en exercice au "
        "31 décembre)."
    )
    if comparables.empty:
        return "Aide de l'État par poste du contrat selon l'ANCT : non calculable (années partielles ou sans poste)."
    ecarts = comparables["aide_par_poste_eur"] / comparables["aide_usuelle_eur"] - 1
    annees = [int(a) for a in comparables.index]
    periode = f"de {_periode(annees)}" if len(annees) > 2 else f"en {_periode(annees)}"
    usuel = "l'aide usuelle nationale (le montant le plus fréquent de l'année, celui d'un poste à temps plein toute l'année)"
    if (ecarts.abs() < 0.005).all():
        return (
            f"Aide de l'État par poste d'adulte-relais du contrat selon l'ANCT : égale à {usuel} chaque année "
            f"{periode} ({euros(comparables['aide_par_poste_eur'].iloc[0])} en {annees[0]}, "
            f"{euros(comparables['aide_par_poste_eur'].iloc[-1])} en {annees[-1]})." + autre
        )
    details = " ; ".join(
        f"{a} : {euros(p['aide_par_poste_eur'])} pour {euros(p['aide_usuelle_eur'])}"
        + ("" if abs(e) < 0.005 else f" ({'+' if e > 0 else '−'}{pourcentage(abs(e))})")
        for (a, p), e in zip(comparables.iterrows(), ecarts, strict=True)
    )
    return (
        f"Aide de l'État par poste d'adulte-relais du contrat selon l'ANCT, rapportée à {usuel} — {details}. Un "
        "écart vient de postes à temps partiel ou occupés une partie de l'année." + autre
    )


def _periode(annees: list[int]) -> str:
    """« 2020 à 2024 » for three years or more in a row, else « 2023 et 2024 »."""
    suivies = len(annees) > 2 and annees == list(range(annees[0], annees[-1] + 1))
    return f"{annees[0]} à {annees[-1]}" if suivies else enumerer(annees)
