"""Perspectives: what the year's report proposes for the next — the comité's own text, its
requests and how the proposed targets answer them, and the proposed targets gathered by
indicator (their detail is in « Objectifs »)."""

from __future__ import annotations

from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.formats import ESPACE_INSECABLE, accorder, enumerer
from evaluation.indicateurs import INDICATEURS, libelle_code
from evaluation.indicateurs.objectifs import DEMANDE, SIGNE, montrer
from evaluation.rapport.blocs import Liste, Paragraphe
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.objectifs import ORIGINES


class Perspectives(Section):
    nom = "perspectives"
    titre = "Perspectives"
    intro = (
        "Ce que le rapport propose pour l'année suivante : le texte du comité de pilotage, ses demandes et les "
        "objectifs qui y répondent, puis les objectifs proposés, indicateur par indicateur (le détail, avec la "
        "raison de chacun, est dans la partie « Objectifs »)."
    )
    annexes = ("analyses", "objectifs_proposes", "demandes_du_comite")

    def blocs(self, ctx):
        suivante = ctx.annee + 1
        _, provisoire, textes, _ = ctx.annexe("analyses")
        propositions = ctx.annexe("objectifs_proposes")
        blocs = []
        if not any(section == self.nom for section, _ in textes):
            blocs.append(
                Paragraphe(
                    f"L'analyse du comité de pilotage n'a pas de partie « Perspectives » pour {suivante}"
                    + (" (elle n'est pas encore validée)." if provisoire else ".")
                )
            )
        demandes = ctx.annexe("demandes_du_comite")
        if demandes:
            elements = []
            for d, qpv, pourquoi in demandes:
                # The proposed targets of the QPVs the request is served in, whichever rule set
                # them at last (a missed target carried over says so).
                servies = propositions[
                    (propositions["indicateur"] == d.indicateur) & propositions["perimetre"].isin(qpv)
                ]
                pour = "l'agglomération" if d.perimetre == AGGLOMERATION else d.perimetre
                if len(servies):
                    cibles = enumerer(
                        f"{ctx.nom(p.perimetre)} ({SIGNE[p.sens]}{ESPACE_INSECABLE}{montrer(p.indicateur, p.cible)}"
                        + ("" if p.origine == DEMANDE else f", {ORIGINES[p.origine][0]}")
                        + ")"
                        for p in servies.itertuples()
                    )
                    elements.append(
                        f"{d.libelle} (demande pour {pour}) : {accorder(len(servies), 'objectif proposé')} pour "
                        f"{suivante} — {cibles}."
                    )
                else:
                    raison = pourquoi or f"aucun QPV de {ctx.nom_perimetre} n'est concerné"
                    elements.append(f"{d.libelle} (demande pour {pour}) : pas d'objectif proposé ({raison}).")
            blocs.append(
                Liste(tuple(elements), titre="Demandes du comité de pilotage et objectifs qui y répondent")
            )
        else:
            blocs.append(
                Paragraphe(
                    "Aucune demande du comité de pilotage n'est formulée de façon à être traduite en objectif "
                    "(une ligne « demande : » de son analyse, qui nomme un indicateur et les quartiers concernés)."
                )
            )
        if propositions.empty:
            return [*blocs, Paragraphe(f"Aucun objectif proposé pour {suivante} pour {ctx.nom_perimetre}.")]
        codes = propositions["indicateur"].str.partition(".")[0]
        ordre = {c: i for i, c in enumerate(INDICATEURS)}  # the registry's order, R1 to E7
        par_code = sorted(propositions.groupby(codes, sort=False), key=lambda g: ordre.get(g[0], len(ordre)))
        elements = tuple(
            f"{code} — {libelle_code(code)} : "
            + ", ".join(accorder(n, *ORIGINES[o]) for o, n in g["origine"].value_counts(sort=False).items())
            for code, g in par_code
        )
        return [
            *blocs,
            Liste(
                elements,
                titre=f"{accorder(len(propositions), 'objectif proposé')} pour {suivante}, {ctx.nom_perimetre}",
            ),
        ]
