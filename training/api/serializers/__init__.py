"""Serializers of the readiness API: outputs are read-only; inputs carry what a client sets."""

from training.api.serializers.courses import (
    CompletionSerializer,
    CompletionWriteSerializer,
    CourseSerializer,
    CourseWriteSerializer,
    CoverageMissingSerializer,
    CoverageRowSerializer,
    CoverageSerializer,
    TrainingAssignmentSerializer,
    TrainingSessionSerializer,
    TrainingSessionWriteSerializer,
    coverage_data,
)
from training.api.serializers.csirt import (
    CsirtFunctionDeliverySerializer,
    CsirtFunctionWriteSerializer,
    CsirtStepSerializer,
)
from training.api.serializers.drills import (
    CsvImportSerializer,
    CsvUploadSerializer,
    DrillRecipientSerializer,
    PhishingDrillDetailSerializer,
    PhishingDrillSerializer,
    PhishingDrillWriteSerializer,
)
from training.api.serializers.people import (
    DrillOutcomeSerializer,
    DueSerializer,
    ReadinessSerializer,
    TrainingPersonSerializer,
    TrainingPersonWriteSerializer,
)

__all__ = [
    "CompletionSerializer",
    "CompletionWriteSerializer",
    "CourseSerializer",
    "CourseWriteSerializer",
    "CoverageMissingSerializer",
    "CoverageRowSerializer",
    "CoverageSerializer",
    "CsirtFunctionDeliverySerializer",
    "CsirtFunctionWriteSerializer",
    "CsirtStepSerializer",
    "CsvImportSerializer",
    "CsvUploadSerializer",
    "DrillOutcomeSerializer",
    "DrillRecipientSerializer",
    "DueSerializer",
    "PhishingDrillDetailSerializer",
    "PhishingDrillSerializer",
    "PhishingDrillWriteSerializer",
    "ReadinessSerializer",
    "TrainingAssignmentSerializer",
    "TrainingPersonSerializer",
    "TrainingPersonWriteSerializer",
    "TrainingSessionSerializer",
    "TrainingSessionWriteSerializer",
    "coverage_data",
]
