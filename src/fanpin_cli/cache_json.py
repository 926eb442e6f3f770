"""The cache's JSON pieces read by the json module's own C scanner (_json.make_scanner)
without importing the json package, whose decoder and encoder modules cost ~4.5M
instructions of every warm run; json.loads where the accelerator is missing.

The scanner builds only lists, dicts, strings and numbers (no hooks; NaN and Infinity
refused; no control characters in strings); fanpin_cli.cache_read checks what it built.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast


def _constant(name: str) -> Any:
    raise ValueError(f"JSON constant {name}")


try:
    from _json import make_scanner

    _PLAIN = SimpleNamespace(strict=True, object_hook=None, object_pairs_hook=None,
        parse_float=float, parse_int=int, parse_constant=_constant)  # fmt: skip
    _SCAN: Callable[[str, int], tuple[Any, int]] | None = make_scanner(cast(Any, _PLAIN))
except ImportError:  # an interpreter without json's C accelerator
    _SCAN = None


def loads(blob: bytes) -> Any:
    """A piece of the cache as JSON: UTF-8, one value and nothing around it (as the cache
    writes it, fanpin_cli.cache_format); ValueError (or another exception) otherwise."""
    text = blob.decode("utf-8")
    if _SCAN is None:
        import json

        return json.loads(text)
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:  # no JSON value at all
        raise ValueError("not JSON") from None
    if end != len(text):
        raise ValueError("not one JSON value")
    return value
