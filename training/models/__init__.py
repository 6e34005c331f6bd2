"""Readiness: people, training, phishing drills, exercises and the CSIRT-function map."""

from training.models.courses import Assignment, Completion, Course, Session
from training.models.csirt import CsirtFunction, CsirtFunctionDelivery, CsirtMapChange
from training.models.drills import DrillRecipient, PhishingDrill
from training.models.exercises import Exercise, ExerciseIncident, ExerciseInject
from training.models.people import CsvImport, Person

__all__ = [
    "Assignment",
    "Completion",
    "Course",
    "CsirtFunction",
    "CsirtFunctionDelivery",
    "CsirtMapChange",
    "CsvImport",
    "DrillRecipient",
    "Exercise",
    "ExerciseIncident",
    "ExerciseInject",
    "Person",
    "PhishingDrill",
    "Session",
]
