"""One module per feature, each ending in ``FLOW = Flow(...)`` (see ``bot.flows.registry``).

A flow declares its handlers, its commands (menu and /help), its hooks (free text while one of
its dialogues waits, /cancel, start-up and shut-down) and the actions other flows may start by
name. ``bot.app`` builds the application from the tuple of flows; no flow imports ``bot.app`` or
another flow (tests/test_architecture.py checks both).
"""
