"""PDF stage: a refined release and its letterhead → tagged PDF/UA-1, PDF/A-2 bytes.

The only package that imports ReportLab (a lint rule keeps it so). Fonts are registered
(:mod:`~medieninfo.pdf.fonts`) and every character checked against them
(:mod:`~medieninfo.pdf.glyphs`); the blocks become flowables (:mod:`~medieninfo.pdf.layout`),
which the document template places on letterhead pages (:mod:`~medieninfo.pdf.pages`,
:mod:`~medieninfo.pdf.logo`) while the structure tree is filled in
(:mod:`~medieninfo.pdf.tagging`); :mod:`~medieninfo.pdf.pdfa` adds the archival parts and
:mod:`~medieninfo.pdf.report` says what a proofreader would about the pages. Every change
medieninfo makes to ReportLab itself is in :mod:`~medieninfo.pdf.patches`.
"""
