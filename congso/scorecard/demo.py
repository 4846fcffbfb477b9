"""Demo: the scorecard's figures recomputed from the demo's dossiers (``congso scorecard rebuild``), so
the public index page and its trends show the demo's year. Runs last (after dossiers, ratings)."""

from . import facts


def load(out):
    result = facts.rebuild()
    out.write(
        f"  Chỉ số phục vụ: số liệu của {result['dossiers']} hồ sơ ({result['days']} dòng theo ngày, "
        f"{result['months']} dòng theo tháng); "
        "xem /chi-so-phuc-vu/; trang điều hành /dieu-hanh/ (ioc.gialai, lanhdao.pleiku)."
    )
    return []
