"""Configuration: safe production settings, and the Dockerfile's promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lumos_learn import create_app
from lumos_learn.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "dev-only-secret-key-change-me")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_a_real_secret_key_starts_with_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", "postgres://user:pw@db.internal/lumos")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://learn.example.org/")
    config = load_config(tmp_path)
    assert config["PUBLIC_BASE_URL"] == "https://learn.example.org"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user:pw@db.internal/lumos"


def test_production_refuses_to_start_without_its_public_address(monkeypatch, tmp_path):
    monkeypatch.setenv("ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        load_config(tmp_path)
    monkeypatch.setenv("PUBLIC_BASE_URL", "learn.example.org")  # no scheme: not an address a QR code can hold
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app()


def test_development_leaves_the_public_address_to_the_request(monkeypatch, tmp_path):
    monkeypatch.delenv("ENV", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert load_config(tmp_path)["PUBLIC_BASE_URL"] == ""


def test_development_defaults_use_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ENV", raising=False)
    config = load_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'lumos_learn.db'}"


def test_dockerfile_runs_gunicorn_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0", "0:0")
    cmd = re.findall(r"^CMD\s+(.+)$", dockerfile, re.MULTILINE)[-1]
    assert "gunicorn" in cmd and "app:app" in cmd
    assert dockerfile.index("USER " + users[-1]) < dockerfile.rindex("CMD")
