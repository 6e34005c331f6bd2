"""Courses, their sessions and attendance, and a person's training record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from training import access, selectors
from training.forms import AssignmentForm, AttendanceForm, CourseForm, SessionForm
from training.models import Course
from training.services import courses
from training.views.common import add_domain_error, require_role


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    require_role(access.can_read(request.user))
    form = CourseForm(request.POST or None, prefix="course")
    if request.method == "POST":
        require_role(access.can_keep_records(request.user))
        if form.is_valid():
            try:
                course = courses.course_create(
                    organisation=request.user.organisation, actor=request.user, **form.values()
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Course %(code)s created.") % {"code": course.code})
                return HttpResponseRedirect(reverse("training:course_detail", args=[course.pk]))
    context = {
        "courses": selectors.courses_of(request.user),
        "form": form,
        "can_keep": access.can_keep_records(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/course_list.html", context, status=status)


def _course_page(
    request: HttpRequest,
    course: Course,
    *,
    edit: CourseForm | None = None,
    session: SessionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {name: getattr(course, name) for name in CourseForm.base_fields}
    context = {
        "course": course,
        "sessions": selectors.sessions_of(course),
        "edit_form": edit or CourseForm(initial=initial, prefix="edit"),
        "session_form": session or SessionForm(prefix="session"),
        "can_keep": access.can_keep_records(request.user),
    }
    return render(request, "training/course_detail.html", context, status=status)


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    return _course_page(request, selectors.course_get(user=request.user, pk=pk))


@login_required
@require_POST
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    require_role(access.can_keep_records(request.user))
    form = CourseForm(request.POST, prefix="edit")
    if form.is_valid():
        try:
            courses.course_update(course=course, actor=request.user, changes=form.values())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("training:course_detail", args=[course.pk]))
    return _course_page(request, course, edit=form, status=400)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(user=request.user, pk=pk)
    require_role(access.can_keep_records(request.user))
    form = SessionForm(request.POST, prefix="session")
    if form.is_valid():
        try:
            session = courses.session_create(course=course, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return HttpResponseRedirect(reverse("training:session_detail", args=[session.pk]))
    return _course_page(request, course, session=form, status=400)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    session = selectors.session_get(user=request.user, pk=pk)
    form = AttendanceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require_role(access.can_keep_records(request.user))
        if form.is_valid() and _record(request, session, form):
            return HttpResponseRedirect(reverse("training:session_detail", args=[session.pk]))
        status = 400
    context = {
        "session": session,
        "attendance": selectors.session_attendance(session),
        "form": form,
        "can_keep": access.can_keep_records(request.user),
    }
    return render(request, "training/session_detail.html", context, status=status)


def _record(request: HttpRequest, session, form: AttendanceForm) -> bool:  # type: ignore[no-untyped-def]
    entries = form.cleaned_data["lines"]
    numbers = [number for number, _score in entries]
    people = {
        p.employee_no: p for p in selectors.people_of(request.user).filter(employee_no__in=numbers)
    }
    unknown = [n for n in numbers if n not in people]
    if unknown:
        form.add_error(
            "lines", _("Unknown staff numbers: %(numbers)s.") % {"numbers": ", ".join(unknown)}
        )
        return False
    try:
        courses.session_attendance_record(
            session=session,
            actor=request.user,
            entries=[(people[number], score) for number, score in entries],
        )
    except DomainError as error:
        add_domain_error(form, error)
        return False
    messages.success(request, _("Attendance recorded."))
    return True


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(access.can_read(request.user))
    person = selectors.person_get(user=request.user, pk=pk)
    form = AssignmentForm(request.POST or None, courses=selectors.courses_of(request.user))
    if request.method == "POST":
        require_role(access.can_keep_records(request.user))
        if form.is_valid():
            try:
                courses.assignment_create(person=person, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Assigned."))
                return HttpResponseRedirect(reverse("training:person_detail", args=[person.pk]))
    context = {
        "person": person,
        "department": selectors.unit_paths(request.user.organisation_id).get(person.unit_id, ""),
        "status_rows": selectors.person_training(person),
        "completions": selectors.completions_visible_to(request.user)
        .filter(person=person)
        .order_by("-completed_on", "-id"),
        "readiness": selectors.person_readiness(person),
        "form": form,
        "can_keep": access.can_keep_records(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/person_detail.html", context, status=status)
