"""Request and response shapes of the HTTP API (API.md), one module per area of routes; they
also generate /openapi.json. A route module imports its own area's module (and `common`), so
that the API function's first request builds only the models of the area it calls.

Requests: a model states the JSON shape only — types, required fields, the fixed vocabularies
(enums) and the exact form of machine values (ids, tokens, keys, codes), and a body that does not
fit is a 400 MALFORMED_REQUEST. What people type (a country, a date of purchase, a serial
number, a dealer, a purchase-order number, an e-mail address...) is checked by the domain's
rules, whose 422 says what to send; its model bounds it only by the API-wide 2,000 characters,
never by a stand-in for the rule (a `max_length=2` for a country code would answer "Netherlands"
with a 400 the application form answers with a 422).

Responses: closed (`additionalProperties: false`), built by the handlers (handlers/views/) from
what the use cases return, with the domain's enums as the allowed values.

Nothing is re-exported here: importing this package must not import every area.
"""
