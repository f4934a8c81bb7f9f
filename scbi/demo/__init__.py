"""The demo programme: SCBI's sectors, people, plans, logs and assessments, built through
the services of every feature (so every rule holds), for ``flask --app wsgi scbi demo``."""

from scbi.demo.programme import build_demo, is_empty

__all__ = ["build_demo", "is_empty"]
