"""Score PDF ingest on the page corpus's PDFs, beside text ingest of the same pages.

    .venv/bin/python -m bench.pdf_score --split dev          # tune on this
    .venv/bin/python -m bench.pdf_score --split test         # report this
"""
