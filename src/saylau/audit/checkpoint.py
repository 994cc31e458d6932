"""Signed checkpoints: a commission's Ed25519 signature over the audit log's head
(docs/audit.md, "Anchoring the head"). The standard library and `cryptography` only, so that an
observer's verifier can use it (saylau.audit.verify_bundle does).

What is signed is the UTF-8 canonical JSON of
`{"commission": NAME, "entry_hash": HASH, "format": "saylau-checkpoint-1", "seq": N,
"signed_at": "YYYY-MM-DDTHH:MM:SS.ffffff+00:00"}`; keys are published as the 64 hex digits of
the raw 32-byte public key, signatures as 128 hex digits.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from saylau.audit.chain import canonical_json

FORMAT = "saylau-checkpoint-1"


def checkpoint_message(*, commission: str, seq: int, entry_hash: str, signed_at: str) -> bytes:
    """The bytes a checkpoint's signature is over; `signed_at` in the log's ISO form."""
    return canonical_json(
        {
            "commission": commission,
            "entry_hash": entry_hash,
            "format": FORMAT,
            "seq": seq,
            "signed_at": signed_at,
        }
    ).encode("utf-8")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The private key as an unencrypted PKCS #8 PEM file (what `saylau key create` writes)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """ValueError when `pem` is not an unencrypted Ed25519 private key."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"not an Ed25519 key but {type(key).__name__}")
    return key


def public_key_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def is_valid_signature(public_key: str, message: bytes, signature: str) -> bool:
    """Whether `signature` (hex) is `public_key`'s (hex, raw 32 bytes) over `message`."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True
