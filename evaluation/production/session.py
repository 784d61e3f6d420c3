"""Inside a reused kernel: what each report starts from (see `evaluation.production.noyaux`).

Imported in the kernel itself, so it imports nothing heavy.
"""

from __future__ import annotations

import os
import warnings

_filtres: list = []


def memoriser_etat() -> None:
    """Called once in a new kernel, after the imports: the state each report starts from."""
    _filtres[:] = warnings.filters


def reinitialiser(dossier: str) -> None:
    """Called in the kernel before each report: namespace, history and execution counter of a
    new session, the notebooks' folder as working directory, the warning filters as the
    imports left them, and warnings already shown may show again."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
    os.chdir(dossier)
    warnings.filters[:] = _filtres
    warnings._filters_mutated()  # forget the warnings already shown
