"""One module per feature. Each exposes ``handlers()`` and ``commands()``; ``bot.app`` wires them.

Optional hooks a flow module may define:

* ``async def on_cancel(*, session, user) -> bool``: drop the user's in-progress dialogue
  for /cancel (return True when something was stopped);
* ``async def on_startup(application)`` / ``async def on_shutdown(application)``: background tasks.
"""
