"""Indicators: validated data -> the long indicator table -> the published table.

Each family's module (realisation, couverture, organisation, reseau, veille, effets,
financements) holds its functions, each registered by decorator with its code, label, unit,
perimeters and definition (`registre.indicateur`); `base` holds the conventions shared by all;
`table` computes every code for every year; `publication` masks it once for every page.
"""

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.indicateurs.registre import (
    EFFETS_ATTENDUS,
    INDICATEURS,
    Indicateur,
    Perimetres,
    codes_publies,
    indicateur_de,
    libelle_code,
)
from evaluation.indicateurs.table import (
    CONSTANTS,
    LISTE_CONSTANTE,
    est_memorise,
    sous_codes,
    tableau,
    tableau_memorise,
    valeurs,
)

__all__ = [
    "AGGLOMERATION",
    "CONSTANTS",
    "EFFETS_ATTENDUS",
    "INDICATEURS",
    "LISTE_CONSTANTE",
    "Indicateur",
    "Perimetres",
    "codes_publies",
    "est_memorise",
    "indicateur_de",
    "libelle_code",
    "sous_codes",
    "tableau",
    "tableau_memorise",
    "valeurs",
]
