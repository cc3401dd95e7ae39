"""Images of an old blog: the full-size variant, local files first, downloads only when allowed."""

from __future__ import annotations

import pytest

from imports.images import (
    DOWNLOAD,
    LOCAL,
    REMOTE,
    ImageFailed,
    ImageSource,
    find_images,
    full_size_url,
)

from .factories import image_bytes
from .imports_fixtures import image_server


@pytest.mark.parametrize(
    ("url", "full"),
    [
        ("https://1.bp.blogspot.com/-a/XYZ/s320/x.jpg", "https://1.bp.blogspot.com/-a/XYZ/s1600/x.jpg"),
        ("https://1.bp.blogspot.com/-a/s72-c/x.jpg", "https://1.bp.blogspot.com/-a/s1600/x.jpg"),
        ("https://blogger.googleusercontent.com/img/b/R2/w320-h213/x.png",
         "https://blogger.googleusercontent.com/img/b/R2/s1600/x.png"),
        ("https://lh3.googleusercontent.com/abc=s320", "https://lh3.googleusercontent.com/abc=s1600"),
        ("https://lh3.googleusercontent.com/abc=w400-h300-no",
         "https://lh3.googleusercontent.com/abc=s1600"),
        ("https://site.ma/wp-content/uploads/2020/01/a.jpg",
         "https://site.ma/wp-content/uploads/2020/01/a.jpg"),
    ],
)  # fmt: skip
def test_size_segments_become_full_size(url, full):
    assert full_size_url(url) == full


def test_the_link_around_a_thumbnail_wins():
    found = find_images(
        '<a href="https://1.bp.blogspot.com/-a/s1600/x.jpg" imageanchor="1">'
        '<img border="0" src="https://1.bp.blogspot.com/-a/s320/x.jpg" alt="صورة" /></a>'
        "<a href='https://site.ma/article.html'><img src='https://site.ma/s200/y.png'></a>"
    )
    assert [(image.url, image.alt) for image in found] == [
        ("https://1.bp.blogspot.com/-a/s1600/x.jpg", "صورة"),
        ("https://site.ma/s1600/y.png", ""),  # a link to a page is not the image
    ]


def test_local_files_are_found_by_path_tail_or_name(tmp_path):
    uploads = tmp_path / "wp-content" / "uploads"
    (uploads / "2020" / "01").mkdir(parents=True)
    (uploads / "2021" / "05").mkdir(parents=True)
    (uploads / "2020" / "01" / "a.jpg").write_bytes(b"old")
    (uploads / "2021" / "05" / "a.jpg").write_bytes(b"new")
    (tmp_path / "ميناء طنجة.jpg").write_bytes(b"arabic")
    source = ImageSource(folders=[tmp_path], download=False)
    assert source.fetch("https://site.ma/wp-content/uploads/2021/05/a.jpg") == b"new"
    assert source.fetch("https://site.ma/wp-content/uploads/2020/01/a.jpg") == b"old"
    url = "https://1.bp.blogspot.com/-x/s1600/%D9%85%D9%8A%D9%86%D8%A7%D8%A1%20%D8%B7%D9%86%D8%AC%D8%A9.jpg"
    assert source.fetch(url) == b"arabic"
    assert source.plan(url) == LOCAL
    assert source.plan("https://site.ma/none.jpg") == REMOTE
    with pytest.raises(ImageFailed):
        source.fetch("https://site.ma/none.jpg")


def test_download_from_a_local_server_and_a_404_is_an_error(tmp_path):
    (tmp_path / "p.jpg").write_bytes(image_bytes())
    source = ImageSource(folders=[], download=True)
    with image_server(tmp_path) as base:
        assert source.plan(f"{base}/p.jpg") == DOWNLOAD
        assert source.fetch(f"{base}/p.jpg") == (tmp_path / "p.jpg").read_bytes()
        with pytest.raises(ImageFailed, match="HTTP 404"):
            source.fetch(f"{base}/missing.jpg")


def test_only_http_is_downloaded_and_size_is_capped(tmp_path, monkeypatch):
    source = ImageSource(folders=[], download=True)
    assert source.plan("ftp://127.0.0.1:9/p.jpg") == REMOTE
    with pytest.raises(ImageFailed, match="http"):
        source.fetch("ftp://127.0.0.1:9/p.jpg")
    monkeypatch.setattr("imports.images.MAX_BYTES", 100)
    (tmp_path / "big.jpg").write_bytes(b"x" * 500)
    with image_server(tmp_path) as base, pytest.raises(ImageFailed, match="10 MB"):
        source.fetch(f"{base}/big.jpg")


def test_a_redirect_to_another_scheme_is_not_followed(tmp_path):
    import http.server
    import threading

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:9/p.jpg")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = ImageSource(folders=[], download=True)
        with pytest.raises(ImageFailed, match="302"):
            source.fetch(f"http://127.0.0.1:{server.server_address[1]}/p.jpg")
    finally:
        server.shutdown()
        server.server_close()
