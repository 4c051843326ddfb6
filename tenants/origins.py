"""Widget origins: the storefront addresses a store's widget may be embedded on."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_ORIGINS = 20


def normalize_origin(value: str) -> str:
    """``https://Shop.example.com/`` -> ``https://shop.example.com``; a ``*.`` host allows subdomains."""
    raw = value.strip()
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.path not in ("", "/") or parts.query:
        raise ValidationError(f"“{value}” is not a site address such as https://shop.example.com.")
    if "*" in host and not (host.startswith("*.") and "*" not in host[2:] and "." in host[2:]):
        raise ValidationError(f"“{value}”: a wildcard may only start the host, as in https://*.example.com.")
    if parts.username or parts.password:
        raise ValidationError(f"“{value}” must not contain a user name or password.")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"“{value}” has an invalid port.") from None
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def normalize_origins(values) -> list[str]:
    if isinstance(values, str):
        values = values.replace(",", "\n").splitlines()
    if not isinstance(values, list | tuple):
        raise ValidationError({"allowed_origins": "Give a list of site addresses."})
    cleaned, errors = [], []
    for value in values:
        if not isinstance(value, str):
            errors.append("Each origin must be text.")
            continue
        if not value.strip():
            continue
        try:
            origin = normalize_origin(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if origin not in cleaned:
            cleaned.append(origin)
    if len(cleaned) > MAX_ORIGINS:
        errors.append(f"At most {MAX_ORIGINS} site addresses.")
    if errors:
        raise ValidationError({"allowed_origins": errors})
    return cleaned


def origin_allowed(origin: str, allowed: list[str]) -> bool:
    """Whether a browser's Origin header matches one of the store's allowed origins."""
    try:
        origin = normalize_origin(origin)
    except ValidationError:
        return False
    scheme, _, host = origin.partition("://")
    for pattern in allowed:
        p_scheme, _, p_host = pattern.partition("://")
        if p_scheme != scheme:
            continue
        if p_host == host or (p_host.startswith("*.") and host.endswith(p_host[1:])):
            return True
    return False
