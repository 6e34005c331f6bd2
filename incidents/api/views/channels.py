"""Alert sources of the security tools (issue 21): list, add, rotate, disable; ISMS office only."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.parsers import JSONParser
from incidents import access, selectors
from incidents.api.serializers import channels as s
from incidents.api.views.base import ApiViewSet, errors
from incidents.models import AlertSource
from incidents.services import channels


def _credentials(request: Request, registered: channels.Registered, code: int) -> Response:
    url = request.build_absolute_uri(
        reverse("incidents:alert_hook", args=[registered.source.token])
    )
    source = selectors.alert_sources_of(user=request.user).get(pk=registered.source.pk)
    body = {
        "source": s.AlertSourceSerializer(source).data,
        "webhook_url": url,
        "secret": registered.secret,
    }
    return Response(body, status=code)


class AlertSourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The organisation's alert sources. The address and secret are answered only when a source
    is added or rotated; rotating stops the old address and secret at once."""

    serializer_class = s.AlertSourceSerializer
    parser_classes = [JSONParser]
    action_policy = dict.fromkeys(
        ("list", "retrieve", "create", "rotate", "disable"), access.can_manage_intake
    )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no user
            return AlertSource.objects.none()
        return selectors.alert_sources_of(user=self.request.user).order_by("pk")

    @extend_schema(
        request=s.AlertSourceCreateSerializer,
        responses={201: s.AlertSourceCredentialsSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        serializer = s.AlertSourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        registered = channels.alert_source_register(
            organisation=request.user.organisation,
            actor=request.user,
            name=data["name"],
            fmt=data["format"],
            replay_window_seconds=data["replay_window_seconds"],
            repeat_window_seconds=data["repeat_window_seconds"],
        )
        return _credentials(request, registered, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: s.AlertSourceCredentialsSerializer, **errors(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def rotate(self, request: Request, pk: str | None = None) -> Response:
        """A new webhook address and secret; the old ones are refused from now on."""
        registered = channels.alert_source_rotate(source=self.get_object(), actor=request.user)
        return _credentials(request, registered, status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: s.AlertSourceSerializer, **errors(403, 404)})
    @action(detail=True, methods=["post"])
    def disable(self, request: Request, pk: str | None = None) -> Response:
        """Refuse the source's alerts from now on (its reports stay)."""
        source = channels.alert_source_disable(source=self.get_object(), actor=request.user)
        source = self.get_queryset().get(pk=source.pk)
        return Response(s.AlertSourceSerializer(source).data)
