"""Public pages of the shell: home, health, version and error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from congso import __version__

from .health import run_checks
from .navigation import entry_points, workspace


@require_GET
def home(request):
    return render(request, "core/home.html", {"entry_points": entry_points()})


@login_required
@require_GET
def workspace_page(request):
    """An official's workspace: every page their roles open, grouped, with the inboxes' counts. The
    landing page of officials who have no inbox (a system administrator)."""
    if not request.user.is_official:
        return redirect("core:home")
    links = workspace(request.user)
    return render(
        request,
        "core/workspace.html",
        {
            "work_links": [link for link in links if link.section == "work"],
            "admin_links": [link for link in links if link.section == "admin"],
        },
    )


@require_GET
def theme_css(request):
    """The province's colours as CSS variables (a stylesheet, so the CSP can forbid inline styles)."""
    site = settings.CONGSO_SITE
    css = f":root{{--brand:{site['primary_colour']};--accent:{site['accent_colour']};}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@never_cache
@require_GET
def healthz(request):
    ok, checks = run_checks()
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)


@require_GET
def version(request):
    return JsonResponse({"name": "congso", "version": __version__})


def error_400(request, exception=None):
    return render(request, "core/error.html", {"code": 400, "reason": "bad_request"}, status=400)


def error_403(request, exception=None):
    return render(request, "core/error.html", {"code": 403, "reason": "forbidden"}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"code": 404, "reason": "not_found"}, status=404)


def error_500(request):
    # Rendered with the bare request: no context processors that could fail again or leak detail.
    return render(request, "core/error.html", {"code": 500, "reason": "server_error"}, status=500)
