"""The people pages: list, export, and the upload → preview → import journey."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from training.models import CsvImport, Person

CSV = "社員番号,氏名,区分,部署,開始日\nE0001,山田 太郎,社員,総務部,2025/11/25\n"


def _upload(client, text, encoding="utf-8"):
    upload = SimpleUploadedFile("hr.csv", text.encode(encoding), content_type="text/csv")
    return client.post(reverse("training:people_import"), {"file": upload})


def test_isms_office_imports_through_the_preview(client, units, isms_office):
    client.force_login(isms_office)
    response = _upload(client, CSV, "cp932")
    upload = CsvImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:import_preview", args=[upload.pk])
    page = client.get(response["Location"])
    assert "Shift_JIS" in page.content.decode()
    assert Person.objects.count() == 0
    done = client.post(reverse("training:import_apply", args=[upload.pk]))
    assert done.status_code == 302
    assert Person.objects.get().name == "山田 太郎"


def test_preview_lists_each_bad_row_and_offers_no_import(client, units, isms_office):
    client.force_login(isms_office)
    response = _upload(client, CSV.replace("総務部", "人事部"))
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "人事部" in body
    assert reverse("training:import_apply", args=[CsvImport.objects.get().pk]) not in body
    refused = client.post(reverse("training:import_apply", args=[CsvImport.objects.get().pk]))
    assert refused.status_code == 400
    assert Person.objects.count() == 0


def test_people_list_and_export_for_the_isms_office(client, make_person, isms_office):
    make_person(name="派遣 花子", population="DISPATCHED", unit="営業部/第一課")
    client.force_login(isms_office)
    page = client.get(reverse("training:people_list"), {"population": "DISPATCHED"})
    assert page.status_code == 200
    assert "派遣 花子" in page.content.decode()
    assert "営業部/第一課" in page.content.decode()
    export = client.get(reverse("training:people_export"), {"encoding": "shift_jis"})
    assert export["Content-Type"] == "text/csv; charset=shift_jis"
    assert "派遣 花子" in export.content.decode("cp932")


def test_people_without_a_readiness_role_are_refused(client, units, reporter):
    client.force_login(reporter)
    assert client.get(reverse("training:people_list")).status_code == 403
    assert _upload(client, CSV).status_code == 403


def test_another_organisations_import_is_not_found(client, units, isms_office, outsider):
    client.force_login(isms_office)
    _upload(client, CSV)
    client.force_login(outsider)
    pk = CsvImport.objects.get().pk
    assert client.get(reverse("training:import_preview", args=[pk])).status_code in (403, 404)


def test_the_preview_names_the_column_of_an_error_in_japanese(client, units, isms_office):
    client.force_login(isms_office)
    response = _upload(client, CSV.replace("総務部", "人事部"))
    body = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<td>部署</td>" in body
    assert "<td>department</td>" not in body


def test_the_preview_shows_the_population_by_its_name(client, units, isms_office):
    client.force_login(isms_office)
    response = _upload(client, CSV)
    body = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "<td>社員</td>" in body
    assert "<td>EMPLOYEE</td>" not in body
