"""Benchmarks: figures to read, never assertions. `make bench` (python -m bench) runs them all.

- `bench.dynamodb_calls`: DynamoDB API calls per HTTP request, on the local runtime.
- `bench.cold_import`: each entry point's cold start (its module and its first call's imports),
  in fresh interpreters, against a bare app.
- `bench.invoice_pdf`: the time to render one invoice PDF (import, first and warm render).
- `bench.legacy_import`: legacy import rows per second.
"""
