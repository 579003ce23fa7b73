"""Jinja environment and Markdown rendering; no file output here.

Article text is data, never markup: templates autoescape, undefined variables fail, and the
Markdown renderer keeps only paragraphs, headings, lists and emphasis, escaping any raw HTML,
link or image syntax so it shows as the text it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import traceback
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

from . import urls
from .errors import ArchiveError
from .model import REVIEW_REASONS

# Markdown features that would turn article text into links, images, raw HTML, entities or code.
UNSAFE_INLINE = ("backtick", "reference", "link", "image_link", "image_reference", "short_reference",
                 "short_image_ref", "autolink", "automail", "html", "entity")
UNSAFE_BLOCK = ("reference", "code")
MARKUP_RE = re.compile(r"^#+\s*|[*_`]")
# Characters XML 1.0 forbids: a stray control byte in an article must not break the feed.
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    for name in UNSAFE_INLINE:
        md.inlinePatterns.deregister(name)
    for name in UNSAFE_BLOCK:
        md.parser.blockprocessors.deregister(name)
    return md


_MD = _markdown()


def markdown_to_html(body: str) -> Markup:
    """HTML for an article body; any markup in the text comes out escaped."""
    plain = plain_body_html(body)
    if plain is not None:
        return Markup(plain)
    # Markdown leaves `&amp;` alone as an entity; escaping `&` first keeps it the text it is.
    return Markup(_MD.reset().convert(body.replace("&", "&amp;")))


# Characters that make a body more than paragraphs and headings of plain text: emphasis, code,
# escapes, markup, tabs.
MARKED_RE = re.compile(r"[*_`\\<>&\[\]!|~\t\r]")
# A line Markdown could read as a list item, a quote or a heading's underline.
BLOCK_START_RE = re.compile(r"[-+=>]|\d+\.")
HEADING_RE = re.compile(r"(#{1,6}) ([^#\s][^#]*)")


def plain_body_html(body: str) -> str | None:
    """The HTML Python-Markdown makes of a body of plain paragraphs and `#` headings, written
    directly (None for any other body). Bodies as ingest writes them are such, and Markdown
    takes about a millisecond for a long one: most of a cold build's article pages."""
    if MARKED_RE.search(body):
        return None
    blocks: list[str] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "\n".join(paragraph) + "</p>")
            paragraph.clear()

    for line in body.split("\n"):
        if not line:
            end_paragraph()
            continue
        if line[0].isspace() or line[-1].isspace() or BLOCK_START_RE.match(line):
            return None
        if "#" in line:
            heading = HEADING_RE.fullmatch(line)
            if heading is None:
                return None
            end_paragraph()
            level = len(heading.group(1))
            blocks.append(f"<h{level}>{heading.group(2)}</h{level}>")
            continue
        paragraph.append(line)
    end_paragraph()
    return "\n".join(blocks)


def excerpt(body: str, limit: int = 120) -> str:
    """The start of an article as plain text, for lists and the feed summary."""
    text = " ".join(MARKUP_RE.sub("", line).strip() for line in body.splitlines())
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def zh_date(date: dt.date | None) -> str:
    """2024-12-22 → 2024年12月22日."""
    return f"{date.year}年{date.month}月{date.day}日" if date else "日期不详"


def xml_text(value: object) -> str:
    """Text safe inside XML 1.0 (the feed): forbidden control characters removed."""
    return XML_INVALID_RE.sub("", str(value))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds (Jinja recompiles one whose source changed):
    compiling them all takes longer than a small edit's whole build. A folder that cannot be
    written costs the compiling, as any part of the build cache does, never the build."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_templates_dir(cache_folder: Path) -> Path:
    """Where a build cache keeps compiled templates: a folder for each version of Jinja and of
    this module, whose environment options shape the compiled code (Jinja checks a compiled
    template against its source only). The folders of other versions are removed."""
    version = jinja2.__version__.encode() + Path(__file__).read_bytes()
    folder = cache_folder / f"templates-{hashlib.blake2b(version, digest_size=8).hexdigest()}"
    if not folder.is_dir():
        for other in cache_folder.glob("templates-*"):
            shutil.rmtree(other, ignore_errors=True)
        try:
            folder.mkdir(parents=True)
        except OSError:
            pass  # then every build compiles
    return folder


# Stands for the page's `root` while a card is rendered: Markup, so the template writes it as
# it is, whereas an article's text holding the same characters comes out escaped and can never
# be taken for it.
ROOT_MARK = Markup("<root/>")


class ArticleItems:
    """The list items of article cards (_macros.html's `article_item`), each card rendered once
    per environment (a build's) and shown on every page as a join: a card is on a dozen pages
    (lists, related articles, the home page), and rendering it each time was half of their
    rendering.

    A card is rendered with ROOT_MARK for `root`, the only variable of its page it may use
    (any other is undefined there, an error), and the mark replaced by each page's root. Cards
    are told apart by identity, each kept alive beside its rendering: a build's pages share
    one card per article, and a card never changes. Items without their date are only on the
    card's issue page, once: they are rendered there and not kept (30 MB at 30,000 cards)."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.rendered: dict[int, tuple[object, list[str]]] = {}
        self.macro = None

    def __call__(self, cards: list, root: str, show_date: bool = True) -> Markup:
        """The items of `cards` on a page whose root is `root`, one after another."""
        if not show_date:
            return Markup("".join(root.join(self._pieces(card, False)) for card in cards))
        rendered, items = self.rendered, []
        for card in cards:
            known = rendered.get(id(card))
            if known is None:
                known = rendered[id(card)] = (card, self._pieces(card, True))
            items.append(root.join(known[1]))
        return Markup("".join(items))

    def _pieces(self, card, show_date: bool) -> list[str]:
        if self.macro is None:
            module = self.env.get_template("_macros.html").make_module({"root": ROOT_MARK})
            self.macro = module.article_item
        return str(self.macro(card, show_date)).split(ROOT_MARK)

    def forget(self) -> None:
        """Drop the cards rendered so far (a worker's came with one chunk of pages: kept, they
        would all live to the end of the build)."""
        self.rendered.clear()


def make_environment(templates_dir: Path, compiled_dir: Path | None = None
                     ) -> jinja2.Environment:
    """The one Jinja environment: autoescape everywhere, unknown variables are errors; the
    compiled templates kept in `compiled_dir` (see compiled_templates_dir), if given."""
    # trim/lstrip keep the HTML readable; StrictUndefined turns a typo into an error, not a blank.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        bytecode_cache=_CompiledTemplates(str(compiled_dir)) if compiled_dir else None,
    )
    env.filters.update(markdown=markdown_to_html, excerpt=excerpt, zh_date=zh_date, xml_text=xml_text)
    env.globals.update(urls=urls, review_reasons=REVIEW_REASONS, article_items=ArticleItems(env))
    return env


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[str | None, int | None]:
    """The template file and line where a render error happened (Jinja rewrites the frames)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.suffix in (".html", ".xml") and templates_dir.resolve() in path.resolve().parents:
            return str(path), frame.lineno
    return None, None


def _syntax_error(exc: jinja2.TemplateSyntaxError, templates_dir: Path, name: str) -> ArchiveError:
    path = exc.filename or str(templates_dir / (exc.name or name))
    return ArchiveError(f"template syntax error: {exc.message}", path, line=exc.lineno)


def check_templates(env: jinja2.Environment) -> None:
    """Compile every template, so a syntax error stops the build before anything is written."""
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax_error(exc, Path(env.loader.searchpath[0]), name) from None


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render one template; template mistakes become an ArchiveError naming template and line."""
    templates_dir = Path(env.loader.searchpath[0])
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc, templates_dir, name) from None
    except jinja2.TemplateNotFound as exc:
        raise ArchiveError(f"template {exc.name!r} not found: restore it in {templates_dir}",
                           templates_dir / name) from None
    except (jinja2.UndefinedError, TypeError, AttributeError) as exc:
        path, line = _template_frame(exc, templates_dir)
        if path is None:
            raise
        raise ArchiveError(f"template error: {exc} (rendering {name})", path, line=line) from None
