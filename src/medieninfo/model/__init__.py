"""Model stage: YAML or TOML files → validated, typed data that remembers where it stood.

A release file becomes a :class:`~medieninfo.model.release.Release`, a letterhead file a
:class:`~medieninfo.model.letterhead.Letterhead` (its logo and font files checked by their
headers), and the Markdown body a small tree of blocks and spans
(:mod:`~medieninfo.model.content`). Every mistake is a :class:`~medieninfo.errors.Problem`
at its file, line and column.

Nothing here imports ReportLab or Rich: every output channel reads the model.
"""
