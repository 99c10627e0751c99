"""Property tests: whatever a client sends as a filter value, the answer is 200 or 400, never 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.filters import EDITORIAL_FILTERS

pytestmark = pytest.mark.django_db

# Printable text plus the awkward corners: huge numbers, signs, unicode digits, NULs.
values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", " ", "A+", "b-", "٣", "²", "1e9", "2012-02-30", "9999-12-31T25:61:00Z", "\x00", "%00", "-1"]
    ),
)
names = st.sampled_from(
    [*EDITORIAL_FILTERS, "limit", "offset", "order", "search", "fields", "type", "child_of"]
)
hypothesis_settings = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@hypothesis_settings
@given(params=st.dictionaries(names, values, max_size=3))
def test_any_filter_values_get_200_or_400(client, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code in (200, 400), (params, response.content[:300])
    body = response.json()
    if response.status_code == 400:
        assert body["status"] == 400 and body["message"]
    else:
        assert body["meta"]["total_count"] >= 0


@hypothesis_settings
@given(value=values)
def test_any_find_path_gets_200_400_or_404(client, value):
    response = client.get("/api/v2/pages/find/", {"html_path": value})
    assert response.status_code in (200, 400, 404), (value, response.content[:300])
    assert response["Content-Type"] == "application/json"
