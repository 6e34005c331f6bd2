from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role
from bcp import access as bcp_access
from bcp import selectors as bcp_selectors
from common import clock
from dashboard import selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"roles": selectors.roles_of(user=user), "uncovered_roles": []}
    if bcp_access.can_see_roster(user):
        uncovered = bcp_selectors.roles_without_available_holder(
            organisation=user.organisation, at=clock.now()
        )
        context["uncovered_roles"] = [Role(role).label for role in uncovered]
    return render(request, "dashboard/index.html", context)
