"""The viewsets of the training API, as the router registers them."""

from training.api.exercise_views import ExerciseViewSet, ScenarioSamplesView, ScenarioSchemaView
from training.api.record_views import (
    CompletionViewSet,
    CourseViewSet,
    CoverageView,
    CsirtFunctionViewSet,
    CsvImportViewSet,
    PersonViewSet,
    PhishingDrillViewSet,
    TrainingAssignmentViewSet,
    TrainingSessionViewSet,
)

__all__ = [
    "CompletionViewSet",
    "CourseViewSet",
    "CoverageView",
    "CsirtFunctionViewSet",
    "CsvImportViewSet",
    "ExerciseViewSet",
    "PersonViewSet",
    "PhishingDrillViewSet",
    "ScenarioSamplesView",
    "ScenarioSchemaView",
    "TrainingAssignmentViewSet",
    "TrainingSessionViewSet",
]
