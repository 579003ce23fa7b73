"""What the browsers are told: the build epoch, what each build changed, the current error."""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass

from ..errors import ArchiveError

HISTORY = 64   # builds remembered; a page older than that simply reloads


@dataclass(frozen=True)
class BuildOutcome:
    """One finished build: its epoch, the site files it changed (None: all), its errors."""

    epoch: int
    changed: frozenset[str] | None
    errors: tuple[ArchiveError, ...]


def affects(outcome: BuildOutcome, page: str) -> bool:
    """Whether a page showing `page` (a site-relative file path) must reload after this build."""
    if outcome.changed is None or page in outcome.changed:
        return True
    # A stylesheet, script or search data file can change how any page looks or behaves.
    return any(not name.endswith(".html") for name in outcome.changed)


class ReloadHub:
    """The epoch gate between the rebuild loop and the live-reload connections."""

    def __init__(self) -> None:
        self.server_id = secrets.token_hex(6)   # a restarted server reloads every open page
        self._cond = threading.Condition()
        self._history: deque[BuildOutcome] = deque(maxlen=HISTORY)
        self._epoch = 0
        self._errors: tuple[ArchiveError, ...] = ()
        self._building = False
        self._closed = False

    @property
    def epoch(self) -> int:
        with self._cond:
            return self._epoch

    @property
    def errors(self) -> tuple[ArchiveError, ...]:
        with self._cond:
            return self._errors

    def building(self) -> bool:
        with self._cond:
            return self._building

    def begin_build(self) -> None:
        with self._cond:
            self._building = True

    def publish(self, changed: frozenset[str], errors: tuple[ArchiveError, ...]) -> BuildOutcome:
        """Record a finished build and wake every waiting connection."""
        with self._cond:
            # The overlay is part of every page: a new, changed or cleared error reloads them all.
            error_changed = [str(e) for e in errors] != [str(e) for e in self._errors]
            self._epoch += 1
            outcome = BuildOutcome(self._epoch, None if error_changed else changed, errors)
            self._history.append(outcome)
            self._errors = errors
            self._building = False
            self._cond.notify_all()
            return outcome

    def needs_reload(self, since: int, page: str) -> bool:
        """Whether any build after epoch `since` affects `page`."""
        with self._cond:
            if since > self._epoch:
                return True   # an epoch from the future: the page came from another server
            if self._history and since < self._history[0].epoch - 1:
                return True
            return any(affects(o, page) for o in self._history if o.epoch > since)

    def wait(self, since: int, timeout: float) -> int | None:
        """Block until an epoch after `since` exists or timeout; None once the hub is closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._epoch > since, timeout)
            return None if self._closed else self._epoch

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
