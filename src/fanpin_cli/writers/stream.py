"""An export of every record rendered a batch at a time from the cache, in a fraction of
the memory of the whole dataset (a million records: the records of one section file at
a time, instead of all of them and a dict per row).

The bytes are the export's exactly: each batch is rendered by the same view and
formatter, the header only once, and the rows of CSV, TSV and JSON Lines do not depend
on each other. Nothing is written until every batch is rendered, so that a cache entry
found damaged midway costs nothing but time: `export_batches` says None, and the caller
exports the usual way (parsing, which rebuilds the entry), as it does for anything this
path does not cover.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence

from fanpin_cli.core.model import Indicator
from fanpin_cli.reading.load.streamed import Streamed
from fanpin_cli.reading.references import has_references
from fanpin_cli.reading.store.cache import Damaged
from fanpin_cli.views.indicators import indicators_output
from fanpin_cli.views.output import Output
from fanpin_cli.writers import Format, render

# formats whose rows are written independently of each other (a JSON array is not)
STREAMED = frozenset({Format.CSV, Format.TSV, Format.JSONL})


def export_batches(
    streamed: Streamed,
    fmt: Format,
    lang: str,
    *,
    header: bool = True,
    shape: Callable[[Output], Output] = lambda output: output,
) -> list[bytes] | None:
    """Every record of `streamed` in `fmt` (one of STREAMED), as UTF-8 pieces to be written
    in order; `shape` applies --fields to each batch's output (its errors are raised).

    None when the records could not all be used: the cache entry was found damaged
    midway, or records with references (qualified or cited figures, which add columns to
    the whole export) turned up. Nothing has then been written.
    """
    dataset = streamed.dataset

    def piece(batch: Sequence[Indicator], with_header: bool) -> bytes:
        output = shape(indicators_output(dataset, batch, lang))
        return render(output, fmt, lang=lang, header=with_header).encode("utf-8")

    pieces: list[bytes] = []
    collecting = gc.isenabled()
    gc.disable()  # no cycles are made here; the collector would only walk the records
    try:
        for batch in streamed.records:
            if has_references(batch):
                return None
            pieces.append(piece(batch, header and not pieces))
    except Damaged:
        return None
    finally:
        streamed.records.close()
        if collecting:
            gc.enable()
    if not pieces:  # no record at all: the header alone, as the whole export writes it
        pieces.append(piece((), header))
    return pieces
