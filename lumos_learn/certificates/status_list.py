"""Revocation as a W3C Bitstring Status List (v1.0): one list of 131,072 bits at /status/1.

Bit `status_index` of the list is 1 when the certificate is revoked. The list is served as a signed
BitstringStatusListCredential (VC-JWT, same issuer key) and, for people, as plain JSON.
"""

from __future__ import annotations

import base64
import gzip
from datetime import datetime, timedelta

from .services import STATUS_LIST_SIZE

LIST_ID = 1
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VALIDITY = timedelta(days=1)  # a verifier rejects an older copy, so a revocation cannot be replayed away


def encode_bitstring(indices: list[int], size: int = STATUS_LIST_SIZE) -> str:
    """GZIP-compressed, multibase base64url (`u` prefix, no padding), index 0 the first byte's high bit."""
    bits = bytearray(size // 8)
    for index in indices:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u' prefix)")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_url(base_url: str) -> str:
    return f"{base_url}/status/{LIST_ID}"


def status_entry(base_url: str, index: int) -> dict:
    """The credentialStatus of a certificate's credential."""
    return {
        "id": f"{status_list_url(base_url)}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": status_list_url(base_url),
    }


def status_list_credential(base_url: str, issuer_id: str, revoked: list[int], now: datetime) -> dict:
    now = now.replace(microsecond=0)
    return {
        "@context": [VC_CONTEXT],
        "id": status_list_url(base_url),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": _iso(now),
        "validUntil": _iso(now + VALIDITY),
        "credentialSubject": {
            "id": f"{status_list_url(base_url)}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked),
        },
    }


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
