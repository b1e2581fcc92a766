"""Readers that turn sources (files, folders, globs, URLs, feeds, archives) into Articles."""

from forcewatch.ingest.sources import expand_paths, read_path, read_sources

__all__ = ["expand_paths", "read_path", "read_sources"]
