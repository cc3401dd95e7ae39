"""Settings come from the environment; production values are safe by default."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean_env = {k: v for k, v in os.environ.items() if k not in dropped}
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "news.example.ma",
    "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


MEDIA_IN_A_BUCKET = {
    "MEDIA_STORAGE": "s3",
    "MEDIA_S3_BUCKET": "news-media",
    "MEDIA_S3_REGION": "eu-west-3",
    "MEDIA_S3_PUBLIC_URL": "https://media.news.example.ma",
}


def test_media_in_a_bucket_passes_check_deploy_and_links_to_the_public_address():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **MEDIA_IN_A_BUCKET
    )
    assert result.returncode == 0, result.stdout + result.stderr
    code = (
        "from django.conf import settings as s;"
        "from django.core.files.storage import default_storage as d;"
        "print(d.url('covers/صورة.jpg'), s.SERVE_MEDIA,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])"
    )
    result = manage("shell", "-c", code, **PRODUCTION, **MEDIA_IN_A_BUCKET, SERVE_MEDIA="1")
    assert result.stdout.strip().endswith(
        "https://media.news.example.ma/covers/%D8%B5%D9%88%D8%B1%D8%A9.jpg False "
        "https://media.news.example.ma"
    ), result.stdout + result.stderr


def test_an_unknown_media_storage_refuses_to_start_with_a_clear_message():
    result = manage("check", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr


def test_without_a_secret_key_production_refuses_to_start_with_a_clear_message():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_migrations_are_complete():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_has_no_wildcard_host_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.stdout.strip().endswith("['news.example.ma'] True True False")


def test_redis_url_selects_djangos_own_redis_cache():
    code = (
        "from django.conf import settings as s; from django.utils.module_loading import "
        "import_string as i; from django.core.cache.backends.redis import RedisCache as R; "
        "print(issubclass(i(s.CACHES['default']['BACKEND']), R))"
    )
    result = manage("shell", "-c", code, REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.stdout.strip().endswith("True")


def test_with_redis_sessions_live_in_the_shared_cache_and_the_database():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    result = manage("shell", "-c", code, REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.stdout.strip().endswith("django.contrib.sessions.backends.cached_db")


def test_without_a_shared_cache_sessions_live_in_the_database_not_in_files():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    result = manage("shell", "-c", code, REDIS_URL="", CACHE_URL="")
    assert result.stdout.strip().endswith("django.contrib.sessions.backends.db")


def test_the_modeltranslation_tabs_load_jquery_ui_from_our_own_static_files():
    assert not settings.JQUERY_UI_URL.startswith(("http", "//"))
    assert (ROOT / "static" / settings.JQUERY_UI_URL).exists()


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("articles:home", {}, "/"),
        (
            "articles:detail",
            {"pk": 7, "slug": "المغرب"},
            "/news/7/%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8/",
        ),
        ("articles:preview", {"pk": 7}, "/preview/7/"),
        ("search:search", {}, "/search/"),
        ("contact:form", {}, "/contact/"),
    ],
)
def test_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name
