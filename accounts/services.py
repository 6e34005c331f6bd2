from __future__ import annotations

from django.conf import settings
from django.db import transaction

from accounts.models import Organisation, RoleAssignment, User
from common.errors import InvalidInput


def user_set_language(*, user: User, language: str) -> None:
    """Remember the user's language; a no-op when it is already set."""
    if language not in {code for code, _ in settings.LANGUAGES}:
        raise InvalidInput("unknown_language", "Unknown language.")
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


@transaction.atomic
def organisation_create(
    *, name: str, time_zone: str = "Asia/Tokyo", desk_phone: str = "", desk_email: str = ""
) -> Organisation:
    org = Organisation(name=name, time_zone=time_zone, desk_phone=desk_phone, desk_email=desk_email)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def user_create(
    *,
    organisation: Organisation | None,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    preferred_language: str = "",
) -> User:
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        organisation=organisation,
        is_staff=is_staff,
        is_superuser=is_superuser,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def role_assign(
    *,
    organisation: Organisation,
    role: str,
    user: User,
    priority: int = 1,
    authority_scope: list[str] | None = None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        organisation=organisation,
        role=role,
        user=user,
        priority=priority,
        authority_scope=authority_scope or [],
    )
    assignment.full_clean()
    assignment.save()
    return assignment
