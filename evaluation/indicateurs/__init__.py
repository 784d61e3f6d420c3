"""The indicator registry: one entry per indicator code, one function each.

The registry is the single source for a code's label, unit, perimeters, definition (shown
in each report's « Méthode » section) and computation (used by reports and exports).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..contract import AGGLOMERATION
from ..territoire import Territoire
from .couverture import c1_etp_pour_mille_habitants
from .realisation import (
    r1_reunions_reseau,
    r2_adultes_relais,
    r3_correspondants_quartier,
    r4_etp_prevention,
    r5_outils_en_service,
)

COMMUNES = "agglomération et communes"
QPV = "QPV"


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    unite: str
    perimetres: str
    definition: str
    calcul: Callable[[Territoire, int], pd.Series]
    decimales: int = 0

    def avec_unite(self, valeur: float | None) -> str:
        """« 1 outil », « 3 outils », « 11,6 ETP annuels » (French: below 2 is singular)."""
        from ..formats import nombre

        unite = self.unite
        if valeur is not None and abs(valeur) < 2:
            unite = " ".join(m[:-1] if m.endswith("s") else m for m in unite.split(" "))
        return f"{nombre(valeur, self.decimales)} {unite}"


INDICATEURS: dict[str, Indicateur] = {
    i.code: i
    for i in (
        Indicateur(
            "R1",
            "Réunions du réseau des acteurs de terrain",
            "réunions",
            COMMUNES,
            "Nombre de réunions de l'instance « réseau des acteurs de terrain » dans l'année : "
            "pour une commune, celles dont le périmètre est la commune ; pour l'agglomération, "
            "toutes celles du territoire.",
            r1_reunions_reseau,
        ),
        Indicateur(
            "R2",
            "Adultes-relais en exercice",
            "postes",
            COMMUNES,
            "Nombre de postes d'adultes-relais distincts, non vacants, actifs au 31 décembre, "
            "comptés dans chaque commune où le poste a une ligne et une fois pour l'agglomération.",
            r2_adultes_relais,
        ),
        Indicateur(
            "R3",
            "Correspondants de quartier",
            "postes",
            QPV,
            "Par QPV : nombre de postes de correspondants de quartier distincts, non vacants, "
            "actifs au 31 décembre, ayant une ligne pour ce quartier.",
            r3_correspondants_quartier,
        ),
        Indicateur(
            "R4",
            "Moyens de la prévention spécialisée",
            "ETP annuels",
            COMMUNES,
            "ETP annuels des postes d'éducateurs de prévention spécialisée : ETP × jours "
            "d'activité dans l'année / jours de l'année, postes vacants exclus.",
            r4_etp_prevention,
            decimales=1,
        ),
        Indicateur(
            "R5",
            "Outils du réseau en service",
            "outils",
            COMMUNES,
            "Nombre d'outils au statut « en service » : pour une commune, ceux dont le périmètre "
            "est la commune ; pour l'agglomération, tous.",
            r5_outils_en_service,
        ),
        Indicateur(
            "C1",
            "Présence humaine pour 1 000 habitants",
            "ETP pour 1 000 habitants",
            QPV,
            "Par QPV : ETP annuels de tous les postes non vacants du quartier, pour 1 000 "
            "habitants (population de quartiers.csv). Indicateur proposé par l'outil.",
            c1_etp_pour_mille_habitants,
            decimales=2,
        ),
    )
}


def valeurs(t: Territoire, annee: int, code: str) -> pd.Series:
    """One indicator for one year, indexed by perimeter."""
    return INDICATEURS[code].calcul(t, annee)


def tableau(t: Territoire, annees: list[int] | None = None) -> pd.DataFrame:
    """Every indicator for every year, long format: annee, perimetre, indicateur, valeur."""
    lignes = []
    for annee in annees or sorted(t.annees):
        for code, indicateur in INDICATEURS.items():
            serie = indicateur.calcul(t, annee)
            lignes.append(
                pd.DataFrame(
                    {
                        "annee": annee,
                        "perimetre": serie.index.astype(str),
                        "indicateur": code,
                        "valeur": serie.to_numpy(dtype=float),
                    }
                )
            )
    return pd.concat(lignes, ignore_index=True)


__all__ = ["AGGLOMERATION", "INDICATEURS", "Indicateur", "tableau", "valeurs"]
