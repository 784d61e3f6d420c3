"""What a section reads through: the report's view, its geography, and — only as the section
declared them — published indicator values and annex tables.

Reading a value or an annex the section did not declare raises `LectureNonDeclaree` (always:
in tests and in builds), so a page can never show what its fingerprint does not cover.
Values come from the published table: a masked count reads as missing, and `texte` words it
with its mark (« < 5 », « s »).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.donnees import populations
from evaluation.donnees.contrat import AGGLOMERATION
from evaluation.indicateurs import indicateur_de
from evaluation.indicateurs.geographie import qpv_constants
from evaluation.rapport.annexes import quartiers_de_la_vue
from evaluation.rapport.vue import Genre

if TYPE_CHECKING:
    from evaluation.rapport.ouverture import Rapport
    from evaluation.rapport.sections import Section


class LectureNonDeclaree(Exception):
    """A section read a value or an annex it did not declare (a bug of the section)."""


class Contexte:
    def __init__(self, rapport: Rapport, section: Section):
        self._rapport = rapport
        self._section = section
        self._permis_par_code: dict[str, frozenset[str]] = {}
        self._populations: dict[int, dict[str, populations.Population]] = {}
        self.vue = rapport.vue
        self.annee = rapport.vue.annee
        self.annees = list(rapport.vue.annees)
        self.commune = rapport.vue.commune
        self.perimetre = rapport.vue.perimetre
        self.fiches_quartier = rapport.fiches_quartier
        self.genere_le: dt.datetime = rapport.genere_le
        t = rapport.territoire
        self.nom_territoire = t.nom
        self.exemple = t.exemple
        self.version = t.version  # shown, not an input: a page keeps the version it was built from
        self.parametres = t.parametres

    # ------------------------------------------------------------------ the view and its geography

    @property
    def agglomeration(self) -> bool:
        return self.vue.genre is Genre.AGGLOMERATION

    @property
    def nom_perimetre(self) -> str:
        if self.vue.code_qpv:
            return self.noms[self.vue.code_qpv]
        return self.commune or self.nom_territoire

    def quartiers(self, statut: str | None = None) -> pd.DataFrame:
        """The view's neighbourhoods active in the year (shared table: do not modify)."""
        return quartiers_de_la_vue(self._rapport.territoire, self.vue, statut)

    def codes_qpv(self) -> list[str]:
        return self.quartiers("qpv")["code_qpv"].tolist()

    @property
    def ruptures(self) -> tuple[int, ...]:
        """The report's years whose list of QPVs in the view differs from the year before
        (2024: the new list): a time series compares other neighbourhoods across them."""
        if self.vue.code_qpv:  # one neighbourhood: its series starts when it enters
            return ()
        t = self._rapport.territoire

        def liste(annee: int) -> set[str]:
            return set(quartiers_de_la_vue(t, replace(self.vue, annee=annee), "qpv")["code_qpv"])

        return tuple(a for a in self.annees[1:] if liste(a) != liste(a - 1))

    def qpv_du_territoire(self) -> pd.DataFrame:
        """Every QPV of the territory active in the year."""
        return self._rapport.territoire.quartiers_actifs(self.annee, "qpv")

    def communes_actives(self) -> list[str]:
        return self._rapport.territoire.communes_actives(self.annee)

    @property
    def commune_du_code(self) -> dict[str, str]:
        return self._rapport.territoire.commune_du_code

    @property
    def noms(self) -> dict[str, str]:
        return self._rapport.noms

    def nom(self, perimetre: str) -> str:
        """A perimeter's name: « Agglomération », a neighbourhood's name, or the commune."""
        if perimetre == AGGLOMERATION:
            return "Agglomération"
        return self.noms.get(perimetre, perimetre)

    @property
    def geographie(self) -> tuple[list[str], list[str]]:
        """QPVs entering and leaving the list within the report's years."""
        return self._rapport.geographie

    def nom_qpv(self, code: str) -> str:
        """Name with the geography marks: ★ entrant, † leaving within the period."""
        entrants, sortants = self.geographie
        marque = " ★" if code in entrants else (" †" if code in sortants else "")
        return self.noms.get(code, code) + marque

    def legende_geographie(self) -> str:
        entrants, sortants = self.geographie
        parties = []
        if entrants:
            parties.append("★ quartier entré dans la liste en cours de période (quartier entrant)")
        if sortants:
            parties.append("† quartier sorti de la liste en cours de période")
        return " ; ".join(parties)

    def population(self, code_qpv: str, annee: int | None = None) -> populations.Population:
        """A neighbourhood's population as a report of `annee` shows it: how many, its year, its
        source and, for a QPV reshaped in 2024, its contour when not the year's list's."""
        annee = annee or self.annee
        if annee not in self._populations:
            self._populations[annee] = populations.populations(self._rapport.territoire.quartiers, annee)
        return self._populations[annee][code_qpv]

    def nombre_qpv_constants(self) -> int:
        return len(qpv_constants(self._rapport.territoire, self.annees))

    # ------------------------------------------------------------------ declared reads

    def _verifier(self, code: str, perimetre: str) -> None:
        if perimetre not in self._permis(code):
            raise LectureNonDeclaree(
                f"La section « {self._section.nom} » lit {code} pour « {perimetre} » sans l'avoir déclaré."
            )

    def _permis(self, code: str) -> frozenset[str]:
        """The perimeters the section declared for `code` in this view (found once per code)."""
        if code not in self._permis_par_code:
            permis: set[str] = set()
            for lecture in self._section.lit:
                if lecture.couvre(code):
                    permis |= self.vue.perimetres(lecture.portee)
            self._permis_par_code[code] = frozenset(permis)
        return self._permis_par_code[code]

    def valeur(self, code: str, perimetre: str | None = None, annee: int | None = None) -> float | None:
        """One published value: None when the code has no value there that year, NaN when it
        could not be computed or is masked."""
        perimetre = perimetre or self.perimetre
        self._verifier(code, perimetre)
        return self._rapport.valeurs_de(perimetre).get((code, annee or self.annee))

    def marque(self, code: str, perimetre: str | None = None, annee: int | None = None) -> str:
        """« < 5 » or « s » when the value is masked, else ''."""
        perimetre = perimetre or self.perimetre
        self._verifier(code, perimetre)
        return self._rapport.publication.marques.get((code, perimetre, annee or self.annee), "")

    def texte(self, code: str, perimetre: str | None = None, annee: int | None = None) -> str:
        """A value worded as the reports show it: its mark when masked."""
        return self.marque(code, perimetre, annee) or indicateur_de(code).formater(
            self.valeur(code, perimetre, annee)
        )

    def texte_par_habitant(self, code: str, perimetre: str | None = None, annee: int | None = None) -> str:
        """`texte`, followed by the marks of the neighbourhood's population (« 2,15 (estimation) »,
        « 1,80 (contour de 2015) ») when `code` is a rate per 1,000 inhabitants of one
        neighbourhood: for the tables, where an estimate is marked at the figure it underlies."""
        texte = self.texte(code, perimetre, annee)
        perimetre = perimetre or self.perimetre
        valeur = self.valeur(code, perimetre, annee)
        if (
            perimetre not in self.commune_du_code
            or not par_habitant(code)
            or self.marque(code, perimetre, annee)
            or valeur is None
            or math.isnan(valeur)
        ):
            return texte
        marque = self.population(perimetre, annee).marque
        return f"{texte} {marque}" if marque else texte

    def serie(self, code: str, perimetre: str | None = None) -> pd.Series:
        """One code at one perimeter over the report's years (missing where not computed or masked)."""
        perimetre = perimetre or self.perimetre
        self._verifier(code, perimetre)
        valeurs = self._rapport.valeurs_de(perimetre)
        return pd.Series(
            [valeurs.get((code, a), math.nan) for a in self.annees],
            index=pd.Index(self.annees, name="annee"),
            name="valeur",
            dtype=float,
        )

    def textes(self, code: str, perimetre: str | None = None) -> list[str]:
        """`texte` of one code at one perimeter for each of the report's years."""
        return [self.texte(code, perimetre, a) for a in self.annees]

    def valeurs_annee(self, code: str, annee: int | None = None) -> pd.Series:
        """One code for one year, indexed by perimeter: only the perimeters the section
        declared for this code."""
        valeurs = self._rapport.publication.valeurs_annee(code, annee or self.annee)
        return valeurs[valeurs.index.isin(self._permis(code))]

    def annexe(self, nom: str):
        """An annex table (`evaluation.rapport.annexes`) the section declared."""
        if nom not in self._section.annexes:
            raise LectureNonDeclaree(
                f"La section « {self._section.nom} » lit l'annexe {nom} sans l'avoir déclarée."
            )
        return self._rapport.annexe(nom)


def par_habitant(code: str) -> bool:
    """Whether `code` is a rate per 1,000 inhabitants (its population is its denominator)."""
    return indicateur_de(code).unite.endswith("pour 1 000 habitants")
