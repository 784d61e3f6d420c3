"""`build --pdf`: a PDF beside each page, printed by the machine's Chromium (A4, numbered, no
browser header or footer); without Chromium, one French sentence and the HTML pages all the
same. The test with Chromium skips where it is absent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from evaluation.production.pdf import SANS_CHROMIUM, chromium

from .conftest import construire_tours as construire

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def sortie(tmp_path_factory) -> Path:
    racine = tmp_path_factory.mktemp("pdf")
    r = construire(racine)
    assert r.returncode == 0, r.stderr
    return racine


def test_sans_chromium_une_phrase_et_les_pages_quand_meme(sortie):
    # A PATH without any browser: only the project's environment.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    r = construire(sortie, "--pdf", env=env)
    assert r.returncode == 0, r.stderr
    assert SANS_CHROMIUM in r.stdout
    pages = sortie / "reports" / "2025"
    assert (pages / "tours.html").is_file() and not list(pages.glob("*.pdf"))


@pytest.mark.skipif(chromium() is None, reason="Chromium absent (apt-get install chromium)")
def test_un_pdf_a4_numerote_a_cote_de_chaque_page(sortie):
    pdfium = pytest.importorskip("pypdfium2")
    r = construire(sortie, "--pdf")
    assert r.returncode == 0, r.stderr
    pages = sortie / "reports" / "2025"
    assert sorted(p.name for p in pages.glob("*.pdf")) == ["agglomeration.pdf", "index.pdf", "tours.pdf"]
    index = pdfium.PdfDocument(pages / "index.pdf")
    assert index[0].get_size() == pytest.approx(A4, abs=1)
    assert "rapports 2025" in " ".join(index[0].get_textpage().get_text_range().split())  # lines wrap
    document = pdfium.PdfDocument(pages / "tours.pdf")
    n = len(document)
    assert n > 5
    for i in range(n):
        assert document[i].get_size() == pytest.approx(A4, abs=1)
    dernier = document[n - 1].get_textpage().get_text_range()
    assert f"page {n} sur {n}" in dernier and "file://" not in dernier  # no browser footer
    # Nothing changed: the PDFs are not printed again.
    avant = {p.name: p.stat().st_mtime_ns for p in pages.glob("*.pdf")}
    assert construire(sortie, "--pdf").returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in pages.glob("*.pdf")} == avant
    # The index's PDF missing: it alone is printed again.
    (pages / "index.pdf").unlink()
    assert construire(sortie, "--pdf").returncode == 0
    apres = {p.name: p.stat().st_mtime_ns for p in pages.glob("*.pdf")}
    assert apres.keys() == avant.keys() and {n for n in apres if apres[n] != avant[n]} == {"index.pdf"}


def test_l_index_est_reimprime_quand_ce_qu_il_dit_change(tmp_path):
    """index.pdf is printed again when the index's fingerprint changes: its HTML but for the
    footer, whose generation date changes every build."""
    from evaluation.donnees.territoire import charger
    from evaluation.production.export import ecrire_index

    from .conftest import ECHANTILLON

    t = charger(ECHANTILLON)  # every year: Rapport.pour stores it in the folder's cache
    chemin, avant = ecrire_index(t, 2025, tmp_path, [], "généré le 01/12/2025 à 09:30")
    _, apres = ecrire_index(t, 2025, tmp_path, [], "généré le 02/12/2025 à 10:45")
    assert chemin == tmp_path / "index.html" and "généré le 02/12/2025 à 10:45" in chemin.read_text(
        encoding="utf-8"
    )
    assert apres == avant
    _, autre = ecrire_index(t, 2024, tmp_path, [], "généré le 02/12/2025 à 10:45")
    assert autre != avant


def test_un_pdf_plus_ancien_que_sa_page_est_reimprime(tmp_path):
    """A change rebuilt without `--pdf` (the comité's text of the agglomeration, say), then a
    build with it: the agglomeration's PDF is printed again, from the page as it is now — even
    though that build rebuilt nothing — and Tours's is left alone."""
    if chromium() is None:
        pytest.skip("Chromium absent de cette machine")
    pdfium = pytest.importorskip("pypdfium2")
    import shutil
    import subprocess

    from .conftest import ECHANTILLON

    shutil.copytree(ECHANTILLON, tmp_path / "raw")

    def construire_ici(*options: str) -> str:
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "evaluation",
                "build",
                "--data",
                "raw",
                "--out",
                "reports",
                "--city",
                "Tours",
            ]
            + list(options),
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    construire_ici("--pdf")
    pages = tmp_path / "reports" / "2025"
    avant = {p.name: p.stat().st_mtime_ns for p in pages.glob("*.pdf")}
    analyses = tmp_path / "raw" / "2025" / "analyses.md"
    analyses.write_text(
        analyses.read_text(encoding="utf-8")
        + "\n## agglomeration / methode\nTexte ajouté après l'impression.\n",
        encoding="utf-8",
    )
    assert "1 rapport produit, 1 à jour" in construire_ici()  # the agglomeration's page, no PDF
    assert "0 rapport produit, 2 à jour" in construire_ici("--pdf")
    apres = {p.name: p.stat().st_mtime_ns for p in pages.glob("*.pdf")}
    reimprimes = {n for n in apres if apres[n] != avant[n]}
    assert "agglomeration.pdf" in reimprimes and "tours.pdf" not in reimprimes  # the index lists the new page
    document = pdfium.PdfDocument(pages / "agglomeration.pdf")
    texte = " ".join(
        " ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))
    )
    assert "Texte ajouté après l" in texte
