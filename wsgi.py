"""Entry point: ``flask --app wsgi …`` and ``gunicorn wsgi:app``."""

import gc

from scbi import create_app

app = create_app()
# What the application holds now (its modules, mappers, templates, configuration) lives as
# long as the process: the garbage collector need not walk it on every collection, as it
# otherwise would (a 5,000-person import spent about a quarter of its time there).
gc.freeze()
