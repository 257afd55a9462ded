"""The database settings: PostgreSQL sessions plan for data in memory and without JIT."""

from __future__ import annotations

import pytest
from django.db import connection

from chengxin.settings import PG_SESSION_OPTIONS, database_config

URL = "postgresql://chengxin@db.example:5432/chengxin"


def test_postgresql_sessions_get_the_planner_options_unless_the_url_gives_its_own() -> None:
    assert database_config(URL)["OPTIONS"] == {"options": PG_SESSION_OPTIONS}
    own = database_config(URL + "?options=-c%20work_mem%3D64MB&sslmode=require")["OPTIONS"]
    assert own == {"options": "-c work_mem=64MB", "sslmode": "require"}
    assert "options" not in database_config(None)["OPTIONS"]  # SQLite has no such settings


@pytest.mark.django_db
def test_the_session_in_use_has_them() -> None:
    if connection.vendor != "postgresql":  # the SQLite run: its connection has none
        assert "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('random_page_cost')")
        assert cursor.fetchone() == ("off", "1.1")
