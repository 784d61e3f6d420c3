"""The sheet's objective 1 judged neighbourhood by neighbourhood (C10): « augmenter dans les
territoires sous-dotés et maintenir dans les autres la présence humaine ». Shared by the
coverage section (the table) and the synthesis (one line in « À retenir »)."""

from __future__ import annotations

from evaluation import formats
from evaluation.formats import accorder
from evaluation.indicateurs.couverture import ATTENDU
from evaluation.indicateurs.mesure import COLLECTE_INCOMPLETE
from evaluation.rapport.blocs import Bloc, Paragraphe, tableau
from evaluation.rapport.sections.commun import (
    NON_MESURE,
    avec_populations,
    du_moins_au_mieux_dote,
    non_mesure,
)
from evaluation.rapport.vue import Portee, lit

LIT = lit("C1", "C5", "C10", a=Portee.QUARTIERS)
ANNEXES = ("postes_sortis",)

VERDICT = {1.0: "atteint", 0.0: "non atteint"}


def _absent(valeur) -> bool:
    return valeur is None or valeur != valeur  # None or NaN


def _sortis(ctx, code: str) -> str:
    sortis = ctx.annexe("postes_sortis")
    finis, vacants, avant = (
        int(sortis.at[code, k]) if code in sortis.index else 0 for k in ("finis", "vacants", "finis_avant")
    )
    morceaux = []
    if finis:
        morceaux.append(accorder(finis, "poste terminé", "postes terminés") + " dans l'année")
    if vacants:
        morceaux.append(accorder(vacants, "poste vacant", "postes vacants"))
    if avant:  # present part of last year only: this year's presence is lower for it
        morceaux.append(
            accorder(avant, "poste terminé", "postes terminés")
            + f" en cours de {ctx.annee - 1}, {formats.pluriel(avant, 'présent', 'présents')} une partie de "
            f"{ctx.annee - 1} seulement"
        )
    return " ; ".join(morceaux) or "aucun poste terminé ni vacant"


def tableau_par_qpv(ctx) -> list[Bloc]:
    """The table: QPV, C1 last year and this year, the change, last year's status, what the
    sheet expects, the verdict and what the posts say; a sentence when there is no last year."""
    avant = ctx.annee - 1
    if avant not in ctx.annees:
        return [
            Paragraphe(
                f"L'objectif de la fiche ne peut être jugé quartier par quartier qu'à partir de la deuxième "
                f"année des données : {ctx.annee} est la première."
            )
        ]
    lignes, classes = [], []
    for c in du_moins_au_mieux_dote(ctx):
        c10 = ctx.valeur("C10", c)
        inconnu = non_mesure(ctx, "C10", c)  # this year's posts not all returned
        entrant = _absent(c10) and not inconnu
        sous = ctx.valeur("C5", c, avant)
        lignes.append(
            [
                ctx.nom_qpv(c),
                ctx.texte_par_habitant("C1", c, avant) if not entrant else "–",
                ctx.texte_par_habitant("C1", c),
                formats.ecart(ctx.valeur("C1", c, avant), ctx.valeur("C1", c), 2) if not entrant else "–",
                ("oui" if sous == 1 else "non") if not entrant else "–",
                ATTENDU[sous] if not entrant else "–",
                NON_MESURE if inconnu else VERDICT[c10] if not entrant else "entrant : pas de comparaison",
                _sortis(ctx, c),
            ]
        )
        classes.append("echec" if c10 == 0 else "")
    return [
        tableau(
            [
                "QPV",
                f"C1 {avant}",
                f"C1 {ctx.annee}",
                "Évolution",
                f"Sous-doté en {avant}",
                "Ce que la fiche demande",
                "Verdict",
                f"Postes en {ctx.annee}",
            ],
            lignes,
            legende=avec_populations(
                f"Objectif 1 de la fiche par QPV (C10), {ctx.nom_perimetre}, {avant}–{ctx.annee} : ETP annuels "
                f"pour 1 000 habitants (C1) comparés tels qu'ils sont affichés, sans tolérance (une baisse de "
                f"0,01 n'est pas un maintien) ; la règle s'applique au statut de "
                f"{avant} ; classés du moins au mieux doté en {ctx.annee}",
                lignes,
            ),
            numeriques=[False, True, True, True, False, False, False, False],
            classes=classes,
        )
    ]


def a_retenir(ctx) -> str | None:
    """« 1 des 5 QPV sous-dotés en 2024 a vu sa présence augmenter ; 3 des 8 autres ont
    baissé », naming the largest fall and what the posts say of it; None without last year."""
    avant = ctx.annee - 1
    if avant not in ctx.annees:
        return None
    juges = [c for c in ctx.codes_qpv() if not _absent(ctx.valeur("C10", c))]
    sous = [c for c in juges if ctx.valeur("C5", c, avant) == 1]
    autres = [c for c in juges if c not in sous]
    hausse = sum(ctx.valeur("C10", c) == 1 for c in sous)
    baisse = [c for c in autres if ctx.valeur("C10", c) == 0]
    if not sous:
        texte = f"Objectif 1 de la fiche : aucun QPV n'était sous-doté en {avant}"
    elif len(sous) == 1:  # « le QPV sous-doté », never « aucun des 1 »
        texte = f"Objectif 1 de la fiche : le seul QPV sous-doté en {avant}, {ctx.nom_qpv(sous[0])}, " + (
            "a vu sa présence augmenter" if hausse else "n'a pas vu sa présence augmenter"
        )
    elif hausse == 0:
        texte = (
            f"Objectif 1 de la fiche : aucun des {accorder(len(sous), 'QPV sous-doté')} en {avant} n'a vu sa "
            "présence augmenter"
        )
    else:
        texte = (
            f"Objectif 1 de la fiche : {hausse} des {accorder(len(sous), 'QPV sous-doté')} en {avant} "
            f"{'a' if hausse < 2 else 'ont'} vu sa présence augmenter"
        )
    # « l'autre », « les autres » only beside under-served QPVs; alone, a QPV is named.
    autre = ("autre QPV", "autres QPV") if sous else ("QPV", "QPV")
    if len(autres) == 1:
        qui = "l'autre QPV" if sous else ctx.nom_qpv(autres[0])
        texte += f" ; {qui} " + ("a baissé" if baisse else "n'a pas baissé")
    elif autres and not baisse:
        texte += f" ; aucun des {accorder(len(autres), *autre)} n'a baissé"
    elif autres:
        texte += f" ; {len(baisse)} des {accorder(len(autres), *autre)} " + (
            "a baissé" if len(baisse) < 2 else "ont baissé"
        )
    inconnus = sum(non_mesure(ctx, "C10", c) for c in ctx.codes_qpv())
    entrants = len(ctx.codes_qpv()) - len(juges) - inconnus
    entre_parentheses = []
    if entrants:
        entre_parentheses.append(f"{accorder(entrants, 'QPV entrant')}, sans comparaison")
    if inconnus:
        entre_parentheses.append(
            f"{accorder(inconnus, 'QPV')} {formats.pluriel(inconnus, 'non mesurable')}, {COLLECTE_INCOMPLETE}"
        )
    if entre_parentheses:
        texte += f" ({' ; '.join(entre_parentheses)})"
    chutes = [
        (ctx.valeur("C1", c) / ctx.valeur("C1", c, avant) - 1, c)
        for c in juges
        if ctx.valeur("C1", c) < ctx.valeur("C1", c, avant)
    ]
    if chutes:
        part, c = min(chutes)
        texte += (
            f". Plus forte baisse : {ctx.nom_qpv(c)}, de {ctx.texte('C1', c, avant)} à {ctx.texte('C1', c)} ETP "
            f"pour {formats.nombre(1000)} habitants ({formats.pourcentage(part)} ; {_sortis(ctx, c)})"
        )
    return texte + "."
