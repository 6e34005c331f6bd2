"""The viewsets of the training API, as the router registers them."""

from training.api.exercise_views import ExerciseViewSet, ScenarioSamplesView

__all__ = ["ExerciseViewSet", "ScenarioSamplesView"]
