"""The report layer: published table -> sections (plain blocks) -> notebook outputs -> HTML.

`Rapport.ouvrir(genre, …)` opens a report for one view; `rapport.section(nom)` shows one
section of its plan (`plans.PLANS`). See docs/architecture.md.

The package is lazy (PEP 562): `from evaluation.rapport import Rapport` loads the opening,
and with it charts and the notebook renderer; importing a light module of the package
(`rapport.vue`, `rapport.plans`) loads neither matplotlib nor IPython.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaluation.rapport.ouverture import Rapport

__all__ = ["Rapport"]


def __getattr__(nom: str):
    if nom == "Rapport":
        from evaluation.rapport.ouverture import Rapport

        return Rapport
    raise AttributeError(f"module {__name__!r} has no attribute {nom!r}")
