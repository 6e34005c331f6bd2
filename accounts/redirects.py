from urllib.parse import urlsplit


def safe_local_path(target: str | None, default: str = "/") -> str:
    """Return ``target`` only if it is a path on this site ("/x", not "//host" or "http:")."""
    if not target:
        return default
    parts = urlsplit(target)
    is_local = (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
        and "\\" not in target
        and not any(ord(ch) < 32 for ch in target)
    )
    return target if is_local else default
