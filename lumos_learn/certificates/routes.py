"""Certificates: public verification and downloads."""

from flask import render_template

from . import bp


@bp.route("/verify/")
def verify_form():
    return render_template("certificates/verify_form.html")


@bp.route("/verify/<code>")
def verify(code: str):
    return render_template("certificates/verify_form.html")


@bp.route("/certificates/<code>.pdf")
def download_pdf(code: str):
    from flask import abort

    abort(404)
