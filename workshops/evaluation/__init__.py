"""Region evaluation (現状把握と活動評価, the PDCA's Check): /evaluation/, its A4 PDF and its
table as CSV/Excel; the figures logic-model outcomes are measured by. Aggregates across
agencies only, every number through the small-count rule (registry/smallcounts.py)."""
