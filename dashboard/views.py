from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dashboard import selectors


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = {"roles": selectors.roles_of(user=request.user)}
    return render(request, "dashboard/index.html", context)
