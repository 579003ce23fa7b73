"""A deterministic synthetic archive: page texts in the seeds' style and the same articles as
Markdown content files, streamed page by page so 300,000 articles never sit in memory.

Article `i` depends only on (seed, i), so a corpus of 1,000 is the first 1,000 of 30,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsarchive.config import SiteConfig, load_config
from newsarchive.frontmatter import dump_article, parse_article
from newsarchive.model import Article, SourceRef

ARTICLES_PER_PAGE = 10
PAGES_PER_DAY = 8
ARTICLES_PER_DAY = ARTICLES_PER_PAGE * PAGES_PER_DAY
LAST_DAY = dt.date(2024, 12, 31)
DEFAULT_SEED = 20241231
LONG_CHARS = 2500   # --long: characters of body text per article, on average

CJK = r"\u3400-\u9fff"
SENTENCE_END = re.compile(r"(?<=[。！？])")
CLAUSE_SPLIT = re.compile(r"[，。！？；：、“”‘’（）《》—…\s]+")
QUOTED = re.compile(r"“([^”]{2,8})”")
# Lines that are bylines, continuation notes or page furniture are no sentence to reuse.
NOT_PROSE = re.compile(r"本报讯|记者|通讯员|下转|上接|版）|^\W")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗施韩冯曹彭董"
GIVEN = "翔艳顺凯明华晓丽军强静雪梅敏红涛宁海青春燕斌建平玉琴文杰"


def decode_page(raw: bytes) -> str:
    """Text of a page file in any encoding the seeds may use (UTF-8 ± BOM, UTF-16 BOM, GB18030)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def cjk_share(text: str) -> float:
    return sum(1 for ch in text if re.match(f"[{CJK}]", ch)) / max(len(text), 1)


def unwrap(text: str) -> str:
    """Join wrapped lines and drop the extraction's justification spaces between characters."""
    return re.sub(r"\s+", "", text)


def split_sentences(text: str) -> list[str]:
    """Prose sentences of a page text, its line wrapping removed."""
    sentences = []
    for line_block in re.split(r"\n\s*\n", text):
        for sentence in SENTENCE_END.split(unwrap(line_block)):
            if 10 <= len(sentence) <= 150 and cjk_share(sentence) >= 0.6 \
                    and not NOT_PROSE.search(sentence):
                sentences.append(sentence)
    return sentences


@dataclass(frozen=True)
class Pool:
    """The real material every synthetic article is drawn from."""

    sentences: tuple[str, ...]
    clauses: tuple[str, ...]     # 4–12 character clauses, for headlines
    terms: tuple[str, ...]       # quoted terms, for tags; earlier ones are drawn more often
    reporters: tuple[str, ...]

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> Pool:
        texts = [decode_page(p.read_bytes()) for p in sorted(Path(seeds_dir).glob("*.txt"))]
        sentences = sorted({s for text in texts for s in split_sentences(text)})
        if len(sentences) < 20:
            raise SystemExit(f"{seeds_dir}: too few sentences ({len(sentences)}) to build a corpus")
        clauses = sorted({c for s in sentences for c in CLAUSE_SPLIT.split(s)
                          if 4 <= len(c) <= 12 and cjk_share(c) == 1.0})
        counts: dict[str, int] = {}
        for text in texts:
            for term in QUOTED.findall(unwrap(text)):
                if cjk_share(term) >= 0.5:
                    counts[term] = counts.get(term, 0) + 1
        terms = sorted(counts, key=lambda t: (-counts[t], t))
        rng = random.Random(DEFAULT_SEED)
        reporters = sorted({rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
                            for _ in range(80)})
        return cls(tuple(sentences), tuple(clauses), tuple(terms), tuple(reporters))


@dataclass
class GeneratedPage:
    """One synthetic newspaper page: its file name, text and the articles printed on it."""

    name: str
    date: dt.date
    label: str
    text: str
    articles: list[Article]


def page_date(page_index: int) -> tuple[dt.date, str]:
    """Date and label of page `page_index`; 0 is A01 of LAST_DAY, negative ones come after it."""
    day, page = divmod(page_index, PAGES_PER_DAY)
    return LAST_DAY - dt.timedelta(days=day), f"A{page + 1:02d}"


def wrap(paragraph: str, width: int) -> list[str]:
    """Cut a paragraph into lines of `width` characters, as a PDF column does."""
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]


def space_out(line: str) -> str:
    """The justification artifact: a space between every character of a stretched line."""
    return " ".join(line)


def space_numbers(line: str) -> str:
    """The digit artifact: `12月21日` printed as `12 月 21 日`."""
    return re.sub(r"(?<=\d)(?=[^\d\s.%])|(?<=[^\d\s.])(?=\d)", " ", line)


def topic_names(config: SiteConfig, title: str, body: str) -> list[str]:
    """Topics by the site.yaml rule: a keyword in the headline, or enough mentions overall."""
    names = []
    for topic in config.topics:
        in_title = any(k in title for k in topic.rule.keywords)
        mentions = sum((title + body).count(k) for k in topic.rule.keywords)
        if in_title or mentions >= topic.rule.min_mentions:
            names.append(topic.name)
    return names


class CorpusWriter:
    """Generates pages deterministically from a `Pool` and a seed; `long`: articles of about
    LONG_CHARS characters, the length of the seeds' features, instead of a few hundred."""

    def __init__(self, pool: Pool, config: SiteConfig, seed: int = DEFAULT_SEED,
                 long: bool = False):
        self.pool, self.config, self.seed, self.long = pool, config, seed, long
        self.term_weights = [1 / (rank + 1) for rank in range(len(pool.terms))]

    def _headline(self, rng: random.Random) -> str:
        first = rng.choice(self.pool.clauses)
        if rng.random() < 0.4:
            return first
        return f"{first}{rng.choice(('', '：', ' '))}{rng.choice(self.pool.clauses)}"

    def _paragraphs(self, rng: random.Random) -> list[str]:
        paragraphs = ["".join(rng.choices(self.pool.sentences, k=rng.randint(1, 4)))
                      for _ in range(rng.randint(2, 8))]
        if self.long:
            target = rng.randint(LONG_CHARS * 4 // 5, LONG_CHARS * 6 // 5)
            while sum(map(len, paragraphs)) < target:
                paragraphs.append("".join(rng.choices(self.pool.sentences, k=rng.randint(2, 5))))
        return paragraphs

    def _places(self, text: str) -> list[str]:
        return [p.name for p in self.config.places if any(s in text for s in p.spellings)]

    def _terms(self, rng: random.Random) -> list[str]:
        if not self.pool.terms:
            return []
        return list(dict.fromkeys(rng.choices(self.pool.terms, self.term_weights,
                                              k=rng.randint(1, 3))))

    def page(self, page_index: int, articles: int = ARTICLES_PER_PAGE) -> GeneratedPage:
        """Page `page_index` with its first `articles` articles (fewer only for a last page)."""
        rng = random.Random(f"{self.seed}:page:{page_index}")
        date, label = page_date(page_index)
        name = f"{date:%Y%m%d}-{label.lower()}.txt"
        width = rng.randint(14, 22)
        headlines_last = rng.random() < 0.5
        lines: list[str] = []
        drafts = []

        def emit(line: str) -> int:
            lines.append(line)
            # A column break: the extractor leaves a blank line mid-paragraph.
            if rng.random() < 1 / 30:
                lines.append("")
            return len(lines)

        for seq in range(1, articles + 1):
            title = self._headline(rng)
            paragraphs = self._paragraphs(rng)
            reporters = rng.sample(self.pool.reporters, rng.choice((1, 1, 1, 2)))
            news_flash = rng.random() < 0.7
            byline = (f"本报讯（记者 {' '.join(reporters)}）" if news_flash
                      else f"本报记者 {' '.join(reporters)}")
            page_number = int(label[1:])
            continues = (f"A{rng.randint(page_number + 1, PAGES_PER_DAY):02d}"
                         if page_number < PAGES_PER_DAY and rng.random() < 0.05 else None)
            spans = []
            if not headlines_last:
                spans.append((emit(title),) * 2)
                lines.append("")
            start = len(lines) + 1
            if not news_flash:
                emit(byline)
                lines.append("")
            for number, paragraph in enumerate(paragraphs):
                text = (f" {byline}{paragraph}" if news_flash and number == 0 else paragraph)
                if continues and number == len(paragraphs) - 1:
                    text += f" （下转{continues}版）"
                for line in wrap(text, width):
                    roll = rng.random()
                    emit(space_out(line) if roll < 0.03 else
                         space_numbers(line) if roll < 0.2 else line)
                if rng.random() < 0.6:
                    lines.append("")
            spans.insert(0, (start, len(lines) - (lines[-1] == "")))
            drafts.append((seq, title, paragraphs, byline, reporters, continues, spans))
        if headlines_last:
            lines.append("")
            for draft in drafts:
                draft[6].append((emit(draft[1]),) * 2)
                lines.append("")

        built = []
        for seq, title, paragraphs, byline, reporters, continues, spans in drafts:
            body = "\n\n".join(paragraphs)
            text = title + body
            first, last = min(a for a, _ in spans), max(b for _, b in spans)
            article_rng = random.Random(f"{self.seed}:tags:{page_index}:{seq}")
            places = self._places(text)
            built.append(Article(
                id=f"{date.isoformat()}-{label.lower()}-{seq:02d}", title=title, body=body,
                byline=byline, reporters=list(reporters), date=date, date_source="manifest",
                paper=self.config.paper, page=label,
                topics=topic_names(self.config, title, body),
                tags=list(dict.fromkeys(places + self._terms(article_rng))), places=places,
                continues=continues,
                source=SourceRef(name, (first, last),
                                 tuple(sorted(spans)) if len(spans) > 1 else ()),
            ))
        return GeneratedPage(name, date, label, "\n".join(lines).rstrip("\n") + "\n", built)

    def pages(self, articles: int, first_page: int = 0) -> Iterator[GeneratedPage]:
        """The pages holding `articles` articles, from page `first_page` on."""
        full, rest = divmod(articles, ARTICLES_PER_PAGE)
        for offset in range(full):
            yield self.page(first_page + offset)
        if rest:
            yield self.page(first_page + full, rest)


def searchable_text(article: Article) -> str:
    """Every field search covers, as the search's own truth joins them (tests/test_search_node)."""
    parts = [article.title, article.kicker, article.subtitle, article.byline,
             "\n".join(article.reporters), "\n".join(article.tags), article.body]
    return "\n\n".join(part for part in parts if part)


def content_path(content_dir: Path, article: Article) -> Path:
    """Where an article's Markdown goes: content/YYYY/MM/<id>.md, a few thousand per folder."""
    return content_dir / f"{article.date:%Y}" / f"{article.date:%m}" / f"{article.id}.md"


def write_pages(pages: Iterator[GeneratedPage], *, texts_dir: Path | None = None,
                content_dir: Path | None = None) -> tuple[int, int]:
    """Write page texts (+ manifest.yaml) and/or Markdown files; return (pages, articles)."""
    page_count = article_count = 0
    manifest = None
    if texts_dir is not None:
        texts_dir.mkdir(parents=True, exist_ok=True)
        manifest = (texts_dir / "manifest.yaml").open("w", encoding="utf-8")
        manifest.write("defaults:\n  paper: 西宁晚报\npages:\n")
    try:
        for page in pages:
            page_count += 1
            article_count += len(page.articles)
            if manifest is not None:
                (texts_dir / page.name).write_text(page.text, encoding="utf-8")
                manifest.write(f"  {page.name}: {{date: {page.date.isoformat()}, "
                               f"page: {page.label}}}\n")
            if content_dir is not None:
                for article in page.articles:
                    path = content_path(content_dir, article)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(dump_article(article), encoding="utf-8")
    finally:
        if manifest is not None:
            manifest.close()
    return page_count, article_count


def edit_article(path: Path, sentence: str) -> None:
    """Change one content file as a person would: one more paragraph at the end of the body."""
    article = parse_article(path.read_text(encoding="utf-8"), path)
    article.body = f"{article.body}\n\n{sentence}"
    path.write_text(dump_article(article), encoding="utf-8")


def next_day_pages(writer: CorpusWriter, days: int = 1) -> Iterator[GeneratedPage]:
    """The issue of the day `days` after LAST_DAY: a whole new day's pages."""
    return writer.pages(ARTICLES_PER_DAY, first_page=-PAGES_PER_DAY * days)


def main(argv: list[str] | None = None) -> int:
    """Write a corpus on its own: `python bench/corpus.py 300000 --texts DIR --content DIR`."""
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(prog="bench/corpus.py", description=main.__doc__)
    parser.add_argument("articles", type=int, help="how many articles (80 a day, 10 a page)")
    parser.add_argument("--texts", type=Path, help="folder for page texts and manifest.yaml")
    parser.add_argument("--content", type=Path, help="folder for the Markdown content files")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--long", action="store_true",
                        help=f"articles of about {LONG_CHARS} characters, like the seeds' features")
    args = parser.parse_args(argv)
    if args.texts is None and args.content is None:
        parser.error("give --texts DIR, --content DIR or both")
    writer = CorpusWriter(Pool.from_seeds(root / "seeds"), load_config(root / "site.yaml"),
                          args.seed, long=args.long)
    pages, articles = write_pages(writer.pages(args.articles), texts_dir=args.texts,
                                  content_dir=args.content)
    print(f"wrote {articles} articles on {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
