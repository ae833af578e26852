"""The look-up key printed on the receipt (mã tra cứu): short enough to type from paper, with no letters a
person can mistake for another (no 0/O, 1/I/L), read without regard to case or grouping: `7KQM-R2XD-HN5W`."""
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 signs: 12 of them carry 59 bits
LENGTH, GROUP = 12, 4


def new_key() -> str:
    """A fresh key, stored as typed-out signs without the grouping: 'ABCDEFGHJKMN'."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str | None) -> str:
    """What a person typed, as it is stored: spaces and dashes gone, upper case."""
    return "".join(ch for ch in (typed or "") if ch not in " -\t").upper()


def grouped(key: str) -> str:
    """'ABCDEFGHJKMN' -> 'ABCD-EFGH-JKMN', as printed; keys of older versions print as they are."""
    if len(key) != LENGTH or any(ch not in ALPHABET for ch in key):
        return key
    return "-".join(key[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def matches(stored: str, typed: str | None) -> bool:
    """Constant-time comparison of a typed key with the stored one (older, case-sensitive keys match exactly)."""
    if not typed:
        return False
    return secrets.compare_digest(stored.encode(), typed.encode()) or secrets.compare_digest(
        stored.encode(), normalise(typed).encode())
