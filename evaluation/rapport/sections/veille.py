"""Veille sociale: signals by neighbourhood and theme, by source and follow-up, delays.

Every count comes from the published table, masked once for every page (`indicateurs.publication`)."""

from __future__ import annotations

import pandas as pd

from evaluation.donnees.contrat import SOURCES_REMONTEES, SUITES, THEMES, libelle
from evaluation.indicateurs import indicateur_de
from evaluation.indicateurs.secret import PRIMAIRE, note
from evaluation.rapport import figures
from evaluation.rapport.blocs import Paragraphe, figures_de, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import (
    PART_NON_PUBLIEE,
    part_publiee,
    remontees_en_toutes_lettres,
    tendance,
)
from evaluation.rapport.vue import Portee, lit

TENDANCES = ("V1", "V4", "V6", "V7")


class Veille(Section):
    nom = "veille"
    titre = "Veille sociale"
    intro = (
        "Deuxième objectif de la fiche : capitaliser les remontées de terrain. Remontées par quartier et thème, "
        "suites données et délais ; les petits comptes sont masqués."
    )
    lit = (
        lit(*TENDANCES, "V2.*", "V3.*", "V5.*"),
        lit("V1", "V2.*", a=Portee.QUARTIERS),
        lit(*TENDANCES, a=Portee.LISTE_CONSTANTE),
    )

    def blocs(self, ctx):
        texte = f"En {ctx.annee}, {remontees_en_toutes_lettres(ctx)}"
        if ctx.valeur("V1") and not ctx.marque("V1"):
            suivies = part_publiee(ctx, "V4")
            texte += (
                f" ; {suivies} ont eu une suite." if suivies else f" ; la part suivie {PART_NON_PUBLIEE}."
            )
            delai, sous_7_jours = part_publiee(ctx, "V6"), part_publiee(ctx, "V7")
            if delai:
                texte += f" Délai médian de suite : {indicateur_de('V6').avec_unite(ctx.valeur('V6'))}"
                texte += f" ({sous_7_jours} des suites datées dans les 7 jours)." if sous_7_jours else "."
            else:
                texte += (
                    " Le délai des suites n'est pas publié à ce niveau (trop peu de suites datées, ou secret "
                    "statistique)."
                )
        else:
            texte += "."
        texte += (
            " Les échanges des CLSPD et cellules de veille sont confidentiels : seuls des comptes sont publiés, "
            f"et tout compte inférieur à 5 par quartier et thème est affiché « {PRIMAIRE} », avec un second masquage "
            "(« s ») lorsqu'un total permettrait de le retrouver."
        )
        codes = ctx.quartiers()["code_qpv"].tolist()
        return [
            Paragraphe(texte),
            *par_quartier_et_theme(ctx, codes, "Remontées par quartier et thème", total=True),
            comptes_masques(
                ctx,
                "V3",
                SOURCES_REMONTEES,
                f"Remontées par dispositif à l'origine, {ctx.nom_perimetre}, {ctx.annee}",
            ),
            comptes_masques(
                ctx, "V5", SUITES, f"Remontées par suite donnée, {ctx.nom_perimetre}, {ctx.annee}"
            ),
            *tendance(ctx, list(TENDANCES), "Veille sociale", constante=True),
        ]


def par_quartier_et_theme(ctx, codes: list[str], titre: str, total: bool) -> list:
    """The published counts of `codes` by theme with their totals (and the perimeter's total
    row with `total`), as a table and a heatmap."""
    themes = [f"V2.{x}" for x in THEMES]
    noms = [ctx.nom_qpv(c) if total else ctx.nom_perimetre for c in codes]
    # With the perimeter's total, each row says whether it is a QPV or a veille area, and the
    # total says it includes the veille areas' signals.
    statuts = ctx.quartiers().set_index("code_qpv")["statut"]
    statut = [[libelle(statuts[c])] for c in codes] if total else [[] for _ in codes]
    lignes = [
        [n, *s, *[ctx.texte(t, c) for t in themes], ctx.texte("V1", c)]
        for n, s, c in zip(noms, statut, codes, strict=True)
    ]
    if total:
        veille = any(statuts.get(c) == "veille_active" for c in codes)
        lignes.append(
            [
                "Total",
                "QPV et quartiers de veille active" if veille else "QPV",
                *[ctx.texte(t) for t in themes],
                ctx.texte("V1"),
            ]
        )
    valeurs = pd.DataFrame(
        [[ctx.valeur(t, c) for t in themes] for c in codes], index=noms, columns=THEMES
    ).astype(float)
    marques = pd.DataFrame(
        [[ctx.marque(t, c) for t in themes] for c in codes], index=valeurs.index, columns=THEMES
    )
    return [
        tableau(
            ["Quartier", *(["Statut"] if total else []), *[libelle(x) for x in THEMES], "Total"],
            lignes,
            legende=_avec_note(f"{titre}, {ctx.nom_perimetre}, {ctx.annee}", lignes),
            numeriques=[False, *([False] if total else [])] + [True] * (len(THEMES) + 1),
        ),
        *figures_de(
            figures.carte_masquee(
                valeurs.rename(columns=libelle),
                marques.rename(columns=libelle),
                # Not the table's caption again (each caption printed once).
                f"Carte de chaleur des {titre[0].lower()}{titre[1:]}, {ctx.nom_perimetre}, {ctx.annee} "
                "(comptes masqués en gris)",
            )
        ),
    ]


def _avec_note(legende: str, lignes) -> str:
    """The caption, with the note on the masks the table shows (none when it shows none)."""
    texte = note(c for ligne in lignes for c in ligne)
    return f"{legende} ({texte})" if texte else legende


def comptes_masques(ctx, famille: str, valeurs: tuple[str, ...], legende: str):
    """One row of the perimeter's published counts of `famille` (V3.x, V5.x) per value."""
    lignes = [[ctx.nom_perimetre, *[ctx.texte(f"{famille}.{x}") for x in valeurs], ctx.texte("V1")]]
    return tableau(
        ["Périmètre", *[libelle(x) for x in valeurs], "Total"],
        lignes,
        legende=_avec_note(legende, lignes),
        numeriques=[False] + [True] * (len(valeurs) + 1),
    )
