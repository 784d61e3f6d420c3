"""A report opened for one view: what a notebook calls.

    rapport = Rapport.ouvrir("commune", donnees=None, annee=None, commune="Tours")
    rapport.section("synthese")

`ouvrir` loads the validated territory (from the batch's cache), checks the parameters with
one French sentence when wrong, and looks values up in the published table. `section(nom)`
shows one section of the report's plan (`plans.PLANS`); `blocs(nom)` returns its blocks
(what tests read, without a kernel).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.cache import charger_en_cache, tableau_partage
from evaluation.donnees.problemes import DonneesInvalides, ErreurUtilisateur
from evaluation.donnees.territoire import Territoire
from evaluation.indicateurs.consultation import Consultation, consultation
from evaluation.indicateurs.geographie import entrants_et_sortants
from evaluation.paths import donnees_par_defaut
from evaluation.rapport.annexes import ANNEXES
from evaluation.rapport.blocs import Analyse, Bloc, epurer
from evaluation.rapport.contexte import Contexte
from evaluation.rapport.plans import PLANS
from evaluation.rapport.rendu import afficher
from evaluation.rapport.vue import Genre, Vue


@dataclass
class Rapport:
    vue: Vue
    territoire: Territoire
    publication: Consultation
    fiches_quartier: bool = False  # link each QPV to its page quartiers/<code>.html
    genere_le: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(second=0, microsecond=0))
    _annexes: dict = field(default_factory=dict, repr=False)
    _valeurs: dict = field(default_factory=dict, repr=False)

    @classmethod
    def ouvrir(
        cls,
        genre: str,
        donnees: str | Path | None = None,
        annee: int | None = None,
        commune: str | None = None,
        code_qpv: str | None = None,
        fiches_quartier: bool = False,
    ) -> Rapport:
        """Load and validate the data, check the parameters, and prepare the report."""
        t = charger_en_cache(donnees or donnees_par_defaut())
        annee = _annee(t, annee)
        vue = vue_de(t, Genre(genre), annee, commune, code_qpv)
        return cls.pour(t, vue, fiches_quartier)

    @classmethod
    def pour(cls, t: Territoire, vue: Vue, fiches_quartier: bool = False) -> Rapport:
        tableau_partage(t, list(vue.annees))  # computed once per batch, then shared
        return cls(vue, t, consultation(t, list(vue.annees)), fiches_quartier)

    @property
    def plan(self):
        return PLANS[self.vue.genre]

    def blocs(self, nom: str) -> list[Bloc]:
        """The blocks of the plan's section `nom`."""
        for section in self.plan:
            if section.nom == nom:
                return self._analyse(nom) + epurer(section.blocs(Contexte(self, section)))
        raise ErreurUtilisateur(
            f"Section inconnue : « {nom} » ; sections de ce rapport : {', '.join(s.nom for s in self.plan)}."
        )

    def _analyse(self, nom: str) -> list[Bloc]:
        """The comité's text for section `nom` of this page, if it wrote one (read by the
        header's section, which declares the annex: the page's fingerprint covers it)."""
        _, provisoire, textes, _ = self.annexe("analyses")
        return [Analyse(html, provisoire) for section, html in textes if section == nom]

    def section(self, nom: str) -> None:
        """Show the plan's section `nom` in the notebook."""
        afficher(self.blocs(nom))

    # ------------------------------------------------------------------ shared lookups

    @property
    def noms(self) -> dict[str, str]:
        q = self.territoire.quartiers
        return self.territoire.memo(("noms",), lambda: dict(zip(q["code_qpv"], q["nom"], strict=True)))

    @functools.cached_property
    def geographie(self) -> tuple[list[str], list[str]]:
        """QPVs entering and leaving the list within the report's years (every row's name asks)."""
        return entrants_et_sortants(self.territoire, list(self.vue.annees))

    def valeurs_de(self, perimetre: str) -> dict[tuple[str, int], float]:
        """One perimeter's published values by (code, year), kept for this report."""
        if perimetre not in self._valeurs:
            self._valeurs[perimetre] = self.publication.valeurs(perimetre)
        return self._valeurs[perimetre]

    def annexe(self, nom: str):
        if nom not in self._annexes:
            self._annexes[nom] = ANNEXES[nom](self.territoire, self.vue)
        return self._annexes[nom]


def vue_de(
    t: Territoire, genre: Genre, annee: int, commune: str | None = None, code_qpv: str | None = None
) -> Vue:
    """The view of a report, its parameters checked (one French sentence when wrong)."""
    annees = tuple(t.annees_jusqu_a(annee))
    q = t.quartiers
    communes = tuple(sorted({c for a in annees for c in t.communes_actives(a)}))
    tous = tuple(q["code_qpv"])
    if genre is Genre.QUARTIER:
        qpv = t.quartiers_actifs(annee, "qpv")
        if code_qpv not in set(qpv["code_qpv"]):
            disponibles = ", ".join(f"{c} ({n})" for c, n in zip(qpv["code_qpv"], qpv["nom"], strict=True))
            raise ErreurUtilisateur(
                f"Quartier inconnu ou non prioritaire en {annee} : « {code_qpv} » ; QPV disponibles : {disponibles}."
            )
        commune = t.commune_du_code[code_qpv]
        return Vue(genre, annee, annees, commune, code_qpv, (code_qpv,), communes, tous)
    if genre is Genre.COMMUNE:
        actives = t.communes_actives(annee)
        if commune not in actives:
            raise ErreurUtilisateur(
                f"Commune inconnue ou sans QPV actif en {annee} : « {commune} » ; communes "
                f"disponibles : {', '.join(actives)}."
            )
        return Vue(
            genre,
            annee,
            annees,
            commune,
            None,
            tuple(q.loc[q["commune"] == commune, "code_qpv"]),
            communes,
            tous,
        )
    return Vue(genre, annee, annees, None, None, tous, communes, tous)


def _annee(t: Territoire, annee) -> int:
    """The report's year (default: the latest), checked."""
    try:
        annee = int(annee) if annee is not None else t.derniere_annee
    except (TypeError, ValueError):
        raise ErreurUtilisateur(
            f"Année invalide : « {annee} » ; années disponibles : {', '.join(map(str, sorted(t.annees)))}."
        ) from None
    t.annee(annee)  # a clear French error when the year has no data
    return annee


def _erreur_en_une_phrase(shell, type_, valeur, trace, tb_offset=None):
    """In a notebook, a wrong parameter or invalid data stops the run with the French message
    alone, not a Python traceback. The cell still fails (« Run All » and papermill stop) and its
    error output carries the sentence as its value and only line, so that JupyterLab shows that
    sentence and papermill's own error, log and exit report it."""
    shell._showtraceback(type_, valeur, [f"Erreur : {valeur}"])


def _installer_gestionnaire() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((ErreurUtilisateur, DonneesInvalides), _erreur_en_une_phrase)


_installer_gestionnaire()
