"""Communications, message templates and external contacts over /api/v1/. Reads go through
comms.selectors (what a user may not see is 404); every write calls one service."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.pagination import KeysetPagination
from common.parsers import JSONParser
from comms import access, selectors
from comms.api import serializers as s
from comms.models import Communication, ExternalContact, GuestInvitation, MessageTemplate
from comms.services import communications, contacts, guests, mailing, templates
from incidents.api.views.base import INCIDENT_REF, ApiViewSet, errors
from incidents.models import Incident


class NewestFirst(KeysetPagination):
    ordering = ("-created_at", "-id")


class ByPosition(KeysetPagination):
    page_size = 100
    ordering = ("position", "id")


class ByKind(KeysetPagination):
    page_size = 100
    ordering = ("kind", "language")


@extend_schema(tags=["comms"], parameters=[INCIDENT_REF])
class CommunicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    """The incident's communications (to staff, customers, the media, authorities …), newest
    first. N-4: the TLP each audience may receive (400 TLP_NOT_ALLOWED_FOR_AUDIENCE); DRAFT →
    APPROVED → SENT or CANCELLED; a public message needs an APPROVED PUBLIC_ANNOUNCEMENT
    decision before SENT (409 ANNOUNCEMENT_NOT_APPROVED)."""

    queryset = Communication.objects.none()
    serializer_class = s.CommunicationSerializer
    pagination_class = NewestFirst
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_policy = {
        "create": access.can_write,
        "partial_update": access.can_write,
        "mail": access.can_write,
    }

    def get_incident(self) -> Incident:
        if not hasattr(self, "_incident"):
            self._incident = selectors.incident_for(
                user=self.request.user, ref=self.kwargs["incident_ref"]
            )
        return self._incident

    def get_queryset(self) -> QuerySet[Communication]:
        return selectors.communications_of(self.get_incident())

    def _fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.communications_of(self.get_incident()).get(pk=pk)
        return Response(s.CommunicationSerializer(fresh).data, status=code)

    @extend_schema(
        request=s.CommunicationCreateSerializer,
        responses={201: s.CommunicationSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """A draft: the message as given, or from a template pre-filled from the record."""
        incident = self.get_incident()
        body = s.CommunicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind, language = data.pop("template", ""), data.pop("language", "ja")
        if kind:
            made = templates.communication_from_template(
                incident=incident, actor=request.user, kind=kind, language=language
            )
        else:
            made = communications.communication_draft(incident=incident, actor=request.user, **data)
        return self._fresh(made.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CommunicationUpdateSerializer,
        responses={200: s.CommunicationSerializer, **errors(400, 403, 404, 409)},
    )
    def partial_update(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Edit a draft or an approved message (back to DRAFT); each edit is a kept version."""
        target = self.get_object()
        body = s.CommunicationUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        communications.communication_update(
            communication=target, actor=request.user, changes=dict(body.validated_data)
        )
        return self._fresh(target.pk)

    @extend_schema(
        request=s.CommunicationStatusSerializer,
        responses={200: s.CommunicationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, incident_ref: str, pk: str) -> Response:
        """APPROVED (CSIRT lead, decision maker, ISMS office), SENT with a reference, DRAFT
        again, or CANCELLED with a reason (409 COMMUNICATION_STATUS_NOT_ALLOWED otherwise)."""
        target = self.get_object()
        body = s.CommunicationStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        communications.communication_move(
            communication=target, actor=request.user, **body.validated_data
        )
        return self._fresh(target.pk)

    @extend_schema(
        request=None, responses={200: s.CommunicationSerializer, **errors(403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def mail(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Send an APPROVED email warning to ALL_STAFF to the organisation's staff address
        list through the alert transport (retried, logged per address) and record it SENT
        (409 NOT_A_STAFF_EMAIL, NOT_APPROVED, NO_STAFF_ADDRESSES)."""
        target = self.get_object()
        mailing.communication_mail(communication=target, actor=request.user)
        return self._fresh(target.pk)

    @extend_schema(responses={200: s.CommunicationVersionSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Every version of the message, newest first."""
        target = self.get_object()
        rows = selectors.versions_of(target)
        return Response(s.CommunicationVersionSerializer(rows, many=True).data)


@extend_schema(tags=["comms"])
class MessageTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ApiViewSet
):
    """The organisation's message templates, one per kind and language; ``{name}`` is filled
    from the record when a draft is made, 【要記入：…】 marks what a person writes."""

    queryset = MessageTemplate.objects.none()
    serializer_class = s.MessageTemplateSerializer
    pagination_class = ByKind
    parser_classes = [JSONParser]
    http_method_names = ["get", "patch", "head", "options"]
    action_policy = {"partial_update": access.can_keep}

    def get_queryset(self) -> QuerySet[MessageTemplate]:
        user = self.request.user
        if not access.can_read_directory(user):
            return MessageTemplate.objects.none()
        templates.templates_ensure(organisation=user.organisation)
        return selectors.templates_of(user.organisation)

    @extend_schema(
        request=s.MessageTemplateUpdateSerializer,
        responses={200: s.MessageTemplateSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        body = s.MessageTemplateUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        updated = templates.template_update(
            organisation=request.user.organisation,
            actor=request.user,
            kind=target.kind,
            language=target.language,
            **body.validated_data,
        )
        return Response(s.MessageTemplateSerializer(updated).data)


@extend_schema(tags=["comms"])
class ExternalContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """The organisation's directory of outside parties (PPC, IPA, JPCERT/CC, police, sector
    regulator, insurer, IT vendor …), seeded with the defaults and editable."""

    queryset = ExternalContact.objects.none()
    serializer_class = s.ExternalContactSerializer
    pagination_class = ByPosition
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_policy = {"create": access.can_keep, "partial_update": access.can_keep}

    def get_queryset(self) -> QuerySet[ExternalContact]:
        user = self.request.user
        if not access.can_read_directory(user):
            return ExternalContact.objects.none()
        contacts.contacts_ensure_defaults(organisation=user.organisation)
        return selectors.contacts_of(user.organisation)

    @extend_schema(
        request=s.ExternalContactWriteSerializer,
        responses={201: s.ExternalContactSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.ExternalContactWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = contacts.contact_create(
            organisation=request.user.organisation, actor=request.user, **body.validated_data
        )
        return Response(s.ExternalContactSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ExternalContactWriteSerializer,
        responses={200: s.ExternalContactSerializer, **errors(400, 403, 404)},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        body = s.ExternalContactWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        updated = contacts.contact_update(
            contact=target, actor=request.user, changes=dict(body.validated_data)
        )
        return Response(s.ExternalContactSerializer(updated).data)


@extend_schema(tags=["comms"], parameters=[INCIDENT_REF])
class GuestInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Outside responders let into this incident only (issue 17 item 4), newest first: the
    CSIRT lead or the ISMS office invites (the one-time link goes by mail, never in the answer)
    and revokes at once (409 ALREADY_REVOKED). Others: 404."""

    queryset = GuestInvitation.objects.none()
    serializer_class = s.GuestInvitationSerializer
    pagination_class = NewestFirst
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_incident(self) -> Incident:
        if not hasattr(self, "_incident"):
            incident = selectors.incident_for(
                user=self.request.user, ref=self.kwargs["incident_ref"]
            )
            if not access.can_invite_guests(self.request.user):
                raise Http404
            self._incident = incident
        return self._incident

    def get_queryset(self) -> QuerySet[GuestInvitation]:
        return GuestInvitation.objects.filter(incident=self.get_incident()).select_related(
            "incident", "invited_by", "revoked_by"
        )

    @extend_schema(
        request=s.GuestInvitationCreateSerializer,
        responses={201: s.GuestInvitationSerializer, **errors(400, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """Invite a person by email: READ or CONTRIBUTE (read and add evidence), an expiry (in
        the next 90 days) and a TLP ceiling (400 EXPIRY_IN_PAST, EXPIRY_TOO_FAR; 409
        EMAIL_TAKEN for an address of an account of the organisation)."""
        incident = self.get_incident()
        body = s.GuestInvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made, _token = guests.guest_invite(
            incident=incident,
            actor=request.user,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            **body.validated_data,
        )
        fresh = self.get_queryset().get(pk=made.pk)
        return Response(s.GuestInvitationSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.GuestInvitationSerializer, **errors(404, 409)})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, incident_ref: str, pk: str) -> Response:
        """End the guest's access now: their next request is refused."""
        target = self.get_object()
        guests.guest_revoke(invitation=target, actor=request.user)
        fresh = self.get_queryset().get(pk=target.pk)
        return Response(s.GuestInvitationSerializer(fresh).data)
