from tests.incidents.conftest import file_report, incident  # noqa: F401
