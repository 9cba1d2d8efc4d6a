"""A CSV file read in blocks of whole lines, each block as columns of text with line numbers.

A block without quote characters is split by pyarrow's CSV reader in C; the line numbers
and the rows with a wrong number of fields are found with numpy on the bytes first, so every
rejection still names its physical line. A block with quotes (fields with delimiters or line
breaks in them, or a broken quote) is read by Python's csv module exactly as before. Memory
holds one block at a time, whatever the size of the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from secu4all.common.files import ImportFileError, Rejection, csv_rows, decode

# 32 MiB of text is about 150,000 police.uk rows: large enough for the C reader to pay off,
# small enough that a block's columns and rows take a few hundred MB at most.
BLOCK_BYTES = 32 * 1024**2
# A quoted field may run on over the end of a block; the block grows until its quotes are
# balanced, but no further than this (then the csv module's own recovery takes over).
MAX_QUOTED_BYTES = 256 * 1024**2


@dataclass
class Block:
    """Data rows of one block: ``columns[k][i]`` is column k of the row on ``lines[i]``.

    ``rows`` counts every data row (as ``csv_rows`` does) and ``rejections`` holds the rows
    that cannot be read at all; both blank rows and rejected ones are absent from columns.
    """

    lines: np.ndarray
    columns: list[pa.Array]
    rows: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)


class BlockReader:
    """The header of a CSV stream, then its data rows block by block (see ``blocks``)."""

    def __init__(
        self, stream: BinaryIO, *, name: str, required: list[str], block_bytes: int = BLOCK_BYTES
    ) -> None:
        self.stream = stream
        self.name = name
        self.block_bytes = block_bytes
        first = self._read_lines()
        # The first block decides the encoding as a whole file is decided; later blocks follow.
        text = decode(first, name=name)
        self.encoding = "utf-8" if _is_utf8(first) else "cp1252"
        newline = text.find("\n")
        header_text = text if newline < 0 else text[: newline + 1]
        header_reader = _Tally()
        self.header, _records = csv_rows(
            header_text, name=name, required=required, parsed=header_reader
        )
        self.delimiter = max((",", ";", "\t", "|"), key=header_text.count)
        self.header_text = header_text
        self.width = len(self.header)
        self._first_rest = text[len(header_text) :].encode()
        self._next_line = 2

    def _read_lines(self) -> bytes:
        """The next ``block_bytes`` or so, ending at a line end; b"" at the end of the file."""
        data = self.stream.read(self.block_bytes)
        if not data:
            return b""
        if not data.endswith(b"\n"):
            rest = self.stream.readline()
            data += rest
        # A quoted field may hold line breaks: read on until the quotes are balanced.
        odd = data.count(b'"') % 2
        while odd and len(data) < MAX_QUOTED_BYTES:
            more = self.stream.readline()
            if not more:
                break
            data += more
            odd ^= more.count(b'"') % 2
        return data

    def _text(self, data: bytes) -> bytes:
        """A later block as UTF-8 bytes, refused with its line when it is not text."""
        nul = data.find(b"\x00")
        if nul >= 0:
            line = self._next_line + data.count(b"\n", 0, nul)
            raise ImportFileError(
                f"{self.name} holds a NUL byte (\\0) at line {line}; the file is damaged or not "
                "text. Remove it and import again."
            )
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as error:
            line = self._next_line + data.count(b"\n", 0, error.start)
            label = "UTF-8" if self.encoding == "utf-8" else "Western European (Windows-1252)"
            raise ImportFileError(
                f"{self.name} starts as {label} text, but line {line} holds a byte that is not "
                f"{label}. Save the whole file as UTF-8 and import it again."
            ) from None
        return data if self.encoding == "utf-8" else text.encode()

    def blocks(self) -> Iterator[Block]:
        """Every data row once, in file order, a block at a time."""
        data = self._first_rest
        self._first_rest = b""
        while data:
            yield self._block(data)
            raw = self._read_lines()
            data = self._text(raw) if raw else b""

    def _block(self, data: bytes) -> Block:
        first = self._next_line
        self._next_line += data.count(b"\n") + (not data.endswith(b"\n"))
        lone_cr = data.count(b"\r") != data.count(b"\r\n")
        if b'"' in data or lone_cr or self.width < 2:
            return self._block_by_csv_module(data, first)
        return self._block_by_arrow(data, first)

    def _block_by_csv_module(self, data: bytes, first: int) -> Block:
        tally = _Tally()
        text = data.decode()
        _header, records = csv_rows(
            self.header_text + text,
            name=self.name,
            required=[],
            parsed=tally,
            start_line=first - 1,
        )
        numbers, values = [], [[] for _ in range(self.width)]
        for line, record in records:
            numbers.append(line)
            for column, value in zip(values, record, strict=True):
                column.append(value)
        return Block(
            lines=np.array(numbers, dtype=np.int64),
            columns=[pa.array(column, type=pa.string()) for column in values],
            rows=tally.rows,
            rejections=tally.rejections,
        )

    def _block_by_arrow(self, data: bytes, first: int) -> Block:
        """No quotes: a line is a row, so its fields are its delimiters plus one."""
        raw = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(raw == ord("\n"))
        if not data.endswith(b"\n"):
            ends = np.append(ends, len(raw))
        starts = np.concatenate(([0], ends[:-1] + 1))
        delimiters = np.flatnonzero(raw == ord(self.delimiter))
        fields = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts) + 1
        lengths = ends - starts
        carriage = np.zeros(len(ends), dtype=bool)
        carriage[lengths > 0] = raw[ends[lengths > 0] - 1] == ord("\r")
        numbers = np.arange(first, first + len(ends), dtype=np.int64)
        good = fields == self.width
        block = Block(lines=numbers[good], columns=[])
        for n in np.flatnonzero(~good):
            line = data[starts[n] : ends[n] - carriage[n]].decode()
            if not line.strip():
                continue  # a blank line is no row
            block.rows += 1
            block.rejections.append(
                Rejection(
                    int(numbers[n]),
                    "(row)",
                    f"has {int(fields[n])} fields, the header {self.width}",
                    line,
                )
            )
        if good.all():
            clean = data
        else:
            keep = np.repeat(good, lengths + 1)[: len(raw)]
            clean = raw[keep].tobytes()
        table = self._arrow_table(clean)
        columns = [table.column(k).combine_chunks() for k in range(self.width)]
        # A row of only empty or blank fields is no row either, as in csv_rows.
        blank = np.ones(len(block.lines), dtype=bool)
        for column in columns:
            blank &= np.asarray(pc.equal(pc.utf8_trim_whitespace(column), ""))
        if blank.any():
            kept = pa.array(~blank)
            columns = [column.filter(kept) for column in columns]
            block.lines = block.lines[~blank]
        block.columns = columns
        block.rows += len(block.lines)
        return block

    def _arrow_table(self, clean: bytes) -> pa.Table:
        names = [f"c{k}" for k in range(self.width)]
        if not clean:
            return pa.table({name: pa.array([], type=pa.string()) for name in names})
        return pa_csv.read_csv(
            io.BytesIO(clean),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(
                delimiter=self.delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )


class _Tally:
    """What ``csv_rows`` counts into: the rows and the rejections of one block."""

    def __init__(self) -> None:
        self.rows = 0
        self.rejections: list[Rejection] = []


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
