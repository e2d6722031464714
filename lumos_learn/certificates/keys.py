"""The issuer's signing key: from CERTIFICATE_KEY_PEM (the PEM itself) or CERTIFICATE_KEY_FILE.

The key never lives in the repository: `make run` generates a development key under instance/keys/,
production passes its own through the environment. Several instances share it through configuration.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"
MIN_BITS = 2048


class KeyUnavailable(RuntimeError):
    """No usable signing key is configured; the message says what to set."""


def generate_key_pem(bits: int = 3072) -> bytes:
    return RSAKey.generate_key(bits, private=True).as_pem(private=True)


def write_key_file(path: Path, *, force: bool = False, bits: int = 3072) -> None:
    """Write a new private key readable by its owner only (0600); refuse to overwrite unless `force`."""
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to replace it (credentials signed with it stop verifying)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if force and path.exists():
        path.unlink()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(generate_key_pem(bits))
    os.chmod(path, 0o600)  # whatever the umask


def _load(pem: str | bytes) -> RSAKey:
    key = RSAKey.import_key(pem)
    if not key.is_private:
        raise KeyUnavailable("the certificate key must be a private key")
    if key.private_key.key_size < MIN_BITS:
        raise KeyUnavailable(f"the certificate key must have at least {MIN_BITS} bits")
    return key


def signing_key() -> RSAKey:
    """The configured private key (cached per app). Raises KeyUnavailable with a reason."""
    cache = current_app.extensions.setdefault("certificate_keys", {})
    pem = current_app.config.get("CERTIFICATE_KEY_PEM") or ""
    path = current_app.config.get("CERTIFICATE_KEY_FILE") or ""
    cache_key = (pem, path)
    if cache_key not in cache:
        if pem:
            source = pem.replace("\\n", "\n")
        elif path and Path(path).is_file():
            source = Path(path).read_bytes()
        else:
            raise KeyUnavailable(
                f"no certificate signing key: set CERTIFICATE_KEY_PEM or create {path or 'CERTIFICATE_KEY_FILE'} "
                "with `flask certificates generate-key`"
            )
        try:
            key = _load(source)
        except KeyUnavailable:
            raise
        except Exception as error:
            raise KeyUnavailable(f"the certificate key cannot be read: {error}") from error
        key.ensure_kid()
        cache.clear()
        cache[cache_key] = key
    return cache[cache_key]


def public_jwk(key: RSAKey, kid: str) -> dict:
    data = RSAKey.import_key(key.as_dict(private=False)).as_dict(private=False)
    data.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    return data


def public_jwks(kid_for) -> dict:
    """The JWK Set of the issuer's public keys (empty when no key is configured).

    `kid_for(thumbprint)` gives the key id published and put in JWT headers (a URL serving the JWK).
    """
    try:
        key = signing_key()
    except KeyUnavailable:
        return {"keys": []}
    return {"keys": [public_jwk(key, kid_for(key.kid))]}


def public_keyset(kid_for) -> KeySet:
    return KeySet.import_key_set(public_jwks(kid_for))
