"""A build stops when asked, and leaves nothing behind.

- The command line's build runs `interruptible()`: Ctrl-C (SIGINT, sent to the terminal's
  whole process group) and SIGTERM (`timeout`, a scheduler, systemd, a cancelled CI job) raise
  `Interruption` in the main process, wherever it is; the pool's pending pages are cancelled and
  its workers stopped (`executeurs.ouvrir_executeur`), the pages already written are kept (every
  output is written atomically: none is half-written), and the command says how many pages
  were produced and exits 128 + the signal's number (130, 143).
- A local worker ignores SIGINT (its parent decides), and on SIGTERM kills its kernels
  before it exits (`surveiller_le_parent`); it watches its parent and stops itself when the
  parent is gone (killed with -9, by the OOM killer). A kernel watches its own parent, the
  worker, and exits when it is gone (ipykernel's parent poller, from `JPY_PARENT_PID`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time


class Interruption(BaseException):
    """A build asked to stop (a BaseException: no `except Exception` of a page swallows it)."""

    def __init__(self, signal_recu: int):
        super().__init__(signal.Signals(signal_recu).name)
        self.signal = signal_recu

    @property
    def code_de_sortie(self) -> int:
        return 128 + self.signal


class ProductionInterrompue(Exception):
    """What `construire` raises when interrupted: the pages produced before, the others."""

    def __init__(self, interruption: Interruption, produits: int, non_produits: int):
        super().__init__(f"{produits} produits, {non_produits} non produits")
        self.code_de_sortie = interruption.code_de_sortie
        self.produits, self.non_produits = produits, non_produits


SIGNAUX = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def interruptible():
    """SIGINT and SIGTERM raise `Interruption` in this (main) thread while the block runs; the
    previous handlers come back after. Outside the main thread, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def lever(signum, _frame):
        raise Interruption(signum)

    avant = {s: signal.signal(s, lever) for s in SIGNAUX}
    try:
        yield
    finally:
        for s, h in avant.items():
            signal.signal(s, h)


def surveiller_le_parent(fermer, intervalle: float = 0.5) -> None:
    """In a worker process: SIGINT ignored, SIGTERM stops its kernels (`fermer`) then exits,
    and a daemon thread sends itself SIGTERM when its parent is gone (its parent process id
    changed: reparented to init or to a subreaper)."""
    parent = os.getppid()

    def terminer(_signum, _frame):
        try:
            fermer()
        finally:
            os._exit(128 + signal.SIGTERM)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, terminer)

    def veiller() -> None:
        while os.getppid() == parent:
            time.sleep(intervalle)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=veiller, name="parent", daemon=True).start()
