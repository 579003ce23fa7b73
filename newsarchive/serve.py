"""Placeholder until its issue lands."""

from .errors import ArchiveError


def serve(*args, **kwargs):
    raise ArchiveError("'serve' is not built yet: see the open issues")
