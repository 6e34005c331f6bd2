"""The application's database role: what it needs to run, nothing that lets it rewrite history.

Production uses two PostgreSQL roles (docs/operations.md, "Two database roles"): an owner that
runs the migrations and this command, and the application role that web, worker and beat
connect as. The application role gets SELECT/INSERT/UPDATE/DELETE on the tables and the use of
their sequences; on the append-only tables only SELECT and INSERT. It owns nothing, so it can
neither ``ALTER TABLE … DISABLE TRIGGER`` nor ``TRUNCATE``. Idempotent: run it after every
``migrate`` (new tables are also covered by default privileges).
"""

from __future__ import annotations

import os
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# By name, not by import: common sits below the apps that own these tables.
APPEND_ONLY_TABLES = ("incidents_timelineentry",)
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class Command(BaseCommand):
    help = (
        "Create or update the application's PostgreSQL role: data access only, no ownership "
        "(run as the owner of the tables, after migrate)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role", help="the application role, e.g. isms_app")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="set the role's password from this environment variable (creating a LOGIN role)",
        )

    def handle(self, *args: Any, role: str, password_env: str | None, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: there are no roles to set up.")
            return
        if not ROLE_NAME.fullmatch(role):
            raise CommandError(f"{role!r} is not a plain lower-case role name")
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"{password_env} is empty")
        with transaction.atomic(), connection.cursor() as cursor:
            self._ensure_role(cursor, role, password)
            self._grant(cursor, role)
        self.stdout.write(f"Role {role}: data access granted, owns nothing.")

    def _ensure_role(self, cursor: Any, role: str, password: str) -> None:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole OR rolbypassrls, rolname = current_user "
            "FROM pg_roles WHERE rolname = %s",
            [role],
        )
        row = cursor.fetchone()
        if row and (row[0] or row[1]):
            raise CommandError(f"{role} is privileged (superuser, CREATEROLE) or runs this command")
        name = connection.ops.quote_name(role)
        if row is None:
            cursor.execute(
                f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
            )
        if password:
            cursor.execute(f"ALTER ROLE {name} WITH LOGIN PASSWORD %s", [password])
        cursor.execute(
            "SELECT string_agg(tablename, ', ') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tableowner = %s",
            [role],
        )
        owned = cursor.fetchone()[0]
        if owned:
            raise CommandError(f"{role} owns tables ({owned}); the owner must be another role")

    def _grant(self, cursor: Any, role: str) -> None:
        name = connection.ops.quote_name(role)
        database = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        for statement in (
            f"GRANT CONNECT ON DATABASE {database} TO {name}",
            f"GRANT USAGE ON SCHEMA {schema} TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {name}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {name}",
            *(
                f"REVOKE UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {name}"
                for table in APPEND_ONLY_TABLES
            ),
        ):
            cursor.execute(statement)
