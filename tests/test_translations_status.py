"""Out-of-date translations: a changed source module shows in `flask courses check`, in `translate-status` and
on the lesson page (a notice with a link to the original); `record-translation` clears all three."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lumos_learn import create_app
from lumos_learn.content import check_courses, load_library
from lumos_learn.content.translation_sources import course_translations, record, source_hash
from lumos_learn.learn.enrolment import enrol, find_enrolment

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "01-positioning.en.md"
ROMANIAN = "01-positioning.ro.md"
LESSON = "/ro/courses/demo-course/positioning/"
STALE_RO = "Originalul acestui modul s-a schimbat de când a fost tradus"


@pytest.fixture
def course(tmp_path) -> Path:
    folder = tmp_path / "courses" / "demo-course"
    shutil.copytree(ROOT / "tests" / "data" / "courses" / "demo-course", folder)
    # the test course breaks two quiz-quality checks on purpose (other tests use that): exempt them here, so that
    # `check` reaches the translations; the sources change, so their translations are recorded again
    for name, question in (("01-positioning.en.md", "demo-upright"), ("02-final-check.en.md", "demo-final-position")):
        check = "longest-key" if name.startswith("01") else "bank-size"
        path = folder / name
        text = path.read_text(encoding="utf-8").replace(
            f"::{question}::", f"// exempt {check}: a two-question course made for the tests\n::{question}::"
        )
        path.write_text(text, encoding="utf-8")
    for translation in course_translations(folder, "en", ["en", "ro"]):
        record(translation)
    return folder


def _app(app, course: Path):
    return create_app({**app.config, "COURSES_DIR": str(course.parent)})


def _change_source(course: Path) -> None:
    path = course / SOURCE
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph on head support.\n", encoding="utf-8")


def _cli(app, course: Path, *args: str):
    shown = _app(app, course)
    with shown.app_context():  # the commands use the app in context (the fixture's otherwise)
        result = shown.test_cli_runner().invoke(args=["courses", *args])
    return result.exit_code, result.output


def test_a_changed_source_marks_its_translation_out_of_date_everywhere_until_recorded(app, course):
    # today: the test course's translations are recorded as made from their sources
    code, output = _cli(app, course, "check", "--strict")
    assert code == 0, output
    assert STALE_RO not in _app(app, course).test_client().get(LESSON).get_data(as_text=True)

    _change_source(course)

    code, output = _cli(app, course, "check")
    assert code == 0  # a warning: a course often runs ahead of its translations
    stale = [line for line in output.splitlines() if "is out of date" in line]
    assert len(stale) == 1
    recorded = re.search(r'source_hash: "([0-9a-f]+)"', (course / ROMANIAN).read_text(encoding="utf-8")).group(1)
    assert stale[0].endswith(
        f"demo-course/{ROMANIAN}:7: translation of {course / SOURCE} is out of date (source changed since {recorded})"
    )
    assert _cli(app, course, "check", "--strict")[0] == 1

    code, table = _cli(app, course, "translate-status")
    changed = datetime.fromtimestamp((course / SOURCE).stat().st_mtime, UTC).date().isoformat()  # not in git
    assert code == 0
    assert re.search(rf"module 01-positioning +out of date since {changed}\n", table)
    assert re.search(r"module 02-final-check +up to date\n", table)
    assert re.search(r"job aid meal-record +up to date\n", table)
    assert "2 of 3 up to date, 1 out of date, 0 missing" in table

    page = _app(app, course).test_client().get(LESSON).get_data(as_text=True)
    assert STALE_RO in page and "Poziționarea pentru masă" in page
    link = re.search(r'<a href="([^"]+)" hreflang="en">Citiți originalul actual \(English\)</a>', page).group(1)
    assert link == f"{LESSON}?read=en"

    code, output = _cli(app, course, "record-translation", "demo-course", "--lang", "ro", "--module", "positioning")
    assert code == 0 and f"{ROMANIAN}: translated from" in output
    assert _cli(app, course, "check", "--strict") == (0, _cli(app, course, "check")[1])
    assert "is out of date" not in _cli(app, course, "check")[1]
    assert "3 of 3 up to date, 0 out of date, 0 missing" in _cli(app, course, "translate-status")[1]
    assert STALE_RO not in _app(app, course).test_client().get(LESSON).get_data(as_text=True)


def test_the_original_link_switches_one_page_not_the_enrolment(app, db, course, learner, login_as):
    _change_source(course)
    shown = _app(app, course)
    client = shown.test_client()
    login_as(client, learner)
    with shown.app_context():
        enrol(learner, shown.extensions["course_library"].get("demo-course"), "ro")
    page = client.get(LESSON).get_data(as_text=True)
    assert STALE_RO in page and "Poziționarea pentru masă" in page
    original = client.get(f"{LESSON}?read=en").get_data(as_text=True)
    assert "<h1>Positioning for meals</h1>" in original and STALE_RO not in original
    assert f'<a href="{LESSON}" hreflang="ro">Înapoi la traducere (Română)</a>' in original
    assert "Care este cea mai sigură poziție pentru masă?" in original  # the quiz stays in the enrolment's language
    assert "What is the safest position for a meal?" not in original
    with shown.app_context():
        assert find_enrolment(learner, "demo-course").content_language == "ro"
    # a language the module does not have is ignored, never an error
    odd = client.get(f"{LESSON}?read=xx%3Cscript%3E")
    assert odd.status_code == 200 and "Poziționarea pentru masă" in odd.get_data(as_text=True)


def test_a_revisit_with_the_etag_of_the_up_to_date_page_gets_the_notice(app, course):
    client = _app(app, course).test_client()
    before = client.get(LESSON)
    assert client.get(LESSON, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304
    _change_source(course)
    client = _app(app, course).test_client()
    after = client.get(LESSON, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and STALE_RO in after.get_data(as_text=True)


def test_status_lists_missing_translations_and_ones_never_recorded(app, course):
    yml = course / "course.yml"
    text = yml.read_text(encoding="utf-8").replace("languages: [en, ro]", "languages: [en, ro, uk]")
    yml.write_text(re.sub(r"^( +)ro: (.*)$", r"\1ro: \2\n\1uk: \2", text, flags=re.M), encoding="utf-8")
    romanian = course / ROMANIAN
    romanian.write_text(re.sub(r"source_hash: .*\n", "", romanian.read_text(encoding="utf-8")), encoding="utf-8")
    code, table = _cli(app, course, "translate-status", "demo-course")
    assert code == 0
    assert "demo-course · uk (from en)\n  module 01-positioning  missing\n  module 02-final-check  missing\n" in table
    assert re.search(r"module 01-positioning +out of date \(no source_hash recorded\)", table)
    assert f"demo-course/{ROMANIAN}:1: translation of" in _cli(app, course, "check")[1]
    page = _app(app, course).test_client().get(LESSON).get_data(as_text=True)
    assert STALE_RO in page  # never recorded: nobody vouched that it matches the original


def test_a_malformed_or_misplaced_source_hash_is_reported_at_its_line(course):
    romanian = course / ROMANIAN
    text = romanian.read_text(encoding="utf-8")
    romanian.write_text(re.sub(r"source_hash: .*", "source_hash: latest", text), encoding="utf-8")
    problems = [(Path(p.path).name, p.line, p.message) for p in check_courses(course.parent)]
    assert problems == [
        (
            ROMANIAN,
            7,
            "source_hash must be 12 or more lower-case hex digits, written by `flask courses record-translation`: "
            "do not type it",
        )
    ]
    romanian.write_text(text, encoding="utf-8")
    english = course / SOURCE
    english.write_text(
        english.read_text(encoding="utf-8").replace("---\n\n", 'source_hash: "0123456789abcdef"\n---\n\n', 1)
    )
    problems = [(Path(p.path).name, p.line, p.message) for p in check_courses(course.parent)]
    assert problems == [(SOURCE, 7, "source_hash: belongs in translations only, not in a source-language file")]


def test_the_hash_ignores_what_an_editor_changes_without_changing_a_word(course):
    data = (course / SOURCE).read_bytes()
    assert source_hash(b"\xef\xbb\xbf" + data.replace(b"\n", b"  \r\n") + b"\n\n") == source_hash(data)
    assert source_hash(data.replace(b"Positioning", b"Seating")) != source_hash(data)


def test_recording_keeps_the_file_otherwise_as_it_was(course):
    romanian = course / ROMANIAN
    before = romanian.read_bytes()
    _change_source(course)
    [stale] = [t for t in course_translations(course, "en", ["en", "ro"]) if not t.up_to_date]
    assert record(stale)
    after = romanian.read_bytes()
    assert re.sub(rb"source_hash: .*", b"", after) == re.sub(rb"source_hash: .*", b"", before)
    assert all(t.up_to_date for t in course_translations(course, "en", ["en", "ro"]))
    assert load_library(course.parent).get("demo-course").module("positioning").out_of_date("ro") is False


def test_out_of_date_since_is_the_date_the_source_was_committed(app, course, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    dated = {"GIT_AUTHOR_DATE": "2026-03-14T10:00:00Z", "GIT_COMMITTER_DATE": "2026-03-14T10:00:00Z"}
    for name, value in {**dated, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_COMMITTER_NAME", "t")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.org")
    repo = course.parent
    _change_source(course)
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "source changed"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    assert re.search(r"module 01-positioning +out of date since 2026-03-14\n", _cli(app, course, "translate-status")[1])
    # edited since the commit: the file's own date, not the commit's
    _change_source(course)
    today = datetime.fromtimestamp((course / SOURCE).stat().st_mtime, UTC).date().isoformat()
    assert re.search(rf"module 01-positioning +out of date since {today}\n", _cli(app, course, "translate-status")[1])
