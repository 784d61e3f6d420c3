"""Indicateurs de réalisation de la fiche: R1–R5 with their trend, R2 beside ANCT's count."""

from __future__ import annotations

import pandas as pd

from evaluation import formats
from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import accorder, enumerer, euros, nombre, pluriel
from evaluation.indicateurs import INDICATEURS, indicateur_de, libelle_code
from evaluation.rapport import figures
from evaluation.rapport.blocs import Figure, Liste, Paragraphe, tableau
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.commun import NON_MESURE, decimales, non_mesure, phrase_non_mesuree
from evaluation.rapport.vue import Portee, lit

DU_PERIMETRE = ("R1", "R2", "R4", "R5")
# The table: R2's posts with their annual ETP beside them (C11, F5's denominator), R4's ETP
# with the Département's euros for them (F7), R5's tools created with those in service (N5).
TABLEAU = ("R1", "R2", "C11", "R4", "F7", "R5", "N5.en_service")

ECART_AIDE = 0.05  # a gap between the declared and the ANCT's State aid said beyond this share


class Realisations(Section):
    nom = "realisations"
    titre = "Indicateurs de réalisation de la fiche"
    intro = (
        "Les cinq indicateurs de la fiche 4.2.2 : réunions du réseau des acteurs de terrain (R1), adultes-relais "
        "en exercice (R2, comparés aux données de l'ANCT), correspondants de quartier maintenus ou créés (R3), "
        "moyens de la prévention spécialisée (R4) et outils créés pour le réseau (R5), avec leur évolution."
    )
    lit = (
        lit(*TABLEAU),
        lit("R3", a=Portee.QUARTIERS),
        lit("R2", "C11", "F5", a=Portee.AGGLOMERATION),
    )
    annexes = ("anct",)

    def blocs(self, ctx):
        series = pd.DataFrame({c: ctx.serie(c) for c in DU_PERIMETRE}).T
        codes_qpv = ctx.codes_qpv()
        r3_annees = pd.DataFrame({c: ctx.serie("R3", c) for c in codes_qpv}).T.reindex(codes_qpv)
        phrases = {}
        for code in DU_PERIMETRE:
            if non_mesure(ctx, code):
                phrases[code] = phrase_non_mesuree(ctx, code)
                continue
            i = INDICATEURS[code]
            avant = ctx.valeur(code, annee=ctx.annee - 1) if ctx.annee - 1 in ctx.annees else None
            maintenant = ctx.valeur(code)
            phrases[code] = (
                f"{code} — {i.libelle} : {i.avec_unite(maintenant)} en {ctx.annee}, "
                f"{formats.evolution(avant, maintenant, i.decimales)}."
            )
        inconnus = [ctx.noms[c] for c in codes_qpv if non_mesure(ctx, "R3", c)]
        sans = [ctx.noms[c] for c in codes_qpv if ctx.valeur("R3", c) == 0 and not non_mesure(ctx, "R3", c)]
        mesures = len(codes_qpv) - len(inconnus)
        avec = mesures - len(sans)
        if mesures:
            phrase = (
                f"R3 — Correspondants de quartier : {avec} QPV sur {mesures}"
                f"{' dont les données sont reçues' if inconnus else ''} {pluriel(avec, 'en a', 'en ont')} au moins un "
                f"au 31 décembre {ctx.annee}"
            )
            phrase += f" ; sans correspondant : {', '.join(sans)}" if sans else ""
            phrase += f" ; {NON_MESURE} : {', '.join(inconnus)}." if inconnus else "."
        else:
            phrase = phrase_non_mesuree(ctx, "R3")
        entrants = ctx.quartiers("qpv")
        entrants = entrants[entrants["annee_entree"] > min(ctx.annees)]
        for q in entrants.itertuples():
            if non_mesure(ctx, "R3", q.code_qpv):
                phrase += f" Quartier entrant {q.nom} : correspondants {NON_MESURE}."
                continue
            n = ctx.valeur("R3", q.code_qpv) or 0
            phrase += (
                f" Quartier entrant {q.nom} : {nombre(n)} correspondant{'s' if n > 1 else ''}"
                f"{' (création attendue par la fiche)' if n == 0 else ''}."
            )
        phrases["R3"] = phrase
        blocs = [
            Liste(tuple(phrases[c] for c in sorted(phrases))),
            tableau(
                ["Indicateur", "Unité", *map(str, ctx.annees)],
                [
                    [f"{c.split('.')[0]} — {libelle_code(c)}", indicateur_de(c).unite, *ctx.textes(c)]
                    for c in TABLEAU
                ],
                legende=f"Indicateurs de réalisation, {ctx.nom_perimetre}, {ctx.annees[0]}–{ctx.annee}",
                numeriques=[False, False] + [True] * len(ctx.annees),
            ),
            tableau(
                ["QPV", *map(str, ctx.annees)],
                [[ctx.noms[c], *ctx.textes("R3", c)] for c in codes_qpv],
                legende="R3 — Correspondants de quartier au 31 décembre, par QPV (– : quartier pas encore prioritaire)",
                numeriques=[False] + [True] * len(ctx.annees),
            ),
            *comparaison_anct(ctx),
        ]
        series.loc["R3"] = r3_annees.sum(min_count=1)
        libelles = {c: INDICATEURS[c].libelle for c in series.index}
        libelles["R3"] = "Correspondants (somme des QPV)"
        blocs.append(
            Figure(
                figures.tendances(
                    series.reindex(["R1", "R2", "R3", "R4", "R5"]),
                    f"Indicateurs de réalisation depuis {ctx.annees[0]}, {ctx.nom_perimetre}",
                    libelles,
                    {c: INDICATEURS[c].unite for c in series.index},
                    ruptures=ctx.ruptures,
                    decimales=decimales(["R1", "R2", "R3", "R4", "R5"]),
                )
            )
        )
        return blocs


CONTRAT = "contrat de ville (toutes les communes ayant un quartier prioritaire)"


def _ecart_en_euros(avant: float, apres: float) -> str:
    """« +91 262 € », « = », « – »: the change as shown, in euros."""
    return formats.en_euros(formats.ecart(avant, apres))


def comparaison_anct(ctx) -> list:
    """R2 of the whole contract beside ANCT's count of funded adultes-relais posts: both are
    contract-level figures, labelled so in a commune's or a neighbourhood's report."""
    anct, hors = ctx.annexe("anct")
    codes = ctx.parametres["code_contrat"]
    if anct is None or anct.empty:
        return [
            Paragraphe(
                "Comparaison avec l'ANCT : aucune donnée de l'ANCT pour le contrat "
                f"{', '.join(codes)} (l'officier d'évaluation les importe avec la commande « import-anct »)."
            )
        ]
    r2 = ctx.serie("R2", AGGLOMERATION)
    etp = ctx.serie("C11", AGGLOMERATION)
    declare = ctx.serie("F5", AGGLOMERATION) * etp  # the State's amounts declared for adultes-relais
    portee = (
        ""
        if ctx.agglomeration
        else f" Ces chiffres portent sur tout le {CONTRAT}, pas sur {ctx.nom_perimetre} seul."
    )
    if ctx.annee in anct.index:
        n, local = int(anct.at[ctx.annee, "postes"]), int(r2[ctx.annee])
        texte = (
            f"Selon l'ANCT, {accorder(n, 'poste')} d'adultes-relais {pluriel(n, 'a été financé', 'ont été financés')} "
            f"en {ctx.annee} pour le contrat {anct.at[ctx.annee, 'codes']} ; les partenaires en déclarent {nombre(local)} "
            f"en exercice au 31 décembre dans l'ensemble du contrat (R2 de l'agglomération)."
        )
        if n == local:
            texte += " Les deux sources concordent."
        else:
            texte += (
                f" L'écart de {accorder(abs(n - local), 'poste')} s'explique d'abord par la définition : l'ANCT "
                "compte les postes financés dans l'année, R2 ceux en exercice au 31 décembre"
                + (
                    f" ({accorder(hors, 'poste déclaré vacant ou terminé', 'postes déclarés vacants ou terminés')} avant le 31 décembre)"
                    if hors
                    else ""
                )
                + " ; un reste d'écart signale un poste non déclaré par les partenaires ou rattaché à un autre "
                "contrat, à vérifier avec eux."
            )
    else:
        texte = (
            f"Pas de données de l'ANCT pour {ctx.annee} (dernière année disponible : {anct.index.max()}) ; "
            "comparaison des années précédentes ci-dessous."
        )
    texte += portee
    annees = [a for a in ctx.annees if a in anct.index]
    blocs = [Paragraphe(texte)]
    changements = [
        (a, anct.at[p, "codes"], anct.at[a, "codes"])
        for p, a in zip(annees, annees[1:], strict=False)
        if anct.at[p, "codes"] != anct.at[a, "codes"]
    ]
    for a, avant, apres in changements:
        blocs.append(
            Paragraphe(
                f"Le contrat change de code en {a} : {avant} désigne le contrat de ville de 2015, {apres} le "
                f"contrat « Engagements Quartiers 2030 » signé sur la géographie prioritaire en vigueur au "
                f"{formats.ordinal(1)} janvier {a} ; les deux codes désignent le même territoire de contrat."
                if a == 2024
                else f"Le contrat change de code en {a} : {avant} puis {apres}."
            )
        )
    partielles = [a for a in annees if bool(anct.at[a, "partielle"])]
    if partielles:
        blocs.append(
            Paragraphe(
                f"Le fichier de l'ANCT de {enumerer(partielles)} ne couvre sans doute qu'une partie de "
                "l'année (aide usuelle par poste très inférieure à celle de l'année précédente) : ses montants sont "
                "partiels, sans aide par poste ni rapport à l'aide nationale."
            )
        )
    lignes = []
    for a in annees:
        postes, montant, partielle = (
            anct.at[a, "postes"],
            anct.at[a, "montant_etat_eur"],
            bool(anct.at[a, "partielle"]),
        )
        lignes.append(
            [
                str(a),
                anct.at[a, "codes"],
                nombre(postes),
                nombre(r2[a]),
                nombre(etp[a], 1),
                formats.ecart(postes, r2[a]),
                euros(montant) + (" (partiel)" if partielle else ""),
                euros(declare[a]),
                formats.MANQUANT if partielle else _ecart_en_euros(montant, declare[a]),
                "–" if partielle or not postes else euros(montant / postes),
            ]
        )
    blocs.append(
        tableau(
            [
                "Année",
                "Contrat",
                "Postes financés selon l'ANCT",
                "Adultes-relais au 31 décembre (R2)",
                "ETP annuels d'adultes-relais (C11)",
                "Écart (R2 − ANCT)",
                "Aide de l'État selon l'ANCT",
                "Aide de l'État déclarée",
                "Écart (déclarée − ANCT)",
                "Aide par poste",
            ],
            lignes,
            legende=(
                f"Adultes-relais du {CONTRAT} : R2 et données ouvertes de l'ANCT "
                "(« ANCT — données Dauphin/ASP », Licence Ouverte 2.0)"
            ),
            numeriques=[False, False, True, True, True, True, True, True, True, True],
        )
    )
    # A gap of State money a signer must see explained: beyond a few euros of rounding.
    for a in annees:
        montant = anct.at[a, "montant_etat_eur"]
        if bool(anct.at[a, "partielle"]) or not montant or abs(declare[a] - montant) <= ECART_AIDE * montant:
            continue
        ecart = declare[a] - montant
        blocs.append(
            Paragraphe(
                f"En {a}, l'aide de l'État déclarée par les partenaires "
                f"{'dépasse' if ecart > 0 else 'est inférieure'} de {euros(abs(ecart))} "
                f"({formats.pourcentage(abs(ecart) / montant, 1)}) celle que l'ANCT a versée pour les postes "
                f"du contrat : un écart de plus de {formats.pourcentage(ECART_AIDE)} est à rapprocher avec la "
                "Préfecture et les employeurs avant de signer (postes financés sur une partie de l'année, aide "
                "d'une autre année déclarée, erreur de saisie)."
            )
        )
    return blocs
