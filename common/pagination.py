from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from common.errors import InvalidInput


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pagination: a deep page costs what the first page costs."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF says 404; a malformed parameter is a client error
            raise InvalidInput(
                "invalid_cursor", _("The cursor is not valid."), field=self.cursor_query_param
            ) from exc


class OldestFirstPagination(KeysetPagination):
    """Children of an incident (assets, tasks, evidence …) in the order they were recorded."""

    ordering = "id"


class TimelinePagination(KeysetPagination):
    ordering = "seq"
