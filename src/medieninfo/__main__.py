"""``python -m medieninfo`` runs the command line."""

from .app.cli import entry_point

# Guarded so that a worker process started with "spawn" imports this without running the CLI.
if __name__ == "__main__":
    entry_point()
