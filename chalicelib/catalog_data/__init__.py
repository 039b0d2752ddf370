"""Packaged data of the catalogue of eligible products (``products.csv``).

The file is read with ``importlib.resources`` by ``chalicelib.domain.catalog.packaged_catalog``.
"""
