"""What a report is about (its `Vue`), and how a section declares what it reads (`Lit`).

A section reads published indicator values through declarations: `Lit(("C3", "C2.*"),
Portee.QUARTIERS)` reads C3 and every C2.* code at the report's neighbourhoods, every year of
the report. A `Portee` is resolved against the report's view (`Vue.perimetres`): the same
section reads its commune in a commune's report, the agglomeration in the agglomeration's.
The context refuses any other read, and the build fingerprints each page from the values its
sections declared (`evaluation.production.empreintes`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.indicateurs.geographie import LISTE_CONSTANTE


class Genre(enum.Enum):
    """The three kinds of report (one plan each)."""

    AGGLOMERATION = "agglomeration"
    COMMUNE = "commune"
    QUARTIER = "quartier"


class Portee(enum.Enum):
    """Where a declared read applies, relative to the report's view."""

    ICI = "le périmètre du rapport"
    QUARTIERS = "les quartiers du rapport (QPV et veille active)"
    COMMUNE = "la commune du rapport"
    COMMUNES = "toutes les communes ayant un quartier prioritaire"
    AGGLOMERATION = "l'agglomération"
    LISTE_CONSTANTE = "l'agglomération sur la liste constante de QPV (rapport de l'agglomération)"
    TOUS_LES_QUARTIERS = "tous les quartiers du territoire"


@dataclass(frozen=True)
class Lit:
    """A declared read: these codes (« C2.* » for a whole family) at these perimeters."""

    codes: tuple[str, ...]
    portee: Portee

    def couvre(self, code: str) -> bool:
        return any(code == c or (c.endswith(".*") and code.startswith(c[:-1])) for c in self.codes)


def lit(*codes: str, a: Portee = Portee.ICI) -> Lit:
    return Lit(tuple(codes), a)


@dataclass(frozen=True)
class Vue:
    """One report: its kind, year and perimeter (a commune, a neighbourhood, or neither for
    the agglomeration). `quartiers` are the codes of its neighbourhoods (every year), `communes`
    every commune of the territory."""

    genre: Genre
    annee: int
    annees: tuple[int, ...]
    commune: str | None = None
    code_qpv: str | None = None
    quartiers: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    tous_les_quartiers: tuple[str, ...] = ()

    @property
    def perimetre(self) -> str:
        """The perimeter of the report's own values."""
        return self.code_qpv or self.commune or AGGLOMERATION

    def perimetres(self, portee: Portee) -> frozenset[str]:
        """The perimeters a declared read at `portee` may read in this report."""
        return frozenset(
            {
                Portee.ICI: (self.perimetre,),
                Portee.QUARTIERS: self.quartiers,
                Portee.COMMUNE: (self.commune or AGGLOMERATION,),
                Portee.COMMUNES: self.communes,
                Portee.AGGLOMERATION: (AGGLOMERATION,),
                Portee.LISTE_CONSTANTE: (LISTE_CONSTANTE,) if self.genre is Genre.AGGLOMERATION else (),
                Portee.TOUS_LES_QUARTIERS: self.tous_les_quartiers,
            }[portee]
        )
