"""Small real image files for tests, written without an imaging library."""

from __future__ import annotations

import struct
import zlib


def png(width: int = 60, height: int = 20) -> bytes:
    """A ``width`` x ``height`` RGB PNG: a red band over a blue one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + (b"\xc0\x20\x20" if y < height // 2 else b"\x20\x40\xc0") * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
