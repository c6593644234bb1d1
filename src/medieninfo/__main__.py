"""``python -m medieninfo`` runs the command line."""

from .cli import main

# Guarded so that a worker process started with "spawn" imports this without running the CLI.
if __name__ == "__main__":
    main()
