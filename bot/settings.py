"""Configuration from the environment and an optional ``.env`` file (pydantic-settings)."""

from __future__ import annotations

import logging
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/gutbot.db"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    """Every setting gutbot reads. The README has a table of them."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = Field(default=None)
    database_url: str = Field(default=DEFAULT_DATABASE_URL)
    log_level: str = Field(default="INFO")
    admin_user_ids: Annotated[frozenset[int], NoDecode] = Field(default=frozenset())
    analysis_workers: int = Field(default=2, ge=1, le=32)
    analysis_queue_limit: int = Field(default=8, ge=1, le=1000)
    chat_output_dir: str = Field(default="chat-output")
    data_encryption_keys: Annotated[tuple[str, ...], NoDecode] = Field(default=())
    data_key_file: str = Field(default="data/gutbot.key")
    telegram_api_url: str | None = Field(default=None)
    webhook_url: str | None = Field(default=None)
    webhook_secret: SecretStr | None = Field(default=None)
    webhook_listen: str = Field(default="127.0.0.1")
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    messages_per_minute: int = Field(default=20, ge=1, le=10000)
    #: Button taps are counted apart: a check-in alone is ten taps, and two in a minute must work.
    taps_per_minute: int = Field(default=60, ge=1, le=10000)
    uploads_per_hour: int = Field(default=20, ge=1, le=10000)
    outgoing_rate_limit: int = Field(default=30, ge=0, le=10000)
    database_pool_size: int = Field(default=20, ge=1, le=500)
    reminder_lease_seconds: int = Field(default=120, ge=5, le=3600)
    #: Largest results file the bot downloads (Telegram's own cap is 20 MB; a local Bot API
    #: server has none, and a file is held in memory while it is analysed).
    max_upload_mb: int = Field(default=50, ge=1, le=2000)
    #: Wall-clock limit of one analysis or chart job; past it the worker is killed.
    analysis_job_seconds: int = Field(default=60, ge=1, le=3600)
    #: Address space of an analysis worker (RLIMIT_AS); a normal file needs about 450 MB, OCR
    #: of a photographed page about 800 MB resident within 1.5 GB of address space.
    analysis_memory_mb: int = Field(default=2048, ge=256, le=65536)
    #: Largest webhook request body; Telegram's updates are a few KB.
    webhook_max_body_bytes: int = Field(default=1_000_000, ge=1024, le=50_000_000)
    #: Time a webhook client has to send its request headers, and then its body.
    webhook_read_timeout_seconds: float = Field(default=5.0, gt=0, le=300)
    #: Open webhook connections at most (Telegram opens up to 40); more are closed at once.
    webhook_max_connections: int = Field(default=100, ge=1, le=10000)
    #: Time one update may take before it is abandoned (logged; Telegram still gets its 200).
    update_timeout_seconds: float = Field(default=60.0, gt=0, le=3600)

    @field_validator("data_encryption_keys", mode="before")
    @classmethod
    def _keys(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    @field_validator("telegram_api_url", "webhook_url", mode="before")
    @classmethod
    def _url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if isinstance(value, str) else value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            import re

            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
                raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            head, _, tail = value.strip().partition(":")
            if not head.isdigit() or len(tail) < 20:
                raise ValueError("must look like 123456789:ABC... (the token BotFather gave you)")
            return value.strip()
        return value

    @field_validator("database_url")
    @classmethod
    def _async_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must use an async driver: sqlite+aiosqlite:///path.db or "
                "postgresql+asyncpg://user:password@host/db"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper().strip()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 123,456")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @property
    def token(self) -> str | None:
        """The bot token as plain text, or None when not configured."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def encryption_keys(self) -> list[str]:
        """The keys that protect health data at rest, newest first (a local key file if unset)."""
        if self.data_encryption_keys:
            return list(self.data_encryption_keys)
        from storage.crypto import load_or_create_key_file

        return [load_or_create_key_file(self.data_key_file)]

    @property
    def numeric_log_level(self) -> int:
        """The log level as a ``logging`` constant."""
        return int(logging.getLevelName(self.log_level))


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation error into one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err.get("loc", ())).upper() or "settings"
            msg = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
            problems.append(f"{name} {msg}")
        raise SettingsError("configuration error: " + "; ".join(problems)) from None
