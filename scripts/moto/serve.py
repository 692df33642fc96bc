"""Runs moto's server on a loopback address for the test suites.

Usage: .venv-moto/bin/python scripts/moto/serve.py [HOST]

Binds HOST (127.0.0.1 by default; loopback addresses only, since moto accepts any
credentials) on a port the system picks, then prints one line of JSON to stdout,
{"host": ..., "port": ..., "moto": <version>}, once the server accepts connections.
Stops on SIGTERM or SIGINT, and when its standard input closes, so that a test runner
that dies without stopping it leaves nothing running. Request logging is off; errors
still go to stderr.
"""

import ipaddress
import json
import logging
import os
import signal
import sys
import threading
from importlib.metadata import version


def main() -> None:
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        sys.exit(f"serve.py listens on loopback addresses only, not {host!r}")

    # werkzeug logs every request at INFO level; at WARNING it logs only failures.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=host, port=0, verbose=False)
    server.start()
    bound_host, port = server.get_host_and_port()
    # Services that build URLs of their own read the port from here.
    os.environ["MOTO_PORT"] = str(port)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())

    def watch_stdin() -> None:
        # EOF (or an error) on stdin: the parent is gone.
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            stopped.set()

    threading.Thread(target=watch_stdin, daemon=True).start()

    print(json.dumps({"host": bound_host, "port": port, "moto": version("moto")}), flush=True)
    while not stopped.wait(0.5):
        pass
    # The server's threads are daemons: exiting the process ends them and their sockets.
    os._exit(0)


if __name__ == "__main__":
    main()
