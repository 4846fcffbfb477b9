"""The global registry's swappable answers are remembered (core.swappable, ADR 0175), and right."""

from django.apps import apps
from django.apps.registry import Apps
from django.db.migrations.state import ProjectState

from congso.core import swappable


def test_the_faster_method_is_in_place_on_this_django():
    assert swappable.install() is True
    assert getattr(Apps.get_swappable_settings_name, "congso_memo", False)


def test_answers_match_djangos_own():
    compute = Apps.get_swappable_settings_name.__wrapped__
    for label in (
        "auth.User",
        "AUTH.USER",
        "accounts.User",
        "directory.Agency",
        "oauth2_provider.Application",
    ):
        assert apps.get_swappable_settings_name(label) == compute(apps, label)
    assert apps.get_swappable_settings_name("directory.Agency") is None


def test_a_migration_states_clear_cache_keeps_the_global_answers():
    apps.get_swappable_settings_name("accounts.User")
    ProjectState.from_apps(apps).apps.clear_cache()  # what every rendered model state does
    assert swappable._answers  # still remembered
    assert apps.get_swappable_settings_name("accounts.User") == Apps.get_swappable_settings_name.__wrapped__(
        apps, "accounts.User"
    )
