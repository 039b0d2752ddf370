"""The PynamoDB connections of this process: each its own client, all from one botocore session.

PynamoDB gives every connection a botocore session of its own (per thread), and a model bound
to a table (`models.bind`) has a connection of its own. A new session loads botocore's endpoint
and service data again before its first client: about 0.1 s per connection, paid at the first
call of each repository's model in a cold function (and in every thread of the local runtime),
against about 0.02 s for a client from a session that has loaded them. So the connections share
one session; clients are made one at a time, since making clients from one session is not
thread-safe in botocore (each client, once made, is).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import botocore.session
from pynamodb.connection import Connection

_making_a_client = threading.Lock()


@functools.cache
def _shared_session() -> botocore.session.Session:
    return botocore.session.get_session()


class SessionSharingConnection(Connection):
    @property
    def session(self) -> botocore.session.Session:
        return _shared_session()

    @property
    def client(self) -> Any:
        with _making_a_client:
            return super().client


def connection(region: str) -> Connection:
    """A connection for transactions over several tables."""
    return SessionSharingConnection(region=region)
