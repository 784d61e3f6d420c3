"""What a neighbourhood's population is: how many, of which year, from which source, and on
which contour — the one place that decides when a population is an estimate or of another
contour than the list in force in a year.

Rule (documented with the contract, `contrat.TABLES["quartiers"].note`): the 2015 list of QPVs
is in force until 2023, the 2024 list from 2024. A QPV's `contour_population` (filled only for
a QPV reshaped in 2024) names the list whose contour the population was measured on; when that
is not the list of the year shown, the population is flagged with its contour. Nothing is
derived from `annee_population` or from the code: the 2024 list gives 2020 populations on the
new contours, and every official code changes in 2024.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evaluation.donnees.contrat import GEOGRAPHIE_2024, libelle
from evaluation.formats import accorder


def liste_en_vigueur(annee: int) -> str:
    """The list of QPVs in force in `annee`: « 2015 » until 2023, « 2024 » from 2024."""
    return str(GEOGRAPHIE_2024) if annee >= GEOGRAPHIE_2024 else "2015"


def _texte(valeur) -> str | None:
    return None if valeur is None or pd.isna(valeur) or not str(valeur) else str(valeur)


@dataclass(frozen=True)
class Population:
    """One neighbourhood's population as shown in a report of one year."""

    habitants: int
    annee: int
    source: str | None  # a code of contrat.SOURCES_POPULATION; None: not given
    autre_contour: str | None  # the contour it was measured on when not the year's list's

    @property
    def estimee(self) -> bool:
        return self.source == "estimation"

    @property
    def marques(self) -> tuple[str, ...]:
        """What a figure resting on this population must say beside it: « estimation »,
        « contour de 2015 » (a source not given is said where the population is shown)."""
        return (("estimation",) if self.estimee else ()) + (
            (f"contour de {self.autre_contour}",) if self.autre_contour else ()
        )

    @property
    def marque(self) -> str:
        """« (estimation) », « (contour de 2015) », « (estimation ; contour de 2015) » or ''."""
        return f"({' ; '.join(self.marques)})" if self.marques else ""

    @property
    def source_et_annee(self) -> str:
        """« recensement 2018 », « liste ANCT 2020 », « estimation 2018 ; contour de 2015 »,
        « source non précisée, 2018 »."""
        if self.source:
            source = libelle(self.source)
            texte = f"{source[0].lower()}{source[1:]} {self.annee}"
        else:
            texte = f"source non précisée, {self.annee}"
        return texte + (f" ; contour de {self.autre_contour}" if self.autre_contour else "")

    @property
    def texte(self) -> str:
        """« 8 227 habitants (recensement 2018) »."""
        return f"{accorder(self.habitants, 'habitant')} ({self.source_et_annee})"


def legende(marques: set[str]) -> str:
    """What the marks beside rates per 1,000 inhabitants mean, for a table's caption ('' when
    none is shown)."""
    parties = ["(estimation) : population estimée"] if "estimation" in marques else []
    for contour in sorted(m.removeprefix("contour de ") for m in marques if m.startswith("contour de ")):
        parties.append(
            f"(contour de {contour}) : population mesurée sur le contour de {contour} d'un QPV redessiné en "
            f"{GEOGRAPHIE_2024}, non sur celui de la liste des QPV en vigueur cette année-là"
        )
    return " ; ".join(parties)


def population(quartier, annee: int) -> Population:
    """The population of one row of `quartiers` (a Series or a namedtuple), in a report of
    `annee`. Optional columns may be missing from the row (a table written by hand)."""
    contour = _texte(getattr(quartier, "contour_population", None))
    qpv = quartier.statut == "qpv"
    return Population(
        habitants=int(quartier.population),
        annee=int(quartier.annee_population),
        source=_texte(getattr(quartier, "source_population", None)),
        autre_contour=contour if qpv and contour and contour != liste_en_vigueur(annee) else None,
    )


def populations(quartiers: pd.DataFrame, annee: int) -> dict[str, Population]:
    """`population` of every row of `quartiers`, by code."""
    return {q.code_qpv: population(q, annee) for q in quartiers.itertuples(index=False)}
