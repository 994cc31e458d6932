"""Work done by a forked child process while this one goes on: `saylau verify` checks the
log's chain and signatures on the second core while it compares the stored rows on the first
(docs/audit.md, "What it costs").

A forked child starts with this process's memory as it is, so the work's inputs are not copied
to it; only its result comes back, pickled through a pipe. The child touches no database
connection it inherits. Where fork is not available, or the child fails, the work is done here
when its result is asked for, so the caller gets the same answer either way.
"""

from __future__ import annotations

from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


def start_in_child(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work()` in a forked child; returns a function that waits for its result."""
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return work
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(work, send), daemon=True)
    try:
        child.start()
    except OSError:  # no process to be had: out of memory or of process slots
        receive.close()
        send.close()
        return work
    send.close()

    def result() -> T:
        try:
            is_done, value = receive.recv()
        except EOFError:  # the child died without answering
            is_done, value = False, None
        finally:
            receive.close()
            child.join()
        # A failure is redone here, so that it is raised (or succeeds) in the caller's process.
        return value if is_done else work()

    return result


def _answer(work: Callable[[], Any], send: Connection) -> None:
    try:
        answer = (True, work())
    except Exception:  # redone and reported by the parent
        answer = (False, None)
    send.send(answer)
    send.close()
