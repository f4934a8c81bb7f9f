"""Entry point: ``flask --app wsgi …`` and ``gunicorn wsgi:app``."""

from scbi import create_app

app = create_app()
