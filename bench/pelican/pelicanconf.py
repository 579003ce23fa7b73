"""The same archive built by Pelican, for bench/run.py: articles, topic/tag/reporter pages, paginated."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITENAME = "西宁晚报数字档案"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
THEME = str(HERE / "theme")
PLUGIN_PATHS = [str(HERE / "plugins")]
PLUGINS = ["frontmatter_reader"]
DEFAULT_PAGINATION = 20
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

ARTICLE_URL = ARTICLE_SAVE_AS = "articles/{slug}.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "topics/{slug}.html"
TAG_URL = TAG_SAVE_AS = "tags/{slug}.html"
AUTHOR_URL = AUTHOR_SAVE_AS = "reporters/{slug}.html"
CATEGORIES_SAVE_AS = "topics/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "reporters/index.html"
PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]

# One Atom feed, as ours has; no per-category or per-tag feeds.
FEED_ALL_ATOM = "feed.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Pelican's own incremental mode, so its no-op rebuild is measured at its best.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = os.environ.get("BENCH_PELICAN_CACHE", "cache")
