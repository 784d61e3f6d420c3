"""The indicator registry: each indicator function carries its code, label, unit, perimeters
and definition by decorator (`@indicateur("C7", …)`), beside its computation.

The registry is the single source for a code's label, unit, perimeters, definition (shown
in each report's « Méthode » section) and computation (used by reports, objectives and
exports). A function returns a Series indexed by perimeter, or, for a family, a DataFrame
whose columns are the family's keys: its codes are then `CODE.key` (e.g. `C2.mediateur`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.donnees.contrat import TABLES_ANNUELLES, libelle
from evaluation.formats import MANQUANT, arrondi, au_singulier, nombre, pourcentage

if TYPE_CHECKING:
    from evaluation.donnees.territoire import Territoire


class Perimetres(enum.Enum):
    """Where an indicator has a value (its label is shown in « Méthode »)."""

    COMMUNES = "agglomération et communes"
    QPV = "QPV"
    TOUS = "agglomération, communes et QPV"
    VEILLE = "quartiers de veille active"
    QUARTIERS = "agglomération, communes et quartiers (QPV et veille active)"

    @property
    def par_commune(self) -> bool:
        """Whether the indicator has a value for each commune (and the agglomeration)."""
        return self in (Perimetres.COMMUNES, Perimetres.TOUS, Perimetres.QUARTIERS)


# The sheet's expected effects (« Effets attendus »), served by the proposed E indicators.
EFFETS_ATTENDUS = {
    "dialogue": "Renforcer le dialogue avec les habitants",
    "action_publique": "Expliquer le sens et les orientations de l'action publique",
    "valeurs": "Promouvoir les valeurs de la République, la citoyenneté et la laïcité",
    "amont": "Intervenir en amont et le plus tôt possible face aux problématiques identifiées",
    "connaissance": "Permettre une connaissance des territoires plus en adéquation avec leur réalité",
}

# Families in the order of the report's outline (R, C, H, N, V, E, F): codes are listed in that order.
FAMILLES = "RCHNVEF"


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    unite: str
    perimetres: Perimetres
    definition: str
    calcul: Callable[[Territoire, int], pd.Series | pd.DataFrame]
    decimales: int = 0
    proposition: bool = False  # the package's own proposal, not one of the sheet's
    effet: str | None = None  # key of EFFETS_ATTENDUS served (E indicators)
    # What the figure cannot show (an effect indicator's limits, said beside it in reports).
    limite: str = ""
    pourcentage: bool = False  # a share in [0, 1], shown as %
    cles: tuple[str, ...] = ()  # a family's keys: its published codes are CODE.key
    # For a figure derived from counts of field signals (a share, a median): the function
    # giving, per perimeter, the counts it rests on (numerator, denominator). The published
    # table masks the figure wherever those counts would give a masked count away.
    comptes: Callable[[Territoire, int], tuple[pd.Series, pd.Series]] | None = None
    # The yearly tables its computation reads (« postes », « remontees »…): a value is not
    # measurable where one of them misses a partner's or the officer's return.
    lit: tuple[str, ...] = ()
    # Whether its value at any perimeter rests on the whole agglomeration's data (C5, C6: the
    # under-served threshold is a share of every QPV's presence).
    sur_toute_l_agglomeration: bool = False
    # The schemes whose posts it counts (R4: educateur_prevention), empty for every scheme; a
    # family keyed by scheme (C2, H2, F4) has `par_dispositif`: each code counts its key's.
    dispositifs: tuple[str, ...] = ()
    par_dispositif: bool = False
    # For a figure of the posts' monthly activity (E1–E5): the function giving, for each
    # neighbourhood its sums run over, the posts that reported activity there. The published
    # table masks the figure « s » wherever it, or a difference of published figures, would
    # rest on fewer than `secret.POSTES_MINIMUM` posts: one or two people's work
    # (`secret.proteger_par_unites`). Codes sharing one function are masked together.
    declarants: Callable[[Territoire, int], Mapping[str, frozenset]] | None = None
    # For a share of cases that are themselves published (N2: of the network's meetings,
    # N1.reseau_acteurs): the code counting them. A share on fewer than `CAS_MINIMUM` cases is
    # never put forward as a change of the year (`rapport.sections.synthese`).
    base: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f"{self.code}.{k}" for k in self.cles) if self.cles else (self.code,)

    def avec_unite(self, valeur: float | None) -> str:
        """« 1 outil », « 3 outils », « 11,6 ETP annuels », « 1,11 ETP pour 1 000 habitants »,
        « 42 % » (French: below 2 is singular, up to the unit's first preposition); « – »
        alone, without a unit, when there is no value."""
        if self.pourcentage:
            return pourcentage(valeur)
        texte = nombre(valeur, self.decimales)
        if texte == MANQUANT:
            return texte
        return (
            f"{texte} {au_singulier(self.unite) if abs(arrondi(valeur, self.decimales)) < 2 else self.unite}"
        )

    def comme_affiche(self, valeur: float) -> float:
        """`valeur` at the precision the reports show it (a share to the percent shown): targets
        are compared and proposed at that precision, so that a figure and its target agree."""
        if self.pourcentage:
            return arrondi(valeur * 100, self.decimales) / 100
        return arrondi(valeur, self.decimales)

    def formater(self, valeur: float | None) -> str:
        return pourcentage(valeur) if self.pourcentage else nombre(valeur, self.decimales)


INDICATEURS: dict[str, Indicateur] = {}


def indicateur(code: str, libelle: str, *, unite: str, perimetres: Perimetres, definition: str, **options):
    """Register the decorated function as the computation of `code` (see `Indicateur`)."""
    if code[0] not in FAMILLES or code in INDICATEURS:
        raise ValueError(f"code d'indicateur invalide ou déjà enregistré : {code}")
    if not set(options.get("lit", ())) or not set(options["lit"]) <= set(TABLES_ANNUELLES):
        raise ValueError(f"{code} : tables lues absentes ou inconnues : {options.get('lit')}")
    if options.get("effet") is not None and options["effet"] not in EFFETS_ATTENDUS:
        raise ValueError(f"{code} : effet attendu inconnu : {options['effet']}")

    def enregistrer(calcul):
        INDICATEURS[code] = Indicateur(code, libelle, unite, perimetres, definition, calcul, **options)
        return calcul

    return enregistrer


def ordre(code: str) -> tuple[int, int]:
    """A code's rank: its family in the outline's order, then its number."""
    return FAMILLES.index(code[0]), int(code[1:])


def indicateur_de(code: str) -> Indicateur:
    """The registry entry of a published code (« H2.mediateur » -> H2)."""
    return INDICATEURS[code.partition(".")[0]]


def codes_publies() -> list[str]:
    """Every code of indicateurs.csv (families expanded), in registry order."""
    return [c for i in INDICATEURS.values() for c in i.codes]


def libelle_code(code: str) -> str:
    """« C2.mediateur » -> « Présence pour 1 000 habitants, par dispositif — Médiateurs »."""
    base, _, cle = code.partition(".")
    return INDICATEURS[base].libelle + (f" — {libelle(cle)}" if cle else "")
