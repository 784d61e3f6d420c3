"""Incremental builds are provably right: a page whose fingerprint did not change after an edit
of the data shows exactly what it showed before — checked section by section, without a
kernel, for every page of the sample and for edits of every kind. (`test_build` checks the
same end to end, with real builds.)"""

from __future__ import annotations

import dataclasses
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from evaluation.cache import charger_en_cache
from evaluation.donnees.territoire import charger
from evaluation.production.empreintes import empreintes_des_pages as _empreintes
from evaluation.production.taches import Tache, taches
from evaluation.rapport.contexte import LectureNonDeclaree
from evaluation.rapport.ouverture import Rapport, vue_de

from .conftest import ECHANTILLON

pytestmark = pytest.mark.lent  # a kernel, a browser or a build of pages

ANNEE = 2024


# One page per commune's neighbourhood among the neighbourhood pages: enough to cover each way a
# neighbourhood page reads (its own values, its commune's, the agglomeration's, every QPV's C1).
QUARTIERS_SUIVIS = ("TMVL-Q01", "TMVL-Q09", "TMVL-Q10", "TMVL-Q13")


def pages(dossier: Path, pool) -> tuple[dict[str, str], dict[str, list]]:
    """Every report page of the year and some neighbourhood pages: its fingerprint, and its
    sections' blocks (the data version, shown on every page, aside), drawn on two processes."""
    t = charger(dossier)
    liste = [
        tache
        for tache in taches(t, ANNEE, dossier, quartiers=True)
        if tache.parametres.get("code_qpv", QUARTIERS_SUIVIS[0]) in QUARTIERS_SUIVIS
    ]
    blocs = pool.map(_contenu, [dossier] * len(liste), liste)
    return _empreintes(t, ANNEE, liste), dict(zip([tache.slug for tache in liste], blocs, strict=True))


def _contenu(dossier: Path, tache: Tache) -> list:
    t = charger_en_cache(dossier)
    rapport = Rapport.pour(t, tache.vue(t), tache.parametres.get("fiches_quartier", False))
    return [
        _sans_version(b, t.version) for s in rapport.plan if s.nom != "entete" for b in rapport.blocs(s.nom)
    ]


def _sans_version(bloc, version: str):
    if hasattr(bloc, "texte"):
        return dataclasses.replace(bloc, texte=bloc.texte.replace(version, "VERSION"))
    return bloc


def _ajouter(chemin: Path, ligne: str) -> None:
    texte = chemin.read_text(encoding="cp1252")
    chemin.write_text(texte.rstrip("\n") + "\n" + ligne + "\n", encoding="cp1252")


def _remplacer(chemin: Path, avant: str, apres: str, encodage: str = "cp1252") -> None:
    texte = chemin.read_text(encoding=encodage)
    assert avant in texte, avant
    chemin.write_text(texte.replace(avant, apres, 1), encoding=encodage)


def anct_2024_a_50(d: Path) -> None:
    _remplacer(d / "anct_adultes_relais.csv", "2024,CN03702M,46", "2024,CN03702M,50", "utf-8")


def adulte_relais_vacant_a_joue(d: Path) -> None:
    _ajouter(
        d / "2024" / "postes.csv",
        "AR-TEST;adulte_relais;Régie Plus;Joué-lès-Tours;TMVL-Q09;1;etat_anct;oui;;",
    )


def participants_d_une_reunion_a_joue(d: Path) -> None:
    chemin = d / "2024" / "reunions.csv"
    lignes = chemin.read_text(encoding="cp1252").splitlines()
    i = next(i for i, x in enumerate(lignes) if ";reseau_acteurs;Joué-lès-Tours;" in x)
    champs = lignes[i].split(";")
    champs[4] = str(int(champs[4]) + 3)
    lignes[i] = ";".join(champs)
    chemin.write_text("\n".join(lignes) + "\n", encoding="cp1252")


def population_de_la_riche(d: Path) -> None:
    _remplacer(d / "quartiers.csv", "La Riche,2099,", "La Riche,2300,", "utf-8")


def financement_a_tours(d: Path) -> None:
    _ajouter(d / "2024" / "financements.csv", "Tours;police_municipale;gup;12000")


def reunion_a_la_riche(d: Path) -> None:
    _ajouter(d / "2024" / "reunions.csv", "04/06/2024;clspd;La Riche;ville;11;")


def remontee_a_la_galboisiere(d: Path) -> None:
    _ajouter(d / "2024" / "remontees.csv", "10/09/2024;TMVL-Q13;mediateur;jeunesse;orientation;11/09/2024")


QUARTIERS = "quartiers/"
# Each edit, and pages that must be kept (fingerprints are not only right but precise).
EDITIONS = [
    (anct_2024_a_50, {QUARTIERS}),  # ANCT's count is on the commune and agglomeration reports only
    (adulte_relais_vacant_a_joue, {QUARTIERS}),  # a vacant post counts for nothing
    (participants_d_une_reunion_a_joue, {"tours", "la-riche", "saint-pierre-des-corps", QUARTIERS}),
    (population_de_la_riche, set()),  # the reference level C3 moves: every page
    (financement_a_tours, {"joue-les-tours", "la-riche", "saint-pierre-des-corps", QUARTIERS}),
    (reunion_a_la_riche, {"tours", "joue-les-tours", "saint-pierre-des-corps", QUARTIERS}),
    (remontee_a_la_galboisiere, {"tours"}),  # not even its masks move
]


@pytest.fixture(scope="module")
def pool():
    with ProcessPoolExecutor(max_workers=2) as p:
        yield p


@pytest.fixture(scope="module")
def copie(tmp_path_factory, pool):
    dossier = Path(shutil.copytree(ECHANTILLON, tmp_path_factory.mktemp("manifeste") / "raw"))
    return dossier, pages(dossier, pool)


@pytest.mark.parametrize("edition,gardees_attendues", EDITIONS, ids=[f.__name__ for f, _ in EDITIONS])
def test_une_page_a_l_empreinte_inchangee_montre_la_meme_chose(copie, pool, edition, gardees_attendues):
    """Edits applied one after the other to one copy of the sample (year 2024)."""
    dossier, (empreintes, contenus) = copie
    edition(dossier)
    apres_empreintes, apres_contenus = pages(dossier, pool)
    avant_empreintes, avant_contenus = dict(empreintes), dict(contenus)
    # the module's copy now carries this edit: the next edit starts from here
    empreintes.clear(), empreintes.update(apres_empreintes)
    contenus.clear(), contenus.update(apres_contenus)
    empreintes, contenus = avant_empreintes, avant_contenus
    changees = {p for p in contenus if apres_contenus[p] != contenus[p]}
    gardees = {p for p in empreintes if apres_empreintes[p] == empreintes[p]}
    assert not changees & gardees, f"pages périmées : {sorted(changees & gardees)}"
    assert changees, "the edit shows somewhere"
    for attendue in gardees_attendues:
        assert [p for p in gardees if p.startswith(attendue)], f"{attendue} rebuilt for nothing"
        if attendue == QUARTIERS:
            assert all(p in gardees for p in empreintes if p.startswith(QUARTIERS))
        else:
            assert attendue in gardees


def test_une_page_a_l_empreinte_inchangee_sans_edition(copie):
    dossier, (empreintes, _) = copie
    t = charger(dossier)
    liste = [tache for tache in taches(t, ANNEE, dossier, quartiers=True) if tache.slug in empreintes]
    assert _empreintes(t, ANNEE, liste) == empreintes


def test_une_section_ne_lit_que_ce_qu_elle_declare():
    from evaluation.rapport.sections.synthese import Synthese
    from evaluation.rapport.vue import Portee
    from evaluation.rapport.vue import lit as lire

    t = charger(ECHANTILLON)
    rapport = Rapport.pour(t, vue_de(t, tache_genre("commune"), ANNEE, "Tours"))

    class Indiscrete(Synthese):
        nom = "indiscrete"
        lit = (lire("C3"), lire("C1", a=Portee.QUARTIERS))

        def blocs(self, ctx):
            return [ctx.valeur("C3", "Joué-lès-Tours")]

    from evaluation.rapport.contexte import Contexte

    with pytest.raises(LectureNonDeclaree, match="indiscrete.*C3.*Joué-lès-Tours"):
        Indiscrete().blocs(Contexte(rapport, Indiscrete()))
    ctx = Contexte(rapport, Indiscrete())
    assert ctx.valeur("C1", "TMVL-Q01") > 0  # Sanitas is one of Tours' neighbourhoods
    with pytest.raises(LectureNonDeclaree):
        ctx.valeur("C1", "TMVL-Q09")  # La Rabière is Joué's
    with pytest.raises(LectureNonDeclaree, match="annexe outils"):
        ctx.annexe("outils")
    assert set(ctx.valeurs_annee("C1").index) <= set(
        t.quartiers.loc[t.quartiers.commune == "Tours", "code_qpv"]
    )


def tache_genre(nom: str):
    from evaluation.rapport.vue import Genre

    return Genre(nom)
