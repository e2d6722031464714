"""`flask demo load`: a small demo (an admin, a trainer, learners and a cohort) for trying the site."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..auth.services import create_user, find_user_by_email
from ..course_library import library
from ..extensions import db
from ..learn.enrolment import enrol
from ..learn.progress import mark_read
from ..models import Cohort

demo = AppGroup("demo", help="Demo data for trying Lumos Learn.")

DEMO_PASSWORD = "lumos-demo-2026"  # noqa: S105 - printed for people trying the site locally
PEOPLE = [
    # email, name, role, language, country, organisation, professional role
    ("admin@demo.lumos", "Elena Marin", "admin", "en", "GB", "Lumos Learn", "other"),
    (
        "trainer@demo.lumos",
        "Mihai Ceban",
        "trainer",
        "ro",
        "MD",
        "Centrul Republican de Asistență Psihopedagogică",
        "trainer",
    ),
    ("teacher@demo.lumos", "Ana Rusu", "learner", "ro", "MD", "Liceul Teoretic „Mihai Eminescu”, Ungheni", "teacher"),
    (
        "carer@demo.lumos",
        "Petya Ivanova",
        "learner",
        "bg",
        "BG",
        "Център за настаняване от семеен тип, Шумен",
        "care_staff",
    ),
    ("official@demo.lumos", "Claire Dubois", "learner", "fr", "BE", "Commission européenne, DG EMPL", "official"),
    ("planner@demo.lumos", "Tomáš Novák", "learner", "cs", "CZ", "Krajský úřad Olomouckého kraje", "official"),
]


@demo.command("load")
def load() -> None:
    """Create the demo accounts and cohort (once; running it again changes nothing)."""
    people = {}
    for email, name, role, lang, country, organisation, professional_role in PEOPLE:
        user = find_user_by_email(email) or create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            role=role,
            preferred_language=lang,
            country=country,
            organisation=organisation,
            professional_role=professional_role,
        )
        people[email] = user
    courses = library()
    inclusive = courses.get("inclusive-education")
    if inclusive is not None and db.session.query(Cohort).filter_by(join_code="UNGHENI1").first() is None:
        cohort = Cohort(
            course_slug=inclusive.slug,
            name="Ungheni district teachers, spring 2027",
            language="ro",
            join_code="UNGHENI1",
            created_by_id=people["trainer@demo.lumos"].id,
        )
        cohort.trainers.append(people["trainer@demo.lumos"])
        db.session.add(cohort)
        db.session.commit()
        enrolment, _ = enrol(people["teacher@demo.lumos"], inclusive, "ro", cohort)
        for module in inclusive.modules[:2]:
            mark_read(inclusive, enrolment, module.slug)
        _more_cohort_learners(inclusive, cohort)
    for email, slug, lang in (
        ("carer@demo.lumos", "feeding-support", "bg"),
        ("official@demo.lumos", "eu-funding-di", "fr"),
        ("planner@demo.lumos", "strategic-di-planning", "cs"),
    ):
        course = courses.get(slug)
        if course is not None:
            enrol(people[email], course, lang)
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, name, role, *_ in PEOPLE:
        click.echo(f"  {role:8} {email:22} {name}")
    click.echo("Cohort join code: UNGHENI1")


COHORT_LEARNERS = [
    # email, name, modules read, days since last activity (so the trainer's grid has every status)
    ("ion.popa@demo.lumos", "Ion Popa", 0, 3),
    ("maria.lungu@demo.lumos", "Maria Lungu", 1, 20),
    ("elena.sirbu@demo.lumos", "Elena Sîrbu", 3, 1),
    ("victor.munteanu@demo.lumos", "Victor Munteanu", 4, 2),
    ("natalia.cojocaru@demo.lumos", "Natalia Cojocaru", 2, 30),
    ("andrei.rotaru@demo.lumos", "Andrei Rotaru", 5, 0),
]


HANDS_IN_CAPSTONE = "andrei.rotaru@demo.lumos"  # the furthest along: his capstone waits in the marking queue


def _more_cohort_learners(course, cohort) -> None:
    """A few more teachers in the demo cohort, at different stages, with confidence ratings."""
    from datetime import timedelta

    from ..learn import confidence
    from ..models import utcnow

    for n, (email, name, read, idle_days) in enumerate(COHORT_LEARNERS):
        user = find_user_by_email(email) or create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            preferred_language="ro",
            country="MD",
            organisation=f"Gimnaziul nr. {n + 1}, Ungheni",
            professional_role="teacher",
        )
        enrolment, _ = enrol(user, course, "ro", cohort)
        for module in course.modules[:read]:
            mark_read(course, enrolment, module.slug)
        if course.confidence:
            confidence.record(enrolment, "before", {s.id: 1 + (n + i) % 3 for i, s in enumerate(course.confidence)})
        enrolment.last_activity_at = utcnow() - timedelta(days=idle_days)
        db.session.commit()
        if email == HANDS_IN_CAPSTONE:
            _hand_in_capstone(course, enrolment)


def _hand_in_capstone(course, enrolment) -> None:
    """Work waiting in the trainer's marking queue: the capstone handed in, written from its model answer so that
    it fits the word range (a demo learner has no plan of their own)."""
    from markupsafe import Markup

    from ..assignments import services as assignments

    for module in course.assignment_modules:
        work = module.text(enrolment.content_language).assignment or module.assignment
        if assignments.submission_for(enrolment, work.id) is None:
            text = Markup(work.model_answer_html).striptags()  # noqa: S704 - sanitised course HTML; its text only
            assignments.save_work(enrolment, module.slug, work, text, hand_in=True)
