"""The factories of this app, for its own tests."""

from chengxin.agencies.tests.fixtures import (  # noqa: F401
    make_enforcement_body,
    make_enforcement_officer,
)
