"""Hostile inputs shared by the tests of issue 23 and the standing attack suite
(tests/test_attack_suite.py): built in memory, small on the wire, expensive to the naive."""

import functools
import struct
import zlib


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def bomb_png(width: int = 13000, height: int = 13000) -> bytes:
    """A valid greyscale PNG of width×height black pixels: ≈ 170 KB that decode to
    width×height bytes (13000×13000: 169 million pixels, the penetration test's image)."""
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    packer = zlib.compressobj(1)
    rows_per_block = max(1, (1 << 22) // len(row))
    block = row * rows_per_block
    parts = []
    for start in range(0, height, rows_per_block):
        parts.append(packer.compress(block if start + rows_per_block <= height else row * (height - start)))
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def long_query(words: int, word: str = "検品") -> str:
    return " ".join(f"{word}{n}" for n in range(words))
