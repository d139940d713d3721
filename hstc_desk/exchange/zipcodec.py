"""A strict, canonical zip: written by us byte for byte, read back in memory with every field
pinned, so a change to any byte of a bundle is noticed.

Writing: members are stored (no compression), in a fixed order, with fixed times, attributes and
versions, no extra fields, no comments, no data descriptors. Reading: the end record must end the
file; the central directory must be exactly its entries; each local header must repeat its
central entry; members must be contiguous from offset 0 up to the central directory (so no byte
is unaccounted for, and no member overlaps another); names must be allow-listed; sizes, entry
count and compression ratio are limited; deflated members (from other tools) are inflated with a
hard cap and checked. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from hstc_desk.exchange.errors import BundleError

_LOCAL = struct.Struct("<4sHHHHHLLLHH")
_CENTRAL = struct.Struct("<4sHHHHHHLLLHHHHHLL")
_END = struct.Struct("<4sHHHHLLH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
VERSION_MADE = (3 << 8) | 20  # unix, zip 2.0
VERSION_NEEDED = 20
DOS_TIME, DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
EXTERNAL_ATTR = 0o100644 << 16  # a regular file, rw-r--r--
STORED, DEFLATED = 0, 8
CHECK = "container"


@dataclass(frozen=True)
class Limits:
    max_bundle: int = 1 << 30
    max_entries: int = 16
    max_member: int = 768 << 20
    max_total: int = 1 << 30
    max_ratio: int = 50
    ratio_floor: int = 64 << 10  # small members may compress better than max_ratio


def write_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """The canonical zip of ``members`` (name, bytes), stored, in the order given."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for name, data in members:
        raw = name.encode("ascii")
        crc = zlib.crc32(data)
        local = _LOCAL.pack(_LOCAL_SIG, VERSION_NEEDED, 0, STORED, DOS_TIME, DOS_DATE, crc,
                            len(data), len(data), len(raw), 0)
        central.append(_CENTRAL.pack(_CENTRAL_SIG, VERSION_MADE, VERSION_NEEDED, 0, STORED,
                                     DOS_TIME, DOS_DATE, crc, len(data), len(data), len(raw),
                                     0, 0, 0, 0, EXTERNAL_ATTR, offset) + raw)
        out += [local, raw, data]
        offset += len(local) + len(raw) + len(data)
        count += 1
    cd = b"".join(central)
    end = _END.pack(_END_SIG, 0, 0, count, count, len(cd), offset, 0)
    return b"".join([*out, cd, end])


@dataclass(frozen=True)
class _Entry:
    name: str
    raw: bytes
    needed: int
    flags: int
    method: int
    time: int
    date: int
    crc: int
    csize: int
    usize: int
    offset: int


def check_name(raw: bytes, allowed: frozenset[str]) -> str:
    """The member name, if it is one of ``allowed``; a refusal naming the problem otherwise."""
    shown = repr(raw)[2:-1][:80]
    if b"\x00" in raw:
        raise BundleError(CHECK, f"member name {shown!r} holds a NUL byte")
    try:
        name = raw.decode("ascii")
    except UnicodeDecodeError:
        raise BundleError(CHECK, f"member name {shown!r} is not plain ASCII") from None
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise BundleError(CHECK, f"member name {shown!r} is an absolute path or a drive")
    if "\\" in name:
        raise BundleError(CHECK, f"member name {shown!r} holds a backslash")
    if ".." in name.split("/"):
        raise BundleError(CHECK, f"member name {shown!r} climbs out of the bundle (..)")
    if name not in allowed:
        raise BundleError(CHECK, f"member name {shown!r} is not one a bundle may hold")
    return name


def _central(data: bytes, limits: Limits, allowed: frozenset[str]) -> tuple[list[_Entry], int]:
    if len(data) > limits.max_bundle:
        raise BundleError(CHECK, f"{len(data)} bytes; larger than the limit {limits.max_bundle}")
    if len(data) < _END.size or data[-_END.size:][:4] != _END_SIG:
        raise BundleError(CHECK, "not a bundle: no zip end record at the end of the file "
                                 "(truncated, or trailing bytes)")
    _, disk, cd_disk, here, total, cd_size, cd_off, comment = _END.unpack(data[-_END.size:])
    if disk or cd_disk or here != total or comment:
        raise BundleError(CHECK, "zip end record: multi-disk or commented archive")
    if total > limits.max_entries:
        raise BundleError(CHECK, f"{total} members; a bundle holds at most {limits.max_entries}")
    if cd_off + cd_size != len(data) - _END.size:
        raise BundleError(CHECK, "the central directory does not end where the end record starts")
    entries: list[_Entry] = []
    names: set[str] = set()
    pos, used = cd_off, 0
    for _ in range(total):
        if pos + _CENTRAL.size > cd_off + cd_size:
            raise BundleError(CHECK, "the central directory is shorter than its entry count")
        (sig, made, needed, flags, method, time, date, crc, csize, usize, nlen, xlen, clen,
         disk_start, int_attr, ext_attr, offset) = _CENTRAL.unpack_from(data, pos)
        raw = data[pos + _CENTRAL.size: pos + _CENTRAL.size + nlen]
        pos += _CENTRAL.size + nlen + xlen + clen
        if sig != _CENTRAL_SIG:
            raise BundleError(CHECK, "a central directory entry has a bad signature")
        name = check_name(raw, allowed)
        if name in names:
            raise BundleError(CHECK, f"member name {name!r} appears twice")
        names.add(name)
        if (ext_attr >> 16) & 0o170000 not in (0, 0o100000):
            raise BundleError(CHECK, f"member {name!r} is a link, directory or device, not a file")
        if flags & 0x1:
            raise BundleError(CHECK, f"member {name!r} is encrypted")
        if method not in (STORED, DEFLATED):
            raise BundleError(CHECK, f"member {name!r}: compression method {method} not allowed")
        if usize > limits.max_member:
            raise BundleError(CHECK, f"member {name!r} declares {usize} bytes; the limit is "
                                     f"{limits.max_member}")
        used += usize
        if used > limits.max_total:
            raise BundleError(CHECK, f"members declare more than {limits.max_total} bytes in all")
        if method == STORED and csize != usize:
            raise BundleError(CHECK, f"member {name!r}: stored but sizes differ")
        if usize > limits.ratio_floor and usize > csize * limits.max_ratio:
            raise BundleError(CHECK, f"member {name!r} expands {usize} / {max(csize, 1)} "
                                     f"times (a decompression bomb?); the limit is "
                                     f"{limits.max_ratio}")
        if (made, xlen, clen, disk_start, int_attr, ext_attr) != (
                VERSION_MADE, 0, 0, 0, 0, EXTERNAL_ATTR):
            raise BundleError(CHECK, f"member {name!r}: central entry fields are not those of "
                                     "a bundle (attributes, extra fields or comments)")
        entries.append(_Entry(name, raw, needed, flags, method, time, date, crc, csize, usize,
                              offset))
    if pos != cd_off + cd_size:
        raise BundleError(CHECK, "the central directory holds bytes beyond its entries")
    return entries, cd_off


def read_zip(data: bytes, allowed: frozenset[str],
             limits: Limits | None = None) -> dict[str, bytes]:
    """Every member of a canonical bundle zip, by name, in memory; BundleError otherwise."""
    limits = limits or Limits()
    entries, cd_off = _central(data, limits, allowed)
    members: dict[str, bytes] = {}
    pos = 0
    for e in entries:
        if e.offset != pos:
            raise BundleError(CHECK, f"member {e.name!r} does not start where the previous one "
                                     "ends (gaps or overlapping members)")
        if pos + _LOCAL.size > cd_off:
            raise BundleError(CHECK, f"member {e.name!r}: local header runs into the directory")
        local = _LOCAL.unpack_from(data, pos)
        expect = (_LOCAL_SIG, e.needed, e.flags, e.method, e.time, e.date, e.crc, e.csize,
                  e.usize, len(e.raw), 0)
        if local != expect:
            raise BundleError(CHECK, f"member {e.name!r}: local header differs from the "
                                     "central directory")
        start = pos + _LOCAL.size
        if data[start:start + len(e.raw)] != e.raw:
            raise BundleError(CHECK, f"member {e.name!r}: local name differs from the directory")
        start += len(e.raw)
        end = start + e.csize
        if end > cd_off:
            raise BundleError(CHECK, f"member {e.name!r} runs into the central directory")
        body = _inflate(e, data[start:end]) if e.method == DEFLATED else data[start:end]
        if zlib.crc32(body) != e.crc:
            raise BundleError(CHECK, f"member {e.name!r}: CRC mismatch (damaged)")
        members[e.name] = body
        pos = end
    if pos != cd_off:
        raise BundleError(CHECK, "bytes between the last member and the central directory")
    return members


def _inflate(e: _Entry, comp: bytes) -> bytes:
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(comp, e.usize + 1)
    except zlib.error as exc:
        raise BundleError(CHECK, f"member {e.name!r}: cannot inflate ({exc})") from None
    if len(out) != e.usize or not d.eof or d.unused_data:
        raise BundleError(CHECK, f"member {e.name!r}: inflates to other than its declared "
                                 f"{e.usize} bytes (a decompression bomb, or damaged)")
    return out
