"""A bare echo bot behind gutbot's own webhook app: the floor a question's round trip is held to.

Same ASGI app (``bot.webhook.create_app``), same Bot API request class and builder
(``bot.cli.application_builder``), same fake Bot API; one handler that sends the text back.
python -m benchmarks.echo_webhook (settings from the environment, as ``gutbot run --webhook``)
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.cli import application_builder
from bot.settings import Settings
from bot.webhook import create_app


async def echo(update: Update, context: Any) -> None:
    """Send the message's text back."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def main() -> None:
    import uvicorn

    settings = Settings()
    application = application_builder(settings).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    app = create_app(application, settings, register_webhook=False)
    uvicorn.run(
        app,
        host=settings.webhook_listen,
        port=settings.webhook_port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
