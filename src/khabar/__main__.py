"""``python -m khabar`` runs the CLI."""

from khabar.cli.main import main

main()
