"""/incidents/{ref}/mail-messages/ and /incidents/{ref}/relations/: a campaign's emails and the
incidents linked to this one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from incidents import access, selectors
from incidents.api import serializers as s
from incidents.api.views.base import IncidentChildViewSet, errors
from incidents.models import IncidentRelation, MailMessage
from incidents.services import messages, relations


class MailMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IncidentChildViewSet):
    """The campaign's emails (several per incident: another sender, subject or attachment),
    each with its deliveries, reports and executions counted."""

    queryset = MailMessage.objects.none()
    serializer_class = s.MailMessageSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.mail_messages_of(self.get_incident())

    @extend_schema(
        request=s.MailMessageCreateSerializer,
        responses={201: s.MailMessageSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """Record a further email of the campaign (a new variant), with its indicators."""
        incident = self.get_incident()
        body = s.MailMessageCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = messages.message_add(
            incident=incident, actor=request.user, mail=messages.Mail(**body.validated_data)
        )
        fresh = self.get_queryset().get(pk=message.pk)
        return self.created(s.MailMessageSerializer(fresh).data)


def _link_data(link: selectors.Link) -> dict:
    relation = link.relation
    return {
        "id": relation.pk,
        "kind": relation.kind,
        "direction": "outgoing" if link.outgoing else "incoming",
        "label": link.label,
        "incident": link.other.ref,
        "title": link.other.title,
        "status": link.other.status,
        "note": relation.note,
        "created_at": relation.created_at,
    }


class IncidentRelationViewSet(IncidentChildViewSet):
    """Incidents linked to this one (RELATED, CAUSED_BY, DUPLICATE_OF), in both directions."""

    queryset = IncidentRelation.objects.none()
    serializer_class = s.IncidentRelationSerializer
    pagination_class = None  # a handful of links, both directions merged
    action_policy = {**IncidentChildViewSet.action_policy, "destroy": access.can_edit_incidents}

    @extend_schema(responses={200: s.IncidentRelationSerializer(many=True), **errors(404)})
    def list(self, request: Request, incident_ref: str) -> Response:
        links = selectors.relations_of(self.get_incident(), request.user)
        return Response(
            s.IncidentRelationSerializer([_link_data(x) for x in links], many=True).data
        )

    @extend_schema(
        request=s.IncidentRelationCreateSerializer,
        responses={201: s.IncidentRelationSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request, incident_ref: str) -> Response:
        """This incident is <kind> another: {"incident": "INC-2026-0001", "kind": "CAUSED_BY"}."""
        incident = self.get_incident()
        body = s.IncidentRelationCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        relation = relations.incident_relate(
            incident=incident,
            related=body.validated_data["incident"],
            kind=body.validated_data["kind"],
            note=body.validated_data["note"],
            actor=request.user,
        )
        link = selectors.Link(relation, relation.related, True)
        return self.created(s.IncidentRelationSerializer(_link_data(link)).data)

    @extend_schema(responses={204: None, **errors(403, 404)})
    def destroy(self, request: Request, incident_ref: str, pk: str) -> Response:
        """Remove a link (made from either side); both timelines keep that it existed."""
        incident = self.get_incident()
        relation = selectors.relation_get(incident=incident, pk=pk)
        self.check_object_permissions(request, relation)
        relations.incident_unrelate(relation=relation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
