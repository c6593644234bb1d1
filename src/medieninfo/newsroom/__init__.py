"""Newsroom stage: a folder of releases → numbers, an overview, an Atom feed, a static site.

A press office keeps its releases as files in a folder, numbered per year. This stage reads
that folder as a whole, from the files' fields alone (no layout, no ReportLab):

- :mod:`.catalogue`: the releases found (by :func:`medieninfo.app.batch.find_releases`) as
  :class:`~.catalogue.Entry` objects, newest first, with their problems if invalid, and
  whether a Sperrfrist has passed at a given time;
- :mod:`.numbering`: the next number of a year, numbers used twice, gaps;
- :mod:`.listing`: one row per release for ``medieninfo list`` (outputs up to date, stale
  or missing);
- :mod:`.feed`: the Atom 1.0 feed of the published releases;
- :mod:`.index`: the site's accessible ``index.html`` (Jinja2, autoescaped).

The releases' own pages and PDFs are made by the one pipeline (:mod:`medieninfo.render`);
``medieninfo site`` (in ``app/``) ties it together. Nothing here prints.
"""
