"""Bitstring Status List v1.0: the revocation bits of the issuer's credentials.

Each list holds 131,072 positions (16 KiB, the minimum the specification sets so that one
credential hides among many); credential status index n is position n % 131,072 of list
n // 131,072 + 1. Indexes are drawn at random among a list's free positions (the
specification's "herd privacy": a sequential index would tell a verifier the order, hence
roughly the date, of issuing, and link credentials issued together); lists fill one after
the other. The bitstring is GZIP-compressed and multibase base64url encoded ("u"
prefix); position 0 is the most significant bit of the first byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import secrets
from collections.abc import Callable, Iterable

from certificates.credentials.build import VC_CONTEXT, stamp

LIST_SIZE = 131_072


def list_position(status_index: int) -> tuple[int, int]:
    """The list number (from 1) and the position in it of a credential's status index."""
    return status_index // LIST_SIZE + 1, status_index % LIST_SIZE


def pick_free_positions(
    taken: set[int],
    count: int,
    size: int = LIST_SIZE,
    randbelow: Callable[[int], int] = secrets.randbelow,
) -> list[int]:
    """`count` distinct positions of a list of `size` drawn uniformly at random (a CSPRNG by
    default) among those not in `taken`; ValueError when fewer are free."""
    free = size - len(taken)
    if count > free:
        raise ValueError(f"{count} positions asked, {free} free")
    chosen: list[int] = []
    if len(taken) + count <= size // 2:  # mostly free: draw and retry the rare taken one
        seen = set(taken)
        while len(chosen) < count:
            p = randbelow(size)
            if p not in seen:
                seen.add(p)
                chosen.append(p)
        return chosen
    pool = [p for p in range(size) if p not in taken]  # nearly full: draw from the free ones
    for _ in range(count):
        chosen.append(pool.pop(randbelow(len(pool))))
    return chosen


def encode_list(positions: Iterable[int], size: int = LIST_SIZE) -> str:
    """The encodedList with the given positions set."""
    bits = bytearray(size // 8)
    for p in positions:
        if not 0 <= p < size:
            raise ValueError(f"position {p} outside the list")
        bits[p // 8] |= 0x80 >> (p % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    """The bitstring of an encodedList."""
    if not encoded.startswith("u"):
        raise ValueError("not a base64url multibase value")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(encoded: str, position: int) -> bool:
    """Whether a position's bit is set (for a revocation list: revoked)."""
    bits = decode_list(encoded)
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_credential(
    *, list_url: str, issuer_id: str, encoded: str, valid_from: dt.datetime, ttl_seconds: int
) -> dict:
    """The BitstringStatusListCredential that publishes one list."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": stamp(valid_from),
        "validUntil": stamp(valid_from + dt.timedelta(days=1)),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
            "ttl": ttl_seconds * 1000,  # milliseconds, as the specification counts them
        },
    }
