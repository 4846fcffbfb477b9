"""Extension points of the scorecard (ADR 0090, ADR 0148).

``indicators`` is the registry of every indicator the platform computes. Each is declared once, in
code, as a ``congso.scorecard.indicators.Indicator``: its key, Vietnamese name, formula (numerator over
denominator), the kinds of unit it is computed for and how. The scorecard registers the one-stop's
indicators itself (``congso.scorecard.onestop``); higher apps (feedback, documents, meetings) register
theirs in their ``AppConfig.ready()``::

    from congso.scorecard.hooks import indicators
    from congso.scorecard.indicators import Indicator
    indicators.register("feedback_on_time", Indicator(key="feedback_on_time", ..., compute=my_fn))

Periods (day, month, quarter, year or a custom range) are given to every computation as a range of
Vietnam days; an indicator need not know which kind of period it is.
"""

from congso.core.hooks import Registry

indicators = Registry(
    "scorecard.indicators",
    "Indicators (key -> congso.scorecard.indicators.Indicator): key, Vietnamese name, numerator and "
    "denominator formula, unit kinds and computation. The Decision 766 items and evaluation frameworks "
    "refer to them by key.",
)

tiles = Registry(
    "scorecard.tiles",
    "Tiles of the operations-centre dashboard /dieu-hanh/ (key -> congso.scorecard.dashboard.Tile): a "
    "label, an order and compute(board) -> TileValue | None, from the board's scoped unit and period. "
    "Feedback, documents and integration add theirs from their AppConfig.ready() (ADR 0162).",
)
