"""Salted password hashes for the password sign-in, and a command that makes them.

A hash is stored in ``secrets.toml`` as one string:
``scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>``. scrypt comes with Python's
``hashlib`` and is slow and memory-hard on purpose, so a leaked secrets file does not
give the passwords away cheaply.

    python -m ui.passwords        # prompts for a password twice, prints its hash
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
import sys

SCHEME = "scrypt"
COST = 2**14
BLOCK_SIZE = 8
PARALLELISM = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Return the stored form of ``password`` with a new random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, COST, BLOCK_SIZE, PARALLELISM)
    return "$".join([SCHEME, str(COST), str(BLOCK_SIZE), str(PARALLELISM), _encode(salt), _encode(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Return True when ``password`` matches the stored hash; False for a wrong password
    or a stored value that is not a hash of this scheme."""
    try:
        scheme, cost, block_size, parallelism, salt, expected = stored.split("$")
        if scheme != SCHEME:
            return False
        digest = _scrypt(password, _decode(salt), int(cost), int(block_size), int(parallelism))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _decode(expected))


def is_password_hash(value: object) -> bool:
    """Tell whether ``value`` looks like a stored hash (not a plain password pasted by mistake)."""
    return isinstance(value, str) and value.startswith(f"{SCHEME}$") and value.count("$") == 5


def _scrypt(password: str, salt: bytes, cost: int, block_size: int, parallelism: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=cost, r=block_size, p=parallelism, dklen=HASH_BYTES, maxmem=2**26
    )


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _decode(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def main() -> int:
    """Ask for a password twice and print the line to paste into ``secrets.toml``."""
    password = getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        print(f"Password too short: use at least {MIN_PASSWORD_LENGTH} characters.", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != password:
        print("The two passwords differ; nothing was printed.", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main())
