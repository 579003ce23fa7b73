"""The one error type users see: it names the file (and line or key) and what to do."""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """Bad input or a failed build step; the CLI prints it on one line and exits 1."""

    def __init__(self, message: str, path: str | Path | None = None,
                 line: int | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.key = key

    def __reduce__(self):
        # Crosses processes as itself, path, line and key included (Exception pickles args).
        return type(self), (self.message, self.path, self.line, self.key)

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.key is not None:
            where += f": key '{self.key}'" if where else f"key '{self.key}'"
        return f"{where}: {self.message}" if where else self.message


class ArchiveErrors(ArchiveError):
    """Several problems found in one pass (config, content): all are reported at once."""

    def __init__(self, errors: list[ArchiveError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def __reduce__(self):
        return type(self), (self.errors,)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
