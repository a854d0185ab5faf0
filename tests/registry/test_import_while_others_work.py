"""On SQLite a long import must not stop everyone else (issue 17, finding 5): a login during a 200,000-row import
succeeds, and a second import started meanwhile waits its turn and completes, instead of failing with
"database is locked" after the busy timeout.  Processes on a database file, as in production."""

import os
import select
import subprocess
import sys
import time

import pytest

from tests.registry.test_crash import big_file, units_in

ROWS = 200_000

LOGIN = """
import django, time
django.setup()
from django.db import connection
from django.test import Client
waits = [0.0]
def timed(execute, sql, params, many, context):
    started = time.monotonic()
    try:
        return execute(sql, params, many, context)
    finally:
        waits.append(time.monotonic() - started)
started = time.monotonic()
with connection.execute_wrapper(timed):
    response = Client().post("/login/", {"username": "official", "password": "Kashi-Yazd-1405!"})
print(response.status_code, round(time.monotonic() - started, 2), round(max(waits), 2), flush=True)
"""

MAKE_USER = """
import django
django.setup()
from khoosheh.accounts.models import Role, User
User.objects.create_user("official", password="Kashi-Yazd-1405!", role=Role.NATIONAL)
"""


def wait_for(process, word: bytes, seconds: float) -> bytes:
    seen, deadline = b"", time.monotonic() + seconds
    while word not in seen and time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stderr], [], [], 0.5)
        if ready:
            seen += os.read(process.stderr.fileno(), 4096)
    return seen


@pytest.mark.slow
def test_a_login_and_a_second_import_during_a_long_import_succeed(tmp_path):
    database = tmp_path / "busy.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "KHOOSHEH_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "khoosheh.settings", "ALLOWED_HOSTS": "testserver"}
    subprocess.run([sys.executable, "-m", "khoosheh", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", MAKE_USER], env=env, check=True)
    first = subprocess.Popen([sys.executable, "-m", "khoosheh", "import-units", "--progress",
                              str(big_file(tmp_path / "first.csv", ROWS, 1))], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    second = None
    try:
        assert b"write" in wait_for(first, b"write", 600), "the first import never reached its writing stage"
        second = subprocess.Popen([sys.executable, "-m", "khoosheh", "import-units",
                                   str(big_file(tmp_path / "second.csv", 500, 2))], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        login = subprocess.run([sys.executable, "-c", LOGIN], env=env, check=True, capture_output=True, text=True)
        status, seconds, longest_query = login.stdout.split()
        still_writing = first.poll() is None
        # The login is let in (302 to the portal) while the first import still holds the write lock.
        assert status == "302", login.stdout + login.stderr
        assert float(longest_query) < 2, "the login waited for the database"  # the busy timeout is 10 s
        assert still_writing, "the import finished before the login: make it longer to test anything"
        assert first.wait(timeout=900) == 0, first.stderr.read().decode()[-2000:]
        assert second.wait(timeout=300) == 0, second.stderr.read().decode()[-2000:]
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
    assert units_in(database) == ROWS + 500
    print(f"login took {seconds} s during the import; its longest query {longest_query} s")
