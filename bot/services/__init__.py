"""Use cases without Telegram: each takes plain values, owns its transaction where it opens one,
and returns frozen dataclasses or plain data that a handler renders. No module here imports
``telegram`` (tests/test_architecture.py checks it).
"""
