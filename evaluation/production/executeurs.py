"""Where and how the pages run: papermill on a reused kernel per worker (or a new kernel
per page), on local worker processes or a Dask cluster; a page that fails never stops the
others, and a worker that dies is replaced.

A page that fails keeps its executed notebook (with papermill's error cell) under
`OUT/YYYY/_notebooks/`. Every output file is written atomically.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from evaluation.donnees.problemes import ErreurUtilisateur
from evaluation.io import ecrire_texte_atomique
from evaluation.paths import NOTEBOOKS
from evaluation.production.arret import surveiller_le_parent
from evaluation.production.export import exporter_html
from evaluation.production.notebooks import KERNEL, KERNEL_ARGUMENTS
from evaluation.production.taches import Resultat, Tache


def executer(tache: Tache, rep: Path, pied: str, noyaux_neufs: bool = False) -> Resultat:
    """Run one notebook with papermill, then export it to HTML (in a worker process).

    The notebook runs on this process's reused kernel (`evaluation.production.noyaux`), or with
    `noyaux_neufs` in a new kernel of its own (papermill's default engine)."""
    import papermill as pm  # heavy imports (≈ 2 s): only in the workers that run notebooks

    from evaluation.production.noyaux import MOTEUR

    debut = time.perf_counter()
    sortie = rep / "_notebooks" / f"{tache.slug}.ipynb"
    sortie.parent.mkdir(parents=True, exist_ok=True)
    try:
        execute = pm.execute_notebook(
            str(tache.notebook),
            str(sortie),
            parameters=tache.parametres,
            kernel_name=KERNEL,
            cwd=str(NOTEBOOKS),
            progress_bar=False,
            extra_arguments=KERNEL_ARGUMENTS,
            engine_name=None if noyaux_neufs else MOTEUR,
            # Written once at the end (with the error cell on failure), not twice per cell:
            # that was ≈ 0.5 s per report of JSON validation and writing.
            request_save_on_cell_execute=False,
        )
    except pm.PapermillExecutionError as exc:
        premiere = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        return Resultat(tache, False, f"{exc.ename} : {premiere}", duree=time.perf_counter() - debut)
    except Exception as exc:  # a kernel that dies, a notebook that cannot be read…
        erreur = f"{type(exc).__name__} : {exc}".splitlines()[0]
        return Resultat(tache, False, erreur, duree=time.perf_counter() - debut)
    titre = f"{tache.titre} — présence humaine {tache.parametres['annee']}"
    html = exporter_html(execute, titre, pied, tache.bas_de_page)
    ecrire_texte_atomique(html, rep / f"{tache.slug}.html")
    return Resultat(tache, True, duree=time.perf_counter() - debut)


def executer_taches(
    taches_: list[Tache],
    rep: Path,
    pied: str,
    rapporter: Callable[[Resultat], None],
    jobs: int,
    noyaux_neufs: bool = False,
    executeur: str = "local",
    ordonnanceur: str | None = None,
    pool: Executor | None = None,
) -> None:
    """Run `taches_` on the executor (on `pool` first when given, already started), calling
    `rapporter` with each result as it comes.

    A report that fails (cell error, dead kernel) is a failed result. A worker process that
    dies (killed, out of memory) breaks a local pool for every report not finished yet: those
    run again on a new pool, in reverse order (the one that broke it was among the first
    started, so the others finish before it can break the pool again); those still unfinished
    then run one by one, each on a pool of its own, so that only the culprit fails. (A Dask
    cluster reschedules the tasks of a lost worker itself.)"""
    lancer = functools.partial(executer, rep=rep, pied=pied, noyaux_neufs=noyaux_neufs)

    def sur_un_pool(liste: list[Tache], n: int, dernier_essai: bool, pool=None) -> list[Tache]:
        return _executer_sur_un_pool(
            liste, lancer, rapporter, executeur, ordonnanceur, n, dernier_essai, noyaux_neufs, pool
        )

    # A cluster that reschedules a lost worker's tasks itself: its first attempt is the last.
    interrompues = sur_un_pool(taches_, jobs, dernier_essai=EXECUTEURS[executeur].replanifie, pool=pool)
    if interrompues:
        interrompues = sur_un_pool(interrompues[::-1], jobs, dernier_essai=False)
    for tache in interrompues:
        sur_un_pool([tache], 1, dernier_essai=True)


def _executer_sur_un_pool(
    taches_: list[Tache],
    lancer: Callable[[Tache], Resultat],
    rapporter: Callable[[Resultat], None],
    executeur: str,
    ordonnanceur: str | None,
    jobs: int,
    dernier_essai: bool,
    noyaux_neufs: bool,
    pool: Executor | None,
) -> list[Tache]:
    """One pool for `taches_` (`pool`, or a new one); returns those interrupted by a worker's
    death, in the order they were given (reported as failed instead on the last attempt)."""
    interrompues = []
    ouvert = (
        contextlib.nullcontext(pool)
        if pool is not None
        else ouvrir_executeur(executeur, ordonnanceur, jobs, noyaux_neufs)
    )
    with ouvert as pool:
        futurs = {pool.submit(lancer, tache): tache for tache in taches_}
        for futur in as_completed(futurs):
            try:
                r = futur.result()
            except Exception as exc:  # the worker itself died, not the report
                if not dernier_essai:
                    interrompues.append(futurs[futur])
                    continue
                r = Resultat(futurs[futur], False, f"{type(exc).__name__} : {exc}".splitlines()[0])
            rapporter(r)
    return [tache for tache in taches_ if tache in interrompues]


def _prechauffer(noyaux_neufs: bool) -> None:
    """A local worker's start: papermill imported and, unless `noyaux_neufs`, this worker's
    kernel started with the package imported — before its first report. Never fails: the
    first report meets the same problem and reports it. The worker stops with its parent, and
    stops its kernels when it stops (`arret.surveiller_le_parent`)."""
    from evaluation.production.noyaux import arreter_tout

    surveiller_le_parent(arreter_tout)
    try:
        import papermill  # noqa: F401

        if not noyaux_neufs:
            from evaluation.production.noyaux import noyau

            noyau(KERNEL)
    except Exception:  # noqa: S110 - reported by the first report
        pass


def _arreter(pool: ProcessPoolExecutor, delai: float = 5.0) -> None:
    """The pool's pending pages cancelled and its workers stopped now: SIGTERM (each kills its
    kernels, `arret.surveiller_le_parent`), then SIGKILL for one still there after `delai` s."""
    travailleurs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in travailleurs:
        with contextlib.suppress(OSError, ValueError):
            p.terminate()
    fin = time.monotonic() + delai
    for p in travailleurs:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            p.join(max(0.0, fin - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1.0)


@contextlib.contextmanager
def _local(ordonnanceur: str | None, jobs: int, noyaux_neufs: bool):
    """`jobs` worker processes of this machine, started now with their kernels; stopped at once
    (pending pages cancelled) when the build is interrupted or fails."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_prechauffer, initargs=(noyaux_neufs,))
    try:
        pool.submit(int)  # the workers start now, and their kernels with them
        yield pool
        pool.shutdown(wait=True)
    except BaseException:  # interrupted (`arret.Interruption`), or failing: no page waited for
        _arreter(pool)
        raise


@contextlib.contextmanager
def _dask(ordonnanceur: str | None, jobs: int, noyaux_neufs: bool):
    """A Dask distributed cluster, through its `concurrent.futures` interface."""
    try:
        from distributed import Client
    except ImportError:
        raise ErreurUtilisateur(
            "L'exécuteur dask demande le paquet « distributed » : pip install -e '.[dask]'."
        ) from None
    try:
        client = Client(ordonnanceur, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ErreurUtilisateur(f"Impossible de joindre l'ordonnanceur Dask {ordonnanceur} : {exc}") from None
    with client:
        yield client.get_executor(pure=False, retries=0)


@dataclass(frozen=True)
class Executeur:
    """Where the pages run. `ouvrir(ordonnanceur, jobs, noyaux_neufs)` gives a
    `concurrent.futures.Executor` (the same code submits and collects on every kind);
    `ordonnanceur`: whether it needs a scheduler's address; `replanifie`: whether it
    reschedules a lost worker's tasks itself (else `executer_taches` retries them); `a_l_avance`:
    whether the build starts it before fingerprinting the pages (local workers start their
    kernels meanwhile); `ou`: where the build says the pages run."""

    ouvrir: Callable
    ordonnanceur: bool
    replanifie: bool
    a_l_avance: bool
    ou: Callable[[int, str | None], str]


EXECUTEURS: dict[str, Executeur] = {
    "local": Executeur(_local, False, False, True, lambda jobs, _: f"{jobs} en parallèle"),
    "dask": Executeur(
        _dask, True, True, False, lambda _, ordonnanceur: f"sur le cluster Dask {ordonnanceur}"
    ),
}


def verifier_executeur(executeur: str, ordonnanceur: str | None) -> None:
    if executeur not in EXECUTEURS:
        raise ErreurUtilisateur(
            f"Exécuteur inconnu : « {executeur} » ; exécuteurs : {', '.join(EXECUTEURS)}."
        )
    if EXECUTEURS[executeur].ordonnanceur and not ordonnanceur:
        raise ErreurUtilisateur(
            f"L'exécuteur {executeur} demande l'adresse de l'ordonnanceur (--scheduler ADRESSE)."
        )
    if not EXECUTEURS[executeur].ordonnanceur and ordonnanceur:
        raise ErreurUtilisateur(
            "Un ordonnanceur Dask (--scheduler) ne sert qu'avec l'exécuteur dask (--executor dask)."
        )


@contextlib.contextmanager
def ouvrir_executeur(executeur: str, ordonnanceur: str | None, jobs: int, noyaux_neufs: bool = False):
    """Where the reports run (`EXECUTEURS`): `jobs` local worker processes, or a Dask
    distributed cluster."""
    verifier_executeur(executeur, ordonnanceur)
    with EXECUTEURS[executeur].ouvrir(ordonnanceur, jobs, noyaux_neufs) as pool:
        yield pool
