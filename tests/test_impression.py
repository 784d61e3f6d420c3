"""The reports as a reviewer prints them: Debian's Chromium prints `tours.html` and
`agglomeration.html` to PDF; every page is A4, carries its page number at the foot, and none
but the last is under a quarter filled. Skips where Chromium is absent."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import construire_tours

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium absent (apt-get install chromium)")
pdfium = pytest.importorskip("pypdfium2")

A4 = (595.28, 841.89)  # points
PAGES = ("tours", "agglomeration")


def imprimer(page: Path, pdf: Path) -> None:
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def remplissage(page) -> float:
    """The share of a PDF page's height between its top and the lowest ink inside the margins
    (the running footer left out)."""
    import numpy as np

    image = np.asarray(page.render(scale=0.5).to_pil().convert("L"))
    hauteur = image.shape[0]
    corps = image[: int(hauteur * (1 - 18 / 297))]  # above the 18 mm bottom margin
    encre = np.nonzero((corps < 235).any(axis=1))[0]
    return 0.0 if not len(encre) else (encre.max() + 1) / hauteur


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    racine = tmp_path_factory.mktemp("impression")
    r = construire_tours(racine)
    assert r.returncode == 0, r.stderr
    sortie = next((racine / "reports").iterdir())
    resultat = {}
    for nom in PAGES:
        imprimer(sortie / f"{nom}.html", racine / f"{nom}.pdf")
        resultat[nom] = pdfium.PdfDocument(racine / f"{nom}.pdf")
    return resultat


@pytest.mark.parametrize("nom", PAGES)
def test_impression_a4_numerotee_sans_page_presque_vide(pdfs, nom):
    document = pdfs[nom]
    n = len(document)
    assert n >= 3
    pages = [document[i] for i in range(n)]
    assert all(p.get_size() == pytest.approx(A4, abs=1) for p in pages), "A4 pages"
    for i, p in enumerate(pages, start=1):
        texte = p.get_textpage().get_text_range()
        assert f"page {i} sur {n}" in texte, (nom, i)
        assert "Tours" in texte, "territory and perimeter at the foot of every page"
    remplies = [round(remplissage(p), 2) for p in pages[:-1]]
    assert min(remplies) >= 0.25, (nom, remplies)
