"""Each app's own parts, found one way (demo steps, annual-report sections, recovery hooks)."""

from __future__ import annotations

from chengxin.core.discovery import app_modules


def test_modules_in_installed_apps_order_and_only_where_they_exist() -> None:
    labels = [label for label, _module in app_modules("annual")]
    assert {"publicity", "cases", "disputes"} <= set(labels)
    assert "core" not in labels and "audit" not in labels  # no annual module there
    assert labels.index("publicity") < labels.index("cases")  # INSTALLED_APPS order
    assert all(
        module.__name__ == f"chengxin.{label}.annual" for label, module in app_modules("annual")
    )


def test_a_name_no_app_has_finds_nothing() -> None:
    assert app_modules("no_such_module") == []
