"""Platform endpoints of the API: version and health."""

from ninja import Router, Schema

from congso import __version__

from .health import run_checks

router = Router(tags=["Nền tảng"])


class VersionOut(Schema):
    name: str
    version: str


class HealthOut(Schema):
    status: str
    checks: dict[str, str]


@router.get("/version", response=VersionOut, summary="Phiên bản phần mềm")
def version(request):
    return {"name": "congso", "version": __version__}


@router.get("/health", response={200: HealthOut, 503: HealthOut}, summary="Tình trạng hệ thống")
def health(request):
    ok, checks = run_checks()
    return (200 if ok else 503), {"status": "ok" if ok else "error", "checks": checks}
