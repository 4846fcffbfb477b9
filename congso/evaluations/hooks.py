"""Extension points of the evaluations app (ADR 0090, ADR 0150).

``metric_sources``: the platform metrics an indicator may take its value from ("filled automatically").
Each item, registered under a key (the ``Criterion.metric_key``), is an object or a dotted path to one
with:

- ``label``: its Vietnamese name, shown next to the indicator;
- ``value(unit_kind, unit_code, start, end) -> Decimal | None``: the figure for one unit over
  [start, end) (timezone-aware datetimes); ``unit_kind`` is "agency" (``unit_code`` an agency code, its
  sub-tree included). None means "the platform cannot compute it" (no data): the value is left empty,
  never made up;
- optionally ``lower_is_better``: True when a lower figure is the better one (a share of overdue tasks);
  an indicator filled from it is scored and marked "đạt" that way (ADR 0170).

The evaluations app has no source of its own: the scorecard offers every indicator it computes, under
``scorecard.<indicator key>`` (``congso.scorecard.sources``), in its ``AppConfig.ready()``.
"""

from django.utils.module_loading import import_string

from congso.core.hooks import Registry

metric_sources = Registry(
    "evaluations.metric_sources",
    "Platform metrics an evaluation indicator is filled from: key → object with label and "
    "value(unit_kind, unit_code, start, end) -> Decimal | None.",
)


def source(key: str):
    """The registered source under ``key`` (a dotted path is imported), or None."""
    if key not in metric_sources:
        return None
    item = metric_sources[key]
    return import_string(item) if isinstance(item, str) else item


def choices() -> list[tuple[str, str]]:
    return [(key, str(source(key).label)) for key, _item in metric_sources.items()]
