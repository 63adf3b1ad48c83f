"""Turn the bytes of references.bib into text, whatever encoding the author saved it in.

The file should be UTF-8, but hand-edited or old files are often Latin-1 or
Windows-1252. Rather than refusing such a file, the loader reports the first bad byte
(with its line and column) and reads on with the bytes that are not UTF-8 decoded as
Windows-1252, so that the rest of the file is still checked and usable.
"""

from __future__ import annotations

import codecs

from kop.core.catalogue import message
from kop.core.model import Diagnostic

__all__ = ["decode_bytes"]

NOT_UTF8 = message("KOP208")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252, so Latin-1 files still read sensibly."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("kop-bib-cp1252-fallback", _latin1_fallback)


def decode_bytes(data: bytes, path: str, diagnostics: list[Diagnostic]) -> str:
    """Decode UTF-8 (BOM stripped); on bad bytes report the first one and read on as cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        diagnostics.append(NOT_UTF8.at(path, line, column, byte=f"{data[error.start]:02X}", bad_line=line))
        return data.decode("utf-8", errors="kop-bib-cp1252-fallback")
