"""Running the app under uvicorn: in one process, or in several that share one socket.

Python runs one request at a time per process, so one process uses one core however many
the machine has. With ``processes`` above 1 the listening socket is bound once and handed
to that many server processes (the kernel gives each new connection to one of them); each
has its own query workers and its own per-build caches, and all follow the same store
link. This process only watches them: one that dies is started again, and SIGTERM or
SIGINT stops them all.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import signal
import socket
import sys
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

import uvicorn

from occugraph.server.app import create_app
from occugraph.server.protocol import guarded_http
from occugraph.settings import Settings
from occugraph.store.remote import RemoteStore

LOG = logging.getLogger("uvicorn.error")
STOP_LIMIT = 20
"""Seconds a server process has to finish its requests once asked to stop."""
_PR_SET_PDEATHSIG = 1

Opener = Path | Callable[[], RemoteStore]
"""The embedded store's link, or how to open the remote store (each process opens its own)."""


def serve(
    store: Opener,
    settings: Settings,
    *,
    host: str,
    port: int,
    processes: int = 1,
    access_log: bool = True,
) -> None:
    if processes == 1:
        server = uvicorn.Server(
            _config(store, settings, host=host, port=port, access_log=access_log)
        )
        server.run()
        if not server.started:
            sys.exit(3)  # as uvicorn.run: the app or the socket failed at start
        return
    # The watching process only binds the socket: no app (nor store) of its own. uvicorn
    # imports an app named by a string only when it serves, which this config never does.
    binder = uvicorn.Config(
        "occugraph.server.app:create_app", host=host, port=port, log_level="info"
    )
    listening = binder.bind_socket()
    LOG.info("Serving http://%s:%d with %d processes", host, port, processes)
    start = (store, settings, host, port, access_log, listening)
    context = multiprocessing.get_context("spawn")
    children = [_spawn(context, start) for _ in range(processes)]
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    try:
        while not stopping:
            wait([child.sentinel for child in children], timeout=0.5)
            for index, child in enumerate(children):
                if not child.is_alive() and not stopping:
                    LOG.warning(
                        "server process %s exited (%s); starting another", child.pid, child.exitcode
                    )
                    children[index] = _spawn(context, start)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.join(STOP_LIMIT)
            if child.is_alive():
                child.kill()
        listening.close()


def _config(
    store: Opener, settings: Settings, *, host: str, port: int, access_log: bool
) -> uvicorn.Config:
    app = create_app(store if isinstance(store, Path) else store(), settings)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        http=guarded_http(settings.head_timeout, settings.body_timeout),
        timeout_graceful_shutdown=STOP_LIMIT // 2,
    )


Start = tuple[Opener, Settings, str, int, bool, socket.socket]


def _spawn(context: multiprocessing.context.SpawnContext, start: Start) -> BaseProcess:
    child = context.Process(target=_one, args=start, daemon=False)
    child.start()
    return child


def _one(
    store: Opener,
    settings: Settings,
    host: str,
    port: int,
    access_log: bool,
    listening: socket.socket,
) -> None:
    """One server process (runs in a child) on the socket its parent bound; it stops when
    its parent dies, however that happens (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    config = _config(store, settings, host=host, port=port, access_log=access_log)
    uvicorn.Server(config).run(sockets=[listening])
