"""``python -m medieninfo`` runs the command line."""

from .cli import main

main()
