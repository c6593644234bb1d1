"""Application: command-line arguments → library calls → messages and exit codes.

The Typer CLI (:mod:`~medieninfo.app.cli`), many releases at once
(:mod:`~medieninfo.app.batch`), the re-rendering loop (:mod:`~medieninfo.app.watch`), the
starter file of ``medieninfo new`` (:mod:`~medieninfo.app.template`) and previews
(:mod:`~medieninfo.app.viewer`). The only package that imports Rich; nothing in the library
imports this package.
"""
