"""Settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL", "ADMIN_USER_IDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
    assert settings.admin_user_ids == frozenset()


def test_values_from_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\nADMIN_USER_IDS=12, 34\n")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    settings = load_settings()
    assert settings.token == "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert settings.log_level == "DEBUG"
    assert settings.admin_user_ids == frozenset({12, 34})
    assert "ABCDEFGHIJ" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN must look like"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must use an async driver"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
        ("ADMIN_USER_IDS", "alice,bob", "ADMIN_USER_IDS must be Telegram user ids"),
    ],
)
def test_bad_values_give_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_cli_prints_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gutbot: configuration error: LOG_LEVEL")
    assert len(err.splitlines()) == 1


def test_run_without_token_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN is not set" in err
    assert "gutbot chat" in err
