"""On SQLite a long import must not stop everyone else (issue 17, finding 5).  While an import is held midway
through writing its rows (a checkpoint the test controls, tests/registry/checkpoints.py): a login succeeds, another
official's portal write (a status change in another province) completes at once, and a second import waits its
turn and completes, instead of failing with "database is locked" after the 10 s busy timeout.  When the database
is busy all the same, a portal write gets the Persian 503 page, not a 500.  Processes on a database file, as in
production."""

import os
import sqlite3
import subprocess
import sys

import pytest

from tests.registry.checkpoints import Checkpoint, command_with_checkpoint
from tests.registry.test_crash import big_file, units_in

ROWS = 12_000  # progress is reported every 5,000 rows written: the checkpoint holds at the first of them

# argv: username, then what to do: "login" (with the password) or "status" (idle the first unit of the
# user's province).  Prints the answer's status, seconds taken and the longest single query.
PORTAL = """
import os, sys, time, django
django.setup()
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from khoosheh.accounts.models import User
from khoosheh.registry.models import ProductionUnit
if os.environ.get("BUSY_TIMEOUT_MS"):  # wait less than the 10 s the portal waits, to see the answer sooner
    options = connections["default"].settings_dict["OPTIONS"]
    options["init_command"] = options["init_command"].replace(
        "busy_timeout=10000", "busy_timeout=" + os.environ["BUSY_TIMEOUT_MS"])
waits = [0.0]
def timed(execute, sql, params, many, context):
    started = time.monotonic()
    try:
        return execute(sql, params, many, context)
    finally:
        waits.append(time.monotonic() - started)
username, action = sys.argv[1], sys.argv[2]
client = Client(raise_request_exception=False)
if action == "status":
    user = User.objects.get(username=username)
    client.force_login(user)
    unit = ProductionUnit.objects.filter(province_id=user.province_id).first()
started = time.monotonic()
with connection.execute_wrapper(timed):
    if action == "login":
        response = client.post("/login/", {"username": username, "password": "Kashi-Yazd-1405!"})
    else:
        response = client.post(reverse("registry:unit_change_status", args=[unit.pk]),
                               {"status": "idle", "reason": "تعطیلی فصلی"})
print(response.status_code, round(time.monotonic() - started, 2), round(max(waits), 2), flush=True)
if response.status_code >= 500:
    print(response.content.decode(), file=sys.stderr)
"""

CAST = """
import django
django.setup()
from khoosheh.accounts.models import Role, User
from khoosheh.registry.models import ProductionUnit
User.objects.create_user("official", password="Kashi-Yazd-1405!", role=Role.NATIONAL)
User.objects.create_user("isfahan", password="Kashi-Yazd-1405!", role=Role.PROVINCIAL, province_id="10")
ProductionUnit.objects.create(name="کارگاه کاشان", activity_id="2393", province_id="10", county_id="1010")
"""


@pytest.fixture
def site(tmp_path):
    database = tmp_path / "busy.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "KHOOSHEH_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "khoosheh.settings", "ALLOWED_HOSTS": "testserver"}
    subprocess.run([sys.executable, "-m", "khoosheh", "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", CAST], env=env, check=True)
    return database, env


def portal(env, *args) -> tuple[str, float, float]:
    done = subprocess.run([sys.executable, "-c", PORTAL, *args], env=env, check=True, capture_output=True, text=True,
                          timeout=120)
    status, seconds, longest_query = done.stdout.split()
    return status, float(seconds), float(longest_query)


@pytest.mark.slow
def test_others_log_in_write_and_import_while_a_long_import_writes(site, tmp_path):
    database, env = site
    argv, held_env = command_with_checkpoint(env, "hold_each_import_midway_through_writing", tmp_path,
                                             "import-units", str(big_file(tmp_path / "first.csv", ROWS, 1)))
    first = subprocess.Popen(argv, env=held_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    second = None
    held = Checkpoint(tmp_path, "midway-writing-1")
    try:
        held.wait(first)  # the first import has written some of its rows, not all, and waits there
        second = subprocess.Popen([sys.executable, "-m", "khoosheh", "import-units",
                                   str(big_file(tmp_path / "second.csv", 500, 2))], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

        # A login is let in (302 to the portal) and no query of it waits for the database.
        status, _, longest_query = portal(env, "official", "login")
        assert status == "302" and longest_query < 2, (status, longest_query)  # the busy timeout is 10 s
        # Another official's write — Isfahan staff idling an Isfahan unit — is saved at once (302 back to the unit).
        status, seconds, longest_query = portal(env, "isfahan", "status")
        assert status == "302" and longest_query < 2, (status, seconds, longest_query)
        # The second import waits for the first (imports take turns), rather than failing.
        assert second.poll() is None and first.poll() is None
    finally:
        held.release()
        for process in (first, second):
            if process is not None:
                try:
                    assert process.wait(timeout=600) == 0, process.stderr.read()[-2000:]
                finally:
                    if process.poll() is None:
                        process.kill()
    assert units_in(database) == 1 + ROWS + 500
    with sqlite3.connect(database) as db:
        # The status change is there, with its history, beside the imports' units.
        assert db.execute("SELECT status FROM registry_productionunit WHERE province_id = '10'").fetchone() == ("idle",)
        assert db.execute("SELECT COUNT(*) FROM registry_unitstatuschange WHERE source = 'portal'").fetchone() == (1,)


@pytest.mark.slow
def test_a_portal_write_on_a_database_busy_past_the_timeout_gets_the_busy_page(site):
    database, env = site
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock throughout
    try:
        status, _, _ = portal({**env, "BUSY_TIMEOUT_MS": "300"}, "isfahan", "status")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == "503"
