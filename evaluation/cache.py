"""A validated territory and its indicator tables, kept between the reports of a batch.

Every report opens the same data: loading and validating them (≈ 1 s on the sample) and
computing every indicator for every year (≈ 2 s) would be repeated for each report. The
first report (or the batch itself) stores the validated territory, with the intermediate
tables and indicator tables it computed, under `processed/cache/`; the next ones load it.

The cache is keyed by the bytes of every data file and by the package's own sources, so a
changed file or a changed definition can never be served from it (through
`territoire.empreinte_du_dossier`, the data's version, which a process hashes again only when a
file's size, times or inode change, not for every report). It is derived data: it
can be deleted at any time. Invalid data are never cached (validation raises first). A
process also keeps the last territory it loaded in memory under the same key (a reused
kernel runs report after report on the same data): content-addressed, never a report's state.
"""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

import pandas as pd

from evaluation.donnees.territoire import Territoire, annees_disponibles, charger, empreinte_du_dossier
from evaluation.hachage import empreinte_sources, hacher
from evaluation.indicateurs import codes_publies, est_memorise, tableau_memorise
from evaluation.io import ecrire_atomique
from evaluation.paths import traitees_pour


def cle(dossier: Path) -> str:
    """The cache's key: the package's sources and every data file's path and bytes."""
    return hacher(empreinte_sources(), empreinte_du_dossier(dossier))[:20]


def _chemin(dossier: Path, k: str) -> Path:
    return traitees_pour(dossier) / "cache" / f"territoire-{k}.pickle"


# The last territory this process loaded, by its key: a reused kernel runs report after
# report on the same data, and unpickling a national territory takes ≈ 0.35 s each time.
_en_memoire: dict[str, Territoire] = {}


def charger_valide(dossier: Path | str, annees: list[int] | None = None) -> Territoire:
    """`territoire.charger`, targets checked against the indicator registry's codes."""
    return charger(dossier, annees, codes_publies())


def charger_en_cache(dossier: Path | str) -> Territoire:
    """`charger_valide(dossier)`, from memory or from the cache file when the same files were
    loaded before (by this process, or by another one of the batch), with the memo of the
    tables computed from them so far."""
    dossier = Path(dossier)
    if not dossier.is_dir():
        return charger_valide(dossier)  # its French error
    k = cle(dossier)
    t = _en_memoire.get(k)
    if t is None:
        t = _depuis_le_fichier(_chemin(dossier, k)) or charger_valide(dossier)
        gc.unfreeze()  # the territory kept before may be collected now
        _en_memoire.clear()
        _en_memoire[k] = t
        # Kept for every report to come: out of the cyclic collector's way. Its full passes
        # walked a national territory's objects again and again (≈ 0.15 s per report).
        gc.freeze()
    t.dossier = dossier
    return t


def _depuis_le_fichier(chemin: Path) -> Territoire | None:
    if not chemin.is_file():
        return None
    try:
        with chemin.open("rb") as f:
            t, memo = pickle.load(f)
    except Exception:  # a cache from another version of a library: rebuild it
        return None
    t.memo = memo
    return t


def tableau_partage(t: Territoire, annees: list[int]) -> pd.DataFrame:
    """The indicator table of `annees`, computed once per data version: when this call
    computes it, the territory is stored so that the next reports load it ready."""
    from evaluation.indicateurs.publication import publie_memorise  # scipy: not for validation

    calcule = est_memorise(t, annees)
    table = tableau_memorise(t, annees)
    publie_memorise(t, annees)  # masked once, kept with the table for every report
    if not calcule:
        enregistrer(t)
    return table


def enregistrer(t: Territoire) -> Path | None:
    """Store `t` and its memo (what it has computed so far) for the next reports; best effort.
    A territory loaded for some of its folder's years only is not stored: the cache's key is
    the whole folder's, and the next build would read those years alone."""
    if set(t.annees) != set(annees_disponibles(t.dossier)):
        return None
    try:
        chemin = _chemin(t.dossier, cle(t.dossier))
        for ancien in chemin.parent.glob("territoire-*.pickle"):
            if ancien != chemin:
                ancien.unlink(missing_ok=True)
        return ecrire_atomique(
            chemin, lambda p: p.write_bytes(pickle.dumps((t, t.memo), protocol=pickle.HIGHEST_PROTOCOL))
        )
    except OSError:
        return None
