"""This round's new features under load: drawing an attempt, and queuing reminders for a large cohort.

    python bench/bench_new_features.py [--learners 50000] [--draws 2000]

- Drawing an attempt (`content/draw.py`): the questions and every answer's order for one attempt at each shipped
  final, against a baseline in the same run: `random.sample` of the same number of questions and a `random.shuffle`
  of each one's answers (the least any draw costs).
- Queuing reminders (`notifications/reminders.py`, `queue_reminders`): a cohort of `--learners` learners, all idle
  past the cohort's reminder threshold, so every one gets a reminder (an outbox row with its e-mail rendered in the
  reader's language), on SQLite and, with BENCH_DATABASE_URL, on PostgreSQL; against a baseline in the same run:
  one INSERT per outbox row of the same size with no rendering (executemany), the least the job could cost.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import ROOT, app_env, prepare_database, temp_dir

sys.path.insert(0, str(ROOT))


def bench_draw(draws: int) -> list[str]:
    from lumos_learn.content import load_library
    from lumos_learn.content.draw import answer_order, draw_questions

    library = load_library(ROOT / "courses")
    rows = []
    for course in library.courses:
        finals = [m for m in course.modules if m.graded and m.text(course.source_language).quiz is not None]
        for module in finals:
            text = module.text(course.source_language)
            questions = {q.id: q for q in text.quiz.questions}
            n_drawn = len(draw_questions(text, "probe"))
            times, base = [], []
            for i in range(draws):
                start = time.perf_counter()
                ids = draw_questions(text, f"token-{i}", seen=())
                for qid in ids:
                    answer_order(questions[qid], f"token-{i}")
                times.append(time.perf_counter() - start)
                start = time.perf_counter()
                picked = random.sample(text.quiz.questions, n_drawn)
                for q in picked:
                    random.shuffle(list(range(len(q.answers))))
                base.append(time.perf_counter() - start)
            rows.append(
                f"| {course.slug} / {module.slug} | {n_drawn} of {len(questions)} | "
                f"{statistics.median(times) * 1e6:.0f} | {statistics.median(base) * 1e6:.0f} | "
                f"{statistics.median(times) / statistics.median(base):.0f}× |"
            )
    return rows


def bench_reminders(database_url: str, label: str, learners: int) -> str:
    work = temp_dir("lumos-reminders-")
    env = app_env(database_url, work)
    if database_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    prepare_database(env)
    os.environ.update(env)
    from sqlalchemy import insert, text

    from lumos_learn import create_app
    from lumos_learn.course_library import library
    from lumos_learn.extensions import db
    from lumos_learn.models import Cohort, Enrolment, OutboxMessage, User, utcnow
    from lumos_learn.notifications.reminders import queue_reminders

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        now = utcnow()
        course = library().courses[0]
        langs = ["en", "ro", "bg", "cs", "uk", "fr"]
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"r{n}@bench.example",
                    "full_name": f"Reminded {n}",
                    "password_hash": "!bench",
                    "preferred_language": langs[n % 6],
                }
                for n in range(learners)
            ],
        )
        cohort = Cohort(
            course_slug=course.slug, name="Reminded", language="en", join_code="REMIND01", remind_inactive_days=7
        )
        db.session.add(cohort)
        db.session.flush()
        ids = db.session.scalars(text("SELECT id FROM users ORDER BY id")).all()
        db.session.execute(
            insert(Enrolment),
            [
                {
                    "user_id": uid,
                    "course_slug": course.slug,
                    "content_language": "en",
                    "cohort_id": cohort.id,
                    "last_activity_at": now - timedelta(days=10),
                }
                for uid in ids
            ],
        )
        db.session.commit()
        start = time.perf_counter()
        with app.test_request_context("/"):
            queued = queue_reminders(now)
        job = time.perf_counter() - start
        assert queued == learners, (queued, learners)
        db.session.remove()  # the next run is a fresh process in production (`flask notifications remind`)
        again = time.perf_counter()
        with app.test_request_context("/"):
            assert queue_reminders(now) == 0  # the second run finds them all queued
        rerun = time.perf_counter() - again
        sample = db.session.scalars(db.select(OutboxMessage).limit(1)).one()
        rows = [
            {
                "kind": "baseline",
                "language": sample.language,
                "user_id": uid,
                "to_address": sample.to_address,
                "subject": sample.subject,
                "body_text": sample.body_text,
                "body_html": sample.body_html,
                "dedupe_key": f"baseline:{uid}",
            }
            for uid in ids
        ]
        start = time.perf_counter()
        db.session.execute(insert(OutboxMessage), rows)
        db.session.commit()
        baseline = time.perf_counter() - start
    return (
        f"| {label} | {learners:,} | {job:.1f} | {job / learners * 1000:.2f} | {rerun:.1f} | {baseline:.1f} | "
        f"{job / baseline:.0f}× |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--skip-reminders", action="store_true")
    args = parser.parse_args()
    print("Drawing one attempt at each shipped final (median of", args.draws, "draws):\n")
    print("| final | questions drawn | draw + answer orders (µs) | baseline: random.sample + shuffle (µs) | ratio |")
    print("|---|---|---:|---:|---:|")
    print("\n".join(bench_draw(args.draws)))
    if args.skip_reminders:
        return
    print(f"\nQueuing reminders for one cohort of {args.learners:,} idle learners (every one due):\n")
    print(
        "| database | reminders queued | seconds | ms per reminder | second run (all known) s | "
        "baseline: same rows, one executemany, s | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    work = temp_dir("lumos-reminders-sqlite-")
    print(bench_reminders(f"sqlite:///{work / 'r.db'}", "SQLite", args.learners), flush=True)
    postgres = os.environ.get("BENCH_DATABASE_URL")
    if postgres:
        print(
            bench_reminders(postgres.replace("postgresql://", "postgresql+psycopg://", 1), "PostgreSQL", args.learners)
        )


if __name__ == "__main__":
    main()
