"""Keep ReportLab from reaching out: no URL fetching, whatever the environment says.

ReportLab can open ``http(s)://``, ``ftp://``, ``file:`` and ``data:`` URLs wherever it reads a
file (images, fonts), gated by ``rl_config.trustedHosts``, which an environment variable
(``RL_trustedHosts``) or a ``reportlab_settings.py`` on the path can switch on. medieninfo only
ever hands ReportLab local paths it has checked itself, so fetching is switched off for good:
no trusted host, no trusted scheme, and the URL reader replaced by one that refuses.
:func:`lock_down` is idempotent and cheap; call it before ReportLab reads anything.
"""

from __future__ import annotations

from typing import Any, NoReturn


def _refuse(url: Any, headers: Any = None) -> NoReturn:
    # ReportLab turns an OSError from the reader into "cannot open resource".
    raise OSError(f"medieninfo never fetches URLs: {url!r}")


def lock_down() -> None:
    """Switch off every way ReportLab has to fetch a URL."""
    from reportlab import rl_config
    from reportlab.lib import utils

    rl_config.trustedHosts = None
    rl_config.trustedSchemes = []
    utils.rlUrlRead = _refuse
