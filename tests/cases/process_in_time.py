"""Run a Woonrust process whose clock starts at $WOONRUST_TEST_NOW and ticks on.

    WOONRUST_TEST_NOW=2026-06-09T08:00:00+00:00 python tests/cases/process_in_time.py \
        celery -A config worker ...
    WOONRUST_TEST_NOW=... python tests/cases/process_in_time.py python -c "<code>"

The fault tests start real workers (and a "web request") in other processes; this
puts them on a working morning, so office hours do not depend on when the suite runs.
Forked pool processes inherit the travelled clock.
"""

from __future__ import annotations

import datetime
import os
import sys
import time

import time_machine


def destination() -> datetime.datetime:
    """$WOONRUST_TEST_NOW, moved on by the real time since $WOONRUST_TEST_NOW_AT (when
    the test started this process), so every process of a test shares one clock."""
    start = datetime.datetime.fromisoformat(os.environ["WOONRUST_TEST_NOW"])
    since = time.time() - float(os.environ.get("WOONRUST_TEST_NOW_AT", time.time()))
    return start + datetime.timedelta(seconds=max(since, 0.0))


if __name__ == "__main__":
    program, *args = sys.argv[1:]
    with time_machine.travel(destination(), tick=True):
        if program == "celery":
            from celery.__main__ import main

            sys.argv = ["celery", *args]
            main()
        else:  # python -c CODE
            assert args[0] == "-c"
            sys.argv = ["-c"]
            exec(compile(args[1], "<test code>", "exec"), {"__name__": "__main__"})  # noqa: S102
