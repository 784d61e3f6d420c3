"""The yearly batch: one papermill run per commune plus one for the agglomeration, HTML
export with the project's template, the index page and the indicator exports.

A report that fails never stops the others: its executed notebook is kept (with
papermill's error cell) under `OUT/YYYY/_notebooks/`, the index marks it failed and the
batch ends with a non-zero status. Every output file is written atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from . import __version__, formats, manifeste
from .cache import charger_en_cache, tableau_partage
from .indicateurs.consultation import consultation
from .indicateurs.publication import publie_memorise
from .io import ecrire_csv_atomique, ecrire_texte_atomique, ecrire_xlsx_atomique
from .notebooks import AGGLOMERATION, COMMUNE, KERNEL, KERNEL_ARGUMENTS, QUARTIER
from .objectifs import ecrire_propositions, proposer
from .paths import NOTEBOOKS, TEMPLATES, traitees_pour
from .problems import ErreurUtilisateur
from .rapport.annexes import ANNEXES
from .rapport.ouverture import vue_de
from .rapport.plans import PLANS
from .rapport.vue import Genre
from .territoire import Territoire, ecrire_traitees

TEMPLATE = "rapport"
NON_MASQUES = "indicateurs_non_masques.csv"
TAGS_MASQUES = ("parameters", "injected-parameters", "notebook-only")


@dataclass(frozen=True)
class Tache:
    """One report to produce."""

    slug: str
    titre: str
    notebook: Path
    parametres: dict
    genre: Genre | None = None  # the report's kind (its plan); None for a notebook of no plan


@dataclass(frozen=True)
class Resultat:
    tache: Tache
    ok: bool
    erreur: str = ""
    reutilise: bool = False  # up to date: kept from the previous build (manifest.json)
    duree: float = 0.0  # seconds spent on it by its worker (run and export)

    @property
    def fichier(self) -> str:
        return f"{self.tache.slug}.html"


def taches(
    t: Territoire, annee: int, donnees: Path, communes: list[str] | None = None, quartiers: bool = False
) -> list[Tache]:
    """The agglomeration's report, one per commune with an active QPV (or those asked), and
    with `quartiers` one page per QPV of those communes under `quartiers/`."""
    actives = t.communes_actives(annee)
    if communes:
        inconnues = [c for c in communes if c not in actives]
        if inconnues:
            raise ErreurUtilisateur(
                f"Commune inconnue ou sans QPV actif en {annee} : {', '.join(inconnues)} ; "
                f"communes disponibles : {', '.join(actives)}."
            )
    commun = {"annee": annee, "donnees": str(donnees)}
    liste = [Tache("agglomeration", f"Agglomération — {t.nom}", AGGLOMERATION, commun, Genre.AGGLOMERATION)]
    retenues = [c for c in actives if not communes or c in communes]
    liste += [
        Tache(
            formats.slug(c),
            f"Commune — {c}",
            COMMUNE,
            {**commun, "commune": c, "fiches_quartier": quartiers},
            Genre.COMMUNE,
        )
        for c in retenues
    ]
    if quartiers:
        qpv = t.quartiers_actifs(annee, "qpv")
        liste += [
            Tache(
                f"quartiers/{formats.slug(q.code_qpv)}",
                f"Quartier — {q.nom} ({q.commune})",
                QUARTIER,
                {**commun, "code_qpv": q.code_qpv},
                Genre.QUARTIER,
            )
            for q in qpv.itertuples()
            if q.commune in retenues
        ]
    return liste


def executer(tache: Tache, rep: Path, pied: str, noyaux_neufs: bool = False) -> Resultat:
    """Run one notebook with papermill, then export it to HTML (in a worker process).

    The notebook runs on this process's reused kernel (`evaluation.noyaux`), or with
    `noyaux_neufs` in a new kernel of its own (papermill's default engine)."""
    import papermill as pm  # heavy imports (≈ 2 s): only in the workers that run notebooks

    from .noyaux import MOTEUR

    debut = time.perf_counter()
    executes = rep / "_notebooks"
    executes.mkdir(parents=True, exist_ok=True)
    sortie = executes / f"{tache.slug}.ipynb"
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
    html = exporter_html(execute, titre, pied)
    ecrire_texte_atomique(html, rep / f"{tache.slug}.html")
    return Resultat(tache, True, duree=time.perf_counter() - debut)


def exporter_html(nb, titre: str, pied: str) -> str:
    """HTML of an executed notebook with the project's template: no code, no parameters."""
    exporteur = _exporteur(threading.get_ident())
    corps, _ = exporteur.from_notebook_node(nb, resources={"metadata": {"titre": titre, "pied": pied}})
    return corps


@functools.cache
def _exporteur(_fil: int):
    """One HTML exporter per thread of a worker (its template is loaded once, then reused
    report after report; a Dask worker may export from several threads at once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = set(TAGS_MASQUES)
    config.TagRemovePreprocessor.enabled = True
    exporteur = HTMLExporter(
        config=config,
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporteur.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporteur


# Rows of an Excel sheet, its header included.
LIGNES_EXCEL = 1_048_576


def ecrire_exports(t: Territoire, annee: int, rep: Path) -> pd.DataFrame:
    """indicateurs.csv (UTF-8, comma) and indicateurs.xlsx: every published indicator, every
    year ≤ annee, from the published table (`masque`: « < 5 » or « s » where a count of field
    signals is masked, its `valeur` then empty — the same cells as on every page).

    The workbook has one sheet « indicateurs », or one per year (« indicateurs AAAA ») when the
    table would not fit in a sheet (a national territory has ≈ 130 k values a year)."""
    table = publie_memorise(t, t.annees_jusqu_a(annee)).copy()
    table["valeur"] = table["valeur"].round(6)
    ecrire_csv_atomique(table, rep / "indicateurs.csv")
    if len(table) < LIGNES_EXCEL:
        feuilles = {"indicateurs": table}
    else:
        feuilles = {f"indicateurs {a}": lignes for a, lignes in table.groupby("annee", sort=True)}
    ecrire_xlsx_atomique(feuilles, rep / "indicateurs.xlsx")
    return table


def ecrire_index(t: Territoire, annee: int, rep: Path, resultats: list[Resultat], pied: str) -> Path:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(TEMPLATES), str(TEMPLATES / TEMPLATE)]),
        autoescape=True,
    )
    html = env.get_template("index.html.j2").render(
        territoire=t,
        annee=annee,
        rapports=[r for r in resultats if not r.tache.slug.startswith("quartiers/")],
        fiches=[r for r in resultats if r.tache.slug.startswith("quartiers/")],
        pied=pied,
        exemple=t.exemple,
    )
    return ecrire_texte_atomique(html, rep / "index.html")


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
) -> list[Resultat]:
    """Validate the data, then build every report of `annee` whose inputs changed since the
    last build (all of them with `force`); return one result per report. Each worker runs
    its reports on one reused kernel (`evaluation.noyaux`), or with `noyaux_neufs` each in a
    new kernel. With `executeur="dask"` the reports run on the Dask distributed cluster
    whose scheduler is at `ordonnanceur` (its workers must see the same data and output
    folders, and have this package installed).

    Raises `DonneesInvalides` (nothing is built) when the data break the contract.
    """
    _verifier_executeur(executeur, ordonnanceur)
    donnees = Path(donnees).resolve()
    t = charger_en_cache(donnees)
    annee = annee or t.derniere_annee
    t.annee(annee)
    liste = taches(t, annee, donnees, communes, quartiers)
    rep = Path(sortie) / str(annee)
    rep.mkdir(parents=True, exist_ok=True)
    ancien = {} if force else manifeste.lire(rep)
    empreintes = _empreintes(t, annee, liste)
    a_faire = [
        tache
        for tache in liste
        if force
        or ancien.get("rapports", {}).get(tache.slug, {}).get("empreinte") != empreintes[tache.slug]
        or not ancien["rapports"][tache.slug].get("ok")
        or not (rep / f"{tache.slug}.html").is_file()
    ]
    resultats = {tache.slug: Resultat(tache, True, reutilise=True) for tache in liste if tache not in a_faire}
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(a_faire) or 1))
    with contextlib.ExitStack() as pile:
        pool = None
        if a_faire and executeur == "local":
            # Started now: the workers import papermill and start their kernel while this
            # process writes the processed tables and computes the indicators.
            pool = pile.enter_context(_executeur(executeur, ordonnanceur, jobs, noyaux_neufs))
            pool.submit(int)
        traitees = traitees_pour(donnees)
        ecrire_traitees(t, traitees)
        genere = formats.horodatage(dt.datetime.now())
        pied = (
            f"{t.nom} — fiche 4.2.2, année {annee} — version des données {t.version} — "
            f"généré le {genere} par evaluation {__version__}" + (" — DONNÉES D'EXEMPLE" if t.exemple else "")
        )
        # The reports share the validated data and the indicator table through the cache.
        table = tableau_partage(t, t.annees_jusqu_a(annee))
        ecrire_propositions(proposer(t, annee, table), traitees / str(annee), annee + 1)
        # The unmasked values stay with the officer, out of the published folder.
        ecrire_csv_atomique(
            table.assign(valeur=table["valeur"].round(6)), traitees / str(annee) / NON_MASQUES
        )
        ou = f"sur le cluster Dask {ordonnanceur}" if executeur == "dask" else f"{jobs} en parallèle"
        journal(f"{len(a_faire)} rapport(s) à produire pour {annee} ({ou}), {len(resultats)} à jour…")
        if a_faire:
            with _barre(len(a_faire)) as barre:

                def rapporter(r: Resultat) -> None:
                    ligne = f"  {'ok   ' if r.ok else 'ÉCHEC'} {r.tache.titre}" + (
                        "" if r.ok else f" — {r.erreur}"
                    )
                    if barre is None:
                        journal(ligne)
                    else:
                        barre.write(ligne)
                        barre.update(1)
                    resultats[r.tache.slug] = r

                executer_taches(
                    a_faire, rep, pied, rapporter, jobs, noyaux_neufs, executeur, ordonnanceur, pool=pool
                )
    resultats = [resultats[tache.slug] for tache in liste]
    rapports = dict(ancien.get("rapports", {}))
    maintenant = dt.datetime.now().isoformat(timespec="seconds")
    for r in resultats:
        if not r.reutilise:
            rapports[r.tache.slug] = {
                "empreinte": empreintes[r.tache.slug],
                "ok": r.ok,
                "genere_le": maintenant,
            }
    empreinte_exports = manifeste.hacher(t.version, manifeste.empreinte_code(AGGLOMERATION), str(annee))
    exports = [rep / "indicateurs.csv", rep / "indicateurs.xlsx"]
    if force or ancien.get("exports") != empreinte_exports or not all(p.is_file() for p in exports):
        ecrire_exports(t, annee, rep)
    ecrire_index(t, annee, rep, resultats, pied)
    manifeste.ecrire(
        rep,
        {"annee": annee, "version_donnees": t.version, "exports": empreinte_exports, "rapports": rapports},
    )
    return resultats


EXECUTEURS = ("local", "dask")


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

    interrompues = sur_un_pool(taches_, jobs, dernier_essai=executeur != "local", pool=pool)
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
        else _executeur(executeur, ordonnanceur, jobs, noyaux_neufs)
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
    first report meets the same problem and reports it."""
    try:
        import papermill  # noqa: F401

        if not noyaux_neufs:
            from .noyaux import noyau

            noyau(KERNEL)
    except Exception:  # noqa: S110 - reported by the first report
        pass


def _verifier_executeur(executeur: str, ordonnanceur: str | None) -> None:
    if executeur not in EXECUTEURS:
        raise ErreurUtilisateur(
            f"Exécuteur inconnu : « {executeur} » ; exécuteurs : {', '.join(EXECUTEURS)}."
        )
    if executeur == "dask" and not ordonnanceur:
        raise ErreurUtilisateur("L'exécuteur dask demande l'adresse de l'ordonnanceur (--scheduler ADRESSE).")
    if executeur == "local" and ordonnanceur:
        raise ErreurUtilisateur(
            "Un ordonnanceur Dask (--scheduler) ne sert qu'avec l'exécuteur dask (--executor dask)."
        )


@contextlib.contextmanager
def _executeur(executeur: str, ordonnanceur: str | None, jobs: int, noyaux_neufs: bool = False):
    """Where the reports run: `jobs` local worker processes, or a Dask distributed cluster
    (through its `concurrent.futures` interface: the same code submits and collects)."""
    _verifier_executeur(executeur, ordonnanceur)
    if executeur == "local":
        with ProcessPoolExecutor(
            max_workers=jobs, initializer=_prechauffer, initargs=(noyaux_neufs,)
        ) as pool:
            yield pool
        return
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


@contextlib.contextmanager
def _barre(total: int):
    """A progress bar on a terminal (one step per report); nothing otherwise (logs, CI)."""
    if not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="rapport", desc="Rapports", file=sys.stderr) as barre:
        yield barre


def _empreintes(t: Territoire, annee: int, liste: list[Tache]) -> dict[str, str]:
    """Each report's fingerprint: its code, its parameters and what its sections read."""
    annees = t.annees_jusqu_a(annee)
    codes = {nb: manifeste.empreinte_code(nb) for nb in {tache.notebook for tache in liste}}
    empreintes = manifeste.Empreintes(t, consultation(t, annees))
    resultat = {}
    for tache in liste:
        vue = vue_de(t, tache.genre, annee, tache.parametres.get("commune"), tache.parametres.get("code_qpv"))
        annexes = functools.partial(_annexe, t, vue)
        resultat[tache.slug] = manifeste.hacher(
            codes[tache.notebook],
            json.dumps(tache.parametres, sort_keys=True, default=str),
            empreintes.page(vue, PLANS[tache.genre], annexes),
        )
    return resultat


def _annexe(t: Territoire, vue, nom: str):
    """An annex computed for a view (kept with the territory: views share some, e.g. sources)."""
    return ANNEXES[nom](t, vue)
