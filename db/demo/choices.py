"""Weighted choices drawn from the demo's one seeded generator."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Choices(Generic[T]):
    """A weighted choice that costs one random number and one bisection."""

    __slots__ = ("_cum", "_total", "_values")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self._values = [value for value, _ in pairs]
        self._cum = list(itertools.accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self._values[bisect.bisect_right(self._cum, rng.random() * self._total)]
