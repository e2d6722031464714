"""Certificates: PDF generation time and verification page throughput, each beside a baseline from the same run.

    python bench/bench_certificates.py [--runs 3] [--pdfs 30] [--requests 300]

- PDF: one certificate (A4 landscape, two embedded DejaVu subsets, QR code) vs an fpdf2 page with one line of
  text in a core font. Target: under 50 ms per certificate. Also a name that needs fallback fonts (Chinese from
  the Debian CJK font; Arabic with HarfBuzz shaping) and a revoked certificate (the diagonal mark).
- Verification: /verify/<code> requests per second through the Flask test client (SQLite, a few hundred
  certificates, rate limiting off) vs a plain Flask page rendering one line in the same process.
Every figure is the best and the median of the runs; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from fpdf import FPDF  # noqa: E402

from lumos_learn import create_app  # noqa: E402
from lumos_learn.certificates.pdf import CertificateText, render_certificate  # noqa: E402
from lumos_learn.certificates.pdf_fonts import subset_font  # noqa: E402

TEXT = CertificateText(
    lang="ro",
    recipient_name="Ștefan Țurcanu-Bălănescu",
    course_title="Educație incluzivă: fiecare copil învață în școala din comunitatea lui",
    course_title_lang="ro",
    hours=12.5,
    completed_on=date(2026, 11, 20),
    issued_on=date(2026, 11, 20),
    issuer_name="Lumos Learn",
    trainer_name="Maria Ionescu",
    code="LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
    verify_url="https://learn.example.org/verify/LL-7K3M-Q9XD-2RTB-HW4N-8PJC-ZE6F-1GVA",
)


CHINESE = replace(TEXT, recipient_name="王小明")
ARABIC = replace(TEXT, recipient_name="فاطمة الزهراء")
REVOKED = replace(TEXT, revoked_on=date(2026, 12, 1))


def baseline_pdf() -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Certificate of completion")
    return bytes(pdf.output())


def per_call_ms(function, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        function()
    return (time.perf_counter() - start) * 1000 / count


def requests_per_second(client, url: str, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return count / (time.perf_counter() - start)


def seeded_app(folder: Path, certificates: int = 300):
    from lumos_learn.auth.services import create_user
    from lumos_learn.certificates.services import STATUS_LIST_SIZE
    from lumos_learn.extensions import db
    from lumos_learn.models import Certificate
    from lumos_learn.passwords import use_cheap_hashing

    use_cheap_hashing()
    app = create_app(
        {
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "RATELIMIT_ENABLED": False,
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
        }
    )
    with app.app_context():
        db.create_all()
        user = create_user(
            email="bench@example.org",
            password="correct horse battery staple",
            full_name="Bench Learner",
            role="learner",
        )
        codes = []
        for n in range(certificates):
            code = f"LL-{n:04d}-0000-0000-0000-0000-0000-0000"
            codes.append(code)
            db.session.add(
                Certificate(
                    code=code,
                    user_id=user.id,
                    course_slug="demo-course",
                    course_version="1.0",
                    language="en",
                    recipient_name=f"Learner {n}",
                    course_title="Safe mealtimes",
                    hours=2,
                    completed_on=date(2026, 11, 20),
                    status_index=n % STATUS_LIST_SIZE,
                )
            )
        db.session.commit()
    return app, codes[len(codes) // 2]


def plain_app() -> Flask:
    app = Flask("plain")

    @app.get("/")
    def page():
        from flask import render_template_string

        return render_template_string("<!doctype html><title>Plain</title><p>{{ text }}</p>", text="Valid certificate")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdfs", type=int, default=30)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    runs = max(2, args.runs)

    with tempfile.TemporaryDirectory() as folder:
        app, code = seeded_app(Path(folder))
        client = app.test_client()
        plain = plain_app().test_client()
        with app.test_request_context("/ro/"):
            render_certificate(TEXT)  # warm-up: imports, font files in the OS cache
            baseline_pdf()
            cjk_font = app.config["CERTIFICATE_CJK_FONT"]
            for text in (CHINESE, ARABIC, REVOKED):
                render_certificate(text, cjk_font)
            figures = {"pdf": [], "pdf_base": [], "verify": [], "plain": []}
            figures |= {"chinese": [], "chinese_first": [], "arabic": [], "revoked": []}

            def chinese_first_time():
                subset_font.cache_clear()  # a name not downloaded before in this process
                render_certificate(CHINESE, cjk_font)

            for _ in range(runs):
                figures["pdf"].append(per_call_ms(lambda: render_certificate(TEXT), args.pdfs))
                figures["pdf_base"].append(per_call_ms(baseline_pdf, args.pdfs))
                for name, text in (("chinese", CHINESE), ("arabic", ARABIC), ("revoked", REVOKED)):
                    figures[name].append(per_call_ms(lambda text=text: render_certificate(text, cjk_font), args.pdfs))
                figures["chinese_first"].append(per_call_ms(chinese_first_time, max(3, args.pdfs // 4)))
        requests_per_second(client, f"/verify/{code}", 20)
        requests_per_second(plain, "/", 20)
        for _ in range(runs):
            figures["verify"].append(requests_per_second(client, f"/verify/{code}", args.requests))
            figures["plain"].append(requests_per_second(plain, "/", args.requests))

    def row(name, values, unit, best):
        return f"| {name} | {best(values):.1f} {unit} | {statistics.median(values):.1f} {unit} | {len(values)} |"

    print("| Measure | Best | Median | Runs |")
    print("|:--|--:|--:|--:|")
    print(row("Certificate PDF, per document (target < 50 ms)", figures["pdf"], "ms", min))
    print(row("Certificate PDF, Chinese name, first download (CJK font cut)", figures["chinese_first"], "ms", min))
    print(row("Certificate PDF, Chinese name, again (cut cached)", figures["chinese"], "ms", min))
    print(row("Certificate PDF, Arabic name (fallback font, HarfBuzz)", figures["arabic"], "ms", min))
    print(row("Certificate PDF, revoked (diagonal mark)", figures["revoked"], "ms", min))
    print(row("Baseline: fpdf2 page, one line, core font", figures["pdf_base"], "ms", min))
    print(row("Verification page /verify/<code>, test client", figures["verify"], "req/s", max))
    print(row("Baseline: plain Flask page, same process", figures["plain"], "req/s", max))
    ratio = statistics.median(figures["plain"]) / statistics.median(figures["verify"])
    print(f"\nVerification page: {ratio:.1f}× the cost of a plain Flask page (medians).")


if __name__ == "__main__":
    main()
