"""Pelican reads our content files: YAML front matter (newsarchive's own parser), Markdown body."""

from __future__ import annotations

import markdown
from pelican import signals
from pelican.readers import BaseReader

from newsarchive.frontmatter import split_front_matter


class FrontMatterReader(BaseReader):
    enabled = True
    file_extensions = ["md"]

    def read(self, source_path):
        with open(source_path, encoding="utf-8") as handle:
            meta, body = split_front_matter(handle.read(), source_path)
        # Pelican keeps one category per article: the first topic stands in for topics.
        fields = {
            "title": meta["title"],
            "slug": meta["id"],
            "date": meta["date"].isoformat(),
            "category": (meta.get("topics") or ["综合"])[0],
            "tags": ", ".join(meta.get("tags") or []),
            "authors": ", ".join(meta.get("reporters") or []),
            "summary": meta.get("byline") or "",
        }
        metadata = {key: self.process_metadata(key, value) for key, value in fields.items()
                    if value}
        return markdown.markdown(body), metadata


def add_reader(readers):
    readers.reader_classes["md"] = FrontMatterReader


def register():
    signals.readers_init.connect(add_reader)
