"""The web interface: `forcewatch serve` runs create_app(store) under uvicorn."""

from forcewatch.web.app import create_app

__all__ = ["create_app"]
