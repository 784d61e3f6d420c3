"""A papermill engine that runs reports on pre-started, pre-imported kernels.

Papermill's default engine starts a fresh kernel for every notebook: on the sample, kernel
start, the imports in the kernel (pandas, matplotlib, seaborn, pandera…) and shutdown are
about half of a report's time. Here every worker process keeps one kernel, started once,
with the evaluation package already imported, and reuses it for report after report.

Between two reports the kernel is brought back to what a fresh kernel would give the
notebook (`evaluation.production.session.reinitialiser`, run inside the kernel):

- IPython's user namespace, input/output history and execution counter are reset
  (`InteractiveShell.reset(new_session=True)`): no variable of the previous city survives
  and execution counts start again at 1;
- the working directory is the notebooks' folder again;
- the warning filters are those left by the imports, and warnings already shown may show
  again (a fresh kernel would show them).

Imported modules stay imported: that is the point. The package keeps no per-report state in
its modules (figures are drawn on `Figure` objects, not through pyplot's global state); what
stays is content-addressed: `evaluation.cache` keeps the last validated territory in memory,
keyed by the bytes of the data and of the package's sources. `tests/test_noyaux.py`
checks that reports built on a reused kernel are identical, output for output, to the same
reports each run in a fresh kernel by papermill's default engine.

A kernel that died (or whose package sources changed since it started, as may happen on a
long-lived Dask worker) is replaced before the next report. Kernels are shut down when their
worker process exits.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
from multiprocessing import util

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

from evaluation.hachage import empreinte_sources
from evaluation.paths import NOTEBOOKS
from evaluation.production.notebooks import KERNEL_ARGUMENTS

MOTEUR = "evaluation-noyaux-partages"
# What every report notebook imports first: done once per kernel, before the first report.
PRECHARGEMENT = "import evaluation.rapport.ouverture"
# Python's own history database is not needed, and parallel kernels would share its file.
ARGUMENTS = [*KERNEL_ARGUMENTS, "--HistoryManager.hist_file=:memory:"]


class Noyau:
    """One kernel, started with the package imported, reused report after report."""

    def __init__(self, nom: str):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.nom = nom
        self.empreinte = empreinte_sources()
        self.km = AsyncKernelManager(kernel_name=nom)
        run_sync(self.km.start_kernel)(extra_arguments=ARGUMENTS, cwd=str(NOTEBOOKS))
        self.kc = self.km.blocking_client()
        try:
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=60)
            self._executer(PRECHARGEMENT)
            self._executer("__import__('evaluation.production.session').production.session.memoriser_etat()")
        except BaseException:  # a kernel that cannot get ready is not left running
            self.fermer()
            raise

    def vivant(self) -> bool:
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def reinitialiser(self) -> None:
        """Bring the kernel back to a fresh kernel's state (see the module's docstring)."""
        self._executer(
            f"__import__('evaluation.production.session').production.session.reinitialiser({str(NOTEBOOKS)!r})"
        )

    def _executer(self, code: str) -> None:
        erreurs: list[str] = []

        def sortie(message) -> None:
            if message["msg_type"] == "error":
                erreurs.append(f"{message['content']['ename']}: {message['content']['evalue']}")

        reponse = self.kc.execute_interactive(
            code, silent=True, store_history=False, allow_stdin=False, timeout=120, output_hook=sortie
        )
        if reponse["content"]["status"] != "ok":
            contenu = reponse["content"]
            raise RuntimeError(
                f"noyau {self.nom} : {contenu.get('ename')}: {contenu.get('evalue')} {' '.join(erreurs)}"
            )

    def fermer(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already gone: nothing to free
            pass


# This process's kernels, by kernel name and thread (a Dask worker may run several tasks
# at once, one per thread: each has its own kernel). A forked worker inherits its parent's
# dict but not its kernels' ownership: the pid tells them apart.
_noyaux: dict[tuple[str, int], Noyau] = {}
_pid = os.getpid()


def noyau(nom: str) -> Noyau:
    """This thread's kernel `nom`, started (or replaced) when needed, reset, ready."""
    global _pid
    if _pid != os.getpid():
        _noyaux.clear()
        _pid = os.getpid()
        _fermeture_a_la_sortie()
    cle = (nom, threading.get_ident())
    actuel = _noyaux.get(cle)
    if actuel is not None and (not actuel.vivant() or actuel.empreinte != empreinte_sources()):
        actuel.fermer()
        actuel = None
    if actuel is None:
        actuel = _noyaux[cle] = Noyau(nom)
    try:
        actuel.reinitialiser()
    except Exception:  # dead between the check and the reset: start afresh once
        actuel.fermer()
        actuel = _noyaux[cle] = Noyau(nom)
        actuel.reinitialiser()
    return actuel


def fermer_tout() -> None:
    """Shut down this process's kernels (at exit, or when a caller is done with them)."""
    if _pid != os.getpid():
        return
    while _noyaux:
        _noyaux.popitem()[1].fermer()


def arreter_tout() -> None:
    """This process's kernels killed at once, their connection files removed: from a signal
    handler, where the process may be in the middle of a message with one of them (no shutdown
    request is exchanged). Each kernel leads a process group of its own (jupyter_client starts
    it in a new session): the group goes, with anything the kernel started."""
    if _pid != os.getpid():
        return
    while _noyaux:
        km = _noyaux.popitem()[1].km
        provisionneur = getattr(km, "provisioner", None)
        groupe = getattr(provisionneur, "pgid", None) or getattr(provisionneur, "pid", None)
        with contextlib.suppress(OSError, TypeError):
            os.killpg(groupe, signal.SIGKILL)
        with contextlib.suppress(OSError, TypeError):
            os.unlink(km.connection_file)


def _fermeture_a_la_sortie() -> None:
    # A multiprocessing worker leaves through os._exit: atexit does not run there, but
    # multiprocessing's finalizers do. The main process (tests, serial builds) uses atexit.
    util.Finalize(None, fermer_tout, exitpriority=10)


atexit.register(fermer_tout)
_fermeture_a_la_sortie()


class MoteurNoyauxPartages(NBClientEngine):
    """Papermill's nbclient engine, on this process's reused kernel instead of a new one."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        km = noyau(kernel_name).km
        client = PapermillNotebookClient(
            nb_man,
            km=km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        try:
            return client.execute()
        finally:
            if client.kc is not None:  # the kernel stays; this report's channels go
                client.kc.stop_channels()


papermill_engines.register(MOTEUR, MoteurNoyauxPartages)
