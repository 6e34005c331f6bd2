from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from common import views as common_views
from common.apidocs import DocsView, SchemaView

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("readyz", common_views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    # allauth after ours: the site's login, logout and password pages win on the same paths;
    # allauth adds the two-factor pages (/accounts/2fa/) and single sign-on.
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("isms_csirt.api_router")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("incidents.urls")),
    path("", include("risklevels.urls")),
    path("", include("bcp.urls")),
    path("", include("isms.urls")),
    path("", include("comms.urls")),
    path("", include("privacy.urls")),
    path("", include("sharing.urls")),
    path("", include("notifications.urls")),
    path("", include("records.urls")),
    path("", include("vulns.urls")),
    path("training/", include("training.urls")),
    path("help/", include("guide.urls")),
    path("", include("dashboard.urls")),
]
