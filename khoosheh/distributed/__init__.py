"""Identification beyond one machine, on Dask (issue 14; docs/scale-out.md).

`engine.DistributedRun` runs the same stages as `analysis.identify.ClusterIdentifier` — the same functions —
cut into map steps on the partitions of a registry (its files) and reduce steps on small tables, so it gives
the same clusters. Pure: it imports core/ and analysis/, never Django. Dask is an optional extra
(`pip install 'khoosheh[dask]'`); this package is imported only when it is asked for.
"""
