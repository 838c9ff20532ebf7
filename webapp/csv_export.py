"""CSV downloads streamed row by row, with cells that spreadsheet programs cannot run as formulas."""
import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from flask import Response, stream_with_context

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell's text, quoted with a leading apostrophe where a spreadsheet would read it as a formula."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number, negative ones included, is data to a spreadsheet, never a formula
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header and then each row as one CSV line, produced as the rows arrive."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]],
                 byte_order_mark: bool = False) -> Response:
    """A streamed CSV attachment; rows may be a generator that reads the database batch by batch.

    The byte order mark makes spreadsheet programs read accented letters as UTF-8.
    """

    def body() -> Iterator[str]:
        if byte_order_mark:
            yield "\ufeff"
        yield from csv_lines(header, rows)

    return Response(
        stream_with_context(body()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
