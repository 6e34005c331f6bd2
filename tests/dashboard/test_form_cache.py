"""``field_group`` (dashboard/templatetags/form_cache.py): the kept markup of an unbound field is
what Django writes, and nothing that changes the markup can be served from the keep."""

import pytest
from django import forms
from django.utils import translation

from dashboard.templatetags import form_cache
from dashboard.templatetags.form_cache import field_group
from incidents.forms.records import (
    AffectedAssetAddForm,
    AffectedAssetUpdateForm,
    EvidenceUploadForm,
    IndicatorAddForm,
    IndicatorBlockForm,
    MailMessageAddForm,
    RelationAddForm,
    TaskCreateForm,
    TaskFinishForm,
)

ROOM_FORMS = [
    lambda: AffectedAssetAddForm(auto_id="asset_new_%s"),
    lambda: AffectedAssetUpdateForm(
        initial={"infection_state": "CONFIRMED", "containment_state": "ISOLATED"},
        auto_id="asset7_%s",
    ),
    lambda: MailMessageAddForm(auto_id="message_new_%s"),
    lambda: RelationAddForm(auto_id="relation_new_%s"),
    lambda: IndicatorAddForm(auto_id="ind_new_%s"),
    lambda: IndicatorBlockForm(auto_id="indicator3_%s"),
    lambda: TaskCreateForm(auto_id="task_new_%s"),
    lambda: TaskFinishForm(auto_id="task9_%s"),
    lambda: EvidenceUploadForm(auto_id="evidence_%s"),
]


@pytest.fixture(autouse=True)
def _empty_keep():
    form_cache._groups.clear()
    yield
    form_cache._groups.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_field_of_the_room_s_forms_is_written_as_django_writes_it(language):
    with translation.override(language):
        for make in ROOM_FORMS:
            for bound in make():
                expected = bound.as_field_group()
                assert field_group(bound) == expected  # written, then kept
                assert field_group(make()[bound.name]) == expected  # from the keep
    assert form_cache._groups


class Probe(forms.Form):
    code = forms.CharField(label="Code", initial="AB", min_length=3)
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_a_bound_form_shows_its_errors_even_when_its_value_was_kept():
    assert "errorlist" not in field_group(Probe()["code"])
    bound = Probe({"code": "AB", "kind": "a"})
    assert "errorlist" in field_group(bound["code"])
    assert field_group(bound["code"]) == bound["code"].as_field_group()


def test_other_choices_initial_values_or_languages_give_other_markup():
    first = field_group(Probe()["kind"])
    other = Probe()
    other.fields["kind"].choices = [("a", "A"), ("b", "B")]
    assert field_group(other["kind"]) == other["kind"].as_field_group() != first
    changed = Probe(initial={"code": "XYZ"})
    assert 'value="XYZ"' in field_group(changed["code"])
    relabelled = Probe()
    relabelled.fields["code"].label = "Other"
    assert ">Other" in field_group(relabelled["code"])
    with translation.override("ja"):
        ja = field_group(IndicatorAddForm(auto_id="x_%s")["kind"])
    with translation.override("en"):
        en = field_group(IndicatorAddForm(auto_id="x_%s")["kind"])
    assert ja != en


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_case_form_s_people_are_read_once_and_their_selects_kept_as_django_writes_them(
    incident, handler, language, django_assert_num_queries
):
    from incidents.forms.case import PEOPLE, IncidentEditForm
    from incidents.selectors import people_of

    incident.csirt_lead = handler
    with translation.override(language):
        plain = IncidentEditForm(
            initial={"csirt_lead": handler.pk, "owner": None},
            people=people_of(incident),
            auto_id="case_%s",
        )
        expected = {name: plain[name].as_field_group() for name in PEOPLE}
        assert f'value="{handler.pk}" selected' in expected["csirt_lead"]
        for _ in range(2):
            with django_assert_num_queries(1):  # the people, once for both selects
                form = IncidentEditForm.for_incident(incident, people_of(incident))
                assert {name: field_group(form[name]) for name in PEOPLE} == expected
        assert len(form_cache._groups) == len(PEOPLE)  # kept, keyed by their choices
