"""The quotes rule: each quote is in its source document and contains the figure as written;
a reference figure names the page it was read on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fanpin_cli.analysis.found import Counter, Found
from fanpin_cli.core.columns import Columns
from fanpin_cli.core.decimals import format_number
from fanpin_cli.core.model import Dataset, Finding
from fanpin_cli.core.numerals import written_number


def check_quotes(dataset: Dataset, index: Any, count: Counter) -> Iterator[Finding]:
    """Each quote is in its dataset's source document and contains the figure as written.

    `index` is the rules' (fanpin_cli.analysis.checks), whose table holds the records as columns.
    """
    t: Columns = index.columnar
    # per file: its dataset's source document, and whether that dataset is a reference
    info: dict[str, tuple[str | None, bool]] = {}
    dataset_dir = _dataset_dirs(dataset)
    references = {m.path for m in dataset.metas if m.extra.get("kind") == "reference"}
    for file in t.distinct("file"):
        directory = dataset_dir(file)
        source = dataset.sources.get(directory) if directory is not None else None
        info[file] = (source, source is None and directory in references)
    quoted = {f for f, (source, ref) in info.items() if source is not None or ref}
    rows = set(t.rows_with("qualifier")) | set(t.rows_with("citation"))
    rows.update(t.rows_where("file", quoted.__contains__))
    found = Found(t)
    if not rows:
        return iter(())
    in_source: dict[tuple[int, str], bool] = {}
    ids, values, files, citations = t["id"], t["value"], t["file"], t["citation"]
    sources, qualifiers = t["source"], t["qualifier"]
    for n in sorted(rows):
        source, reference = info[files[n]]
        if qualifiers[n] is not None and values[n] is None:
            found.add(n, "quotes.qualifier_without_value", ids[n], qualifiers[n])
        if source is None:
            if citations[n] is not None or reference:
                count()
                _check_citation(dataset, t, n, found)
            continue
        count()
        quote, value = sources[n], values[n]
        if not quote:
            found.add(n, "quotes.none", ids[n], warning="1")
            continue
        # thousands of records quote the same few sentences of one document: each
        # sentence is looked for in it once
        known = (id(source), quote)
        present = in_source.get(known)
        if present is None:
            present = in_source[known] = quote in source
        if not present:
            found.add(n, "quotes.absent", ids[n])
        elif t["written_as"][n] is not None:
            _written_as(t, n, quote, found)
        else:
            _value_in(found, n, "quotes.value", ids[n], value, quote)
    return iter(found.in_order())


def _value_in(found: Found, n: int, code: str, ind_id: str, value: object, text: str) -> None:
    """A finding `code` when `value`, as fanpin writes it, is not in `text`."""
    if value is not None and format_number(value) not in text:
        shown = format_number(value)
        found.add(n, code, ind_id, shown, expected=shown, actual=text)


def _written_as(t: Columns, n: int, quote: str, found: Found) -> None:
    """A value written otherwise than fanpin writes it (五, １２０, 1,294): in the quote, and
    denoting the value."""
    written, value = t["written_as"][n] or "", t["value"][n]
    if written not in quote:
        found.add(n, "quotes.written", t["id"][n], written, expected=written, actual=quote)
    elif value is None or written_number(written) != value:
        shown = "none" if value is None else format_number(value)
        found.add(
            n,
            "quotes.numeral",
            *(t["id"][n], written, shown),
            expected=str(written_number(written)),
            actual="" if value is None else format_number(value),
        )


def _check_citation(dataset: Dataset, t: Columns, n: int, found: Found) -> None:
    """A reference figure names a page it was read on and a key phrase with its value."""
    ind_id, citation, phrase, value = t["id"][n], t["citation"][n], t["source"][n], t["value"][n]
    if citation is None:
        found.add(n, "quotes.no_citation", ind_id)
        return
    if citation not in dataset.citations:
        found.add(n, "quotes.unknown_citation", ind_id, citation)
    if not phrase:
        found.add(n, "quotes.no_key_phrase", ind_id)
    else:
        _value_in(found, n, "quotes.key_phrase_value", ind_id, value, phrase)


def _dataset_dirs(dataset: Dataset) -> Callable[[str], str | None]:
    """The dataset directory a record file belongs to: the longest dataset path that is one
    of its parent folders. Looked up folder by folder (as many steps as the file's path is
    deep), not dataset by dataset: a collection of 10,000 county folders has as many files
    per dataset."""
    longest: dict[str, str] = {}  # a path without its trailing "/" -> the longest spelling
    for meta in dataset.metas:
        key = meta.path.rstrip("/")
        if len(meta.path) > len(longest.get(key, "")):
            longest[key] = meta.path

    def dataset_dir(file: str) -> str | None:
        folder = file
        while "/" in folder:
            folder = folder.rpartition("/")[0]
            if folder in longest:
                return longest[folder]
        return None

    return dataset_dir
