"""Server time of the trainer's progress grid and impact report on a large database.

    python bench/bench_trainer.py [--runs 5] [--learners 50000] [--cohort 2000]

Seeds (bulk inserts) a database of `--learners` learners spread over the shipped courses, one of whom's
cohorts (the benchmark trainer's) holds `--cohort` learners of inclusive-education with reading progress,
quiz attempts, answers and certificates; other cohorts belong to other trainers. Then times, in-process
through the WSGI test client (no network), the pages a trainer opens, against a plain Flask page rendering
a template in the same run. Runs on SQLite; also on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL
is set (its tables are dropped and recreated). Every figure is the median (and best) of `--runs` requests
after one warm-up request. Targets: grid < 300 ms, report < 500 ms.

The grid is paginated (100 learners per page): the figure is the first page a trainer opens, sorted by name;
sorting by course percent needs every learner's progress and is measured separately.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, render_template_string  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from lumos_learn import create_app  # noqa: E402
from lumos_learn.course_library import library  # noqa: E402
from lumos_learn.extensions import db  # noqa: E402
from lumos_learn.models import (  # noqa: E402
    Certificate,
    Cohort,
    CohortTrainer,
    Enrolment,
    ModuleProgress,
    QuizAnswer,
    QuizAttempt,
    User,
    UserSession,
    utcnow,
)

COUNTRIES = ("MD", "RO", "BG", "CZ", "UA", "BE", "FR")
ROLES = ("teacher", "principal", "care_staff", "health", "social_worker", "official", "other")
LANGS = ("en", "ro", "bg", "cs", "uk", "fr")
CHUNK = 5000


def bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def seed(learners: int, cohort_size: int, rng: random.Random) -> tuple[int, int, int]:
    """Returns (trainer id, admin id, the big cohort's id)."""
    now = utcnow()
    courses = [c for c in library().courses if c.modules]
    main_course = library().get("inclusive-education") or courses[0]
    people = [
        {"email": "trainer@bench.example", "full_name": "Bench Trainer", "role": "trainer"},
        # Administrators must use two-step sign-in: the benchmark's admin has it set up.
        {
            "email": "admin@bench.example",
            "full_name": "Bench Admin",
            "role": "admin",
            "totp_secret": "BENCH",
            "totp_confirmed_at": now,
        },
    ]
    people += [
        {
            "email": f"learner{n}@bench.example",
            "full_name": f"Learner {n:05d}",
            "role": "learner",
            "preferred_language": rng.choice(LANGS),
            "country": rng.choice(COUNTRIES),
            "organisation": f"School {rng.randrange(400)}",
            "professional_role": rng.choice(ROLES),
        }
        for n in range(learners)
    ]
    for person in people:
        person.setdefault("password_hash", "!bench")
    bulk(User, people)
    trainer_id, admin_id = 1, 2
    others = 20
    bulk(
        User,
        [
            {"email": f"t{n}@bench.example", "full_name": f"Trainer {n}", "role": "trainer", "password_hash": "!bench"}
            for n in range(others)
        ],
    )
    other_trainer_ids = list(range(learners + 3, learners + 3 + others))
    cohorts = [
        {
            "course_slug": main_course.slug,
            "name": "Big cohort",
            "language": "ro",
            "join_code": "BIGCOHRT",
            "created_by_id": trainer_id,
        }
    ]
    cohorts += [
        {
            "course_slug": courses[n % len(courses)].slug,
            "name": f"Cohort {n}",
            "language": "en",
            "join_code": f"C{n:07d}",
            "created_by_id": other_trainer_ids[n % others],
        }
        for n in range(100)
    ]
    bulk(Cohort, cohorts)
    bulk(
        CohortTrainer,
        [{"cohort_id": 1, "user_id": trainer_id}]
        + [{"cohort_id": n + 2, "user_id": other_trainer_ids[n % others]} for n in range(100)],
    )

    enrolments, reads, attempts, answers, certificates = [], [], [], [], []
    for n in range(learners):
        in_big = n < cohort_size
        course = main_course if in_big else courses[n % len(courses)]
        enrolled = now - timedelta(days=rng.randrange(1, 365), minutes=rng.randrange(1440))
        modules = course.modules
        done = rng.randrange(len(modules) + 1)
        completed = done == len(modules)
        enrolment_id = n + 1
        enrolments.append(
            {
                "user_id": n + 3,
                "course_slug": course.slug,
                "content_language": "ro" if in_big else course.source_language,
                "cohort_id": 1 if in_big else (2 + n % 100 if n % 3 else None),
                "enrolled_at": enrolled,
                "last_activity_at": enrolled + timedelta(days=rng.randrange(0, 30)),
                "completed_at": enrolled + timedelta(days=rng.randrange(1, 60)) if completed else None,
            }
        )
        for module in modules[:done]:
            reads.append({"enrolment_id": enrolment_id, "module_slug": module.slug, "read_at": enrolled})
            quiz = module.quiz
            if quiz is None:
                continue
            percent = rng.choice((40.0, 60.0, 80.0, 100.0)) if not completed else 100.0
            attempts.append(
                {
                    "enrolment_id": enrolment_id,
                    "module_slug": module.slug,
                    "content_language": enrolments[-1]["content_language"],
                    "content_hash": "bench",
                    "course_version": course.version,
                    "submitted_at": enrolled + timedelta(hours=1),
                    "percent": percent,
                    "passed": percent >= course.pass_mark,
                    "graded": module.graded,
                    "score": percent / 100,
                    "max_score": 1.0,
                }
            )
            if in_big:
                attempt_id = len(attempts)
                answers += [
                    {
                        "attempt_id": attempt_id,
                        "question_id": q.id,
                        "response": 0,
                        "correct": rng.random() < 0.7,
                        "score": 1.0,
                    }
                    for q in quiz.graded_questions
                ]
        if completed and n % 2 == 0:
            certificates.append(
                {
                    "code": f"BENCH-{n}",
                    "enrolment_id": enrolment_id,
                    "user_id": n + 3,
                    "course_slug": course.slug,
                    "course_version": course.version,
                    "language": "en",
                    "recipient_name": f"Learner {n:05d}",
                    "course_title": "Course",
                    "hours": 10,
                    "completed_on": now.date(),
                    "status_index": len(certificates) + 1,
                }
            )
    bulk(Enrolment, enrolments)
    bulk(ModuleProgress, reads)
    bulk(QuizAttempt, attempts)
    bulk(QuizAnswer, answers)
    bulk(Certificate, certificates)
    db.session.commit()
    return trainer_id, admin_id, 1


def sign_in(app, client, user_id: int) -> None:
    with app.app_context():
        user_session = UserSession(user_id=user_id)
        db.session.add(user_session)
        db.session.commit()
        token = user_session.token
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def timed(client, url: str, runs: int) -> tuple[float, float]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.headers.get("Location"))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), min(times)


def plain_app() -> Flask:
    app = Flask(__name__)

    @app.route("/")
    def page():
        rows = [{"name": f"Row {n}", "value": n} for n in range(20)]
        return render_template_string(
            "<!doctype html><title>Plain</title><table>{% for r in rows %}<tr><td>{{ r.name }}</td>"
            "<td>{{ r.value }}</td></tr>{% endfor %}</table>",
            rows=rows,
        )

    return app


def run(database_url: str, label: str, args) -> list[tuple[str, str, float, float, str]]:
    rng = random.Random(42)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-secret-key-0123456789-abcdef",
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        trainer_id, admin_id, cohort_id = seed(args.learners, args.cohort, rng)
        if database_url.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        else:
            db.session.execute(text("ANALYZE"))
        print(f"[{label}] seeded {args.learners} learners in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    trainer, admin = app.test_client(), app.test_client()
    sign_in(app, trainer, trainer_id)
    sign_in(app, admin, admin_id)
    plain = plain_app().test_client()
    results = [(label, "plain Flask page (baseline)", *timed(plain, "/", args.runs), "")]
    pages = [
        ("grid, first page (100 of 2,000, by name)", trainer, f"/en/trainer/cohorts/{cohort_id}/progress", "< 300"),
        (
            "grid, sorted by course percent",
            trainer,
            f"/en/trainer/cohorts/{cohort_id}/progress?sort=percent&dir=desc",
            "< 300",
        ),
        ("grid, stuck for 14 days", trainer, f"/en/trainer/cohorts/{cohort_id}/progress?status=stuck", "< 300"),
        ("impact report, trainer (2,000)", trainer, "/en/trainer/report", "< 500"),
        (f"impact report, admin ({args.learners:,})", admin, "/en/trainer/report", "< 500"),
        ("quiz item analysis, cohort", trainer, f"/en/trainer/cohorts/{cohort_id}/items", ""),
        ("grid export, CSV (2,000 rows)", trainer, f"/en/trainer/cohorts/{cohort_id}/progress.csv", ""),
    ]
    for name, client, url, target in pages:
        results.append((label, name, *timed(client, url, args.runs), target))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--cohort", type=int, default=2_000)
    args = parser.parse_args()
    args.runs = max(args.runs, 2)
    os.environ.setdefault("COURSES_DIR", str(ROOT / "courses"))
    print_results(run_on_each_database(run, args), args.runs)


def run_on_each_database(run, args) -> list[tuple[str, str, float, float, str]]:
    """`run` on SQLite in a temporary folder, then on PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL)
    names a throwaway database."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results += run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args)
    postgres = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if postgres:
        results += run(postgres.replace("postgresql://", "postgresql+psycopg://", 1), "PostgreSQL", args)
    return results


def print_results(results: list[tuple[str, str, float, float, str]], runs: int) -> None:
    print(f"\nServer time per request, in-process ({runs} runs each, after a warm-up request)\n")
    print("| Database | Page | Median ms | Best ms | Target ms |")
    print("|---|---|---:|---:|---|")
    for label, name, median, best, target in results:
        print(f"| {label} | {name} | {median:.1f} | {best:.1f} | {target} |")


if __name__ == "__main__":
    main()
