"""The demo's log is not flooded with WeasyPrint's font warnings (issue 14)."""

import logging
import logging.config


def test_weasyprint_and_fonttools_warnings_stay_out_of_the_log(settings):
    logging.config.dictConfig(settings.LOGGING)
    for name in ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.WARNING), name
        assert logger.isEnabledFor(logging.ERROR), name
    assert logging.getLogger("congso").isEnabledFor(logging.WARNING)
