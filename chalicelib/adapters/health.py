"""Asks each dependency one cheap question; /health reports the ones that do not answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="cps", child=True)  # one service name: records reach its handler


class DependencyHealth:
    def __init__(self, probes: dict[str, Callable[[], Any]]) -> None:
        self._probes = probes

    def failing(self) -> list[str]:
        failing = []
        for name, probe in self._probes.items():
            try:
                probe()
            except Exception:  # any failure means "not answering"; the name is what matters
                logger.warning("Dependency not answering", extra={"dependency": name})
                failing.append(name)
        return failing
