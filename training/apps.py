from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training and readiness")

    def ready(self) -> None:
        from common import clock
        from notifications.services import routing
        from training import clocks
        from training.selectors.exercises import exercise_facilitators

        # One clock (issue 18): every action on an exercise's objects, from any screen, the
        # API or the exercise room, runs on that exercise's clock.
        clock.register_resolver(clocks.exercise_clock)
        clock.register_route_object(clock.pk_route("exercise", clocks.exercise_of_route))
        # Its alerts reach its participants only, the facilitator among them.
        routing.register_exercise_participants(exercise_facilitators)
