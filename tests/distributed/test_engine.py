"""`khoosheh identify --engine dask` gives the clusters the embedded engine gives — ids, members, figures — on
a registry cut into files, each cluster's members spread over every file, run on a two-worker LocalCluster."""

import json

import numpy as np
import pytest
from django.core.management import call_command
from identify_bench import write_csv
from synthetic import make_registry

from khoosheh.analysis.grid import project_km

pytest.importorskip("distributed")

TILE_KM = 64.0  # small tiles (the default is 256 km): many clusters cross their edges


def write_files(columns, folder, n_files: int, seed: int = 0) -> list:
    """The registry's rows dealt at random into ``n_files`` CSV files (so every cluster straddles them),
    each written as the identification benchmark writes its files."""
    part = np.random.default_rng(seed).integers(n_files, size=len(columns))
    paths = [folder / f"part-{k}.csv" for k in range(n_files)]
    for k, path in enumerate(paths):
        write_csv(path, columns.take(np.flatnonzero(part == k)))
    return [str(p) for p in paths]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry")
    return write_files(make_registry(20_000, seed=5).columns, folder, 3)


def clusters_of(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["clusters"]


@pytest.mark.slow
@pytest.mark.parametrize("significance", ["bonferroni", "monte carlo"])
def test_the_dask_engine_gives_the_embedded_engines_clusters(files, tmp_path, significance):
    embedded, dask = tmp_path / "embedded.json", tmp_path / "dask.json"
    test = ["--significance", significance.replace(" ", "-")]
    call_command("identify", *files, *test, "--output", str(embedded))
    call_command("identify", *files, *test, "--engine", "dask", "--workers", "2", "--tile-km", str(TILE_KM),
                 "--output", str(dask))
    ours, theirs = clusters_of(dask), clusters_of(embedded)
    assert len(theirs) > 10
    assert sum(map(straddles_a_tile_edge, theirs)) >= 2
    assert ours == theirs


def straddles_a_tile_edge(cluster: dict) -> bool:
    south, west, north, east = cluster["bbox"]
    x, y = project_km(np.array([south, north, south, north]), np.array([west, west, east, east]))
    return len({int(v // TILE_KM) for v in x}) > 1 or len({int(v // TILE_KM) for v in y}) > 1
