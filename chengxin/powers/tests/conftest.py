"""The factories of this app, for its own tests."""

from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401
