"""Reads of the training app, already limited to what the user may see.

``person_readiness`` is the one the incident page uses: did the person who opened a real
targeted email have valid training, and how did they do in phishing drills.
"""

from training.selectors.courses import (
    assignments_visible_to,
    completions_visible_to,
    course_get,
    courses_of,
    person_training,
    session_attendance,
    session_get,
    sessions_of,
    today,
)
from training.selectors.coverage import coverage_csv, coverage_report
from training.selectors.people import people_csv, people_of, person_get, unit_paths

__all__ = [
    "assignments_visible_to",
    "completions_visible_to",
    "course_get",
    "courses_of",
    "coverage_csv",
    "coverage_report",
    "people_csv",
    "people_of",
    "person_get",
    "person_training",
    "session_attendance",
    "session_get",
    "sessions_of",
    "today",
    "unit_paths",
]
