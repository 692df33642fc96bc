"""Runs scripts/moto/serve.py with moto handling one request at a time.

Usage: .venv-moto/bin/python packages/backend-dynamodb/test/moto-serve-one-at-a-time.py [HOST]

moto 5 serves each request in a thread of its own and applies a write to an item without
isolation from the others: under contention a conditional put succeeds against a version
another put just replaced, and concurrent ADDs (or SET n = n + :v) lose increments
(docs/engines.md). DynamoDB isolates every single-item write. The conformance suite checks the
backend against DynamoDB's behaviour, so its moto lane runs moto through this wrapper.
"""

import runpy
import sys
import threading
from pathlib import Path

from moto.moto_server import werkzeug_app

one_at_a_time = threading.Lock()
dispatch = werkzeug_app.DomainDispatcherApplication.__call__


def dispatch_one_at_a_time(self, environ, start_response):
    # moto builds the whole answer inside the call: the lock covers every change to the store.
    with one_at_a_time:
        return dispatch(self, environ, start_response)


werkzeug_app.DomainDispatcherApplication.__call__ = dispatch_one_at_a_time

serve = Path(__file__).resolve().parents[3] / "scripts" / "moto" / "serve.py"
sys.argv = [str(serve), *sys.argv[1:]]
runpy.run_path(str(serve), run_name="__main__")
