"""A PDF beside each HTML page and the index (`build --pdf`), printed by a headless Chromium found on the
machine (Debian's `chromium` package): A4 with the page numbers of the reports' print style
sheet (`templates/rapport/rapport.css`), no browser header or footer. Without Chromium the
HTML pages are built all the same and one French sentence says how to install it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from evaluation.io import ecrire_atomique

NAVIGATEURS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SANS_CHROMIUM = (
    "PDF non produits : aucun navigateur Chromium sur cette machine ; installez-le "
    "(sudo apt-get install chromium) puis relancez avec --pdf. Les pages HTML sont produites."
)


def chromium() -> str | None:
    """The path of a Chromium (or Chrome) on this machine, or None."""
    return next((chemin for nom in NAVIGATEURS if (chemin := shutil.which(nom))), None)


def imprimer(page: Path, pdf: Path, navigateur: str) -> Path:
    """Print the HTML `page` to `pdf` (written atomically)."""

    def ecrire(tmp: Path) -> None:
        subprocess.run(
            [
                navigateur,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                Path(page).resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )

    return ecrire_atomique(pdf, ecrire)


def imprimer_les_pages(pages: list[Path], refaire: set[Path], journal) -> list[Path]:
    """`<page>.pdf` beside each HTML page of `pages` whose PDF is missing or in `refaire`
    (rebuilt this time); returns the PDFs written. A page that does not print is said in one
    line and the others go on."""
    navigateur = chromium()
    if navigateur is None:
        journal(SANS_CHROMIUM)
        return []
    ecrits = []
    for page in pages:
        pdf = page.with_suffix(".pdf")
        if pdf.is_file() and page not in refaire:
            continue
        try:
            ecrits.append(imprimer(page, pdf, navigateur))
        except (subprocess.SubprocessError, OSError) as exc:
            journal(f"PDF non produit pour {page.name} : impression impossible ({type(exc).__name__}).")
    return ecrits
