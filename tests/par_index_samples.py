"""The sample criteria set the tests import: the demo's own (onestop.par_index.sample), one generator for both."""
from onestop.par_index.sample import HEADER, SPEC, SURVEY, criteria_workbook, leaves, maxima

__all__ = ["HEADER", "SPEC", "SURVEY", "criteria_workbook", "leaves", "maxima"]
