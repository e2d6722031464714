"""The progress grid: cells, filters, sorting, pagination, the learner page, and bounded queries."""

from __future__ import annotations

import re

import pytest
from babel.dates import format_date
from sqlalchemy import event
from trainer_helpers import add_learner, make_cohort

from lumos_learn.extensions import db as _db


@pytest.fixture
def cohort_with_learners(make_user, login_as, client):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    done = add_learner(
        cohort,
        make_user(name="Ana Complete"),
        read=["positioning", "final-check"],
        final=100,
        completed=True,
        certificate="CERT-ANA-1",
    )
    stuck = add_learner(cohort, make_user(name="Boris Stuck"), read=["positioning"], final=40, days_idle=20)
    fresh = add_learner(cohort, make_user(name="Cora Fresh"))
    login_as(client, trainer)
    return cohort, {"done": done, "stuck": stuck, "fresh": fresh}


def names_in(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="learner"><a [^>]+>([^<]+)</a>', html)


def test_grid_shows_each_learner_module_and_certificate(client, cohort_with_learners):
    cohort, _ = cohort_with_learners
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress").get_data(as_text=True)
    assert names_in(html) == ["Ana Complete", "Boris Stuck", "Cora Fresh"]
    assert "Positioning for meals" in html and "Final check" in html
    assert 'href="/certificates/CERT-ANA-1.pdf"' in html
    assert html.count("cell-done") == 3  # Ana's two modules, Boris's first
    assert "40%" in html and "33%" in html  # Boris: best score, and the course percent from load_progress


@pytest.mark.parametrize(
    ("status", "expected"),
    [("completed", ["Ana Complete"]), ("stuck", ["Boris Stuck"]), ("not_started", ["Cora Fresh"]), ("in_progress", [])],
)
def test_filters(client, cohort_with_learners, status, expected):
    cohort, _ = cohort_with_learners
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?status={status}").get_data(as_text=True)
    assert names_in(html) == expected


def test_sorting_by_percent_and_search(client, cohort_with_learners):
    cohort, _ = cohort_with_learners
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?sort=percent&dir=desc").get_data(as_text=True)
    assert names_in(html) == ["Ana Complete", "Boris Stuck", "Cora Fresh"]
    assert 'aria-sort="descending"' in html
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?sort=percent").get_data(as_text=True)
    assert names_in(html) == ["Cora Fresh", "Boris Stuck", "Ana Complete"]
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?sort=name&dir=desc").get_data(as_text=True)
    assert names_in(html) == ["Cora Fresh", "Boris Stuck", "Ana Complete"]
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?q=bor").get_data(as_text=True)
    assert names_in(html) == ["Boris Stuck"]


def test_grid_paginates_by_100(client, make_user, login_as):
    trainer = make_user("trainer")
    cohort = make_cohort(trainer)
    for n in range(105):
        add_learner(cohort, make_user(name=f"Learner {n:03d}"))
    login_as(client, trainer)
    first = client.get(f"/en/trainer/cohorts/{cohort.id}/progress").get_data(as_text=True)
    assert len(names_in(first)) == 100 and "Page 1 of 2" in first
    second = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?page=2").get_data(as_text=True)
    assert names_in(second) == [f"Learner {n}" for n in range(100, 105)]


def test_learner_page_lists_attempts(client, cohort_with_learners):
    cohort, learners = cohort_with_learners
    html = client.get(f"/en/trainer/cohorts/{cohort.id}/learners/{learners['stuck'].id}").get_data(as_text=True)
    assert "Boris Stuck" in html and "Not passed" in html and "40%" in html


def count_queries(app, client, url) -> int:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


@pytest.mark.parametrize("query", ["", "?sort=percent&dir=desc", "?status=stuck&sort=activity"])
def test_grid_queries_do_not_grow_with_the_cohort(app, client, make_user, login_as, query):
    trainer = make_user("trainer")
    small, large = make_cohort(trainer, "Small"), make_cohort(trainer, "Large")
    for n in range(3):
        add_learner(small, make_user(), read=["positioning"], final=50 + n, days_idle=20 * (n % 2))
    for n in range(30):
        add_learner(
            large,
            make_user(),
            read=["positioning"],
            final=50 + n,
            days_idle=20 * (n % 2),
            completed=n % 3 == 0,
            certificate=f"C{n}" if n % 3 == 0 else None,
        )
    login_as(client, trainer)
    client.get("/en/trainer/")  # warm up whatever the first request loads once
    small_count = count_queries(app, client, f"/en/trainer/cohorts/{small.id}/progress{query}")
    large_count = count_queries(app, client, f"/en/trainer/cohorts/{large.id}/progress{query}")
    assert small_count == large_count
    assert large_count <= 12


def _last_activity(html: str) -> dict[str, str]:
    """Learner name -> text of the last-activity cell (the third cell from the end of the row)."""
    found = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\" class=\"learner\">.*?</tr>", html, re.DOTALL):
        name = re.search(r"<a [^>]+>([^<]+)</a>", row).group(1)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        found[name] = re.sub(r"<[^>]+>", "", cells[-3]).strip()
    return found


@pytest.mark.parametrize(
    ("lang", "never"), [("en", "never"), ("ro", "niciodată"), ("bg", "никога"), ("fr", "jamais"), ("cs", "nikdy")]
)
def test_last_activity_is_a_locale_date_or_never_for_learners_with_no_activity(
    client, cohort_with_learners, lang, never
):
    cohort, enrolments = cohort_with_learners
    html = client.get(f"/{lang}/trainer/cohorts/{cohort.id}/progress").get_data(as_text=True)
    activity = _last_activity(html)
    # Cora was enrolled (as an import is) and has done nothing: not her enrolment date, but "never"
    assert activity["Cora Fresh"] == never
    stuck = enrolments["stuck"].last_activity_at
    assert activity["Boris Stuck"] == format_date(stuck, "medium", locale=lang)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", html)  # not the short "12/5/26"
    learner_page = client.get(f"/{lang}/trainer/cohorts/{cohort.id}/learners/{enrolments['fresh'].id}")
    assert f"<dd>{never}</dd>" in learner_page.get_data(as_text=True)


def test_sorting_by_activity_puts_learners_with_no_activity_last_both_ways(client, cohort_with_learners):
    cohort, _ = cohort_with_learners
    for direction, expected in (("", ["Boris Stuck", "Ana Complete"]), ("&dir=desc", ["Ana Complete", "Boris Stuck"])):
        html = client.get(f"/en/trainer/cohorts/{cohort.id}/progress?sort=activity{direction}").get_data(as_text=True)
        assert names_in(html) == [*expected, "Cora Fresh"]
