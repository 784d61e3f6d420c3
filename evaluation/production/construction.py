"""The yearly build, as a pipeline: validate, list the pages, fingerprint them, run those
whose inputs changed, then write the exports, the index and the manifest.

A page that fails never stops the others (`executeurs`); the build ends with a non-zero status
(`cli`). Every output file is written atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from evaluation import __version__, formats
from evaluation.cache import charger_en_cache, tableau_partage
from evaluation.donnees.collecte import manquants, retours_incomplets
from evaluation.donnees.territoire import Territoire, ecrire_traitees
from evaluation.hachage import hacher
from evaluation.indicateurs.mesure import phrase_en_baisse, tables_en_baisse
from evaluation.indicateurs.objectifs import ecrire_propositions, proposer
from evaluation.mentions import collecte_incomplete
from evaluation.paths import traitees_pour
from evaluation.production import empreintes
from evaluation.production.arret import Interruption, ProductionInterrompue
from evaluation.production.executeurs import EXECUTEURS, executer_taches, ouvrir_executeur, verifier_executeur
from evaluation.production.export import ecrire_exports, ecrire_index, ecrire_non_masques
from evaluation.production.notebooks import AGGLOMERATION
from evaluation.production.pdf import imprimer_les_pages
from evaluation.production.taches import Resultat, Tache, mentions, taches
from evaluation.rapport.analyses import demandes, modifiees_depuis, suivre_validation, verifier_analyses


def construire(
    donnees: Path | str,
    sortie: Path | str,
    annee: int | None = None,
    communes: list[str] | None = None,
    jobs: int | None = None,
    journal: Callable[[str], None] = print,
    quartiers: bool = False,
    force: bool = False,
    noyaux_neufs: bool = False,
    executeur: str = "local",
    ordonnanceur: str | None = None,
    pdf: bool = False,
) -> list[Resultat]:
    """Build every page of `annee` whose inputs changed since the last build (all with
    `force`), on local workers or a Dask cluster (`executeurs`); one result per page. Raises
    `DonneesInvalides` (nothing is built) when the data break the contract."""
    verifier_executeur(executeur, ordonnanceur)
    donnees = Path(donnees).resolve()
    t = charger_en_cache(donnees)
    annee = annee or t.derniere_annee
    t.annee(annee)  # a French error when the year has no data
    verifier_analyses(t, [annee])
    suivre_validation(t, annee)  # before any page: its status says when data changed since
    if jour := modifiees_depuis(t, annee):
        journal(
            f"Données de {annee} modifiées depuis la validation du comité de pilotage du {jour:%d/%m/%Y} : "
            "chaque page le dit dans son statut ; faites valider de nouveau, puis mettez à jour la date du statut."
        )
    liste = taches(t, annee, donnees, communes, quartiers)
    rep = Path(sortie) / str(annee)
    rep.mkdir(parents=True, exist_ok=True)
    ancien = {} if force else empreintes.lire(rep)
    jobs = max(1, jobs or os.cpu_count() or 1)
    a_faire: list[Tache] = []
    resultats: dict[str, Resultat] = {}
    try:
        with contextlib.ExitStack() as pile:
            demarrer = functools.partial(_demarrer, pile, executeur, ordonnanceur, jobs, noyaux_neufs)
            # Work for sure (forced, or a first build): the workers start their kernel right now.
            demarre = demarrer(len(liste)) if force or not ancien.get("rapports") else None
            table = tableau_partage(t, t.annees_jusqu_a(annee))  # computed once, stored for the workers
            pages = empreintes.empreintes_des_pages(t, annee, liste)
            a_faire += [
                tache for tache in liste if force or _a_refaire(ancien, rep, tache, pages[tache.slug])
            ]
            resultats.update(
                {tache.slug: Resultat(tache, True, reutilise=True) for tache in liste if tache not in a_faire}
            )
            pool, jobs = demarre or demarrer(len(a_faire))
            pied = _preparer(t, annee, donnees, table)
            ou = EXECUTEURS[executeur].ou(jobs, ordonnanceur)
            journal(
                f"{formats.accorder(len(a_faire), 'rapport')} à produire pour {annee} ({ou}), "
                f"{len(resultats)} à jour…"
            )
            with _barre(len(a_faire)) as barre:
                if a_faire:
                    rapporter = _rapporteur(journal, barre, resultats)
                    executer_taches(
                        a_faire, rep, pied, rapporter, jobs, noyaux_neufs, executeur, ordonnanceur, pool
                    )
    except (Interruption, KeyboardInterrupt) as exc:  # the pages written so far are kept
        interruption = exc if isinstance(exc, Interruption) else Interruption(signal.SIGINT)
        produits = sum(1 for r in resultats.values() if r.ok and not r.reutilise)
        for reste in rep.glob(".*.tmp"):  # a worker stopped while it wrote a page (`io.ecrire_atomique`)
            reste.unlink(missing_ok=True)
        raise ProductionInterrompue(interruption, produits, len(a_faire) - produits) from None
    resultats = [resultats[tache.slug] for tache in liste]
    empreinte_index = _publier(t, annee, rep, resultats, pied, ancien, pages, force)
    manque, incomplets = manquants(t, annee), retours_incomplets(t, annee)
    if manque:  # said on every page, and here
        journal(collecte_incomplete(manque, incomplets))
    if baisses := tables_en_baisse(t.volumes(), annee, manque, incomplets):  # in the synthesis, and here
        journal(phrase_en_baisse(baisses, annee))
    if pdf:
        _imprimer(rep, resultats, pages, empreinte_index, force, journal)
    return resultats


def _imprimer(
    rep: Path, resultats: list[Resultat], pages: dict[str, str], empreinte_index: str, force: bool, journal
) -> None:
    """`<page>.pdf` beside each page and the index, printed again when what the page shows
    changed since its PDF was printed — the manifest keeps, for each PDF, the fingerprint of the
    page it was printed from, so that a build without `--pdf` in between never leaves a PDF
    older than its page — or when the PDF is missing."""
    manifeste = empreintes.lire(rep)
    imprimes = dict(manifeste.get("pdf", {}))
    a_imprimer = {rep / r.fichier: (r.tache.slug, pages[r.tache.slug]) for r in resultats if r.ok}
    a_imprimer[rep / "index.html"] = ("index", empreinte_index)
    refaire = {page for page, (cle, e) in a_imprimer.items() if force or imprimes.get(cle) != e}
    for ecrit in imprimer_les_pages(list(a_imprimer), refaire, journal):
        cle, empreinte = a_imprimer[ecrit.with_suffix(".html")]
        imprimes[cle] = empreinte
    if imprimes != manifeste.get("pdf"):
        empreintes.ecrire(rep, {**manifeste, "pdf": imprimes})


def _demarrer(
    pile: contextlib.ExitStack,
    executeur: str,
    ordonnanceur: str | None,
    jobs: int,
    noyaux_neufs: bool,
    pages: int,
) -> tuple:
    """A local pool of at most `jobs` workers for `pages` pages, started now (its workers
    import papermill and start their kernel while this process goes on), kept open by `pile`;
    no pool for no page, nor for Dask (`executeurs` joins the cluster). Returns (pool, workers)."""
    n = max(1, min(jobs, pages))
    if not pages or not EXECUTEURS[executeur].a_l_avance:
        return None, n
    return pile.enter_context(ouvrir_executeur(executeur, ordonnanceur, n, noyaux_neufs)), n


def _a_refaire(ancien: dict, rep: Path, tache: Tache, empreinte: str) -> bool:
    """Whether a page must be built again: new inputs, failed last time, or missing."""
    avant = ancien.get("rapports", {}).get(tache.slug, {})
    return (
        avant.get("empreinte") != empreinte
        or not avant.get("ok")
        or not (rep / f"{tache.slug}.html").is_file()
    )


def _preparer(t: Territoire, annee: int, donnees: Path, table: pd.DataFrame) -> str:
    """For the officer: the processed tables, next year's proposed targets and the unmasked
    indicator table; returns the pages' footer."""
    traitees = traitees_pour(donnees)
    ecrire_traitees(t, traitees)
    ecrire_propositions(t, proposer(t, annee, table, demandes(t, annee)), traitees / str(annee), annee + 1)
    ecrire_non_masques(table, traitees / str(annee))
    return formats.typographie(
        f"{t.nom} — fiche 4.2.2, année {annee} — version des données {t.version} — "
        f"généré le {formats.horodatage(dt.datetime.now())} par evaluation {__version__}" + mentions(t, annee)
    )


def _rapporteur(journal: Callable[[str], None], barre, resultats: dict) -> Callable[[Resultat], None]:
    """Each result as it comes: one line (on the progress bar on a terminal), and kept."""

    def rapporter(r: Resultat) -> None:
        ligne = f"  {'ok   ' if r.ok else 'ÉCHEC'} {r.tache.titre}" + ("" if r.ok else f" — {r.erreur}")
        if barre is None:
            journal(ligne)
        else:
            barre.write(ligne)
            barre.update(1)
        resultats[r.tache.slug] = r

    return rapporter


def _publier(
    t: Territoire,
    annee: int,
    rep: Path,
    resultats: list[Resultat],
    pied: str,
    ancien: dict,
    pages: dict[str, str],
    force: bool,
) -> str:
    """The exports (when the data or the code changed), the index and the manifest; the index's
    fingerprint (what it says, its footer aside)."""
    rapports = dict(ancien.get("rapports", {}))
    maintenant = dt.datetime.now().isoformat(timespec="seconds")
    for r in resultats:
        if not r.reutilise:
            rapports[r.tache.slug] = {"empreinte": pages[r.tache.slug], "ok": r.ok, "genere_le": maintenant}
    empreinte_exports = hacher(t.version, empreintes.empreinte_code(AGGLOMERATION), str(annee))
    exports = [rep / "indicateurs.csv", rep / "indicateurs.xlsx"]
    if force or ancien.get("exports") != empreinte_exports or not all(p.is_file() for p in exports):
        ecrire_exports(t, annee, rep)
    _, empreinte_index = ecrire_index(t, annee, rep, resultats, pied)
    empreintes.ecrire(
        rep,
        {
            "annee": annee,
            "version_donnees": t.version,
            "exports": empreinte_exports,
            "index": empreinte_index,
            "rapports": rapports,
            "pdf": ancien.get("pdf", {}),  # what each PDF was printed from (`_imprimer`)
        },
    )
    return empreinte_index


@contextlib.contextmanager
def _barre(total: int):
    """A progress bar on a terminal (one step per report); nothing otherwise (logs, CI)."""
    if not total or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="rapport", desc="Rapports", file=sys.stderr) as barre:
        yield barre
