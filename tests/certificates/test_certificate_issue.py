"""Issuing: once per enrolment, with what the certificate must say, and codes people can type."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lumos_learn.certificates.codes import normalise_code
from lumos_learn.certificates.services import certificate_for, issue_certificate
from lumos_learn.course_library import library
from lumos_learn.learn.progress import complete_if_done
from lumos_learn.models import Certificate
from lumos_learn.signals import course_completed

CODE_RE = re.compile(r"^LL(-[0-9A-HJKMNP-TV-Z]{4}){7}$")


def count_certificates(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_completion_issues_one_certificate_even_when_reached_twice(app, db, learner, finish):
    enrolment = finish(learner)
    course = library().get("demo-course")
    assert complete_if_done(course, enrolment) is False  # completion itself happens once
    # Even if the signal arrives again (a replay, a second worker), the database keeps one certificate.
    course_completed.send(app, enrolment=enrolment, course=course)
    course_completed.send(app, enrolment=enrolment, course=course)
    assert issue_certificate(enrolment, course).id == certificate_for(enrolment).id
    assert count_certificates(db) == 1


def test_certificate_says_who_what_when_and_the_version(db, learner, finish, cohort_with_trainer):
    cohort, _trainer = cohort_with_trainer
    enrolment = finish(learner, lang="ro", cohort=cohort)
    certificate = certificate_for(enrolment)
    assert certificate.recipient_name == "Ana Popescu"
    assert certificate.course_title == "Mese în siguranță: un curs scurt de test"  # the content language
    assert certificate.language == "ro"
    assert certificate.hours == 2
    assert certificate.course_version == "1.0"
    assert certificate.completed_on == enrolment.completed_at.date()
    assert certificate.trainer_name == "Maria Ionescu"
    assert CODE_RE.match(certificate.code)


def test_codes_are_random_and_forgiving_when_typed(db, make_user, finish):
    codes = {certificate_for(finish(make_user())).code for _ in range(5)}
    assert len(codes) == 5
    code = codes.pop()
    assert normalise_code(code.lower()) == code
    assert normalise_code(code.replace("-", "")) == code
    assert normalise_code(" " + code[3:].replace("-", " ") + " ") == code  # without the LL prefix
    assert normalise_code(code.replace("0", "O").replace("1", "I")) == code
    assert normalise_code("LL-1234") is None
    assert normalise_code("../../etc/passwd") is None


def test_status_indices_are_unique_in_the_database(db, make_user, finish):
    first = certificate_for(finish(make_user()))
    second = certificate_for(finish(make_user()))
    second.status_index = first.status_index
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
