"""Admin for records that change only through their services (the timeline, the guards)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class RecordAdmin(admin.ModelAdmin):
    """Read-only: no add, change or delete from the admin, so every change to a record goes
    through its service and lands on the hash-chained timeline. A POST to the change or
    delete page is refused (403); the pages still show the record."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
