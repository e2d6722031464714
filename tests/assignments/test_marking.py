"""Marking: the queue oldest first, the next one without going back, two markers at once, the cohort ZIP,
assessors for learners outside any cohort, self-assessment, and the autosave endpoint."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from helpers import GOOD_TEXT, PAGE, enrol_learner, hidden, level_form, make_cohort, small_pdf, upload
from sqlalchemy import select

from lumos_learn.assignments.models import CourseAssessor, Review, Submission
from lumos_learn.models import Enrolment, utcnow

PASS = {"seating": "meets", "warning-signs": "meets"}


def submit_as(app, login_as, user, join_code=None, text=GOOD_TEXT, files=()):
    client = app.test_client()
    login_as(client, user)
    enrol_learner(client, join_code)
    response = client.submit(
        PAGE,
        {"action": "submit", "text": text, "files": [upload(n, d) for n, d in files]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def cohort_with_work(app, make_user, login_as, db):
    """A trainer's cohort with three learners' submissions, submitted an hour apart (Ana first)."""
    trainer = make_user("trainer", name="Tara Trainer")
    cohort = make_cohort(trainer)
    for hours_ago, name in ((3, "Ana First"), (1, "Cara Third"), (2, "Bob Second")):
        submit_as(app, login_as, make_user("learner", name=name), cohort.join_code)
        latest = db.session.execute(select(Submission).order_by(Submission.id.desc())).scalars().first()
        latest.submitted_at = utcnow() - timedelta(hours=hours_ago)
    db.session.commit()
    client = app.test_client()
    login_as(client, trainer)
    return cohort, trainer, client


def submission_of(db, name) -> Submission:
    from lumos_learn.models import User

    return db.session.execute(select(Submission).join(Enrolment).join(User).where(User.full_name == name)).scalar_one()


def test_queue_is_oldest_first_and_marking_moves_to_the_next(cohort_with_work, db):
    cohort, _trainer, client = cohort_with_work
    queue = client.get(f"/en/trainer/cohorts/{cohort.id}/marking").get_data(as_text=True)
    assert queue.index("Ana First") < queue.index("Bob Second") < queue.index("Cara Third")
    assert "<strong>3</strong> waiting to be marked" in queue
    first = submission_of(db, "Ana First")
    url = f"/en/trainer/submissions/{first.id}"
    form = client.get(url).get_data(as_text=True)
    response = client.submit(url, level_form(PASS, decision="passed", version=hidden(form, "version")), page=url)
    # straight to the next oldest, without going back to the list
    assert response.headers["Location"].endswith(f"/trainer/submissions/{submission_of(db, 'Bob Second').id}")
    assert "<strong>2</strong> waiting to be marked" in client.get(f"/en/trainer/cohorts/{cohort.id}/").get_data(
        as_text=True
    )


def test_two_trainers_marking_at_once_the_second_is_told_and_nothing_is_overwritten(
    cohort_with_work, app, make_user, login_as, db
):
    cohort, _trainer, first_client = cohort_with_work
    co_trainer = make_user("trainer", name="Cole Co-Trainer")
    from lumos_learn.models import CohortTrainer

    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=co_trainer.id))
    db.session.commit()
    second_client = app.test_client()
    login_as(second_client, co_trainer)
    submission = submission_of(db, "Ana First")
    url = f"/en/trainer/submissions/{submission.id}"
    first_form = first_client.get(url).get_data(as_text=True)
    second_form = second_client.get(url).get_data(as_text=True)
    assert (
        first_client.submit(
            url, level_form(PASS, decision="passed", version=hidden(first_form, "version")), page=url
        ).status_code
        == 302
    )
    late = second_client.post(
        url,
        data=level_form(
            {"seating": "not-yet", "warning-signs": "not-yet"},
            decision="returned",
            overall="Start again.",
            version=hidden(second_form, "version"),
            csrf_token=hidden(second_form, "csrf_token"),
        ),
    )
    assert late.status_code == 409
    assert "Someone else marked this work" in late.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "passed"
    [review] = db.session.execute(select(Review)).scalars().all()
    assert review.decision == "passed" and review.overall_comment == ""


def test_a_trainer_of_another_cohort_cannot_mark(cohort_with_work, app, make_user, login_as, db):
    cohort, _trainer, _client = cohort_with_work
    stranger = make_user("trainer")
    make_cohort(stranger, name="Stranger's cohort")
    client = app.test_client()
    login_as(client, stranger)
    url = f"/en/trainer/submissions/{submission_of(db, 'Ana First').id}"
    assert client.get(url).status_code == 404
    token = client.csrf_token("/en/trainer/")
    assert client.post(url, data=level_form(PASS, decision="passed", version="2", csrf_token=token)).status_code == 404
    assert client.get(f"/en/trainer/cohorts/{cohort.id}/marking").status_code == 404
    assert db.session.execute(select(Review)).first() is None


def test_returning_needs_an_overall_comment_and_every_level(cohort_with_work, db):
    _cohort, _trainer, client = cohort_with_work
    url = f"/en/trainer/submissions/{submission_of(db, 'Ana First').id}"
    form = client.get(url).get_data(as_text=True)
    response = client.submit(
        url, {"level-seating": "meets", "decision": "returned", "version": hidden(form, "version")}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="level-warning-signs-error">Choose a level for this criterion.' in html
    assert 'id="overall-error">Say in the overall comment what to revise.' in html
    assert db.session.execute(select(Review)).first() is None


def test_cohort_zip_holds_every_submission_with_its_files(app, make_user, login_as, db):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    pdf = small_pdf()
    submit_as(app, login_as, make_user("learner", name="Ana Popescu"), cohort.join_code, files=[("plan.pdf", pdf)])
    client = app.test_client()
    login_as(client, trainer)
    response = client.get(f"/en/trainer/cohorts/{cohort.id}/submissions.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        folder = next(n for n in names if n.endswith("/text.txt")).rsplit("/", 1)[0]
        assert folder.startswith("Ana Popescu-")
        assert GOOD_TEXT in archive.read(f"{folder}/text.txt").decode()
        assert archive.read(f"{folder}/files/plan.pdf") == pdf


def test_assessor_named_by_an_admin_marks_learners_outside_any_cohort(app, client, make_user, login_as, admin, db):
    assessor = make_user("trainer", email="assessor@example.org", name="Asa Assessor")
    learner = make_user("learner")
    submit_as(app, login_as, learner)
    login_as(client, admin)
    refused = client.submit("/en/admin/assessors", {"course": "demo-course", "email": "nobody@example.org"})
    assert refused.status_code == 400 and "No trainer has that e-mail address." in refused.get_data(as_text=True)
    assert (
        client.submit("/en/admin/assessors", {"course": "demo-course", "email": "assessor@example.org"}).status_code
        == 302
    )
    assert db.session.get(CourseAssessor, (assessor.id, "demo-course")) is not None

    assert 'href="/en/admin/assessors"' in client.get("/en/admin/").get_data(as_text=True)
    assessor_client = app.test_client()
    login_as(assessor_client, assessor)
    assert 'href="/en/trainer/assessments/"' in assessor_client.get("/en/trainer/").get_data(as_text=True)
    listing = assessor_client.get("/en/trainer/assessments/").get_data(as_text=True)
    assert "1 waiting to be marked" in listing
    queue = assessor_client.get("/en/trainer/assessments/demo-course").get_data(as_text=True)
    submission = db.session.execute(select(Submission)).scalar_one()
    url = f"/en/trainer/submissions/{submission.id}"
    assert url in queue
    form = assessor_client.get(url).get_data(as_text=True)
    assert (
        assessor_client.submit(url, level_form(PASS, decision="passed", version=hidden(form, "version"))).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "passed"
    # Another trainer, not an assessor, has no queue.
    other = app.test_client()
    login_as(other, make_user("trainer"))
    assert other.get("/en/trainer/assessments/demo-course").status_code == 404


def test_autosave_keeps_the_draft_and_needs_the_csrf_token(app, client, learner, login_as, db):
    login_as(client, learner)
    enrol_learner(client)
    token = client.csrf_token(PAGE)
    saved = client.post(
        f"{PAGE}/draft", data={"text": "Dan sits up", "csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    assert db.session.execute(select(Submission.text)).scalar_one() == "Dan sits up"
    forged = client.post(f"{PAGE}/draft", data={"text": "changed"}, headers={"Accept": "application/json"})
    assert forged.status_code == 400
    assert db.session.execute(select(Submission.text)).scalar_one() == "Dan sits up"


def test_text_over_the_word_limit_is_refused_on_submit(client, learner, login_as, db):
    login_as(client, learner)
    enrol_learner(client)
    response = client.submit(PAGE, {"action": "submit", "text": "word " * 301})
    assert response.status_code == 400
    assert 'id="text-error">301 words: at most 300 are allowed.' in response.get_data(as_text=True)
    assert db.session.execute(select(Submission)).first() is None


@pytest.mark.parametrize("assessment_mode", ["self"])
def test_self_assessment_shows_the_model_answer_and_passes_by_the_rule(client, learner, login_as, db):
    login_as(client, learner)
    enrol_learner(client)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Seat Dan upright with his hips" not in page  # the model answer only after submitting
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    page = client.get(PAGE).get_data(as_text=True)
    assert "Seat Dan upright with his hips" in page and "Assess your work" in page
    url = f"{PAGE}/self-assessment"
    client.submit(url, level_form({"seating": "not-yet", "warning-signs": "meets"}), page=PAGE)
    assert "Returned for revision" in client.get(PAGE).get_data(as_text=True)
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT + " Footrest."})
    client.submit(url, level_form(PASS), page=PAGE)
    reviews = db.session.execute(select(Review).order_by(Review.id)).scalars().all()
    assert [(r.decision, r.self_assessed) for r in reviews] == [("returned", True), ("passed", True)]
    # nobody else marks a self-assessed course's work
    assert client.get(f"/en/trainer/submissions/{reviews[0].submission_id}").status_code in (403, 404)


def test_reports_show_assignment_states_assessed_work_and_marking_time(cohort_with_work, db):
    cohort, _trainer, client = cohort_with_work
    first = submission_of(db, "Ana First")
    url = f"/en/trainer/submissions/{first.id}"
    form = client.get(url).get_data(as_text=True)
    opened = int(hidden(form, "opened")) - 150  # the marker spent two and a half minutes on it
    client.submit(url, level_form(PASS, decision="passed", version=hidden(form, "version"), opened=str(opened)))
    grid = client.get(f"/en/trainer/cohorts/{cohort.id}/progress").get_data(as_text=True)
    assert "Assignment: <span>A mealtime plan for Dan</span>" in grid
    row_of_ana = grid[grid.index("Ana First") : grid.index("</tr>", grid.index("Ana First"))]
    assert 'cell-done">Passed</td>' in row_of_ana
    row_of_bob = grid[grid.index("Bob Second") : grid.index("</tr>", grid.index("Bob Second"))]
    assert "Waiting to be marked" in row_of_bob
    report = client.get("/en/trainer/report").get_data(as_text=True)
    assert "<strong>1</strong> assignment assessed by a trainer (1 passed)" in report
    assert "<strong>2.5</strong> median minutes to mark an assignment" in report
    learner_page = client.get(f"/en/trainer/cohorts/{cohort.id}/learners/{first.enrolment_id}").get_data(as_text=True)
    assert '<td class="num">2.5</td>' in learner_page and "4 / 5" in learner_page


def test_two_trainers_pressing_at_the_same_moment_record_one_mark(cohort_with_work, app, make_user, login_as, db):
    """Not one after the other: both requests in flight together; the database lets exactly one through."""
    import threading

    cohort, _trainer, first_client = cohort_with_work
    co_trainer = make_user("trainer")
    from lumos_learn.models import CohortTrainer

    db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=co_trainer.id))
    db.session.commit()
    second_client = app.test_client()
    login_as(second_client, co_trainer)
    url = f"/en/trainer/submissions/{submission_of(db, 'Ana First').id}"
    forms = [client.get(url).get_data(as_text=True) for client in (first_client, second_client)]
    decisions = [
        level_form(PASS, decision="passed"),
        level_form({"seating": "not-yet", "warning-signs": "meets"}, decision="returned", overall="Revise."),
    ]
    barrier, statuses = threading.Barrier(2), [None, None]

    def post(index, client):
        data = {**decisions[index], "version": hidden(forms[index], "version")}
        data["csrf_token"] = hidden(forms[index], "csrf_token")
        barrier.wait()
        statuses[index] = client.post(url, data=data).status_code

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate((first_client, second_client))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    db.session.expire_all()
    [review] = db.session.execute(select(Review)).scalars().all()
    winner = statuses.index(302)
    assert review.decision == ("passed", "returned")[winner]
    assert db.session.get(Submission, review.submission_id).status == review.decision


def test_marker_sees_the_rubric_in_the_language_the_learner_wrote_in(app, make_user, login_as, db):
    trainer, learner = make_user("trainer"), make_user("learner")
    cohort = make_cohort(trainer)
    client = app.test_client()
    login_as(client, learner)
    page = f"/en/join/{cohort.join_code}"
    client.submit(page, {"content_language": "ro"}, page=page)
    db.session.execute(select(Enrolment)).scalar_one().content_language = "ro"
    db.session.commit()
    learner_page = client.get(PAGE).get_data(as_text=True)
    assert "Un plan de masă pentru Dan" in learner_page and "Așezarea" in learner_page
    client.submit(PAGE, {"action": "submit", "text": GOOD_TEXT})
    trainer_client = app.test_client()
    login_as(trainer_client, trainer)
    submission = db.session.execute(select(Submission)).scalar_one()
    marking = trainer_client.get(f"/en/trainer/submissions/{submission.id}").get_data(as_text=True)
    assert '<span lang="ro">Un plan de masă pentru Dan</span>' in marking and "Corespunde" in marking
    assert 'value="meets"' in marking  # the same level ids whatever the language


def test_every_cohort_page_has_a_marking_tab_current_on_the_queue(cohort_with_work):
    """The marking queue was reachable only from a line of the overview: no tab in the cohort's menu, and on the
    queue itself no tab marked current."""
    cohort, _trainer, client = cohort_with_work
    tab = f'<a href="/en/trainer/cohorts/{cohort.id}/marking"'
    for page in ("progress", "messages", "items"):
        html = client.get(f"/en/trainer/cohorts/{cohort.id}/{page}").get_data(as_text=True)
        assert f"{tab}>Marking</a>" in html, page
    queue = client.get(f"/en/trainer/cohorts/{cohort.id}/marking").get_data(as_text=True)
    assert f'{tab} aria-current="page">Marking</a>' in queue
