"""The Content Security Policy: 'self' only, plus the map's tile host when one is configured."""

from urllib.parse import urlsplit


def tile_origin(tile_url: str) -> str:
    """The origin (scheme and host) of a tile URL template, or "" when none is configured."""
    parts = urlsplit(tile_url)
    if parts.scheme != "https" or not parts.hostname:
        return ""
    return f"https://{parts.netloc}"


def content_security_policy(*, tile_url: str = "") -> dict:
    origin = tile_origin(tile_url)
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            # Base map tiles are images: exactly the configured host, and only when configured.
            "img-src": ["'self'", "data:", *([origin] if origin else [])],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        },
    }
