"""Synthèse: the year's key figures beside last year's, what changed most, target status."""

from __future__ import annotations

import math

import pandas as pd

from evaluation.formats import accorder
from evaluation.indicateurs import libelle_code
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE, phrase_en_baisse, tables_en_baisse
from evaluation.indicateurs.objectifs import ATTEINT, NON_ATTEINT, NON_MESURABLE
from evaluation.indicateurs.registre import indicateur_de
from evaluation.indicateurs.secret import SEUIL
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Liste, tableau
from evaluation.rapport.sections import Section, objectif_presence
from evaluation.rapport.sections.commun import (
    decimales,
    du_moins_au_mieux_dote,
    evolution,
    non_mesure,
    note_des_masques,
    texte_sur_sa_base,
    unite,
)
from evaluation.rapport.vue import Portee, lit

CHIFFRES_CLES = (
    "R1",
    "R2",
    "R4",
    "R5",
    "N5.en_service",
    "C3",
    "C6",
    "H1",
    "H3",
    "H4",
    "N2",
    "V1",
    "V4",
    "V6",
    "E1",
    "E6",
    "F5",
)
TENDANCES = ("R2", "C3", "H1", "V1")
# The counts some key shares rest on (N2: the network's meetings), and the fewest cases a share
# put forward as a change of the year rests on.
BASES = tuple(sorted({b for c in CHIFFRES_CLES if (b := indicateur_de(c).base)}))
CAS_MINIMUM = SEUIL  # the secret's: a share of fewer cases is masked when it is of signals


class Synthese(Section):
    nom = "synthese"
    titre = "Synthèse"
    intro = "Les chiffres clés de l'année, ce qui a changé depuis l'année précédente et l'état des objectifs."
    lit = (
        lit(*CHIFFRES_CLES, *BASES),
        lit("C5", a=Portee.QUARTIERS),
        objectif_presence.LIT,
    )
    annexes = ("objectifs_scores", "volumes", "collecte", *objectif_presence.ANNEXES)

    def blocs(self, ctx):
        precedente = ctx.annee - 1 if ctx.annee - 1 in ctx.annees else None
        # Tables with far fewer rows than last year: said first, and no change read from them
        # is put forward (what fell may be a partial return, not the year).
        baisses = tables_en_baisse(ctx.annexe("volumes"), ctx.annee, *ctx.annexe("collecte"))
        en_baisse = {table for table, _, _ in baisses}
        lignes, changements = [], []
        for code in CHIFFRES_CLES:
            s = ctx.serie(code)
            v, a = s.get(ctx.annee), s.get(precedente) if precedente else None
            lignes.append(
                [
                    libelle_code(code),
                    unite(code),
                    texte_sur_sa_base(ctx, code, precedente) if precedente else "–",
                    texte_sur_sa_base(ctx, code),
                    evolution(ctx, code),
                ]
            )
            # A masked value (« n. m. », « < 5 », « s ») is NaN: never a change put forward.
            if (
                precedente
                and a is not None
                and v is not None
                and not (math.isnan(a) or math.isnan(v))
                and a
                and v != a
                and not en_baisse & set(indicateur_de(code).lit)
                and not _peu_de_cas(ctx, code, precedente)
            ):
                changements.append((abs(v - a) / abs(a), code))
        c5 = ctx.valeurs_annee("C5")
        sous = du_moins_au_mieux_dote(ctx, [c for c in ctx.codes_qpv() if c5.get(c) == 1])
        if non_mesure(ctx, "C3"):
            presence = (
                f"Présence humaine des QPV ({ctx.nom_perimetre}) : non mesurable en {ctx.annee} "
                f"({COLLECTE_INCOMPLETE})"
            )
        else:
            presence = (
                f"Présence humaine : {ctx.texte('C3')} ETP pour 1 000 habitants des QPV ({ctx.nom_perimetre})"
            )
        if any(non_mesure(ctx, "C5", c) for c in ctx.codes_qpv()):
            presence += " ; QPV sous-dotés non connus cette année."
        elif sous:
            presence += f" ; QPV sous-dotés : {', '.join(ctx.nom_qpv(c) for c in sous)}."
        else:
            presence += " ; aucun QPV sous-doté."
        points = [phrase_en_baisse(baisses, ctx.annee)] if baisses else []
        points.append(presence)
        if ligne := objectif_presence.a_retenir(ctx):
            points.append(ligne)
        for _, code in sorted(changements, reverse=True)[:3]:
            i = indicateur_de(code)  # neither value is masked (`changements`): each with its unit
            points.append(
                f"{libelle_code(code)} : {i.avec_unite(ctx.valeur(code, annee=precedente))} en {precedente}, "
                f"{i.avec_unite(ctx.valeur(code))} en {ctx.annee}."
            )
        scores = ctx.annexe("objectifs_scores")
        if len(scores):
            compte = scores["statut"].value_counts()
            points.append(
                f"Objectifs {ctx.annee} : {accorder(compte.get(ATTEINT, 0), 'atteint')}, "
                f"{accorder(compte.get(NON_ATTEINT, 0), 'non atteint')}"
                + (
                    f", {accorder(compte[NON_MESURABLE], 'non mesurable')}"
                    if compte.get(NON_MESURABLE, 0)
                    else ""
                )
                + f" sur {len(scores)} "
                "(détail en section « Objectifs »)."
            )
        return [
            Liste(tuple(points), titre="À retenir"),
            tableau(
                ["Chiffre clé", "Unité", str(precedente or "–"), str(ctx.annee), "Évolution"],
                lignes,
                legende=f"Chiffres clés {ctx.annee}, {ctx.nom_perimetre}",
                numeriques=[False, False, True, True, True],
                entier=True,  # never its caption alone at the foot of the first page
            ),
            *note_des_masques(
                ctx,
                [(c, None, a) for c in CHIFFRES_CLES for a in ([precedente] if precedente else []) + [None]],
            ),
            Figure(
                figures.tendances(
                    pd.DataFrame({c: ctx.serie(c) for c in TENDANCES}).T,
                    f"Quatre chiffres clés depuis {ctx.annees[0]}, {ctx.nom_perimetre}",
                    {c: libelle_code(c) for c in TENDANCES},
                    {c: unite(c) for c in TENDANCES},
                    ruptures=ctx.ruptures,
                    decimales=decimales(TENDANCES),
                )
            ),
        ]


def _peu_de_cas(ctx, code: str, precedente: int) -> bool:
    """Whether `code` is a share of cases (`Indicateur.base`) resting on fewer than
    `CAS_MINIMUM` of them this year or last."""
    base = indicateur_de(code).base
    return base is not None and any(
        not (n := ctx.valeur(base, annee=a)) or math.isnan(n) or n < CAS_MINIMUM
        for a in (ctx.annee, precedente)
    )
