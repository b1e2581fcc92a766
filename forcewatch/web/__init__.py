"""The web interface: `forcewatch serve` runs create_app(store) under uvicorn.

`create_app` is imported on first use (PEP 562), so the CLI's read commands can use
`forcewatch.web.data` without importing FastAPI and the whole app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forcewatch.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from forcewatch.web.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
