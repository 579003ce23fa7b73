"""The page-images stage: each PDF page's images (see pageimages.py) rendered into the build
cache when it lacks them, then put into the site. Content-hashed names let a file the previous
output holds be kept unread."""

from __future__ import annotations

from pathlib import Path

from .. import pageimages
from ..output import write_error
from . import Build, Produced, Stage


class PageImagesStage(Stage):
    name = "page-images"

    def produce(self, build: Build, previous: None) -> Produced:
        pages = list(build.site.pdf_pages.values())
        folder = pageimages.cache_folder(build.cache.folder, build.cache.key)
        rendered = pageimages.render_missing(pages, build.content_dir, folder, build.runner,
                                             build.quiet)
        for image in (image for page in pages for image in page.images):
            if build.staging.keep(image.path):
                continue
            try:
                data = (folder / Path(image.path).name).read_bytes()
            except OSError as exc:
                raise write_error(exc, build.staging.out_dir) from None
            build.staging.write(image.path, data)
        return Produced(images=rendered)
