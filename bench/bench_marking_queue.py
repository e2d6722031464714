"""Server time of the assignment marking pages with 2,000 submissions in one cohort.

    python bench/bench_marking_queue.py [--runs 5] [--submissions 2000] [--elsewhere 20000]

Seeds (bulk inserts) one cohort of `--submissions` learners of the test course (tests/data/courses, the one course
with an assignment), each with a submission (most waiting to be marked, some returned or passed, every tenth with a
small attached file), and `--elsewhere` learners with submissions in 100 other cohorts, so the queue's query must
find its cohort's rows among many. Then times, in-process through the WSGI test client (no network), the pages a
trainer opens while marking, against a plain Flask page rendering a template in the same run. Runs on SQLite; also
on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set (its tables are dropped and recreated). Every figure
is the median (and best) of `--runs` requests after one warm-up request. Target: a queue page under 300 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_trainer import bulk, plain_app, print_results, run_on_each_database, sign_in, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402

from lumos_learn import create_app  # noqa: E402
from lumos_learn.assignments.models import FileChunk, Submission, SubmissionFile  # noqa: E402
from lumos_learn.extensions import db  # noqa: E402
from lumos_learn.models import Cohort, CohortTrainer, Enrolment, User, new_token, utcnow  # noqa: E402

COURSE = "demo-course"
TEXT = "Dan sits upright, hips at 90 degrees, feet on a footrest; I stop and call for help if he coughs. " * 4


def seed(count: int, elsewhere: int, rng: random.Random) -> int:
    """The benchmark trainer is user 1; returns the big cohort's id (1)."""
    now = utcnow()
    learners = count + elsewhere
    people = [{"email": "trainer@bench.example", "full_name": "Bench Trainer", "role": "trainer"}]
    people += [
        {"email": f"learner{n}@bench.example", "full_name": f"Learner {n:05d}", "role": "learner"}
        for n in range(learners)
    ]
    for person in people:
        person["password_hash"] = "!bench"
    bulk(User, people)
    cohorts = [{"course_slug": COURSE, "name": "Big cohort", "language": "en", "join_code": "BIGCOHRT"}]
    cohorts += [
        {"course_slug": COURSE, "name": f"Cohort {n}", "language": "en", "join_code": f"C{n:07d}"} for n in range(100)
    ]
    bulk(Cohort, cohorts)
    bulk(CohortTrainer, [{"cohort_id": 1, "user_id": 1}])
    enrolments, submissions, files, chunks = [], [], [], []
    for n in range(learners):
        enrolled = now - timedelta(days=rng.randrange(1, 90))
        enrolments.append(
            {
                "user_id": n + 2,
                "course_slug": COURSE,
                "content_language": "en",
                "cohort_id": 1 if n < count else 2 + n % 100,
                "enrolled_at": enrolled,
                "last_activity_at": enrolled,
            }
        )
        status = rng.choices(("submitted", "returned", "passed", "draft"), (70, 10, 15, 5))[0]
        submissions.append(
            {
                "enrolment_id": n + 1,
                "module_slug": "positioning",
                "assignment_id": "demo-mealtime-plan",
                "content_language": "en",
                "status": status,
                "text": TEXT,
                "version": 2,
                "times_submitted": 0 if status == "draft" else 1,
                "submitted_at": None if status == "draft" else enrolled + timedelta(minutes=rng.randrange(1, 50_000)),
            }
        )
        if n < count and n % 10 == 0:
            files.append(
                {
                    "public_id": new_token(),
                    "submission_id": n + 1,
                    "filename": "plan.pdf",
                    "content_type": "application/pdf",
                    "size": 4096,
                    "sha256": "0" * 64,
                }
            )
            chunks.append({"file_id": len(files), "seq": 0, "data": b"%PDF-1.4\n" + b"x" * 4087})
    bulk(Enrolment, enrolments)
    bulk(Submission, submissions)
    bulk(SubmissionFile, files)
    bulk(FileChunk, chunks)
    db.session.commit()
    return 1


def run(database_url: str, label: str, args) -> list[tuple[str, str, float, float, str]]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-secret-key-0123456789-abcdef",
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": None,
            "COURSES_DIR": str(ROOT / "tests" / "data" / "courses"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        cohort_id = seed(args.submissions, args.elsewhere, random.Random(42))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        waiting = db.session.execute(
            text(
                "SELECT count(*) FROM assignment_submissions s JOIN enrolments e ON e.id = s.enrolment_id "
                "WHERE e.cohort_id = :c AND s.status = 'submitted'"
            ),
            {"c": cohort_id},
        ).scalar_one()
        oldest = db.session.execute(
            text(
                "SELECT s.id FROM assignment_submissions s JOIN enrolments e ON e.id = s.enrolment_id "
                "WHERE e.cohort_id = :c AND s.status = 'submitted' ORDER BY s.submitted_at, s.id LIMIT 1"
            ),
            {"c": cohort_id},
        ).scalar_one()
        print(
            f"[{label}] seeded {args.submissions + args.elsewhere} submissions ({waiting} waiting in the cohort) "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    trainer = app.test_client()
    sign_in(app, trainer, 1)
    plain = plain_app().test_client()
    last_page = max(1, -(-waiting // 50))
    results = [(label, "plain Flask page (baseline)", *timed(plain, "/", args.runs), "")]
    pages = [
        ("marking queue, first page (50, oldest first)", f"/en/trainer/cohorts/{cohort_id}/marking", "< 300"),
        (
            f"marking queue, last page ({last_page})",
            f"/en/trainer/cohorts/{cohort_id}/marking?page={last_page}",
            "< 300",
        ),
        ("marking page (work beside the rubric)", f"/en/trainer/submissions/{oldest}", "< 300"),
        ("cohort overview (with marking counts)", f"/en/trainer/cohorts/{cohort_id}/", "< 300"),
        ("progress grid with assignment column", f"/en/trainer/cohorts/{cohort_id}/progress", "< 300"),
    ]
    for name, url, target in pages:
        results.append((label, name, *timed(trainer, url, args.runs), target))
    if args.zip:
        results.append(
            (
                label,
                "ZIP of the cohort's submissions",
                *timed(trainer, f"/en/trainer/cohorts/{cohort_id}/submissions.zip", 1),
                "",
            )
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=2_000)
    parser.add_argument("--elsewhere", type=int, default=20_000)
    parser.add_argument("--zip", action="store_true", help="also time the cohort ZIP (one run)")
    args = parser.parse_args()
    args.runs = max(args.runs, 2)
    print_results(run_on_each_database(run, args), args.runs)


if __name__ == "__main__":
    main()
