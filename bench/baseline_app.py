"""The baseline: a minimal Flask app serving a plain 8 KB Jinja page, measured in the same run as the real app.

    gunicorn --workers 2 --chdir bench baseline_app:app

No database, no session, no compression, no extensions: the ceiling a Flask page can reach on this machine
with this gunicorn, so that the report's ratios say what Lumos Learn's own work costs.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
SENTENCE = "carers who sit at the child's eye level and wait make mealtimes safer."
PARAGRAPHS = [f"Paragraph {n}: {SENTENCE}" for n in range(82)]  # 8 KB of HTML in all


@app.get("/")
def page():
    return render_template("baseline.html", title="Baseline page", paragraphs=PARAGRAPHS)


@app.get("/healthz")
def healthz():
    return "ok"
