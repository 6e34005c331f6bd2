"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import ApiKey, User


def api_keys_of(user: User) -> QuerySet[ApiKey]:
    """The API keys of the user's organisation, newest first (index apikey_org_created)."""
    return (
        ApiKey.objects.filter(organisation_id=user.organisation_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def api_key_get(*, user: User, pk: int) -> ApiKey:
    key = api_keys_of(user).filter(pk=pk).first()
    if key is None:
        raise Http404
    return key
