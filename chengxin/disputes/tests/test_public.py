"""The public list of mediation rooms."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("chengxin.disputes.tests.public_urlconf")]


def test_public_rooms_grouped_by_township_without_mediators(client, make_room) -> None:
    make_room(
        name="老崔调解室",
        is_branded=True,
        is_cross_province=True,
        partner_region="江苏省邳州市",
        mediators="崔某某（首席调解员）",
    )
    make_room(name="已撤并调解室", is_active=False)
    response = client.get("/mediation/mediation-rooms/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "老崔调解室" in page and "江苏省邳州市" in page and "涧头集镇" in page
    assert "已撤并调解室" not in page and "崔某某" not in page
    assert response.context["count"] == 1 and response.context["cross_province"] == 1
