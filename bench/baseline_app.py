"""The baseline: a minimal Flask app serving a plain 8 KB Jinja page, measured in the same run as the real app.

    gunicorn --workers 2 --chdir bench baseline_app:app

`/` has no database, no session, no compression, no extensions: the ceiling a Flask page can reach on this
machine with this gunicorn, so that the report's ratios say what Lumos Learn's own work costs.

`/signed-in` is the floor under every signed-in page, reported beside them (not a target): the same page for a
visitor whose sign-in lives on the server, as Lumos Learn's does (auth/sessions.py): the signed session cookie
decoded and one indexed query, the session row joined to its user, through Flask-SQLAlchemy on the benchmark's
own database (DATABASE_URL and SECRET_KEY from the environment, as the app gets them).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, abort, render_template, session
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

app = Flask(__name__, template_folder=str(Path(__file__).resolve().parent / "templates"))
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "baseline")
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db = SQLAlchemy(app)
SENTENCE = "carers who sit at the child's eye level and wait make mealtimes safer."
PARAGRAPHS = [f"Paragraph {n}: {SENTENCE}" for n in range(82)]  # 8 KB of HTML in all


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))


class UserSession(db.Model):
    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(lazy="joined")


@app.get("/")
def page():
    return render_template("baseline.html", title="Baseline page", paragraphs=PARAGRAPHS)


@app.get("/signed-in")
def signed_in_page():
    found = db.session.execute(select(UserSession).filter_by(token=session.get("_user_id", ""))).scalar_one_or_none()
    if found is None:
        abort(403)
    return render_template("baseline.html", title=found.user.full_name, paragraphs=PARAGRAPHS)


@app.get("/healthz")
def healthz():
    return "ok"
