"""Méthode et qualité des données: every indicator's definition (from the registry that
computes it), conventions, sources and volumes."""

from __future__ import annotations

from evaluation.donnees.collecte import CLASSEUR_DE_L_ANNEE, CSV_DE_L_ANNEE
from evaluation.donnees.contrat import GEOGRAPHIE_2024, LIBELLES_TABLES, libelle
from evaluation.formats import accorder, nombre, pluriel
from evaluation.indicateurs import EFFETS_ATTENDUS, INDICATEURS
from evaluation.indicateurs.financements import CREDITS_SPECIFIQUES
from evaluation.indicateurs.secret import POSTES_MINIMUM
from evaluation.rapport import figures
from evaluation.rapport.blocs import Definitions, Figure, Paragraphe, tableau
from evaluation.rapport.sections import Section


class Methode(Section):
    nom = "methode"
    titre = "Méthode et qualité des données"
    intro = (
        "Définitions de chaque indicateur (les mêmes que celles qui servent au calcul), conventions, sources et volume des "
        "données."
    )
    annexes = ("volumes", "sources", "provenance", "collecte")

    def blocs(self, ctx):
        definitions = tuple(
            (
                f"{i.code} — {i.libelle} ({i.unite}, par {i.perimetres.value})"
                + (" — proposition" if i.proposition else " — indicateur de la fiche"),
                i.definition
                + (f" Effet attendu servi : {EFFETS_ATTENDUS[i.effet]}." if i.effet else "")
                + (f" Déclinaisons : {', '.join(libelle(k) for k in i.cles)}." if i.cles else ""),
            )
            for i in INDICATEURS.values()
        )
        volumes = ctx.annexe("volumes").rename(index=lambda n: LIBELLES_TABLES.get(n, n))
        vides = [(nom, a) for nom, ligne in volumes.iterrows() for a, v in ligne.items() if v == 0]
        donnees = f"Les données de {ctx.annee}" + (f" concernant {ctx.commune}" if ctx.commune else "")
        texte = (
            f"{donnees} comptent {nombre(volumes[ctx.annee].sum())} lignes, contre "
            f"{nombre(volumes[ctx.annee - 1].sum())} l'année précédente."
            if ctx.annee - 1 in volumes.columns
            else f"{donnees} comptent {nombre(volumes[ctx.annee].sum())} lignes."
        )
        # A year collected partner by partner with returns missing: its empty tables wait for
        # them, and what rests on them is « n. m. », not zero.
        en_attente = bool(ctx.annexe("collecte")[0])
        vides_zero = [(nom, a) for nom, a in vides if not (en_attente and a == ctx.annee)]
        if vides_zero:
            texte += (
                " Tables vides : " + ", ".join(f"{nom.lower()} ({a})" for nom, a in vides_zero) + " ; les "
                "indicateurs qui en dépendent valent zéro ces années-là."
            )
        elif not vides:
            texte += " Aucune table n'est vide."
        if len(vides_zero) < len(vides):
            attente = [nom.lower() for nom, a in vides if (nom, a) not in vides_zero]
            texte += (
                f" En {ctx.annee}, collecte incomplète : {', '.join(attente)} "
                f"{pluriel(len(attente), 'attend', 'attendent')} des classeurs manquants ou incomplets ; ce qui "
                "en dépend est noté « n. m. » (non mesurable), jamais zéro."
            )
        blocs = [
            Paragraphe(
                "Les indicateurs R1 à R5 sont ceux de la fiche 4.2.2 ; tous les autres sont proposés par "
                "l'outil (mention « proposition »), les indicateurs E répondant aux effets attendus de la fiche, "
                "qui n'en fixe pas. "
                "R1 suit la définition de la fiche : seules les réunions du réseau des acteurs de terrain "
                "copilotées à la fois par la Préfecture, la ville et l'agglomération sont comptées (toutes les "
                "réunions du réseau sont données à part, en N1) ; "
                "les objectifs portant sur R1 sont jugés sur cette définition. "
                "R5 suit de même la fiche (« création d'outils ») : il compte les outils mis en service dans "
                "l'année ; les outils en service en fin d'année sont donnés à part (N5, en service), et les "
                "objectifs portant sur R5 sont jugés sur cette définition. "
                "Un poste est actif de sa date de début (ou du 1er janvier) à sa date de fin (ou du "
                "31 décembre), bornes incluses ; ses ETP annuels valent ETP × jours d'activité / jours "
                "de l'année ; les postes vacants ne comptent pas. Chaque périmètre actif dans l'année "
                "reçoit une valeur, zéro compris."
            ),
            Paragraphe(f"{CREDITS_SPECIFIQUES} Les deux montants sont publiés sous l'indicateur F8."),
            Definitions(definitions),
            Paragraphe(
                "Le fichier des indicateurs publiés, lié depuis l'index des rapports, donne les mêmes valeurs "
                "que les pages : une ligne par année, périmètre et indicateur ; les parts y sont des fractions "
                "de 0 à 1 (0,42 pour 42 %) ; un compte masqué n'a pas de valeur et porte sa marque (« < 5 » ou "
                f"« s ») ; la liste constante de QPV y porte les années qu'elle couvre ({ctx.annees[0]}–"
                f"{ctx.annee}). Les valeurs sont arrondies à l'affichage ; un total est calculé sur les valeurs "
                "exactes et peut différer d'une unité de la somme des valeurs affichées."
            ),
            Paragraphe(
                "Secret : un compte de remontées de terrain inférieur à 5 est affiché « < 5 », et un autre compte "
                "ou une part est masqué « s » là où un total ou une part permettrait de le retrouver. Un "
                "indicateur de l'activité mensuelle des postes (E1 à E5) n'est pas publié (« s ») là où, seul ou "
                f"rapproché des autres chiffres publiés, il reposerait sur moins de {POSTES_MINIMUM} postes "
                "déclarant une activité : il décrirait le travail d'une ou deux personnes (règle des trois "
                "unités du secret statistique)."
            ),
            Paragraphe(
                f"Sources : {accorder(ctx.annexe('sources'), 'fichier')} au format de collecte, remis par les "
                f"partenaires et la personne chargée de l'évaluation ({_annees(ctx)}), "
                f"validés avant tout calcul. Version des données : {ctx.version} (empreinte des fichiers "
                "d'entrée)."
            ),
            Paragraphe(texte),
            Paragraphe(_populations(ctx)),
            *_provenance(ctx),
            Figure(
                figures.volumes(
                    volumes,
                    f"Lignes par table et par année, {ctx.nom_perimetre}, {ctx.annees[0]}–{ctx.annee}",
                )
            ),
        ]
        if ctx.exemple:
            blocs.append(
                Paragraphe(
                    "Données d'exemple : quartiers, populations connues (recensement de 2018), adultes-relais "
                    "(effectifs ANCT 2020–2024), prévention spécialisée et équipe de médiation reprennent des faits "
                    "publics ; les autres valeurs — dont les autres populations, marquées comme estimations, la "
                    "source « liste ANCT » et les QPV dits redessinés en 2024 — et les codes de quartier (codes "
                    "locaux TMVL-…) sont générés."
                )
            )
        return blocs


def _annees(ctx) -> str:
    """« années 2020 à 2025 », « année 2025 »."""
    return f"années {ctx.annees[0]} à {ctx.annee}" if ctx.annees[0] < ctx.annee else f"année {ctx.annee}"


def _populations(ctx) -> str:
    """Where the populations come from, the rule for QPVs reshaped in 2024, and what the
    neighbourhoods file leaves unsaid."""
    texte = (
        "Populations : celle que le fichier des quartiers déclare pour chaque quartier, avec sa source "
        "(recensement de l'Insee, liste officielle des QPV de l'ANCT ou estimation) et son année, données sur "
        "chaque ligne du contexte ; un taux pour 1 000 habitants rapporté à une population estimée porte "
        "la mention « (estimation) » dans les tableaux par quartier. La liste des QPV de 2015 vaut jusqu'en "
        f"2023, celle de {GEOGRAPHIE_2024} ensuite : pour un QPV redessiné en {GEOGRAPHIE_2024}, une population "
        "mesurée sur son contour de 2015 est signalée « contour de 2015 » à partir de "
        f"{GEOGRAPHIE_2024}, et une population de son nouveau contour « contour de {GEOGRAPHIE_2024} » "
        "les années précédentes."
    )
    if ctx.annee >= GEOGRAPHIE_2024:
        qpv = ctx.quartiers("qpv")
        anciens = qpv[(qpv["annee_entree"] < GEOGRAPHIE_2024) & (qpv["annee_population"] < GEOGRAPHIE_2024)]
        if len(anciens) and qpv["contour_population"].isna().all():
            texte += (
                f" Le fichier des quartiers ne précise le contour d'aucune population : la population de "
                f"{accorder(len(anciens), 'QPV')} de la liste de 2015, antérieure à {GEOGRAPHIE_2024}, peut "
                "être celle d'un contour de 2015 redessiné depuis sans que le rapport puisse le signaler."
            )
    return texte


def _provenance(ctx) -> list:
    """Where the year's rows came from, with their rows: one sentence for the year's one
    workbook or its CSV files, a table by source when partners each sent their own."""
    par_source = ctx.annexe("provenance")
    if par_source.empty:
        return []
    if list(par_source.index) == [CLASSEUR_DE_L_ANNEE]:
        return [Paragraphe(f"Les tableaux de {ctx.annee} ont été remis dans un seul classeur de collecte.")]
    if list(par_source.index) == [CSV_DE_L_ANNEE]:
        return [Paragraphe(f"Les tableaux de {ctx.annee} ont été remis en fichiers CSV, un par table.")]
    totaux = par_source.sum(axis=1)
    return [
        tableau(
            ["Source", *[LIBELLES_TABLES.get(c, c) for c in par_source.columns], "Total"],
            [
                [
                    source[0].upper() + source[1:],
                    *[nombre(int(v)) for v in ligne],
                    nombre(int(totaux[source])),
                ]
                for source, ligne in zip(par_source.index, par_source.to_numpy(), strict=True)
            ],
            legende=f"Lignes de {ctx.annee} par partenaire ou saisie reçue (toutes communes) et par table",
            numeriques=[False] + [True] * (len(par_source.columns) + 1),
        )
    ]
