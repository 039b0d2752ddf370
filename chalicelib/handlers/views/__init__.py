"""The response models built from what the use cases return: the one place that shapes the wire,
one module per area of routes (as handlers/schemas/).

Each builder takes domain objects or a use case's typed result and returns the route's closed
response model; routes serialise it with `respond()` (handlers/http.py). The builders only read
attributes, so the domain and use-case types they take are imported for type checking only: a
route module that imports its area's builders does not import the use cases through them.

Nothing is re-exported here: importing this package must not import every area.
"""
