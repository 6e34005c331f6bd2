"""``fold`` lives in ``common.fold`` (the incident page of incidents folds its reads too)."""

from common.fold import Rows, fold, parse_time

__all__ = ["Rows", "fold", "parse_time"]
