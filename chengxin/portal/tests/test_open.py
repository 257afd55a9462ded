"""政务公开: the index of the public lists each rule-of-law module publishes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chengxin.core.navigation import public_links

pytestmark = pytest.mark.django_db


def test_every_published_list_is_linked_without_login(client) -> None:
    response = client.get(reverse("portal:open"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "政务公开" in page
    for label, url_name in public_links():
        assert f'href="{reverse(url_name)}"' in page
        assert str(label) in page
        assert client.get(reverse(url_name)).status_code == 200


def test_the_public_header_links_to_it(client) -> None:
    assert f'href="{reverse("portal:open")}"' in client.get(reverse("portal:home")).content.decode()
