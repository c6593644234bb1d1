"""Text stage: plain text → typographically refined text, and words → hyphenation points.

German quotes, dashes, no-break spaces and ellipses (:mod:`~medieninfo.text.typography`,
applied to a parsed release by :mod:`~medieninfo.text.refinement`), and TeX-pattern
hyphenation (:mod:`~medieninfo.text.hyphenation`). Pure text in, text out: no ReportLab.
"""
