from django.apps import AppConfig


class DraftsConfig(AppConfig):
    """A test-only app: a department-owned record, standing in for the modules still to land."""

    name = "chengxin.core.tests.drafts"
    label = "drafts"
