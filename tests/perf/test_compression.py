"""Pages travel compressed (brotli or gzip, as the browser asks) and static files are cached for good."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

LESSON = "/en/courses/demo-course/positioning/"


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("br, gzip", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
    ],
)
def test_pages_are_compressed_as_the_browser_asks(client, learner, login_as, accept, encoding, decode):
    plain = client.get(LESSON)
    compressed = client.get(LESSON, headers={"Accept-Encoding": accept})
    assert compressed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert len(compressed.data) < len(plain.data) / 2
    assert decode(compressed.data) == plain.data  # anonymous lesson pages are identical renders

    login_as(client, learner)
    for url in ("/en/courses/", "/en/dashboard/"):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.headers["Content-Encoding"] == encoding, url
        assert b"</html>" in decode(response.data)


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get(LESSON)
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith(b"<!doctype html>")


def test_static_files_have_hashed_names_immutable_caching_and_precompressed_variants(client):
    page = client.get(LESSON).get_data(as_text=True)
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    plain = client.get(css)
    assert plain.status_code == 200
    assert "immutable" in plain.headers["Cache-Control"]
    assert "max-age=31536000" in plain.headers["Cache-Control"]
    for accept, encoding, decode in (("br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)):
        response = client.get(css, headers={"Accept-Encoding": accept})
        assert response.headers["Content-Encoding"] == encoding
        assert decode(response.data) == plain.data
    plain.close()


def test_a_changed_static_file_gets_a_new_name(tmp_path):
    from lumos_learn.static_files import build_hashed_files

    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black }")
    first = build_hashed_files(source, tmp_path / "out")["css/site.css"]
    (source / "css" / "site.css").write_text("body { color: navy }")
    second = build_hashed_files(source, tmp_path / "out")["css/site.css"]
    assert first != second
    assert (tmp_path / "out" / first).exists() and (tmp_path / "out" / second).exists()  # old pages keep working
