"""The cache of validated data shared by the reports of a batch never serves stale data."""

from __future__ import annotations

import pandas as pd

from evaluation import cache
from evaluation.cache import charger_en_cache, enregistrer
from evaluation.indicateurs import tableau_memorise

from .conftest import ecrire_territoire

POSTES = [["P1", "mediateur", "S", "Alpha", "Q1", "1", "ville", "non", "", ""]]


def test_cache_reutilise_puis_invalide(tmp_path):
    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": POSTES}})
    t = charger_en_cache(dossier)
    premier = tableau_memorise(t, [2024])
    chemin = enregistrer(t)
    assert chemin is not None and chemin.is_file() and chemin.parent == tmp_path / "processed" / "cache"

    assert charger_en_cache(dossier) is t  # the same process: from memory
    cache._en_memoire.clear()  # another process of the batch: from the file
    relu = charger_en_cache(dossier)
    assert relu is not t
    assert ("tableau", (2024,)) in relu.memo  # computed once, served with the territory from the cache
    pd.testing.assert_frame_equal(tableau_memorise(relu, [2024]), premier)

    # A changed data file is a different key: the change is read, never the old values.
    postes = dossier / "2024" / "postes.csv"
    postes.write_text(postes.read_text(encoding="utf-8").replace(",1,ville", ",0.5,ville"), encoding="utf-8")
    change = charger_en_cache(dossier)
    assert change is not relu and len(change.memo) == 0
    c1 = tableau_memorise(change, [2024]).query("indicateur == 'C1' and perimetre == 'Q1'")["valeur"].item()
    assert c1 == 0.5 / 2000 * 1000
    assert enregistrer(change) != chemin and not chemin.exists()  # one cache file per folder


def test_le_memo_n_est_pas_dans_l_etat_du_territoire(tmp_path):
    """The memo is the holder's: pickling a territory keeps its data, not what was computed."""
    import pickle

    t = charger_en_cache(ecrire_territoire(tmp_path / "raw", {2024: {"postes": POSTES}}))
    tableau_memorise(t, [2024])
    assert len(t.memo) > 0
    relu = pickle.loads(pickle.dumps(t))
    assert len(relu.memo) == 0 and relu.quartiers.equals(t.quartiers)


def test_un_territoire_charge_pour_une_partie_de_ses_annees_n_est_pas_mis_en_cache(tmp_path):
    """The cache's key is the whole folder's: a territory loaded for 2025 alone, stored under
    it, would have the next build read 2025 alone."""
    from evaluation.cache import tableau_partage
    from evaluation.donnees.territoire import charger

    dossier = ecrire_territoire(tmp_path / "raw", {2024: {"postes": POSTES}, 2025: {"postes": POSTES}})
    partiel = charger(dossier, [2025])
    tableau_partage(partiel, [2025])
    assert enregistrer(partiel) is None and not list((tmp_path / "processed").glob("cache/*.pickle"))
    cache._en_memoire.clear()
    assert sorted(charger_en_cache(dossier).annees) == [2024, 2025]
