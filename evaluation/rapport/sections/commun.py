"""Helpers shared by sections: trends over the years, and the change since last year."""

from __future__ import annotations

import re

import pandas as pd

from evaluation import formats
from evaluation.donnees import populations
from evaluation.indicateurs import indicateur_de, libelle_code
from evaluation.indicateurs.geographie import LISTE_CONSTANTE
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE, NON_MESURABLE
from evaluation.indicateurs.secret import POSTES_MINIMUM, PRIMAIRE, SECONDAIRE, note
from evaluation.rapport import figures
from evaluation.rapport.blocs import Bloc, Figure, Paragraphe, tableau


def tendance(ctx, codes: list[str], titre: str | None, constante: bool = False) -> list[Bloc]:
    """Table and small multiples of `codes` for the report's perimeter over every year; for the
    agglomeration, also the codes computed on the constant list of QPVs."""
    series = pd.DataFrame({c: ctx.serie(c) for c in codes}).T
    lignes = [
        [libelle_code(c), unite(c), *[ctx.texte_par_habitant(c, annee=a) for a in ctx.annees]] for c in codes
    ]
    constants = []
    if constante and ctx.agglomeration:
        for c in codes:
            s = ctx.serie(c, LISTE_CONSTANTE)
            if s.notna().any():
                constants.append(c)
                lignes.append(
                    [f"{libelle_code(c)} (liste constante de QPV)", unite(c), *ctx.textes(c, LISTE_CONSTANTE)]
                )
    # `titre` None: the perimeter is the subject (« La Galboisière, 2020–2025 »).
    sujet = f"{titre}, {ctx.nom_perimetre}" if titre else ctx.nom_perimetre
    legende = f"{sujet}, {ctx.annees[0]}–{ctx.annee}"
    if ctx.ruptures:
        legende += f" ; {figures.rupture_de_liste(ctx.ruptures, trait=False)}"
    if constants:
        legende += (
            f" ; lignes « liste constante de QPV » : les {ctx.nombre_qpv_constants()} QPV présents chaque "
            "année ; autres lignes : tous les QPV de l'année"
        )
    blocs: list[Bloc] = [
        tableau(
            ["Indicateur", "Unité", *map(str, ctx.annees)],
            lignes,
            legende=avec_populations(legende, lignes),
            numeriques=[False, False] + [True] * len(ctx.annees),
        ),
        *note_des_masques(
            ctx,
            [(c, None, a) for c in codes for a in ctx.annees]
            + [(c, LISTE_CONSTANTE, a) for c in constants for a in ctx.annees],
            tirets=any(x == formats.MANQUANT for ligne in lignes for x in ligne[2:]),
        ),
    ]
    # A series that is zero or missing every year is not drawn (the table still shows it).
    calculables = [c for c in codes if (series.loc[c].fillna(0) != 0).any()]
    if not calculables:
        return blocs
    series = series.loc[calculables]
    blocs.append(
        Figure(
            figures.tendances(
                series,
                f"{titre} depuis {ctx.annees[0]}, {ctx.nom_perimetre}"
                if titre
                else f"{ctx.nom_perimetre} depuis {ctx.annees[0]}",
                {c: libelle_code(c) for c in calculables},
                {c: unite(c) for c in calculables},
                pourcentages={c for c in calculables if indicateur_de(c).pourcentage},
                ruptures=ctx.ruptures,
                decimales=decimales(calculables),
            )
        )
    )
    return blocs


def du_moins_au_mieux_dote(ctx, codes: list[str] | None = None) -> list[str]:
    """The view's QPVs (or `codes`) from the least to the best served this year, C1 unknown
    last, ties by code: the ranking's order, wherever a page lists QPVs by coverage. The
    section reads C1 at `Portee.QUARTIERS`."""
    c1 = ctx.valeurs_annee("C1")

    def cle(code: str) -> tuple:
        v = c1.get(code)
        return (v is None or v != v, 0 if v is None or v != v else v, code)

    return sorted(ctx.codes_qpv() if codes is None else codes, key=cle)


def evolution(ctx, code: str) -> str:
    """The change of `code` at the report's perimeter since last year, on the figures as shown
    (« +1 pt », « −0,12 », « = », « – »)."""
    i = indicateur_de(code)
    avant = ctx.valeur(code, annee=ctx.annee - 1) if ctx.annee - 1 in ctx.annees else None
    return formats.ecart(avant, ctx.valeur(code), i.decimales, points=i.pourcentage)


def decimales(codes) -> dict[str, int]:
    """Each code's decimals as the tables show it (of the percentage for a share): a trend
    chart's alternative text rounds as the table beside it (« 94 », not « 93,5 »)."""
    return {c: indicateur_de(c).decimales for c in codes}


def unite(code: str) -> str:
    """The unit a table column states for `code` (« % » for shares)."""
    i = indicateur_de(code)
    return "%" if i.pourcentage else i.unite


def remontees_en_toutes_lettres(ctx, perimetre: str | None = None) -> str:
    """The year's field signals of a perimeter as a sentence says them, a masked count never
    shown by its mark inside the sentence: « 251 remontées de terrain », « moins de 5
    remontées de terrain », « un nombre de remontées de terrain non publié (secret
    statistique) »."""
    marque = ctx.marque("V1", perimetre)
    if marque == NON_MESURABLE:
        return f"un nombre de remontées de terrain que la {COLLECTE_INCOMPLETE} ne permet pas de mesurer"
    if marque == PRIMAIRE:
        return "moins de 5 remontées de terrain"
    if marque:
        return "un nombre de remontées de terrain non publié (secret statistique)"
    return formats.accorder(ctx.valeur("V1", perimetre), "remontée de terrain", "remontées de terrain")


def part_publiee(ctx, code: str, perimetre: str | None = None) -> str | None:
    """A share worded for a sentence (« 42 % »), or None when it is not published there (masked
    so that it does not give a small count away, or not computable)."""
    valeur = ctx.valeur(code, perimetre)
    if ctx.marque(code, perimetre) or valeur is None or pd.isna(valeur):
        return None
    return indicateur_de(code).formater(valeur)


PART_NON_PUBLIEE = "n'est pas publiée à ce niveau, car elle permettrait de retrouver un petit compte"


NON_MESURE = f"non mesurable ({COLLECTE_INCOMPLETE})"


def non_mesure(ctx, code: str, perimetre: str | None = None, annee: int | None = None) -> bool:
    """Whether `code` rests on a missing return there (« n. m. » in the published table)."""
    return ctx.marque(code, perimetre, annee) == NON_MESURABLE


def phrase_non_mesuree(ctx, code: str) -> str:
    """« R1 — Réunions … : non mesurable en 2026 (collecte incomplète). »"""
    return f"{code} — {indicateur_de(code).libelle} : non mesurable en {ctx.annee} ({COLLECTE_INCOMPLETE})."


_MARQUE_DE_POPULATION = re.compile(r" \(((?:estimation|contour de \d{4})(?: ; contour de \d{4})?)\)$")


def avec_populations(legende: str, lignes) -> str:
    """`legende` followed by what the population marks shown in `lignes` mean (« (estimation) :
    taux rapporté à une population estimée »), when a cell carries one (`texte_par_habitant`)."""
    marques = {
        m
        for ligne in lignes
        for cellule in ligne
        if (trouve := _MARQUE_DE_POPULATION.search(str(cellule)))
        for m in trouve.group(1).split(" ; ")
    }
    note = populations.legende(marques)
    return f"{legende} — {note}" if note else legende


# What « – » means in a table over the years.
SANS_VALEUR = "« – » : pas de valeur cette année-là (quartier pas encore prioritaire, ou rien à calculer)"
# What « s » means on an activity figure (E1–E5, `Indicateur.declarants`).
NOTE_D_ACTIVITE = (
    "« s » sur un indicateur d'activité : non publié là où, seul ou rapproché des autres chiffres publiés, il "
    f"reposerait sur moins de {POSTES_MINIMUM} postes déclarant une activité, car il décrirait le travail d'une ou "
    "deux personnes"
)


def note_des_masques(ctx, cellules, tirets: bool = False) -> list[Bloc]:
    """The note the marks of a table's `cellules` (code, perimeter or None for the page's,
    year or None for the page's) need, as a paragraph: « < 5 » and « s » on counts of signals
    and their shares (`secret.note`), « s » on an activity figure, and « – » when the table
    shows one (`tirets`); nothing when none shows."""
    des_comptes, activite = set(), False
    for code, perimetre, annee in cellules:
        m = ctx.marque(code, perimetre, annee)
        if indicateur_de(code).declarants is not None:
            activite |= m == SECONDAIRE
        elif m in (PRIMAIRE, SECONDAIRE):
            des_comptes.add(m)
    morceaux = [note(des_comptes)] if des_comptes else []
    morceaux += [NOTE_D_ACTIVITE] if activite else []
    morceaux += [SANS_VALEUR] if tirets else []
    return [Paragraphe(f"{' ; '.join(morceaux)}.")] if morceaux else []


def texte_sur_sa_base(ctx, code: str, annee: int | None = None) -> str:
    """`ctx.texte`, followed by the cases a share rests on when it declares them
    (`Indicateur.base`: « 64 % (16 sur 25) » of the network's meetings) and is shown."""
    texte = ctx.texte(code, annee=annee)
    base = indicateur_de(code).base
    v = ctx.valeur(code, annee=annee)
    if base is None or ctx.marque(code, annee=annee) or v is None or pd.isna(v):
        return texte
    n = ctx.valeur(base, annee=annee)
    if n is None or pd.isna(n) or ctx.marque(base, annee=annee):
        return texte
    return f"{texte} ({formats.nombre(round(v * n))} sur {formats.nombre(n)})"
