"""The alerts API: the user's notifications and their acknowledgement, the ISMS office's
channels (URLs write-only) and delivery attempts. Reads go through selectors, writes through
services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.parsers import JSONParser
from incidents.api.serializers import ErrorSerializer
from notifications import access, selectors
from notifications.api import serializers as s
from notifications.enums import AckVia
from notifications.models import DeliveryAttempt, Notification
from notifications.services import channels as channel_services
from notifications.services.acknowledge import alert_acknowledge

ERROR = OpenApiResponse(ErrorSerializer)


class IsPerson(permissions.BasePermission):
    """People only: an integration's API key has no alerts."""

    def has_permission(self, request: Request, view: object) -> bool:
        return access.is_person(request.user)


class ManagesAlerts(permissions.BasePermission):
    message = _("Only the ISMS office configures the alerts.")

    def has_permission(self, request: Request, view: object) -> bool:
        return access.can_manage_alerts(request.user)


class NotificationFilter(filters.FilterSet):
    needs_ack = filters.BooleanFilter(field_name="alert__needs_ack")
    event = filters.CharFilter(field_name="alert__event")

    class Meta:
        model = Notification
        fields = ["state", "channel__kind", "needs_ack", "event"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Notifications sent to you (the ISMS office: every one of the organisation)."""

    serializer_class = s.NotificationSerializer
    permission_classes = [permissions.IsAuthenticated, IsPerson]
    filterset_class = NotificationFilter
    parser_classes = [JSONParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.notification_list(self.request.user)

    @extend_schema(
        request=None, responses={200: s.NotificationSerializer, 403: ERROR, 404: ERROR, 409: ERROR}
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Acknowledge this notification's alert; only one of its recipients may."""
        notification = self.get_object()
        alert_acknowledge(alert=notification.alert, actor=request.user, via=AckVia.API)
        fresh = self.get_queryset().get(pk=notification.pk)
        return Response(s.NotificationSerializer(fresh).data)


class AlertChannelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Where the organisation's alerts go (ISMS office). URLs are write-only."""

    serializer_class = s.AlertChannelSerializer
    permission_classes = [permissions.IsAuthenticated, ManagesAlerts]
    parser_classes = [JSONParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.channel_list(self.request.user)

    @extend_schema(
        request=s.AlertChannelCreateSerializer,
        responses={201: s.AlertChannelCreatedSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
    )
    def create(self, request: Request) -> Response:
        """A generic webhook's signing secret is in this response only."""
        body = s.AlertChannelCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        channel, secret = channel_services.channel_create(actor=request.user, **body.validated_data)
        return Response(s.created_payload(channel, secret), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.AlertChannelUpdateSerializer,
        responses={200: s.AlertChannelSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        """Rename, enable or disable, or replace the URL (checked again)."""
        body = s.AlertChannelUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        channel = channel_services.channel_update(
            channel=self.get_object(), actor=request.user, **body.validated_data
        )
        return Response(s.AlertChannelSerializer(channel).data)

    @extend_schema(
        request=None,
        responses={200: s.AlertChannelSecretSerializer, 403: ERROR, 404: ERROR, 409: ERROR},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new signing secret for a generic webhook, shown this once."""
        secret = channel_services.channel_rotate_secret(
            channel=self.get_object(), actor=request.user
        )
        return Response({"signing_secret": secret})


class DeliveryAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Every delivery attempt of the organisation's notifications (ISMS office)."""

    serializer_class = s.DeliveryAttemptSerializer
    permission_classes = [permissions.IsAuthenticated, ManagesAlerts]
    filterset_fields = ["notification", "outcome"]
    queryset = DeliveryAttempt.objects.none()

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.attempt_list(self.request.user)
