"""A corpus of typeset newspaper pages with genuine PDF-extraction artifacts.

Real article texts (People's Daily monthly archives, or this repo's own `content/`) are typeset by
headless Chromium into one-page PDFs with many newspaper layouts, then read back with pdftotext
(default and `-raw`) and pdfplumber. Beside each page a `NAME.truth.json` says what was printed:
every article's fields, its box on the page, and the layout tricks it was set with.

Run `python -m bench.pagecorpus --help`.
"""
