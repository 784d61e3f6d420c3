"""The report layer: published table -> sections (plain blocks) -> notebook outputs -> HTML.

`Rapport.ouvrir(genre, …)` opens a report for one view; `rapport.section(nom)` shows one
section of its plan (`plans.PLANS`). See docs/architecture.md.
"""

from evaluation.rapport.ouverture import Rapport

__all__ = ["Rapport"]
