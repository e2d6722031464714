"""Benchmark data in the database named by DATABASE_URL, and what the load generators need to use it.

    DATABASE_URL=... python bench/seed.py --out seed.json --users 150

Creates learners, each signed in (a UserSession row; the cookie is signed here with the app's own session
interface, as the browser would hold it), enrolled in every course, with one quiz attempt open at every module
that has a quiz: one fresh one-time token per submit. The first learner ("main") has also read half of every
course and submitted some attempts, so their dashboard and lesson pages show real progress.
Writes JSON: the main learner's cookie, a lesson path, and a list of ready quiz submits (cookie, path, body).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import g, session  # noqa: E402
from flask_wtf.csrf import generate_csrf  # noqa: E402

from lumos_learn import create_app  # noqa: E402
from lumos_learn.course_library import library  # noqa: E402
from lumos_learn.extensions import db  # noqa: E402
from lumos_learn.learn.quizzes import attempt_paper, new_attempt  # noqa: E402
from lumos_learn.models import Enrolment, ModuleProgress, User, UserSession, utcnow  # noqa: E402
from lumos_learn.passwords import hash_password, use_cheap_hashing  # noqa: E402

PASSWORD = "bench password 0123456789"


def answers(quiz) -> dict[str, list[str]]:
    """A plausible form for the questions of `quiz` (an attempt's paper: a bank draws only some of its questions,
    and answers to others are refused as tampering): the first displayed option of each choice (display positions
    are always valid), a number, a word, a sentence."""
    form: dict[str, list[str]] = {}
    for q in quiz.questions:
        name = f"q-{q.id}"
        if q.type in ("multichoice", "multianswer"):
            form[name] = ["0"]
        elif q.type == "truefalse":
            form[name] = ["true"]
        elif q.type == "matching":
            for index, _pair in q.pairs:
                form[f"{name}-{index}"] = [str(index % max(1, len(q.match_choices)))]
        elif q.type == "numerical":
            form[name] = ["3"]
        elif q.type == "shortanswer":
            form[name] = ["observe"]
        else:
            form[name] = ["I will sit at the child's eye level and wait."]
    return form


def cookie_for(app, user_session: UserSession) -> tuple[str, str]:
    """(Cookie header value, CSRF form token) of a browser signed in with `user_session`."""
    with app.test_request_context("/"):
        session["_user_id"] = user_session.token
        session["_fresh"] = True
        g.pop("csrf_token", None)  # generate_csrf caches in `g`, which this app context shares across users
        csrf = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return f"{app.config['SESSION_COOKIE_NAME']}={value}", csrf


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=150)
    args = parser.parse_args()
    use_cheap_hashing()  # the sign-in check of the scale-out script still verifies these hashes
    app = create_app()
    with app.app_context():
        courses = library().courses
        password_hash = hash_password(PASSWORD)
        users = [
            User(
                email=f"bench{n}@example.org",
                password_hash=password_hash,
                full_name=f"Bench Learner {n}",
                preferred_language="en",
            )
            for n in range(args.users)
        ]
        db.session.add_all(users)
        db.session.flush()
        sessions = [UserSession(user_id=u.id, user_agent="bench") for u in users]
        db.session.add_all(sessions)
        enrolments = {}
        for user in users:
            for course in courses:
                lang = "en" if "en" in course.languages else course.source_language
                enrolment = Enrolment(user_id=user.id, course_slug=course.slug, content_language=lang)
                enrolments[user.id, course.slug] = enrolment
        db.session.add_all(enrolments.values())
        db.session.flush()
        main_user = users[0]
        for course in courses:  # the main learner has read half of each course and tried its quizzes
            enrolment = enrolments[main_user.id, course.slug]
            for module in course.modules[: len(course.modules) // 2]:
                db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_slug=module.slug))
                if module.quiz is not None:
                    for percent in (40.0, 90.0):
                        attempt = new_attempt(course, module, enrolment)
                        attempt.submitted_at = utcnow()
                        attempt.score, attempt.max_score, attempt.percent = percent, 100, percent
                        attempt.passed = percent >= course.pass_mark
                        attempt.result = {"questions": []}
                        db.session.add(attempt)
        submits = []
        for user in users[1:]:
            for course in courses:
                enrolment = enrolments[user.id, course.slug]
                for module in course.modules:
                    text = module.text(enrolment.content_language)
                    if text.quiz is None:
                        continue
                    attempt = new_attempt(course, module, enrolment)
                    db.session.add(attempt)
                    submits.append((user, course, module, text, attempt))
        db.session.commit()
        session_of = {s.user_id: s for s in sessions}
        cookies = {u.id: cookie_for(app, session_of[u.id]) for u in users}
        ready = []
        for user, course, module, text, attempt in submits:
            cookie, csrf = cookies[user.id]
            form = {
                "csrf_token": [csrf],
                "token": [attempt.token],
                "action": ["submit"],
                **answers(attempt_paper(text, attempt).quiz),
            }
            ready.append(
                {
                    "cookie": cookie,
                    "path": f"/en/courses/{course.slug}/{module.slug}/quiz",
                    "body": urlencode(form, doseq=True),
                    "token": attempt.token,
                }
            )
        # interleave learners: concurrent submits come from different people, as in real use
        secrets.SystemRandom().shuffle(ready)
        main_course = courses[0]
        quiz_module = next((m for m in main_course.modules if m.quiz is not None), main_course.modules[0])
        out = {
            "main_cookie": cookies[main_user.id][0],
            "main_email": main_user.email,
            "password": PASSWORD,
            "lesson_path": f"/en/courses/{main_course.slug}/{quiz_module.slug}/",
            "catalogue_path": "/en/courses/",
            "dashboard_path": "/en/dashboard/",
            "submits": ready,
            "users": args.users,
            "courses": len(courses),
        }
    Path(args.out).write_text(json.dumps(out))


if __name__ == "__main__":
    main()
