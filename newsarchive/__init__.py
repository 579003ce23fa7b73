"""报刊档案 newsarchive: a static site generator for a Chinese city newspaper's archive."""

__version__ = "0.1.0"
