"""A build stops when asked, and leaves nothing behind: a real build (its pool of workers, their
Jupyter kernels) interrupted by Ctrl-C (SIGINT to its process group), by SIGTERM, and killed
with -9; no process of it is left, no page half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.lent,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="process tree read from /proc (Linux)"),
]


def _descendants(racine: int) -> set[int]:
    """Every living process below `racine` (its workers and their kernels: a kernel leads a
    session of its own, so the process group does not find it)."""
    enfants: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                champs = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if champs[0] != "Z":
                enfants.setdefault(int(champs[1]), []).append(int(d.name))
    vus, a_voir = set(), [racine]
    while a_voir:
        for e in enfants.get(a_voir.pop(), []):
            if e not in vus:
                vus.add(e)
                a_voir.append(e)
    return vus


def _vivants(pids: set[int]) -> set[int]:
    vivants = set()
    for pid in pids:
        try:
            etat = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if etat != "Z":
            vivants.add(pid)
    return vivants


@pytest.mark.parametrize(
    ("signal_envoye", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)],
    ids=["ctrl-c", "sigterm", "kill-9"],
)
def test_une_production_interrompue_ne_laisse_rien(echantillon, tmp_path, signal_envoye, code):
    sortie = tmp_path / "reports"
    build = subprocess.Popen(
        [sys.executable, "-m", "evaluation", "build", "--data", str(echantillon), "--out", str(sortie)]
        + ["--jobs", "2", "--quartiers", "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    try:
        limite = time.monotonic() + 240
        pages = sortie / "2025"
        while not list(pages.glob("*.html")) and time.monotonic() < limite and build.poll() is None:
            time.sleep(0.2)
        assert build.poll() is None, build.communicate()
        processus = _descendants(build.pid)
        assert len(processus) >= 4, "two workers and their kernels, running"  # noqa: PLR2004
        if signal_envoye == signal.SIGKILL:
            os.kill(build.pid, signal.SIGKILL)  # the main process alone, as the OOM killer does
        else:
            os.killpg(build.pid, signal_envoye)
        _, erreurs = build.communicate(timeout=30)
        assert build.returncode == code
        restants = _vivants(processus)
        limite = time.monotonic() + 15
        while restants and time.monotonic() < limite:
            time.sleep(0.2)
            restants = _vivants(processus)
        assert restants == set()
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    ecrites = sorted(pages.glob("*.html"))
    assert ecrites, "the pages written before the signal are kept"
    for page in ecrites:
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
    if signal_envoye != signal.SIGKILL:
        assert not [p.name for p in pages.glob(".*.tmp")], (
            "a worker stopped while writing: its temporary file removed"
        )
        phrase = erreurs.strip().splitlines()[-1]
        assert phrase.startswith("Production interrompue : "), erreurs
        produits, non_produits = (
            int(x.split()[0]) for x in phrase.removeprefix("Production interrompue : ").split(", ")
        )
        # a page written by a worker whose result had not reached the build yet is not counted
        assert produits <= len(ecrites) <= produits + 2  # noqa: PLR2004 - two workers
        assert produits + non_produits == 18  # noqa: PLR2004 - the sample's pages of 2025
