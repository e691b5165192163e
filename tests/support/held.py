"""A call made to wait for the test: what happens when its answer comes late."""

from __future__ import annotations

import threading


def held(monkeypatch, owner: object, name: str) -> tuple[threading.Event, threading.Event]:
    """`owner.name` waits for the first event before it runs; the second is set once it has."""
    go_on, answered = threading.Event(), threading.Event()
    call = getattr(owner, name)

    def held_call(*args, **kwargs):
        go_on.wait(10)
        try:
            return call(*args, **kwargs)
        finally:
            answered.set()

    monkeypatch.setattr(owner, name, held_call)
    return go_on, answered
