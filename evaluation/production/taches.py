"""The reports of a year: one per commune with an active QPV, one for the agglomeration, and
with --quartiers one page per QPV; each a notebook of `notebooks/` with its parameters, and
the kind of report (`Genre`) whose plan it follows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evaluation import formats
from evaluation.donnees.collecte import manquants
from evaluation.donnees.problemes import ErreurUtilisateur
from evaluation.donnees.territoire import Territoire
from evaluation.mentions import mentions as mentions_de_l_annee
from evaluation.production.notebooks import AGGLOMERATION, COMMUNE, QUARTIER
from evaluation.rapport.analyses import analyses
from evaluation.rapport.ouverture import vue_de
from evaluation.rapport.vue import Genre, Vue


@dataclass(frozen=True)
class Tache:
    """One report to produce."""

    slug: str
    titre: str
    notebook: Path
    parametres: dict
    genre: Genre | None = None  # the report's kind (its plan); None for a notebook of no plan
    bas_de_page: str = ""  # territory, perimeter and year, printed at the foot of every page

    @property
    def nom(self) -> str:
        """The title without its kind (« La Rabière (Joué-lès-Tours) »): under a heading that says it."""
        return self.titre.partition(" — ")[2] or self.titre

    def vue(self, t: Territoire) -> Vue:
        """The report's view (its parameters checked)."""
        p = self.parametres
        return vue_de(t, self.genre, p["annee"], p.get("commune"), p.get("code_qpv"))


@dataclass(frozen=True)
class Resultat:
    tache: Tache
    ok: bool
    erreur: str = ""
    reutilise: bool = False  # up to date: kept from the previous build (manifest.json)
    duree: float = 0.0  # seconds spent on it by its worker (run and export)

    @property
    def fichier(self) -> str:
        return f"{self.tache.slug}.html"


def mentions(t: Territoire, annee: int) -> str:
    """The year's mentions (`evaluation.mentions.mentions`) for `t`."""
    return mentions_de_l_annee(bool(manquants(t, annee)), analyses(t, annee).provisoire, t.exemple)


def taches(
    t: Territoire, annee: int, donnees: Path, communes: list[str] | None = None, quartiers: bool = False
) -> list[Tache]:
    """The agglomeration's report, one per commune with an active QPV (or those asked), and
    with `quartiers` one page per QPV of those communes under `quartiers/`."""
    mention = mentions(t, annee)
    actives = t.communes_actives(annee)
    if communes:
        inconnues = [c for c in communes if c not in actives]
        if inconnues:
            raise ErreurUtilisateur(
                f"Commune inconnue ou sans QPV actif en {annee} : {', '.join(inconnues)} ; "
                f"communes disponibles : {', '.join(actives)}."
            )
    commun = {"annee": annee, "donnees": str(donnees)}
    liste = [
        Tache(
            "agglomeration",
            f"Agglomération — {t.nom}",
            AGGLOMERATION,
            commun,
            Genre.AGGLOMERATION,
            f"{t.nom} — agglomération — {annee}{mention}",
        )
    ]
    retenues = [c for c in actives if not communes or c in communes]
    liste += [
        Tache(
            formats.slug(c),
            f"Commune — {c}",
            COMMUNE,
            {**commun, "commune": c, "fiches_quartier": quartiers},
            Genre.COMMUNE,
            f"{t.nom} — commune de {c} — {annee}{mention}",
        )
        for c in retenues
    ]
    if quartiers:
        qpv = t.quartiers_actifs(annee, "qpv")
        liste += [
            Tache(
                f"quartiers/{formats.slug(q.code_qpv)}",
                f"Quartier — {q.nom} ({q.commune})",
                QUARTIER,
                {**commun, "code_qpv": q.code_qpv},
                Genre.QUARTIER,
                f"{t.nom} — quartier {q.nom} — {annee}{mention}",  # its commune in its heading: the foot stays one line
            )
            for q in qpv.itertuples()
            if q.commune in retenues
        ]
    return liste
