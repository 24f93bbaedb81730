"""The WSGI entry point: ``gunicorn wsgi:app``."""

from judge import create_app

app = create_app()
