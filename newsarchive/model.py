"""The data that flows through the pipeline: one `Article` per content file, one `Site` per build."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .config import SiteConfig

# Front matter keys in the order they are written (../shared/DESIGN.md, plus `places`).
FRONT_MATTER_KEYS = (
    "id", "title", "subtitle", "kicker", "byline", "reporters", "date", "date_source", "paper",
    "page", "topics", "tags", "places", "continues", "continued_from", "versions", "source",
    "review",
)
# Why an article's recovery is uncertain (`review:` in its front matter): the archivist's list.
REVIEW_REASONS = {
    "undated": "版面未印日期，日期未知",
    "no-headline": "未找到标题，以首句代之",
    "headline-weak": "标题与正文用词少有重合，归属存疑",
    "frames-reordered": "正文各栏经重新排序",
    "frames-joined": "无标题的正文栏按用词并入本文",
    "body-split": "一段正文被拆成两篇",
    "sections-placed": "分隔的小标题按用词放回正文",
    "columns-mixed": "正文中夹有相邻栏的文字（提取时跨栏读行）",
    "stories-merged": "正文中另有电头，可能混入了另一篇",
    "doubtful": "多处迹象显示切分可能有误（起止、标题或混栏），请对照原版面核对",
}


# A box on a PDF page: (x0, y0, x1, y1) in PDF points, origin at the top left, y downward.
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class SourceRef:
    """Where an article came from: the seed file, its first and last line (1-based), and the
    exact line spans it used when the text was out of reading order (empty: all of `lines`).
    A PDF source (`file: NAME.pdf`) also names the 1-based page inside that PDF and the areas
    the article covers there; its `lines` may be unknown."""

    file: str
    lines: tuple[int, int] | None
    spans: tuple[tuple[int, int], ...] = ()
    page: int | None = None
    page_box: tuple[Box, ...] = ()

    @property
    def is_pdf(self) -> bool:
        """Whether the article was read from a page of a PDF (and has its areas there)."""
        return self.page is not None


@dataclass
class Article:
    id: str
    title: str
    body: str                      # Markdown: paragraphs split by blank lines, `##` headings
    subtitle: str | None = None
    kicker: str | None = None
    byline: str | None = None
    reporters: list[str] = field(default_factory=list)
    date: dt.date | None = None
    date_source: str | None = None  # manifest | inferred
    paper: str | None = None
    page: str | None = None
    topics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    continues: str | None = None
    continued_from: str | None = None
    versions: list[str] = field(default_factory=list)
    source: SourceRef | None = None
    review: list[str] = field(default_factory=list)   # keys of REVIEW_REASONS, empty when sure
    # The content file it was loaded from, for error messages: its path as text (a Path object
    # for each article took a quarter of the time of loading 30,000 from the build cache).
    path: str | None = None

    def __getattr__(self, name: str):
        # Called only for an attribute not set: the body, while the build cache leaves it as
        # UTF-8 (ENCODED_BODY), since most builds never read most articles' texts.
        state = self.__dict__
        if name == "body":
            encoded = state.get(ENCODED_BODY)
            if encoded is not None:
                state["body"] = str(encoded, "utf-8", "surrogatepass")
                state.pop(ENCODED_BODY, None)
            if "body" in state:  # decoded here, or by another thread meanwhile
                return state["body"]
        raise AttributeError(f"'Article' object has no attribute '{name}'")

    def __getstate__(self) -> dict:
        # A body still undecoded is pickled as its UTF-8 (a view into the cache cannot be).
        encoded = self.__dict__.get(ENCODED_BODY)
        if encoded is None or type(encoded) is bytes:
            return self.__dict__
        return {**self.__dict__, ENCODED_BODY: bytes(encoded)}

    def fields_without_body(self) -> dict:
        """A copy of the article's attributes less its body, decoded or still encoded: what its
        card holds, and what goes to a worker beside the body's UTF-8."""
        values = self.__dict__.copy()
        values.pop("body", None)
        values.pop(ENCODED_BODY, None)
        return values

    def encoded_body(self) -> bytes | memoryview:
        """The body as UTF-8, without decoding one the build cache left encoded."""
        encoded = self.__dict__.get(ENCODED_BODY)
        return self.body.encode("utf-8", "surrogatepass") if encoded is None else encoded

    def card(self) -> ArticleCard:
        """The article as lists and links show it."""
        return ArticleCard(**{name: getattr(self, name) for name in CARD_FIELDS})

    def front_matter(self) -> dict:
        """The YAML front matter mapping, keys in the documented order."""
        meta = {key: getattr(self, key) for key in FRONT_MATTER_KEYS}
        source = self.source
        if source:
            meta["source"] = {"file": source.file}
            if source.page is not None:
                meta["source"]["page"] = source.page
            if source.lines is not None:
                meta["source"]["lines"] = list(source.lines)
            if source.spans:
                meta["source"]["spans"] = [list(span) for span in source.spans]
            if source.page_box:
                # One area is written flat, as the contract shows it; several as a list of them.
                boxes = [list(box) for box in source.page_box]
                meta["source"]["page_box"] = boxes[0] if len(boxes) == 1 else boxes
        return meta


# Where an Article loaded from the build cache keeps its body until it is first read: the body's
# UTF-8, a view into the cache file (see buildcache._read), in place of the `body` attribute.
ENCODED_BODY = "_encoded_body"

# An article without its body: what a page that lists or links it may show. A page holding
# only cards does not depend on the article's text, so editing the text re-renders the
# article's own pages, not every list it is in. Made from Article's fields, so the two never
# drift apart.
CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name != "body")
ArticleCard = dataclasses.make_dataclass(
    "ArticleCard",
    [(f.name, f.type) for f in dataclasses.fields(Article) if f.name in CARD_FIELDS],
    frozen=True, namespace={"__module__": __name__, "__doc__": "An article without its body "
                            "(see CARD_FIELDS): what lists and links show."})


@dataclass(frozen=True)
class PageImage:
    """One rendering of a PDF page in the site: its path (named by the hash of what it shows)
    and its size in pixels."""

    path: str
    width: int
    height: int


@dataclass(frozen=True)
class PdfPage:
    """One page of a PDF source that has articles: its size in PDF points as viewers show it
    (its CropBox, else its MediaBox: what `page_box`es are measured in, from its top left) and
    its images, narrowest first."""

    file: str
    number: int                    # 1-based page inside the PDF
    width: float
    height: float
    images: tuple[PageImage, ...]

    @property
    def largest(self) -> PageImage:
        return self.images[-1]


@dataclass
class Site:
    """Everything a render needs: the validated config, every article, loaded and checked, and
    the PDF pages they came from by (file, page number)."""

    config: SiteConfig
    articles: list[Article]
    pdf_pages: dict[tuple[str, int], PdfPage] = field(default_factory=dict)


# --- What segmentation hands to ingest: one page split into articles, before metadata. ---

@dataclass
class Artifact:
    """Text of a page that is in no article field, named so nothing is silently lost."""

    kind: str    # e.g. doubled-text, continuation-note, page-furniture, unassigned
    text: str
    line: int    # 1-based line of the page


@dataclass
class Segment:
    """One article recovered from a page: repaired text, headline parts, byline, source lines."""

    title: str
    body: str                       # Markdown: paragraphs split by blank lines, `##` headings
    kicker: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    reporters: list[str] = field(default_factory=list)
    continues: str | None = None        # page label of a （下转A04版） note
    continued_from: str | None = None   # page label of a （上接A01版） note
    spans: list[tuple[int, int]] = field(default_factory=list)  # 1-based line spans used
    warnings: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)   # keys of REVIEW_REASONS
    boxes: list[Box] = field(default_factory=list)    # areas on a PDF page (SourceRef.page_box)


@dataclass
class PageSplit:
    segments: list[Segment]
    artifacts: list[Artifact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
