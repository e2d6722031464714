"""Saving a course for offline use, server side: the service worker at the root, the per-course manifest, the
offline page, and the course page's panel. (The browser side is tests/e2e/test_offline.py.)"""

from __future__ import annotations

from lumos_learn.course_library import library
from lumos_learn.learn.enrolment import enrol

COURSE = "/en/courses/demo-course/"


def test_service_worker_is_served_at_the_root_and_allowed_by_the_csp(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"  # browsers look for a new worker on every visit
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "worker-src" not in csp  # workers fall back to script-src: same origin


def test_manifest_lists_every_page_and_file_of_the_reading_language(client, learner, login_as):
    enrol(learner, library().get("demo-course"), "ro")
    login_as(client, learner)
    response = client.get(f"{COURSE}offline.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    manifest = response.get_json()
    assert (manifest["course"], manifest["version"], manifest["language"]) == ("demo-course", "1.0", "ro")
    pages = {page["url"]: page["title"] for page in manifest["pages"]}
    assert pages == {
        COURSE: "Mese în siguranță: un curs scurt de test",
        f"{COURSE}positioning/": "Poziționarea pentru masă",
        f"{COURSE}final-check/": library().get("demo-course").module("final-check").text("ro").title,
        f"{COURSE}aids/meal-record/": "Fișa mesei și a lichidelor",
        "/en/dashboard/": None,
    }
    files = [item["url"] for item in manifest["files"]]
    assert any(f.startswith("/media/demo-course/seated.svg?v=") for f in files)  # the file hash busts caches
    assert "/en/offline/" in files
    assert any(url.startswith("/static/css/site.") for url in files)
    assert any(url.startswith("/static/js/offline.") for url in files)
    # every URL it lists opens for this learner, and the sizes add up
    for url in pages | dict.fromkeys(files):
        assert client.get(url).status_code == 200, url
    assert manifest["bytes"] == sum(item["bytes"] for item in manifest["pages"] + manifest["files"])
    assert all(item["bytes"] > 0 for item in manifest["files"])


def test_manifest_is_for_enrolled_learners_only(client, learner, make_user, login_as):
    assert client.get(f"{COURSE}offline.json").status_code == 302  # sign in first
    login_as(client, learner)
    assert client.get(f"{COURSE}offline.json").status_code == 404  # not enrolled
    assert client.get("/en/courses/no-such-course/offline.json").status_code == 404


def test_course_page_offers_saving_with_its_size_to_enrolled_learners_only(client, learner, login_as):
    assert 'id="offline-panel"' not in client.get(COURSE).get_data(as_text=True)
    enrol(learner, library().get("demo-course"), "en")
    login_as(client, learner)
    page = client.get(COURSE).get_data(as_text=True)
    # hidden until the script finds a browser that can save: without JavaScript nothing changes
    assert '<section class="offline-panel" id="offline-panel" aria-labelledby="offline-heading" hidden' in page
    manifest = client.get(f"{COURSE}offline.json").get_json()
    assert f"Save for offline use ({manifest['bytes'] / 1e6:.1f} MB)" in page
    assert 'data-manifest="/en/courses/demo-course/offline.json"' in page
    assert 'data-version="1.0"' in page
    # every signed-in page carries the words for the list of what waits to be sent
    assert 'id="offline-queue-strings" hidden' in page


def test_offline_page_is_public_and_in_the_interface_language(client):
    page = client.get("/ro/offline/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="offline-pages"' in html and '<html lang="ro"' in html
