"""WSGI entry point: `gunicorn app:app`, `flask --app app ...`."""

from lumos_learn import create_app

app = create_app()
