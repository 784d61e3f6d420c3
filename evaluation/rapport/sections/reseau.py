"""Réseau et coordination: meetings by instance, co-piloting, participants, schemes present,
the network's tools."""

from __future__ import annotations

import math

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION, INSTANCES, libelle
from evaluation.formats import nombre
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE
from evaluation.rapport import figures
from evaluation.rapport.blocs import Paragraphe, figures_de, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import NON_MESURE, non_mesure, tendance, texte_sur_sa_base
from evaluation.rapport.vue import lit

TENDANCES = ("R1", "N1.clspd", "N1.cellule_veille", "N2", "N3", "R5", "N5.en_service")


class Reseau(Section):
    nom = "reseau"
    titre = "Réseau et coordination"
    intro = (
        "Le réseau formalisé des acteurs de terrain, les CLSPD et les cellules de veille : réunions par instance, "
        "copilotage Préfecture – ville – agglomération, dispositifs présents et outils du réseau."
    )
    lit = (lit("N1.*", "N2", "N3", *TENDANCES),)
    annexes = ("dispositifs_aux_reunions", "outils")

    def blocs(self, ctx):
        n1 = {i: ctx.valeur(f"N1.{i}") for i in INSTANCES}
        n2, n3 = ctx.valeur("N2"), ctx.valeur("N3")
        texte = (
            f"En {ctx.annee} : {nombre(n1['reseau_acteurs'])} réunions du réseau des acteurs de terrain, "
            f"{nombre(n1['clspd'])} de CLSPD, {nombre(n1['cellule_veille'])} de cellules de veille."
        )
        if non_mesure(ctx, "N1.reseau_acteurs"):
            texte = (
                f"Réunions du réseau, des CLSPD et des cellules de veille en {ctx.annee} : non mesurables "
                f"({COLLECTE_INCOMPLETE}) : la saisie des réunions et des outils par la personne chargée de "
                "l'évaluation n'a pas été déposée."
            )
        elif n2 is not None and not math.isnan(n2):
            texte += (
                f" {texte_sur_sa_base(ctx, 'N2')} des réunions du réseau sont copilotées par la Préfecture, la ville et "
                f"l'agglomération ensemble, comme le prévoit la fiche ; {nombre(n3, 1)} participants en moyenne."
            )
        blocs = [Paragraphe(texte)]
        m = ctx.annexe("dispositifs_aux_reunions")
        m = m.loc[m.sum(axis=1) > 0, m.sum(axis=0) > 0]
        if m.size:
            blocs += [
                tableau(
                    ["Dispositif", *[libelle(i) for i in m.columns]],
                    [[libelle(d), *[nombre(v) for v in m.loc[d]]] for d in m.index],
                    legende=f"Réunions où chaque dispositif était présent, par instance, {ctx.nom_perimetre}, {ctx.annee} (nombre de réunions)",
                    numeriques=[False] + [True] * len(m.columns),
                ),
                *figures_de(
                    figures.carte_de_chaleur(
                        m.rename(index=libelle, columns=libelle),
                        f"Présence des dispositifs aux réunions par instance, {ctx.nom_perimetre}, {ctx.annee} (nombre de réunions)",
                        "Instance",
                        "Dispositif",
                    )
                ),
            ]
        outils = ctx.annexe("outils")
        blocs.append(
            tableau(
                ["Outil", "Type", "Périmètre", "Statut", "Mise en service"],
                [
                    [
                        o.nom,
                        libelle(o.type),
                        "Agglomération" if o.perimetre == AGGLOMERATION else o.perimetre,
                        libelle(o.statut),
                        formats.date(o.date_mise_en_service) if pd.notna(o.date_mise_en_service) else "–",
                    ]
                    for o in outils.itertuples()
                ],
                legende=f"Outils du réseau, {ctx.nom_perimetre}, {ctx.annee}"
                + (
                    ""
                    if len(outils)
                    else f" : {NON_MESURE}"
                    if non_mesure(ctx, "N1.reseau_acteurs")
                    else " : aucun"
                ),
            )
        )
        return blocs + tendance(ctx, list(TENDANCES), "Réseau et coordination")
