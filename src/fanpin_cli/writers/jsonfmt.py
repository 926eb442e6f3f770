"""JSON and JSON Lines: UTF-8 unescaped, exact decimal numbers, null for missing."""

from __future__ import annotations

import json
import math
from decimal import Decimal

from fanpin_cli.core.decimals import format_number
from fanpin_cli.views.output import Output, Sink


def encode(value: object) -> str:
    """One value as JSON text; Decimals are written as exact JSON numbers, never NaN."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{encode(str(k))}: {encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(encode(v) for v in value) + "]"
    if isinstance(value, float):  # computed rates (progress): finite ones only, never NaN
        return repr(value) if math.isfinite(value) else "null"
    return json.dumps(str(value), ensure_ascii=False)


def _objects(output: Output) -> list[str]:
    fields = output.fields
    return [
        "{" + ", ".join(f"{encode(f)}: {encode(row.get(f))}" for f in fields) + "}"
        for row in output.rows
    ]


def write(output: Output, sink: Sink) -> None:
    if output.document is not None:
        sink.stream.write(encode(output.document) + "\n")
        return
    objects = _objects(output)
    sink.stream.write("[\n  " + ",\n  ".join(objects) + "\n]\n" if objects else "[]\n")


def write_jsonl(output: Output, sink: Sink) -> None:
    if output.document is not None:
        return write(output, sink)
    objects = _objects(output)
    if objects:
        sink.stream.write("\n".join(objects) + "\n")
