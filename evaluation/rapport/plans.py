"""The outline of each kind of report: one list of sections, from which the notebooks are
generated (`scripts/make_notebooks.py`) and the pages fingerprinted (`production`).

Adding a section: one module in `sections/` and one line here.
"""

from __future__ import annotations

from .sections import Section
from .sections.communes import Communes
from .sections.comparaison import Comparaison
from .sections.contexte_territorial import Contexte
from .sections.couverture import Couverture
from .sections.effets import Effets
from .sections.entete import Entete
from .sections.financements import Financements
from .sections.methode import Methode
from .sections.objectifs import Objectifs
from .sections.organisation import Organisation
from .sections.presence import Presence
from .sections.realisations import Realisations
from .sections.reseau import Reseau
from .sections.signaux import Signaux
from .sections.synthese import Synthese
from .sections.tendances import Tendances
from .sections.veille import Veille
from .vue import Genre

_COMMUNE = (
    Synthese(),
    Contexte(),
    Realisations(),
    Couverture(),
    Organisation(),
    Reseau(),
    Veille(),
    Effets(),
    Financements(),
    Objectifs(),
    Methode(),
)

PLANS: dict[Genre, tuple[Section, ...]] = {
    Genre.COMMUNE: (Entete(), *_COMMUNE),
    Genre.AGGLOMERATION: (Entete(), _COMMUNE[0], Communes(), *_COMMUNE[1:]),
    Genre.QUARTIER: (Entete(), Presence(), Organisation(), Signaux(), Comparaison(), Tendances()),
}
