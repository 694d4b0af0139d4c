"""A built site served on localhost, as a reader's browser gets it: for the browser tests
(tests/conftest.py), scripts/measure.py and scripts/site_search.py. Standard library only."""

import contextlib
import functools
import http.server
import threading
from pathlib import Path


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the files without a log line per request."""

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    """Python's default backlog of 5 pending connections can overflow when a browser opens a page's
    files at once while the tests' workers (one per core) keep every core busy; a connection dropped
    there is retried only after a second or more. 128, as a web server would allow, instead."""

    request_queue_size = 128


@contextlib.contextmanager
def serve(site: Path, handler: type[Quiet] = Quiet):
    """`site` served by `handler` while the block runs: its base URL, without a trailing slash."""
    server = Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
