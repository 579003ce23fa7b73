"""The static stage: `static/` (CSS, JS) copied into the site as it is."""

from __future__ import annotations

from . import Build, Produced, Stage


class StaticStage(Stage):
    name = "static"

    def produce(self, build: Build, previous: None) -> Produced:
        static_dir = build.config.root / "static"
        if static_dir.is_dir():
            build.staging.copy_tree(static_dir, "static")
        return Produced()
