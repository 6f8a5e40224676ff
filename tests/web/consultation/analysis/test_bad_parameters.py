"""Bad query parameters are a 400 that names the problem, never a 500 (the audit's date_from=abc & co.)."""

from __future__ import annotations

import pytest

URL = "/manage/c/plan/analysis/search/"


@pytest.mark.parametrize(("query", "said"), [
    ({"date_from": "abc"}, "日期"), ({"date_to": "2020-02-30"}, "日期"), ({"q": "\x00"}, "空字符"),
    ({"department": "abc"}, "部门"), ({"channel": "x\x00"}, "空字符"),
])
def test_bad_search_parameters_are_a_400(client, cast, query, said):
    client.force_login(cast.owner)
    response = client.get(URL, query)
    assert response.status_code == 400 and said in response.content.decode()


def test_good_parameters_still_search(client, cast):
    client.force_login(cast.owner)
    response = client.get(URL, {"date_from": "2020-01-01", "date_to": "2030-12-31", "q": "公交", "department": "1"})
    assert response.status_code == 200
