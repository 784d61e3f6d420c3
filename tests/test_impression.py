"""The reports as a reviewer prints them: Debian's Chromium prints every page of the sample
(the agglomeration and each commune, one build) to PDF. Every page is A4 and carries its page
number at the foot; no page is under 40 % filled unless it ends a section (the next page opens
with a section heading, or it is the last page); no page ends on a heading (a heading, a table's
caption, a list's title line such as « Sommaire » or « À retenir »); a table split over two pages
leaves at least three rows on each; the colophon never stands alone on the last page. Tours is
printed again with a longer header (as with more banners), which moves every break. Skips where
Chromium is absent.

What a page holds is read from the PDF's structure tree (Chromium tags its PDFs): each heading,
paragraph, caption, figure and table row with the height it takes on the page."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import construire_echantillon

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.lent,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium absent (apt-get install chromium)"),
]
pdfium = pytest.importorskip("pypdfium2")
import pypdfium2.raw as brut  # noqa: E402

A4 = (595.28, 841.89)  # points
REMPLISSAGE_MIN = 0.40
TITRES = {"H1", "H2", "H3", "H4", "H5", "H6", "Caption"}
BLOCS = TITRES | {"P", "LI", "TR", "Figure"}
ALLONGEMENTS = (15, 45, 75)  # mm added under Tours' header


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


def _type(element) -> str:
    n = brut.FPDF_StructElement_GetType(element, None, 0)
    tampon = ctypes.create_string_buffer(n)
    brut.FPDF_StructElement_GetType(element, tampon, n)
    return tampon.raw[:n].decode("utf-16-le").rstrip("\x00")


def _marques(element) -> list[int]:
    """The marked-content ids an element owns directly (on any page: a repeated table header
    owns one per page, and pdfium does not say which page each belongs to)."""
    compte = brut.FPDF_StructElement_GetMarkedContentIdCount(element)
    return [
        m for i in range(compte) if (m := brut.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i)) >= 0
    ]


def blocs(page) -> list[dict]:
    """The page's blocks from its structure tree, in reading order: `type` (H2, P, TR, Caption,
    Figure…), `haut` and `bas` (points from the page's top), `texte`, `table` (the rows of one
    table share it), `entete` (a row of header cells only) and `gras` (a paragraph of bold text
    only: a title line)."""
    hauteur, largeur = page.get_height(), page.get_width()
    etendues, ecrits = {}, set()
    for i in range(brut.FPDFPage_CountObjects(page.raw)):
        objet = brut.FPDFPage_GetObject(page.raw, i)
        marque = brut.FPDFPageObj_GetMarkedContentID(objet)
        if marque < 0:
            continue
        g, b, d, h = (ctypes.c_float() for _ in range(4))
        brut.FPDFPageObj_GetBounds(objet, g, b, d, h)
        if brut.FPDFPageObj_GetType(objet) in (brut.FPDF_PAGEOBJ_TEXT, brut.FPDF_PAGEOBJ_IMAGE):
            ecrits.add(marque)
        e = etendues.setdefault(marque, [float("inf"), float("-inf")])
        e[0], e[1] = min(e[0], hauteur - h.value), max(e[1], hauteur - b.value)
    arbre = brut.FPDF_StructTree_GetForPage(page.raw)
    elements = []  # [type, parent's index, own marks]

    def parcourir(element, parent):
        k = len(elements)
        elements.append([_type(element), parent, _marques(element)])
        for i in range(brut.FPDF_StructElement_CountChildren(element)):
            if enfant := brut.FPDF_StructElement_GetChildAtIndex(element, i):
                parcourir(enfant, k)

    for i in range(brut.FPDF_StructTree_CountChildren(arbre)):
        parcourir(brut.FPDF_StructTree_GetChildAtIndex(arbre, i), None)
    brut.FPDF_StructTree_Close(arbre)
    # An element with one mark has it on this page; one with several (a repeated header cell)
    # keeps the marks of text or images on this page that no single-mark element owns.
    surs = {el[2][0] for el in elements if len(el[2]) == 1}
    for el in elements:
        if len(el[2]) > 1:
            el[2] = [m for m in el[2] if m in ecrits and m not in surs]
    boites = [[float("inf"), float("-inf")] for _ in elements]
    for k in range(len(elements) - 1, -1, -1):  # children come after their parent
        for m in elements[k][2]:
            if m in etendues:
                boites[k] = [min(boites[k][0], etendues[m][0]), max(boites[k][1], etendues[m][1])]
        if (parent := elements[k][1]) is not None:
            boites[parent] = [min(boites[parent][0], boites[k][0]), max(boites[parent][1], boites[k][1])]
    texte = page.get_textpage()
    resultat = []
    for k, (nature, parent, _) in enumerate(elements):
        haut, bas = boites[k]
        if nature not in BLOCS or haut > bas:
            continue
        ancetres, table = [], None
        while parent is not None:
            ancetres.append(elements[parent][0])
            if elements[parent][0] == "Table" and table is None:
                table = parent
            parent = elements[parent][1]
        if BLOCS & set(ancetres):
            continue  # inside a block already listed (a list item's paragraph, a figure's caption)
        enfants = [el[0] for el in elements if el[1] == k]
        resultat.append(
            {
                "type": nature,
                "haut": haut,
                "bas": bas,
                "texte": texte.get_text_bounded(0, hauteur - bas, largeur, hauteur - haut).replace(
                    "\r\n", " "
                ),
                "table": table,
                "entete": nature == "TR" and bool(enfants) and set(enfants) == {"TH"},
                "gras": nature == "P" and bool(enfants) and set(enfants) == {"Strong"},
            }
        )
    return resultat


RANGEES_COURTES = 0.15  # of a page's height: rows left at a page's foot or head below it look stranded


def _hauteur(rangees: list[dict]) -> float:
    return sum(b["bas"] - b["haut"] for b in rangees)


def defauts(document, colophon: str = "") -> dict[str, list]:
    """What a reviewer would mark on a printed document, page numbers from 1: pages under
    40 % filled that do not end a section, pages ending on a heading, tables leaving two rows
    or fewer at the foot of a page (`orphelines`) or carrying two or fewer to the next page
    (`veuves`) — short rows, under 15 % of the page together — and a last page holding
    nothing but the colophon."""
    pages = [document[i] for i in range(len(document))]
    contenus = [blocs(p) for p in pages]
    trouve = {"peu_remplies": [], "titres_en_bas": [], "orphelines": [], "veuves": [], "colophon_seul": []}
    for i, (page, contenu) in enumerate(zip(pages, contenus, strict=True)):
        suivant = contenus[i + 1] if i + 1 < len(pages) else []
        premier = min(suivant, key=lambda b: b["haut"]) if suivant else None
        if not contenu:
            continue  # a page of a definitions list, say: no tagged block
        dernier = max(contenu, key=lambda b: b["bas"])
        fin_de_section = premier is None or premier["type"] in ("H1", "H2")
        if not fin_de_section and (r := remplissage(page)) < REMPLISSAGE_MIN:
            trouve["peu_remplies"].append((i + 1, round(r, 2)))
        if premier is not None and (dernier["type"] in TITRES or dernier["gras"]):
            trouve["titres_en_bas"].append((i + 1, dernier["texte"][:60]))
        if premier is not None and dernier["type"] == premier["type"] == "TR":
            ici = [
                b for b in contenu if b["type"] == "TR" and b["table"] == dernier["table"] and not b["entete"]
            ]
            # Two rows or fewer, and short ones: rows of long text (a definition each) that fill
            # a good part of the page are no orphans.
            if len(ici) <= 2 and _hauteur(ici) < RANGEES_COURTES * page.get_size()[1]:
                trouve["orphelines"].append((i + 1, len(ici), dernier["texte"][:60]))
            apres = [
                b for b in suivant if b["type"] == "TR" and b["table"] == premier["table"] and not b["entete"]
            ]
            continue_encore = i + 2 < len(pages) and max(suivant, key=lambda b: b["bas"]) in apres
            if (
                len(apres) <= 2
                and not continue_encore
                and _hauteur(apres) < RANGEES_COURTES * page.get_size()[1]
            ):
                trouve["veuves"].append((i + 2, len(apres), premier["texte"][:60]))
    if colophon and contenus[-1] and all(b["texte"].startswith(colophon[:40]) for b in contenus[-1]):
        trouve["colophon_seul"].append(len(pages))
    return trouve


def colophon(page: Path) -> str:
    import re
    from html import unescape

    trouve = re.search(r'<footer class="pied">\s*<p>(.*?)</p>', page.read_text(encoding="utf-8"), re.S)
    return unescape(trouve.group(1)) if trouve else ""


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every page of the sample printed, and Tours again with its header lengthened."""
    racine = tmp_path_factory.mktemp("impression")
    r = construire_echantillon(racine)
    assert r.returncode == 0, r.stderr
    sortie = next((racine / "reports").iterdir())
    pages = sorted(p for p in sortie.glob("*.html") if p.name != "index.html")
    assert {p.stem for p in pages} >= {"agglomeration", "tours", "la-riche", "joue-les-tours"}
    tours = (sortie / "tours.html").read_text(encoding="utf-8")
    for mm in ALLONGEMENTS:
        allongee = sortie / f"tours-entete-{mm}mm.html"
        allongee.write_text(tours.replace("</header>", f'</header><div style="height:{mm}mm"></div>', 1))
        pages.append(allongee)
    resultat = {}
    for page in pages:
        imprimer(page, racine / f"{page.stem}.pdf")
        resultat[page.stem] = (pdfium.PdfDocument(racine / f"{page.stem}.pdf"), colophon(page))
    return resultat


def test_every_page_is_a4_numbered_and_carries_the_territory(pdfs):
    for nom, (document, _) in pdfs.items():
        n = len(document)
        assert n >= 3, nom
        for i in range(n):
            page = document[i]
            assert page.get_size() == pytest.approx(A4, abs=1), (nom, i + 1)
            texte = page.get_textpage().get_text_range()
            assert f"page {i + 1} sur {n}" in texte, (nom, i + 1)
            assert "Tours" in texte, "territory and perimeter at the foot of every page"


def test_no_page_is_left_nearly_empty_nor_ends_on_a_heading_or_splits_a_table_badly(pdfs):
    trouves = {nom: defauts(document, pied) for nom, (document, pied) in pdfs.items()}
    assert {nom: {k: v for k, v in d.items() if v} for nom, d in trouves.items()} == {
        nom: {} for nom in trouves
    }


def test_les_chiffres_cles_sont_imprimes_d_un_bloc(pdfs):
    """The key figures (`entier`): their caption, header and every row on one page, whatever
    the page's header before them (Tours lengthened three ways)."""
    for nom, (document, _) in pdfs.items():
        contenus = [blocs(document[i]) for i in range(len(document))]
        [(i, legende)] = [
            (i, b)
            for i, c in enumerate(contenus)
            for b in c
            if b["type"] == "Caption" and "Chiffres clés" in b["texte"]
        ]
        lignes = [b for b in contenus[i] if b["type"] == "TR" and b["table"] == legende["table"]]
        assert lignes and lignes[0]["entete"], nom
        assert len(lignes) - 1 >= 10, (nom, len(lignes))  # every key figure (16 on the sample) with it
        suivantes = contenus[i + 1] if i + 1 < len(contenus) else []
        assert not any(b["type"] == "TR" and "Chiffre clé" in b["texte"] for b in suivantes), nom


def page_d_essai(dossier: Path) -> Path:
    """A page printed without the reports' style sheet: a heading at the foot of page 1, a
    table leaving two rows at the foot of page 2, a page 3 under a third filled before a forced
    break inside a section, and a last page holding only the colophon."""
    lignes = "".join(f"<tr><th>Ligne {i}</th><td>{i}</td></tr>" for i in range(8))
    html = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 16mm 14mm 18mm; }}
body {{ margin: 0; font: 11pt/1.2 Arial, sans-serif; print-color-adjust: exact; }}
h1, h2, p, table {{ margin: 0; }}
td, th {{ height: 9mm; padding: 0; }}
.bloc {{ break-inside: avoid; background: #888; }}
</style></head><body><main>
<h1>Essai</h1><div style="height:200mm"></div><h2>Titre en bas</h2>
<div class="bloc" style="height:100mm"></div><p>Son texte.</p><div style="height:128mm"></div>
<table><caption>Tableau</caption><thead><tr><th>A</th><th>B</th></tr></thead><tbody>{lignes}</tbody></table>
<p>Peu de texte.</p><p style="break-before: page">Suite de la même section.</p>
<div class="bloc" style="height:230mm"></div></main>
<footer class="pied"><p style="break-before: page">Colophon de l'essai</p></footer></body></html>"""
    page = dossier / "essai.html"
    page.write_text(html, encoding="utf-8")
    return page


def test_the_reviewer_s_marks_are_found_on_a_page_printed_without_our_rules(tmp_path):
    imprimer(page_d_essai(tmp_path), tmp_path / "essai.pdf")
    document = pdfium.PdfDocument(tmp_path / "essai.pdf")
    trouve = defauts(document, "Colophon de l'essai")
    assert [page for page, _ in trouve.pop("peu_remplies")] == [3]
    assert [(page, n) for page, n, _ in trouve.pop("orphelines")] == [(2, 2)]
    assert trouve == {"titres_en_bas": [(1, "Titre en bas")], "veuves": [], "colophon_seul": [5]}


def test_l_index_avec_les_fiches_quartier_tient_sur_une_page(tmp_path):
    """The index of the sample built with --quartiers (13 neighbourhood pages listed, in two
    columns, named without « Quartier — » under their heading) prints on one page: its last
    section never alone on a second page with the colophon."""
    r = construire_echantillon(tmp_path, "--quartiers")
    assert r.returncode == 0, r.stderr
    index = next((tmp_path / "reports").iterdir()) / "index.html"
    assert index.read_text(encoding="utf-8").count('<li><a href="quartiers/') == 13
    imprimer(index, tmp_path / "index.pdf")
    document = pdfium.PdfDocument(tmp_path / "index.pdf")
    assert len(document) == 1
    assert "Indicateurs" in document[0].get_textpage().get_text_range()
