"""Defaults that ``--help`` shows and the modules behind the options use: one definition each.

A module of its own, with nothing but constants, so that ``--help`` can show them without
importing the batch, watch and template modules that use them.
"""

#: Seconds one release may take to render before it is stopped (``--timeout``). A normal
#: release takes well under a second; a minute is pasted data or a bug, not a long release.
TIMEOUT = 60.0
#: Seconds between two looks at the watched files (``watch --interval``): a save shows in
#: the PDF within about half a second, and polling this often costs no measurable CPU.
INTERVAL = 0.3
#: The file ``medieninfo new`` writes when given no name.
TEMPLATE_NAME = "release.yaml"
