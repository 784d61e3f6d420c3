"""The indicator registry: one entry per indicator code, one function each.

The registry is the single source for a code's label, unit, perimeters, definition (shown
in each report's « Méthode » section) and computation (used by reports, objectives and
exports). A function returns a Series indexed by perimeter, or, for a family, a DataFrame
whose columns are the family's keys: its codes are then `CODE.key` (e.g. `C2.mediateur`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..contract import (
    AGGLOMERATION,
    DISPOSITIFS,
    FINANCEURS,
    INSTANCES,
    LIEUX,
    SOURCES_REMONTEES,
    STATUTS_OUTIL,
    SUITES,
    THEMES,
    libelle,
)
from ..territoire import Territoire
from . import couverture as c
from . import effets as e
from . import financements as f
from . import organisation as h
from . import realisation as r
from . import reseau as n
from . import veille as v
from .geographie import LISTE_CONSTANTE, sur_liste_constante

COMMUNES = "agglomération et communes"
QPV = "QPV"
TOUS = "agglomération, communes et QPV"
VEILLE = "quartiers de veille active"
QUARTIERS = "agglomération, communes et quartiers (QPV et veille active)"

# Report sections (the outline of DOMAIN.md), in order.
SECTIONS = {
    "R": "Indicateurs de réalisation de la fiche",
    "C": "Couverture et disparités",
    "H": "Organisation de la présence",
    "N": "Réseau et coordination",
    "V": "Veille sociale",
    "E": "Effets (indicateurs proposés)",
    "F": "Financements",
}

# The sheet's expected effects (« Effets attendus »), served by the proposed E indicators.
EFFETS_ATTENDUS = {
    "dialogue": "Renforcer le dialogue avec les habitants",
    "action_publique": "Expliquer le sens et les orientations de l'action publique",
    "valeurs": "Promouvoir les valeurs de la République, la citoyenneté et la laïcité",
    "amont": "Intervenir en amont et le plus tôt possible face aux problématiques identifiées",
    "connaissance": "Permettre une connaissance des territoires plus en adéquation avec leur réalité",
}


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    unite: str
    perimetres: str
    definition: str
    calcul: Callable[[Territoire, int], pd.Series | pd.DataFrame]
    decimales: int = 0
    proposition: bool = False  # the package's own proposal, not one of the sheet's
    effet: str | None = None  # key of EFFETS_ATTENDUS served (E indicators)
    pourcentage: bool = False  # a share in [0, 1], shown as %
    cles: tuple[str, ...] = ()  # a family's keys: its published codes are CODE.key

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f"{self.code}.{k}" for k in self.cles) if self.cles else (self.code,)

    @property
    def section(self) -> str:
        return self.code[0]

    def avec_unite(self, valeur: float | None) -> str:
        """« 1 outil », « 3 outils », « 11,6 ETP annuels », « 42 % » (French: below 2 is singular)."""
        from ..formats import nombre, pourcentage

        if self.pourcentage:
            return pourcentage(valeur)
        unite = self.unite
        if valeur is not None and abs(valeur) < 2:
            unite = " ".join(m[:-1] if m.endswith("s") else m for m in unite.split(" "))
        return f"{nombre(valeur, self.decimales)} {unite}"

    def formater(self, valeur: float | None) -> str:
        from ..formats import nombre, pourcentage

        return pourcentage(valeur) if self.pourcentage else nombre(valeur, self.decimales)


_I = Indicateur
INDICATEURS: dict[str, Indicateur] = {
    i.code: i
    for i in (
        # --- the sheet's realisation indicators
        _I(
            "R1",
            "Réunions du réseau des acteurs de terrain",
            "réunions",
            COMMUNES,
            "Nombre de réunions de l'instance « réseau des acteurs de terrain » dans l'année : pour une commune, "
            "celles dont le périmètre est la commune ; pour l'agglomération, toutes celles du territoire.",
            r.r1_reunions_reseau,
        ),
        _I(
            "R2",
            "Adultes-relais en exercice",
            "postes",
            COMMUNES,
            "Nombre de postes d'adultes-relais distincts, non vacants, actifs au 31 décembre, comptés dans chaque "
            "commune où le poste a une ligne et une fois pour l'agglomération.",
            r.r2_adultes_relais,
        ),
        _I(
            "R3",
            "Correspondants de quartier",
            "postes",
            QPV,
            "Par QPV : nombre de postes de correspondants de quartier distincts, non vacants, actifs au "
            "31 décembre, ayant une ligne pour ce quartier.",
            r.r3_correspondants_quartier,
        ),
        _I(
            "R4",
            "Moyens de la prévention spécialisée",
            "ETP annuels",
            COMMUNES,
            "ETP annuels des postes d'éducateurs de prévention spécialisée : ETP × jours d'activité dans "
            "l'année / jours de l'année, postes vacants exclus.",
            r.r4_etp_prevention,
            decimales=1,
        ),
        _I(
            "R5",
            "Outils du réseau en service",
            "outils",
            COMMUNES,
            "Nombre d'outils au statut « en service » : pour une commune, ceux dont le périmètre est la commune ; "
            "pour l'agglomération, tous.",
            r.r5_outils_en_service,
        ),
        # --- coverage and disparities
        _I(
            "C1",
            "Présence humaine pour 1 000 habitants",
            "ETP pour 1 000 habitants",
            QPV,
            "Par QPV : ETP annuels de tous les postes non vacants du quartier, pour 1 000 habitants "
            "(population de quartiers.csv).",
            c.c1_etp_pour_mille_habitants,
            decimales=2,
            proposition=True,
        ),
        _I(
            "C2",
            "Présence pour 1 000 habitants, par dispositif",
            "ETP pour 1 000 habitants",
            QPV,
            "Par QPV et par dispositif : ETP annuels des postes du dispositif pour 1 000 habitants.",
            c.c2_etp_pour_mille_par_dispositif,
            decimales=2,
            proposition=True,
            cles=DISPOSITIFS,
        ),
        _I(
            "C3",
            "Présence pour 1 000 habitants des QPV",
            "ETP pour 1 000 habitants",
            COMMUNES,
            "ETP annuels de tous les postes des QPV du périmètre pour 1 000 habitants de ces QPV pris ensemble ; "
            "la valeur de l'agglomération sert de référence à la règle de sous-dotation (C5).",
            c.c3_etp_pour_mille_ensemble,
            decimales=2,
            proposition=True,
        ),
        _I(
            "C4",
            "QPV sans présence humaine",
            "QPV",
            COMMUNES,
            "Nombre de QPV du périmètre sans aucun ETP annuel.",
            c.c4_qpv_sans_presence,
            proposition=True,
        ),
        _I(
            "C5",
            "QPV sous-doté",
            "oui = 1",
            QPV,
            "Par QPV : 1 si C1 est inférieur au seuil de sous-dotation (territoire.yml, seuil_sous_dotation, "
            "75 % par défaut) multiplié par C3 de l'agglomération, 0 sinon.",
            c.c5_sous_dote,
            proposition=True,
        ),
        _I(
            "C6",
            "QPV sous-dotés",
            "QPV",
            COMMUNES,
            "Nombre de QPV sous-dotés du périmètre (règle de C5).",
            c.c6_qpv_sous_dotes,
            proposition=True,
        ),
        _I(
            "C7",
            "Dispersion de la présence entre QPV",
            "coefficient de variation",
            COMMUNES,
            "Écart-type de C1 entre les QPV du périmètre divisé par sa moyenne (au moins 2 QPV) : 0 = présence "
            "égale partout ; plus la valeur est haute, plus les écarts sont forts.",
            c.c7_coefficient_de_variation,
            decimales=2,
            proposition=True,
        ),
        _I(
            "C8",
            "Rapport entre le QPV le moins et le mieux doté",
            "rapport",
            COMMUNES,
            "C1 le plus bas divisé par C1 le plus haut parmi les QPV du périmètre (au moins 2 QPV) : 1 = égalité.",
            c.c8_rapport_min_max,
            decimales=2,
            proposition=True,
        ),
        _I(
            "C9",
            "Présence pour 1 000 habitants en veille active",
            "ETP pour 1 000 habitants",
            VEILLE,
            "Par quartier de veille active : ETP annuels pour 1 000 habitants, présentés à part des QPV.",
            c.c9_etp_pour_mille_veille,
            decimales=2,
            proposition=True,
        ),
        # --- organisation of presence
        _I(
            "H1",
            "Heures de présence par semaine",
            "heures par semaine",
            TOUS,
            "Somme des durées des plages hebdomadaires des postes non vacants, chaque poste pondéré par la part "
            "de l'année où il est actif (moyenne hebdomadaire sur l'année).",
            h.h1_heures_hebdomadaires,
            proposition=True,
        ),
        _I(
            "H2",
            "Heures de présence par semaine, par dispositif",
            "heures par semaine",
            TOUS,
            "H1 réparti par dispositif.",
            h.h2_heures_par_dispositif,
            proposition=True,
            cles=DISPOSITIFS,
        ),
        _I(
            "H3",
            "Part des heures en soirée",
            "%",
            TOUS,
            "Part des heures de H1 situées après 19 h.",
            h.h3_part_soiree,
            pourcentage=True,
            proposition=True,
        ),
        _I(
            "H4",
            "Part des heures le week-end",
            "%",
            TOUS,
            "Part des heures de H1 le samedi et le dimanche.",
            h.h4_part_weekend,
            pourcentage=True,
            proposition=True,
        ),
        _I(
            "H5",
            "Heures de présence par semaine, par type de lieu",
            "heures par semaine",
            TOUS,
            "H1 réparti par type de lieu (rue, halls d'immeuble, local, établissements scolaires…).",
            h.h5_heures_par_lieu,
            proposition=True,
            cles=LIEUX,
        ),
        # --- network and coordination
        _I(
            "N1",
            "Réunions par instance",
            "réunions",
            COMMUNES,
            "Réunions de l'année par instance (réseau des acteurs, CLSPD, cellule de veille, GUP, autre) : pour une "
            "commune, celles dont le périmètre est la commune ; pour l'agglomération, toutes.",
            n.n1_reunions_par_instance,
            proposition=True,
            cles=INSTANCES,
        ),
        _I(
            "N2",
            "Réunions du réseau copilotées",
            "%",
            COMMUNES,
            "Part des réunions du réseau des acteurs copilotées à la fois par la Préfecture, la ville et "
            "l'agglomération, comme le demande la fiche.",
            n.n2_part_copilotees,
            pourcentage=True,
            proposition=True,
        ),
        _I(
            "N3",
            "Participants par réunion du réseau",
            "participants",
            COMMUNES,
            "Nombre moyen de participants aux réunions du réseau des acteurs.",
            n.n3_participants_moyens,
            decimales=1,
            proposition=True,
        ),
        _I(
            "N4",
            "Présence des dispositifs aux réunions du réseau",
            "%",
            COMMUNES,
            "Par dispositif : part des réunions du réseau des acteurs où il était présent.",
            n.n4_presence_des_dispositifs,
            pourcentage=True,
            proposition=True,
            cles=DISPOSITIFS,
        ),
        _I(
            "N5",
            "Outils du réseau par statut",
            "outils",
            COMMUNES,
            "Outils de l'année par statut (en projet, en service, abandonné).",
            n.n5_outils_par_statut,
            proposition=True,
            cles=STATUTS_OUTIL,
        ),
        # --- veille sociale
        _I(
            "V1",
            "Remontées de terrain",
            "remontées",
            QUARTIERS,
            "Nombre de remontées de terrain (veille sociale) de l'année.",
            v.v1_remontees,
            proposition=True,
        ),
        _I(
            "V2",
            "Remontées par thème",
            "remontées",
            QUARTIERS,
            "Remontées de l'année par thème.",
            v.v2_par_theme,
            proposition=True,
            cles=THEMES,
        ),
        _I(
            "V3",
            "Remontées par source",
            "remontées",
            COMMUNES,
            "Remontées de l'année par dispositif à l'origine.",
            v.v3_par_source,
            proposition=True,
            cles=SOURCES_REMONTEES,
        ),
        _I(
            "V4",
            "Remontées suivies",
            "%",
            COMMUNES,
            "Part des remontées ayant une suite (autre que « aucune »).",
            v.v4_part_suivies,
            pourcentage=True,
            proposition=True,
        ),
        _I(
            "V5",
            "Remontées par suite donnée",
            "remontées",
            COMMUNES,
            "Remontées de l'année par type de suite (traitée sur place, orientation, cellule de veille, "
            "signalement à un partenaire, aucune).",
            v.v5_par_suite,
            proposition=True,
            cles=SUITES,
        ),
        _I(
            "V6",
            "Délai médian de suite",
            "jours",
            COMMUNES,
            "Médiane du nombre de jours entre une remontée et sa suite datée.",
            v.v6_delai_median,
            decimales=1,
            proposition=True,
        ),
        _I(
            "V7",
            "Suites sous 7 jours",
            "%",
            COMMUNES,
            "Part des suites datées données dans les 7 jours suivant la remontée.",
            v.v7_part_sous_7_jours,
            pourcentage=True,
            proposition=True,
        ),
        # --- proposed effect indicators
        _I(
            "E1",
            "Contacts par ETP",
            "contacts par ETP annuel",
            TOUS,
            "Contacts avec des habitants déclarés dans l'activité mensuelle, par ETP annuel des postes qui "
            "déclarent une activité.",
            e.e1_contacts_par_etp,
            proposition=True,
            effet="dialogue",
        ),
        _I(
            "E2",
            "Orientations pour 1 000 habitants",
            "orientations pour 1 000 habitants",
            TOUS,
            "Orientations d'habitants vers un partenaire, pour 1 000 habitants des QPV du périmètre.",
            e.e2_orientations_pour_mille,
            decimales=1,
            proposition=True,
            effet="action_publique",
        ),
        _I(
            "E3",
            "Conflits traités par ETP",
            "conflits par ETP annuel",
            TOUS,
            "Conflits traités déclarés dans l'activité mensuelle, par ETP annuel des postes qui déclarent une "
            "activité.",
            e.e3_conflits_par_etp,
            decimales=1,
            proposition=True,
            effet="amont",
        ),
        _I(
            "E4",
            "Actions collectives",
            "actions",
            TOUS,
            "Actions collectives menées dans l'année (activité mensuelle, répartie entre quartiers selon les ETP).",
            e.e4_actions_collectives,
            proposition=True,
            effet="valeurs",
        ),
        _I(
            "E5",
            "Signalements de veille technique",
            "signalements",
            TOUS,
            "Signalements techniques (éclairage, dégradations, propreté…) transmis aux services.",
            e.e5_signalements_techniques,
            proposition=True,
            effet="connaissance",
        ),
        _I(
            "E6",
            "Intervention précoce",
            "%",
            TOUS,
            "Part des remontées de terrain ayant une suite dans les 2 jours (traitées sur place comprises).",
            e.e6_intervention_precoce,
            pourcentage=True,
            proposition=True,
            effet="amont",
        ),
        # --- funding
        _I(
            "F1",
            "Financements par financeur",
            "euros",
            COMMUNES,
            "Montants déclarés par financeur : pour une commune, les lignes de la commune et de ses quartiers ; "
            "pour l'agglomération, toutes.",
            f.f1_montants_par_financeur,
            proposition=True,
            cles=FINANCEURS,
        ),
        _I(
            "F2",
            "Financements par dispositif",
            "euros",
            COMMUNES,
            "Montants déclarés par dispositif.",
            f.f2_montants_par_dispositif,
            proposition=True,
            cles=DISPOSITIFS,
        ),
        _I(
            "F3",
            "Part de chaque financeur",
            "%",
            COMMUNES,
            "Part du montant total apportée par chaque financeur.",
            f.f3_part_par_financeur,
            pourcentage=True,
            proposition=True,
            cles=FINANCEURS,
        ),
        _I(
            "F4",
            "Coût par ETP annuel",
            "euros par ETP",
            COMMUNES,
            "Par dispositif : montant déclaré divisé par les ETP annuels du dispositif dans le périmètre.",
            f.f4_cout_par_etp,
            proposition=True,
            cles=DISPOSITIFS,
        ),
        _I(
            "F5",
            "Aide de l'État par adulte-relais",
            "euros par poste",
            COMMUNES,
            "Montants de l'État (ANCT) pour les adultes-relais divisés par les adultes-relais en exercice (R2).",
            f.f5_aide_etat_par_adulte_relais,
            proposition=True,
        ),
        _I(
            "F6",
            "Aide par adulte-relais rapportée à l'aide nationale",
            "rapport",
            COMMUNES,
            "F5 divisé par l'aide de l'État par poste de l'année (ANCT : 19 875 € en 2020 à 22 811 € en 2024) ; "
            "non calculé pour une année dont l'aide nationale n'est pas connue de l'outil.",
            f.f6_rapport_aide_nationale,
            decimales=2,
            proposition=True,
        ),
    )
}

# Indicators also given on the constant list of QPVs (present every year), for like-for-like trends.
CONSTANTS = ("C3", "H1", "V1")


def indicateur_de(code: str) -> Indicateur:
    """The registry entry of a published code (« H2.mediateur » -> H2)."""
    return INDICATEURS[code.partition(".")[0]]


def codes_publies() -> list[str]:
    """Every code of indicateurs.csv (families expanded), in registry order."""
    return [c for i in INDICATEURS.values() for c in i.codes]


def sous_codes(code: str, valeur: pd.Series | pd.DataFrame) -> dict[str, pd.Series]:
    """The published codes of one indicator's result: `CODE` or `CODE.key` per family column."""
    if isinstance(valeur, pd.DataFrame):
        return {f"{code}.{k}": valeur[k] for k in valeur.columns}
    return {code: valeur}


def libelle_code(code: str) -> str:
    """« C2.mediateur » -> « Présence pour 1 000 habitants, par dispositif — Médiateurs »."""
    base, _, cle = code.partition(".")
    return INDICATEURS[base].libelle + (f" — {libelle(cle)}" if cle else "")


def valeurs(t: Territoire, annee: int, code: str) -> pd.Series:
    """One published code for one year, indexed by perimeter."""
    base, _, cle = code.partition(".")
    resultat = INDICATEURS[base].calcul(t, annee)
    return resultat[cle] if cle else resultat


def tableau(t: Territoire, annees: list[int] | None = None) -> pd.DataFrame:
    """Every published code for every year, long format: annee, perimetre, indicateur, valeur.

    Also rows for perimetre `agglomeration_liste_constante` (codes of CONSTANTS computed on
    the QPVs present in every year given), so that trends compare like with like across the
    2024 change of the QPV list.
    """
    annees = annees or sorted(t.annees)
    lignes = []
    for annee in annees:
        for code, indicateur in INDICATEURS.items():
            for sous_code, serie in sous_codes(code, indicateur.calcul(t, annee)).items():
                lignes.append(_long(annee, sous_code, serie))
        constantes = sur_liste_constante(t, annee, annees)
        lignes.append(_long(annee, None, constantes))
    return pd.concat(lignes, ignore_index=True)


def est_memorise(t: Territoire, annees: list[int]) -> bool:
    """Whether `tableau_memorise(t, annees)` is already computed."""
    return t.est_memorise(("tableau", tuple(annees)))


def tableau_memorise(t: Territoire, annees: list[int]) -> pd.DataFrame:
    """`tableau`, computed once per territory and years (kept with the territory's cache)."""
    return t.memoriser(("tableau", tuple(annees)), lambda: tableau(t, annees))


def _long(annee: int, code: str | None, serie: pd.Series) -> pd.DataFrame:
    if code is None:  # a Series indexed by code, for the constant list
        return pd.DataFrame(
            {
                "annee": annee,
                "perimetre": LISTE_CONSTANTE,
                "indicateur": serie.index.astype(str),
                "valeur": serie.to_numpy(dtype=float),
            }
        )
    return pd.DataFrame(
        {
            "annee": annee,
            "perimetre": serie.index.astype(str),
            "indicateur": code,
            "valeur": serie.to_numpy(dtype=float),
        }
    )


__all__ = ["AGGLOMERATION", "INDICATEURS", "Indicateur", "SECTIONS", "tableau", "valeurs"]
