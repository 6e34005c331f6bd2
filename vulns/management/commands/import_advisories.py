"""manage.py import_advisories KIND FILE: import an NVD, KEV, JVN or CSAF file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import DomainError
from vulns.enums import FeedKind
from vulns.services.imports import feed_import


class Command(BaseCommand):
    help = "Import a vulnerability feed file (NVD CVE JSON 2.0, CISA KEV, JVN XML, CSAF 2.0)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("kind", choices=FeedKind.values)
        parser.add_argument("path")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            result = feed_import(kind=options["kind"], data=data, actor=None)
        except DomainError as error:
            where = error.details.get("where", "")
            raise CommandError(f"{path}: {where}: {error.message}") from error
        self.stdout.write(
            f"{result.kind}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged; {result.findings_new} new findings, "
            f"{result.findings_closed} closed"
        )
