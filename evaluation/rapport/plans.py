"""The outline of each kind of report: one list of sections, from which the notebooks are
generated (`scripts/make_notebooks.py`) and the pages fingerprinted (`production`).

Adding a section: one module in `sections/` and one line in the plan of each kind of report it
belongs to.
"""

from __future__ import annotations

from urllib.parse import quote

from evaluation.formats import typographie
from evaluation.rapport.sections import Section
from evaluation.rapport.sections.actions import Actions
from evaluation.rapport.sections.avis import AvisAnnexes
from evaluation.rapport.sections.communes import Communes
from evaluation.rapport.sections.comparaison import Comparaison
from evaluation.rapport.sections.contexte_territorial import ContexteTerritorial
from evaluation.rapport.sections.contrats_de_ville import ContratsDeVille
from evaluation.rapport.sections.couverture import Couverture
from evaluation.rapport.sections.effets import Effets
from evaluation.rapport.sections.entete import Entete
from evaluation.rapport.sections.financements import Financements
from evaluation.rapport.sections.liens_fiches import LiensFiches
from evaluation.rapport.sections.methode import Methode
from evaluation.rapport.sections.objectifs import Objectifs
from evaluation.rapport.sections.organisation import Organisation
from evaluation.rapport.sections.perspectives import Perspectives
from evaluation.rapport.sections.presence import Presence
from evaluation.rapport.sections.realisations import Realisations
from evaluation.rapport.sections.reseau import Reseau
from evaluation.rapport.sections.signaux import Signaux
from evaluation.rapport.sections.synthese import Synthese
from evaluation.rapport.sections.tendances import Tendances
from evaluation.rapport.sections.veille import Veille
from evaluation.rapport.vue import Genre

# One explicit tuple per kind of report: the order is the page's, read as it is written here
# (`tests/test_sections.py` checks every plan's order). Adding a section to every commune's
# report is one line in its tuple; to the agglomeration's too, one line in that one.
PLANS: dict[Genre, tuple[Section, ...]] = {
    Genre.COMMUNE: (
        Entete(),
        Synthese(),
        ContexteTerritorial(),
        Actions(),
        Realisations(),
        Couverture(),
        Organisation(),
        Reseau(),
        Veille(),
        Effets(),
        Financements(),
        Objectifs(),
        Perspectives(),
        LiensFiches(),
        Methode(),
        AvisAnnexes(),
    ),
    Genre.AGGLOMERATION: (
        Entete(),
        Synthese(),
        Communes(),  # the communes side by side, after the synthesis
        ContexteTerritorial(),
        Actions(),
        Realisations(),
        Couverture(),
        Organisation(),
        Reseau(),
        Veille(),
        Effets(),
        Financements(),
        ContratsDeVille(),  # the contract among France's, after its funding
        Objectifs(),
        Perspectives(),
        LiensFiches(),
        Methode(),
        AvisAnnexes(),
    ),
    Genre.QUARTIER: (Entete(), Presence(), Organisation(), Signaux(), Comparaison(), Tendances()),
}


def ancre(titre: str) -> str:
    """The id nbconvert gives a markdown heading (nbconvert.filters.strings._convert_header_id)."""
    return quote(titre.replace(" ", "-"), safe="?/:@!$&'()*+,;=")


def titres_numerotes(genre: Genre) -> list[tuple[str, Section]]:
    """Each titled section of the plan of `genre` with its numbered heading, in French
    typography (« 3. Indicateurs de réalisation de la fiche »), as the notebook shows it."""
    titrees = [s for s in PLANS[genre] if s.titre]
    return [(f"{i}. {typographie(s.titre)}", s) for i, s in enumerate(titrees, start=1)]


def ancre_de(genre: Genre, nom: str) -> str:
    """The id of section `nom`'s heading in a report of `genre`."""
    return next(ancre(titre) for titre, s in titres_numerotes(genre) if s.nom == nom)
