"""Search engines and static frontends list every public page: /sitemap.xml and /api/v2/sitemap/.

Clients: crawlers reading the sitemaps.org XML (parsed here with ElementTree) through the
frontend, which passes /sitemap.xml and /sitemap-<n>.xml through; static-site builders
walking the paged JSON.
"""

from datetime import UTC, datetime

import pytest
import time_machine
import wagtail_factories
from defusedxml import ElementTree
from wagtail.models import PageViewRestriction

from reviews.factories import ReviewPageFactory, body

FRONTEND = "https://www.marquee.test"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_xml(client, path="/sitemap.xml"):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)


def locs(root):
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


@pytest.fixture
def pages(db):
    """A published review with a body image, one left as a draft, one restricted, one expiring."""
    still = wagtail_factories.ImageFactory()
    public = ReviewPageFactory(title="Grabbers", body=body(images=[still]))
    with time_machine.travel(datetime(2012, 6, 1, 10, tzinfo=UTC), tick=False):
        public.save_revision().publish()
    draft = ReviewPageFactory(title="Draft")
    draft.unpublish()
    restricted = ReviewPageFactory(title="Restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    expiring = ReviewPageFactory(title="Expiring", expire_at=datetime(2030, 1, 1, tzinfo=UTC))
    return {"public": public, "still": still, "expiring": expiring}


SECTIONS = [f"{FRONTEND}/", f"{FRONTEND}/reviews/", f"{FRONTEND}/interviews/"]


def test_the_sitemap_lists_the_frontend_url_of_every_public_page(client, pages):
    root = sitemap_xml(client)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert sorted(locs(root)) == sorted(
        [*SECTIONS, f"{FRONTEND}/reviews/grabbers/", f"{FRONTEND}/reviews/expiring/"]
    )


def test_lastmod_is_when_the_page_was_last_published(client, pages):
    root = sitemap_xml(client)
    (entry,) = [
        url for url in root.findall("sm:url", NS) if url.find("sm:loc", NS).text.endswith("/grabbers/")
    ]
    assert entry.find("sm:lastmod", NS).text == "2012-06-01T10:00:00Z"


def test_an_expired_page_leaves_the_sitemap_when_it_expires(client, pages):
    with time_machine.travel(datetime(2030, 1, 2, tzinfo=UTC)):
        assert f"{FRONTEND}/reviews/expiring/" not in locs(sitemap_xml(client))


def test_over_the_limit_the_sitemap_becomes_an_index_of_sitemaps(client, pages, settings):
    everything = locs(sitemap_xml(client))
    settings.SITEMAP_MAX_URLS = 2
    index = sitemap_xml(client)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]
    assert parts == [f"{FRONTEND}/sitemap-1.xml", f"{FRONTEND}/sitemap-2.xml", f"{FRONTEND}/sitemap-3.xml"]
    listed = []
    for part in parts:
        urls = locs(sitemap_xml(client, part.removeprefix(FRONTEND)))
        assert 1 <= len(urls) <= 2
        listed += urls
    assert sorted(listed) == sorted(everything)
    assert client.get("/sitemap-4.xml").status_code == 404


def test_conditional_get_on_the_sitemap(client, pages):
    first = client.get("/sitemap.xml")
    assert client.get("/sitemap.xml", headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert (
        client.get("/sitemap.xml", headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    )


def test_the_json_sitemap_pages_through_every_public_page_with_its_images(api, pages):
    seen, params = [], {"limit": 2}
    while True:
        data = api.get("/api/v2/sitemap/", params).data
        assert data["meta"]["total_count"] == 5
        seen += data["items"]
        if data["meta"]["next_after"] is None:
            break
        params = {"limit": 2, "after": data["meta"]["next_after"]}
    assert [item["id"] for item in seen] == sorted(item["id"] for item in seen)
    assert sorted(item["url"] for item in seen) == sorted(
        [*SECTIONS, f"{FRONTEND}/reviews/grabbers/", f"{FRONTEND}/reviews/expiring/"]
    )
    (review,) = [item for item in seen if item["id"] == pages["public"].pk]
    assert review["type"] == "reviews.ReviewPage"
    assert review["lastmod"] == "2012-06-01T10:00:00Z"
    hero, still = review["images"]
    assert hero.startswith("http://testserver/media/images/") and hero.endswith(".webp")
    assert still != hero and still.endswith(".webp")


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "1001"}, {"limit": "ten"}, {"after": "not-a-cursor"}, {"offset": "2"}],
)
def test_bad_json_sitemap_parameters_are_400s(api, pages, params):
    api.get("/api/v2/sitemap/", params, expected_status=400)
