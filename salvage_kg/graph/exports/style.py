"""Colours and legend order shared by the drawn exports (HTML, DOT, GEXF), so every picture reads alike."""
from __future__ import annotations

# Okabe-Ito based: tells the groups apart with common colour-vision deficiencies
CATEGORY_COLORS = {
    "prior": "#5b6770",
    "therapy": "#0072b2",
    "condition": "#009e73",
    "complication": "#d55e00",
    "outcome": "#cc79a7",
    "criterion": "#e69f00",
    "parameter": "#a6761d",
    "diagnostic": "#56b4e9",
    "approach": "#8c564b",
    "concept": "#999999",
}
PREDICATE_COLORS = {
    "indicated_after": "#5b6770",
    "indicated_for": "#009e73",
    "has_adverse_effect": "#d55e00",
    "combined_with": "#0072b2",
    "has_outcome": "#cc79a7",
    "has_criterion": "#e69f00",
    "criterion_on": "#e69f00",
    "requires": "#56b4e9",
    "not_solely_based_on": "#56b4e9",
    "contrasted_with": "#8c564b",
    "kind_of": "#b0b0b0",
}
DASHED = frozenset({"not_solely_based_on", "kind_of", "contrasted_with"})
# what the picture shows first: the salvage options, what failed before them, what they treat and cost
DEFAULT_CATEGORIES = ("prior", "therapy", "condition", "complication")
HIDDEN_PREDICATES = ("kind_of",)  # the terminology's hierarchy: on request only


def rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
