"""Fields shared by the readiness serializers."""

from __future__ import annotations

from rest_framework import serializers


class OrganisationOwnedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row of the requester's organisation (another's reads as unknown)."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        user = self.context["request"].user
        return self.queryset.filter(organisation_id=user.organisation_id)
