"""Old bodies: Blogger's noise cleaned, the editor's sanitiser applied, links rewritten."""

from __future__ import annotations

from imports.bodies import clean_body, old_site_path, rewrite_links

HOSTS = ["mdwna.blogspot.com", "www.akhbar.ma"]


def test_blogger_noise_is_cleaned():
    body = clean_body(
        '<div dir="rtl" style="text-align: right;"><span style="font-size: large;">أولا</span>'
        '<br /><br /><br />ثانيا<a name="more"></a></div>'
        '<div class="separator" style="clear: both;"><div>ثالثا</div></div>'
        "<p>&nbsp;</p><p> <br> </p><p>\xa0</p><!-- تعليق -->"
        '<script>alert(1)</script><p style="color:red" onclick="x()"><b>رابعا</b> <i>خامسا</i></p>'
    )
    assert body == (
        "<p>أولا</p><p>ثانيا</p><p>ثالثا</p><p><strong>رابعا</strong> <em>خامسا</em></p>"
    )


def test_a_single_line_break_is_kept_and_lists_survive():
    body = clean_body("<p>سطر<br>سطر ثان</p><ul><li>أ</li><li>ب</li></ul><h2>عنوان</h2>")
    assert body == "<p>سطر<br>سطر ثان</p><ul><li>أ</li><li>ب</li></ul><h2>عنوان</h2>"


def test_the_result_goes_through_the_editors_sanitiser():
    body = clean_body(
        '<p><a href="javascript:alert(1)">x</a><img src="https://evil.example/t.gif">'
        '<iframe src="https://evil.example"></iframe></p>'
    )
    assert "javascript" not in body and "<img" not in body and "iframe" not in body


def test_old_site_paths_are_recognised_on_every_host_and_scheme():
    assert old_site_path("https://mdwna.blogspot.com/2024/07/a.html?m=1", HOSTS) == (
        "/2024/07/a.html?m=1"
    )
    assert old_site_path("http://MDWNA.blogspot.com/2024/07/a.html", HOSTS) == "/2024/07/a.html"
    assert old_site_path("https://akhbar.ma/p/x.html", HOSTS) == "/p/x.html"  # www or bare
    assert old_site_path("/2024/07/a.html", HOSTS) == "/2024/07/a.html"
    assert old_site_path("https://elsewhere.example/2024/07/a.html", HOSTS) is None
    assert old_site_path("mailto:a@b.ma", HOSTS) is None
    assert old_site_path("#section", HOSTS) is None


def test_links_are_rewritten_and_the_unresolved_listed():
    targets = {"/2024/07/blog-post_12.html": "/article/5/خبر/", "/p/من-نحن.html": "/p/about/"}

    def resolve(path: str) -> str | None:
        from urllib.parse import unquote

        return targets.get(unquote(path.split("?")[0]))

    html = (
        '<p><a href="https://mdwna.blogspot.com/2024/07/blog-post_12.html?m=1#c9">أ</a>'
        '<a href="http://www.akhbar.ma/p/%D9%85%D9%86-%D9%86%D8%AD%D9%86.html">ب</a>'
        '<a href="https://mdwna.blogspot.com/2010/01/gone.html">ج</a>'
        '<a href="https://other.example/2024/07/blog-post_12.html">د</a></p>'
    )
    body, unresolved = rewrite_links(html, resolve, HOSTS)
    assert 'href="/article/5/خبر/#c9"' in body
    assert 'href="/p/about/"' in body
    assert 'href="https://other.example/2024/07/blog-post_12.html"' in body
    assert unresolved == ["https://mdwna.blogspot.com/2010/01/gone.html"]


def test_long_summaries_are_cut_on_a_word_boundary():
    from imports.bodies import plain_text, trim_words

    text = plain_text("<p>" + " ".join(["كلمة"] * 100) + "</p>")
    summary = trim_words(text, 300)
    assert len(summary) <= 300 and summary.endswith("كلمة…")
    assert trim_words("قصير", 300) == "قصير"
