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
    sessions_visible_to,
    today,
)
from training.selectors.coverage import coverage_csv, coverage_report
from training.selectors.csirt import csirt_changes, csirt_map, step_page
from training.selectors.drills import (
    drill_get,
    drill_recipients,
    drill_results,
    drills_of,
    drills_with_counts,
)
from training.selectors.exercises import after_action_report, exercise_get, exercises_of
from training.selectors.people import people_csv, people_of, person_get, unit_paths
from training.selectors.readiness import Readiness, person_readiness
from training.selectors.statistics import real_incidents

__all__ = [
    "Readiness",
    "after_action_report",
    "assignments_visible_to",
    "completions_visible_to",
    "course_get",
    "courses_of",
    "coverage_csv",
    "coverage_report",
    "csirt_changes",
    "csirt_map",
    "drill_get",
    "drill_recipients",
    "drill_results",
    "drills_of",
    "drills_with_counts",
    "exercise_get",
    "exercises_of",
    "people_csv",
    "people_of",
    "person_get",
    "person_readiness",
    "person_training",
    "real_incidents",
    "session_attendance",
    "session_get",
    "sessions_of",
    "sessions_visible_to",
    "step_page",
    "today",
    "unit_paths",
]
