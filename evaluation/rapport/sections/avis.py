"""Avis annexés: the opinions of the conseils citoyens and of the councils on the draft
report, which décret 2015-1118 asks to annex to it, each as its council wrote it."""

from __future__ import annotations

from evaluation.rapport.blocs import Analyse, Paragraphe
from evaluation.rapport.sections import Section


class AvisAnnexes(Section):
    nom = "avis"
    titre = "Avis des conseils citoyens et des conseils municipaux"
    intro = (
        "Le décret n° 2015-1118 du 3 septembre 2015 prévoit que le rapport annuel sur le contrat de ville "
        "soit soumis aux conseils citoyens, puis débattu par les conseils municipaux des communes concernées "
        "et par le conseil communautaire, et que leurs avis lui soient annexés. Chaque avis est reproduit tel "
        "que le conseil l'a rendu, avec sa date."
    )
    annexes = ("analyses",)

    def blocs(self, ctx):
        _, provisoire, _, avis = ctx.annexe("analyses")
        if not avis:
            texte = f"Aucun avis n'est annexé au rapport de {ctx.annee} pour {ctx.nom_perimetre}"
            return [
                Paragraphe(
                    texte + (" : le projet de rapport doit encore leur être soumis." if provisoire else ".")
                )
            ]
        return [Analyse(html, titre=f"{titre} — texte du conseil, pas de l'outil") for titre, html in avis]
