from django.urls import path

from comms import guest_views, views

app_name = "comms"

urlpatterns = [
    path("incidents/<str:ref>/communications/", views.incident_comms, name="incident"),
    path(
        "incidents/<str:ref>/communications/from-template/",
        views.from_template,
        name="from_template",
    ),
    path("incidents/<str:ref>/communications/<int:pk>/", views.detail, name="detail"),
    path("incidents/<str:ref>/communications/<int:pk>/status/", views.move, name="status"),
    path("incidents/<str:ref>/communications/<int:pk>/mail/", views.mail, name="mail"),
    path("incidents/<str:ref>/guests/", guest_views.invitations, name="guests"),
    path("incidents/<str:ref>/guests/<int:pk>/revoke/", guest_views.revoke, name="guest_revoke"),
    path("guest/", guest_views.room, name="guest_room"),
    path("guest/comment/", guest_views.comment, name="guest_comment"),
    path("guest/fact/", guest_views.fact, name="guest_fact"),
    path("guest/evidence/<int:pk>/", guest_views.download, name="guest_download"),
    path("guest/accept/<str:token>/", guest_views.accept, name="guest_accept"),
    path("communications/staff-addresses/", views.staff_list, name="staff_list"),
    path("communications/templates/", views.template_list, name="templates"),
    path("communications/templates/<int:pk>/", views.template_edit, name="template"),
    path("communications/contacts/", views.contact_list, name="contacts"),
    path("communications/contacts/<int:pk>/", views.contact_edit, name="contact"),
]
