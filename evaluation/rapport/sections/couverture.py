"""Présence humaine : couverture et disparités — ETP by scheme and neighbourhood, then
coverage per QPV and scheme, under-served QPVs and the spread between QPVs."""

from __future__ import annotations

import math

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION, DISPOSITIFS, libelle
from evaluation.indicateurs.couverture import seuil_depuis
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section, objectif_presence
from evaluation.rapport.sections.commun import (
    NON_MESURE,
    avec_populations,
    du_moins_au_mieux_dote,
    non_mesure,
    tendance,
)
from evaluation.rapport.sections.presence import blocs_presence
from evaluation.rapport.vue import Portee, lit

TENDANCES = ("C3", "C4", "C6", "C7", "C8")


class Couverture(Section):
    nom = "couverture"
    titre = "Présence humaine : couverture et disparités"
    intro = (
        "La fiche constate « de fortes disparités selon les sites » et demande d'augmenter la présence dans les "
        "quartiers sous-dotés et de la maintenir ailleurs. ETP annuels par quartier et dispositif, présence pour "
        "1 000 habitants, quartiers sous-dotés et écarts entre quartiers (indicateurs proposés par l'outil)."
    )
    lit = (
        lit("C1", "C2.*", "C5", "C9", a=Portee.QUARTIERS),
        lit(*TENDANCES),
        lit("C3", a=Portee.AGGLOMERATION),
        lit(*TENDANCES, a=Portee.LISTE_CONSTANTE),
        objectif_presence.LIT,
    )
    annexes = ("etp_par_quartier", *objectif_presence.ANNEXES)

    def blocs(self, ctx):
        qpv = ctx.codes_qpv()
        veille = ctx.quartiers("veille_active")["code_qpv"].tolist()
        c1, c5 = ctx.valeurs_annee("C1"), ctx.valeurs_annee("C5")
        agglo = ctx.valeur("C3", AGGLOMERATION)
        seuil = seuil_depuis(agglo, ctx.parametres)
        sous = [c for c in qpv if c5.get(c) == 1]
        sans = [c for c in qpv if c1.get(c, 0) == 0]
        inconnus = [c for c in qpv if non_mesure(ctx, "C1", c)]
        seuil_connu = not non_mesure(ctx, "C3", AGGLOMERATION)
        if non_mesure(ctx, "C3"):
            texte = f"La présence pour 1 000 habitants des QPV de {ctx.nom_perimetre} est {NON_MESURE} en {ctx.annee}"
        else:
            texte = (
                f"Les QPV de {ctx.nom_perimetre} comptent {ctx.texte('C3')} ETP annuels pour 1 000 habitants"
            )
            if ctx.commune:
                texte += f" (agglomération : {ctx.texte('C3', AGGLOMERATION)})"
        if seuil_connu:
            texte += (
                f". Un QPV est dit sous-doté sous {formats.nombre(seuil, 2)} "
                f"({formats.pourcentage(ctx.parametres['seuil_sous_dotation'])} de la présence de l'ensemble des "
                "QPV de l'agglomération, seuil proposé par l'outil) : "
                + (", ".join(f"{ctx.nom_qpv(c)} ({ctx.texte('C1', c)})" for c in sous) if sous else "aucun")
                + "."
            )
        else:
            texte += (
                ". Les QPV sous-dotés ne sont pas connus cette année : le seuil de sous-dotation rapporte chaque QPV "
                "à l'ensemble des QPV de l'agglomération, dont la présence n'est pas mesurable tant qu'un partenaire "
                "n'a pas envoyé ses données."
            )
        if inconnus:
            texte += f" Présence {NON_MESURE} : {', '.join(ctx.nom_qpv(c) for c in inconnus)}."
        mesures = "QPV dont les données sont reçues" if inconnus else "QPV"
        texte += (
            f" QPV sans aucune présence : {', '.join(ctx.nom_qpv(c) for c in sans)}."
            if sans
            else (f" Tous les {mesures} ont une présence." if len(inconnus) < len(qpv) else "")
        )
        c7 = ctx.valeur("C7")
        if c7 is not None and not math.isnan(c7):
            texte += (
                f" Écart entre QPV : coefficient de variation {ctx.texte('C7')}, le QPV le moins doté a "
                f"{formats.pourcentage(ctx.valeur('C8'))} de la présence du mieux doté"
            )
            # A dispersion over two or three QPVs compares as many figures: said where it shows.
            texte += (
                f" (sur {len(qpv)} QPV seulement : une mesure de dispersion qui dit peu, lisez plutôt le tableau)."
                if len(qpv) < 4
                else "."
            )
        colonnes = [d for d in DISPOSITIFS if any(ctx.valeurs_annee(f"C2.{d}").reindex(qpv).fillna(0) > 0)]
        lignes, classes = [], []
        for c in du_moins_au_mieux_dote(ctx, qpv):
            lignes.append(
                [
                    ctx.nom_qpv(c),
                    *[ctx.texte(f"C2.{d}", c) for d in colonnes],
                    ctx.texte_par_habitant("C1", c),
                    "–",
                    ctx.marque("C5", c) or ("oui" if c5.get(c) == 1 else "non"),
                ]
            )
            classes.append("echec" if c5.get(c) == 1 else "")
        for c in veille:
            lignes.append(
                [ctx.nom_qpv(c), *["" for _ in colonnes], "–", ctx.texte_par_habitant("C9", c), "–"]
            )
            classes.append("")
        geographie = ctx.legende_geographie()
        return [
            *blocs_presence(ctx),
            Paragraphe(texte),
            tableau(
                [
                    "Quartier",
                    *[libelle(d) for d in colonnes],
                    "QPV : total (C1)",
                    "Veille active : total (C9)",
                    "Sous-doté",
                ],
                lignes,
                legende=avec_populations(
                    f"ETP annuels pour 1 000 habitants par quartier et dispositif, {ctx.nom_perimetre}, {ctx.annee}, "
                    "classés du moins au mieux doté" + (f" — {geographie}" if geographie else ""),
                    lignes,
                ),
                numeriques=[False] + [True] * (len(colonnes) + 2) + [False],
                classes=classes,
            ),
            Figure(
                figures.couverture(
                    c1.reindex(qpv),
                    {c: ctx.nom_qpv(c) for c in qpv},
                    None if non_mesure(ctx, "C3", AGGLOMERATION) else agglo,
                    f"C1 — ETP annuels pour 1 000 habitants par QPV, {ctx.nom_perimetre}, {ctx.annee}",
                    seuil=seuil if seuil_connu else None,
                    sous_dotes=set(sous),
                )
            ),
            *objectif_presence.tableau_par_qpv(ctx),
            *tendance(ctx, list(TENDANCES), "Couverture et disparités", constante=True),
        ]
