"""TAXII 2.1 and STIX 2.1: the feed read by the real taxii2-client against the running service,
and reports pulled from a real medallion server into ISE Graph."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
import stix2
from hypothesis import HealthCheck, given, settings
from starlette.testclient import TestClient
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from graph_api import cli
from graph_api.cli.common import run_with_database
from graph_api.domain import LOCAL_ORIGIN
from graph_api.rules import dissemination
from graph_api.rules.importer import ImportReport, import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii.paging import MAX_PAGE_SIZE, parse_query
from graph_api.taxii.pull import BearerAuth, Bounds, Credentials, fetch, import_pulled
from graph_api.taxii.stix import INDUSTRY_SECTORS, PCII_MARKING_ID, PCII_NOTICE, report_id
from tests.helpers import data, serving, token, unique_prefix
from tests.integration.taxii_servers import (
    TAXII,
    Medallion,
    endless_taxii_server,
    post_bundle,
    running_medallion,
)
from tests.sample import sample
from tests.strategies import add_prefix, networks

# DESIGN §9, written out literally: the OASIS TLP 2.0 marking definitions.
TLP_MARKING = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER_STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# The TLP 1.0 ids of the stix2 library, read on import.
TLP_1_MARKING = {
    "WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "GREEN": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "AMBER": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "RED": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
PRODUCTS = """query($after: String) { products(first: 200, after: $after) {
  nodes { id } pageInfo { hasNextPage endCursor } } }"""
PRODUCT_FACTS = """query($after: String) { products(first: 200, after: $after) {
  nodes { id tlp pcii title sectors { id } } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture(scope="module")
def service(settings: Settings, seeded: None) -> Iterator[str]:
    with serving(settings) as base:
        yield base


def taxii_server(base: str, as_token: str) -> Server:
    return Server(f"{base}/taxii2/", auth=BearerAuth(as_token))


def collections_by_alias(base: str, as_token: str) -> dict[str, Collection]:
    root = taxii_server(base, as_token).default
    assert root is not None
    found = {c.alias: c for c in root.collections}
    assert len(found) == len(root.collections), "two collections share an alias"
    return found


def every_page(
    collection: Collection, per_request: int = MAX_PAGE_SIZE, **filters: Any
) -> list[dict[str, Any]]:
    return list(as_pages(collection.get_objects, per_request=per_request, **filters))


def every_object(collection: Collection, **filters: Any) -> list[dict[str, Any]]:
    return [o for page in every_page(collection, **filters) for o in page.get("objects", [])]


def product_id_of(report: dict[str, Any]) -> str:
    (reference,) = [r for r in report["external_references"] if r["source_name"] == "isegraph"]
    return str(reference["external_id"])


def graphql_nodes(client: TestClient, query: str, as_token: str | None = None) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = data(client, query, as_token=as_token, after=after)["products"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def reports_over_all_collections(base: str, as_token: str) -> dict[str, set[str]]:
    """The report ids of every collection the token may read, read a few at a time."""
    collections = collections_by_alias(base, as_token)

    def reports(collection: Collection) -> set[str]:
        return {product_id_of(o) for o in every_object(collection) if o["type"] == "report"}

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(collections, pool.map(reports, collections.values()), strict=True))


# --- the feed, read by taxii2-client ------------------------------------------------------------


def test_discovery_api_root_collections_and_a_sector_collection_paged_by_ten(
    service: str, client: TestClient
) -> None:
    admin = token("ADMIN")
    server = taxii_server(service, admin)
    assert server.title == "ISE Graph"
    assert server.api_roots and server.default is not None
    assert server.default.url == f"{service}/taxii2/isegraph/"
    root = ApiRoot(server.default.url, auth=BearerAuth(admin))
    assert root.versions == [TAXII]
    titles = {c.title for c in root.collections}
    assert {"All products", "Sector: Energy", "Sector: Water and Wastewater Systems"} <= titles
    assert all(c.can_read and not c.can_write for c in root.collections)

    energy = collections_by_alias(service, admin)["sector-energy"]
    pages = every_page(energy, per_request=10)
    objects = [o for page in pages for o in page.get("objects", [])]
    assert len(pages) == math.ceil(len(objects) / 10) and len(pages) >= 2
    assert all(len(page["objects"]) == 10 for page in pages[:-1])
    assert all(page["more"] and page["next"] for page in pages[:-1]) and not pages[-1]["more"]
    assert len({o["id"] for o in objects}) == len(objects), "an object was served twice"
    for obj in objects:
        stix2.parse(obj, allow_custom=False)  # raises on anything that is not plain STIX 2.1

    about_energy = {
        p["id"] for p in graphql_nodes(client, PRODUCT_FACTS) if "energy" in {s["id"] for s in p["sectors"]}
    }
    reports = [o for o in objects if o["type"] == "report"]
    assert {product_id_of(r) for r in reports} == about_energy
    # Every object a report references travels in the same collection.
    served = {o["id"] for o in objects}
    for report in reports:
        assert set(report["object_refs"]) | set(report["object_marking_refs"]) <= served
        assert report.get("created_by_ref") is None or report["created_by_ref"] in served


def test_every_report_carries_exactly_one_tlp_marking_with_the_oasis_id(
    service: str, client: TestClient
) -> None:
    # The seed network's products, asked for by id: the database also holds other tests' products.
    facts = {p["id"]: p for p in graphql_nodes(client, PRODUCT_FACTS) if p["id"].startswith("prod-")}
    wanted = [report_id(p) for p in facts] + [*TLP_MARKING.values(), PCII_MARKING_ID]
    everything = every_object(collections_by_alias(service, token("ADMIN"))["all-products"], id=wanted)
    reports = [o for o in everything if o["type"] == "report"]
    assert {product_id_of(r) for r in reports} == set(facts)
    assert {facts[product_id_of(r)]["tlp"] for r in reports} == set(TLP_MARKING)
    for report in reports:
        product = facts[product_id_of(report)]
        tlp_markings = [m for m in report["object_marking_refs"] if m in TLP_MARKING.values()]
        assert tlp_markings == [TLP_MARKING[product["tlp"]]], product
        assert report["name"] == product["title"]
        assert (PCII_MARKING_ID in report["object_marking_refs"]) == product["pcii"]
    definitions = {o["id"]: o for o in everything if o["type"] == "marking-definition"}
    for tlp, marking_id in TLP_MARKING.items():
        name = tlp.replace("_", "+").lower()
        assert definitions[marking_id]["extensions"] == {
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension",
                "tlp_2_0": name,
            }
        }
        assert definitions[marking_id]["name"] == f"TLP:{name.upper()}"
    assert any(p["pcii"] for p in facts.values())
    assert definitions[PCII_MARKING_ID]["definition"] == {"statement": PCII_NOTICE}


async def test_a_sector_with_nothing_to_read_is_not_listed_yet_answers(service: str, db: Database) -> None:
    prefix = unique_prefix("taxiie")
    assert (await import_network(db, {"sectors": [{"id": f"{prefix}quiet", "name": "Quiet"}]})).ok
    admin = token("ADMIN")
    assert f"sector-{prefix}quiet" not in collections_by_alias(service, admin)
    url = f"{service}/taxii2/isegraph/collections/sector-{prefix}quiet/objects/"
    response = requests.get(url, headers=_headers(admin), timeout=30)
    assert response.status_code == 200 and response.json() == {"more": False}


def test_sectors_follow_the_stix_vocabulary_and_are_labels_otherwise(service: str) -> None:
    collections = collections_by_alias(service, token("ADMIN"))
    seed_sectors = ("energy", "water", "healthcare", "national-monuments", "postal-shipping")
    objects = [o for s in seed_sectors for o in every_object(collections[f"sector-{s}"], type="identity")]
    sectors = {
        o["external_references"][0]["external_id"]: o
        for o in objects
        if o["type"] == "identity" and o["identity_class"] == "class"
    }
    assert sectors["energy"]["sectors"] == ["energy"]
    assert sectors["water"]["sectors"] == ["water"]
    assert sectors["healthcare"]["sectors"] == ["healthcare"]
    assert set(INDUSTRY_SECTORS.values()) <= set(stix2.v21.vocab.INDUSTRY_SECTOR)
    for sector_id, identity in sectors.items():
        if sector_id not in INDUSTRY_SECTORS:
            assert "sectors" not in identity and identity["labels"] == [f"sector:{sector_id}"]


async def test_object_versions_and_manifest_follow_product_versions(service: str, db: Database) -> None:
    prefix = unique_prefix("taxiiv")
    document = sample(prefix)
    feed = collections_by_alias(service, token("ADMIN"))["all-products"]

    def current() -> dict[str, Any]:
        (found,) = every_object(feed, id=report_id(f"{prefix}prod-1"))
        assert product_id_of(found) == f"{prefix}prod-1"
        return found

    assert (await import_network(db, document)).ok
    first = current()
    document["products"][0]["title"] = "Grid ransomware campaign, updated"
    assert (await import_network(db, {"products": document["products"]})).ok
    second = current()
    assert second["id"] == first["id"] and second["created"] == first["created"]
    assert second["modified"] > first["modified"] and second["name"].endswith("updated")

    assert feed.object_versions(second["id"]) == {"more": False, "versions": [second["modified"]]}
    one = feed.get_object(second["id"])
    assert [o["modified"] for o in one["objects"]] == [second["modified"]]
    assert feed.get_object(second["id"], version=first["modified"]) == {"more": False}
    added_since = every_object(feed, added_after=first["modified"])
    assert second["id"] in {o["id"] for o in added_since}
    assert first["modified"] < min(o_added(feed, o["id"]) for o in added_since)
    manifest = [m for page in as_pages(feed.get_manifest, per_request=50) for m in page.get("objects", [])]
    (entry,) = [m for m in manifest if m["id"] == second["id"]]
    assert entry == {
        "id": second["id"],
        "date_added": second["modified"],
        "version": second["modified"],
        "media_type": "application/stix+json;version=2.1",
    }


def o_added(feed: Collection, object_id: str) -> str:
    manifest = feed.get_manifest(id=object_id)
    return str(manifest["objects"][0]["date_added"])


def test_date_added_headers_bound_the_page(service: str) -> None:
    admin = token("ADMIN")
    feed = collections_by_alias(service, admin)["all-products"]
    response = requests.get(f"{feed.url}objects/", params={"limit": 5}, headers=_headers(admin), timeout=30)
    assert response.status_code == 200 and response.headers["content-type"] == TAXII
    body = response.json()
    manifest = requests.get(
        f"{feed.url}manifest/", params={"limit": 5}, headers=_headers(admin), timeout=30
    ).json()["objects"]
    assert [m["id"] for m in manifest] == [o["id"] for o in body["objects"]]
    assert response.headers["X-TAXII-Date-Added-First"] == manifest[0]["date_added"]
    assert response.headers["X-TAXII-Date-Added-Last"] == manifest[-1]["date_added"]
    only_reports = requests.get(
        f"{feed.url}objects/",
        params={"match[type]": "report", "limit": 3},
        headers=_headers(admin),
        timeout=30,
    ).json()
    assert {o["type"] for o in only_reports["objects"]} == {"report"}


def _ids_paged(feed: Collection, path: str, as_token: str, **params: Any) -> list[dict[str, Any]]:
    """Every object (or manifest entry) of a collection, following `next` a page at a time."""
    found: list[dict[str, Any]] = []
    while True:
        response = requests.get(f"{feed.url}{path}", params=params, headers=_headers(as_token), timeout=30)
        assert response.status_code == 200, response.text
        body = response.json()
        found += body.get("objects", [])
        if not body["more"]:
            return found
        params = {**params, "next": body["next"]}


def test_a_partner_paging_a_collection_reads_each_visible_object_once_in_order(
    service: str, client: TestClient
) -> None:
    partner = token("PARTNER", "fc-ca")
    feed = collections_by_alias(service, partner)["all-products"]
    whole = [o["id"] for o in _ids_paged(feed, "objects/", partner, limit=100)]
    assert len(whole) == len(set(whole)), "an object was served twice"
    for limit in (3, 7):
        assert [o["id"] for o in _ids_paged(feed, "objects/", partner, limit=limit)] == whole, limit
    manifest = _ids_paged(feed, "manifest/", partner, limit=4)
    assert [m["id"] for m in manifest] == whole
    keys = [(m["date_added"], m["id"]) for m in manifest]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    objects = _ids_paged(feed, "objects/", partner, limit=100)
    reports = [o for o in objects if o["type"] == "report"]
    assert {product_id_of(r) for r in reports} == {p["id"] for p in graphql_nodes(client, PRODUCTS, partner)}
    served = set(whole)
    for report in reports:
        assert {*report["object_refs"], *report["object_marking_refs"]} <= served
    # A sparse filter: pages of two identities, read across many products' batches.
    identities = [o["id"] for o in objects if o["type"] == "identity"]
    paged = _ids_paged(feed, "objects/", partner, limit=2, **{"match[type]": "identity"})
    assert [o["id"] for o in paged] == identities
    # Whatever was added after a moment is the tail of the whole, from that moment on.
    middle = manifest[len(manifest) // 2]["date_added"]
    later = _ids_paged(feed, "objects/", partner, limit=5, added_after=middle)
    assert [o["id"] for o in later] == [m["id"] for m in manifest if m["date_added"] > middle]


# --- the same access rules as GraphQL ------------------------------------------------------------


def _headers(as_token: str | None, accept: str = TAXII) -> dict[str, str]:
    headers = {"Accept": accept}
    if as_token:
        headers["Authorization"] = f"Bearer {as_token}"
    return headers


DISSEMINATE = "mutation($id: ID!) { disseminate(productId: $id) { newlyDelivered } }"
INBOX = """query($partner: ID!) { inbox(partnerId: $partner, first: 500) { nodes { product { id } } } }"""


def _partner_sees_in_taxii_what_graphql_shows(
    client: TestClient, base: str, partner: str
) -> dict[str, set[str]]:
    as_partner = token("PARTNER", partner)
    by_collection = reports_over_all_collections(base, as_partner)
    over_all = set().union(*by_collection.values())
    assert over_all == {p["id"] for p in graphql_nodes(client, PRODUCTS, as_partner)}
    assert [alias for alias in by_collection if alias.startswith("inbox-")] == [f"inbox-{partner}"]
    delivered = data(client, INBOX, as_token=as_partner, partner=partner)["inbox"]["nodes"]
    assert by_collection[f"inbox-{partner}"] == {d["product"]["id"] for d in delivered}
    return by_collection


def test_a_partner_reads_exactly_the_products_graphql_shows_it_on_the_seed_network(
    service: str, client: TestClient
) -> None:
    for product in ("prod-001", "prod-002"):
        data(client, DISSEMINATE, id=product)
    everything = {p["id"] for p in graphql_nodes(client, PRODUCTS)}
    for partner in ("fc-ca", "pacific-grid"):
        by_collection = _partner_sees_in_taxii_what_graphql_shows(client, service, partner)
        assert by_collection[f"inbox-{partner}"], f"nothing was delivered to {partner}"
        assert by_collection["all-products"] < everything, "a partner should not see every product"


_generated = itertools.count()


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(doc=networks(prefix="x-"))
async def test_a_partner_reads_exactly_the_products_graphql_shows_it_on_generated_networks(
    service: str, client: TestClient, db: Database, doc: dict[str, Any]
) -> None:
    prefix = unique_prefix(f"taxiig{next(_generated)}x")
    doc = add_prefix(doc, prefix)
    assert (await import_network(db, doc)).ok
    # One dissemination fills some inboxes; resolving recipients is what costs time here.
    await dissemination.disseminate(db, doc["products"][0]["id"], "taxii-test")
    _partner_sees_in_taxii_what_graphql_shows(client, service, doc["partners"][0]["id"])


def test_wrong_accept_is_406_and_no_token_is_401(service: str) -> None:
    admin = token("ADMIN")
    for accept in ("application/json", "application/taxii+json;version=2.0", "text/html"):
        response = requests.get(f"{service}/taxii2/", headers=_headers(admin, accept), timeout=30)
        assert response.status_code == 406, accept
        assert response.headers["content-type"] == TAXII
        assert response.json()["http_status"] == "406" and TAXII in response.json()["description"]
    assert requests.get(
        f"{service}/taxii2/", headers=_headers(admin, "application/taxii+json"), timeout=30
    ).ok
    missing = requests.get(f"{service}/taxii2/isegraph/collections/", headers=_headers(None), timeout=30)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    basic = requests.get(
        f"{service}/taxii2/isegraph/collections/", headers=_headers(None), auth=("admin", "x"), timeout=30
    )
    assert basic.status_code == 401, "HTTP Basic is not offered"


def test_bad_paging_arguments_are_400(service: str) -> None:
    admin = token("ADMIN")
    feed = collections_by_alias(service, admin)["all-products"]
    url = f"{feed.url}objects/"
    first = requests.get(url, params={"limit": 2}, headers=_headers(admin), timeout=30).json()
    assert first["more"] and first["next"]
    for params in (
        {"next": "not-a-cursor"},
        {"next": first["next"], "match[type]": "identity"},  # a cursor of another query
        {"limit": "ten"},
        {"limit": "0"},
        {"added_after": "yesterday"},
        {"match[version]": "2026-13-45"},
    ):
        response = requests.get(url, params=params, headers=_headers(admin), timeout=30)
        assert response.status_code == 400, params
        assert response.json()["http_status"] == "400" and response.json()["description"]
    following = requests.get(
        url, params={"limit": 2, "next": first["next"]}, headers=_headers(admin), timeout=30
    )
    assert following.status_code == 200
    assert not {o["id"] for o in following.json()["objects"]} & {o["id"] for o in first["objects"]}
    assert parse_query({"limit": "100000"}, "scope").limit == MAX_PAGE_SIZE
    written = requests.post(url, data=json.dumps({"objects": []}), headers=_headers(admin), timeout=30)
    assert written.status_code == 403


def test_a_partner_asking_for_another_partners_inbox_gets_404(service: str) -> None:
    theirs = next(
        c
        for alias, c in collections_by_alias(service, token("PARTNER", "fc-ca")).items()
        if alias == "inbox-fc-ca"
    )
    intruder = token("PARTNER", "pacific-grid")
    for path in ("", "objects/", "manifest/"):
        response = requests.get(f"{theirs.url}{path}", headers=_headers(intruder), timeout=30)
        assert response.status_code == 404, path
        assert "fc-ca" not in response.text and "California" not in response.text
    own = collections_by_alias(service, intruder)
    assert theirs.id not in {c.id for c in own.values()}
    assert requests.get(f"{theirs.url}objects/", headers=_headers(token("PARTNER", "fc-ca")), timeout=30).ok


# --- pulling from a real medallion server --------------------------------------------------------

FEED, UNMARKED, MIRROR, HOSTILE, FIRST_FEED, OTHER_FEED = (str(uuid.uuid4()) for _ in range(6))


@pytest.fixture(scope="module")
def medallion(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Medallion]:
    collections = [FEED, UNMARKED, MIRROR, HOSTILE, FIRST_FEED, OTHER_FEED]
    with running_medallion(tmp_path_factory.mktemp("medallion"), collections) as server:
        yield server


def _tlp_2_definition(tlp: str) -> dict[str, Any]:
    name = tlp.replace("_", "+").lower()
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKING[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": f"TLP:{name.upper()}",
        "extensions": {
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                "extension_type": "property-extension",
                "tlp_2_0": name,
            }
        },
    }


def _report(name: str, markings: list[str], **extra: Any) -> dict[str, Any]:
    report = stix2.Report(
        name=name,
        published="2026-11-20T08:30:00Z",
        report_types=extra.pop("report_types", ["threat-report"]),
        object_refs=extra.pop("object_refs"),
        object_marking_refs=markings or None,
        **extra,
    )
    result: dict[str, Any] = json.loads(report.serialize())
    return result


def _isac_bundle() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """An ISAC's feed: TLP 1.0 and TLP 2.0 markings, an author of its own, an energy sector."""
    author = stix2.Identity(name="Gulf Coast Energy ISAC", identity_class="organization")
    sector = stix2.Identity(name="Energy", identity_class="class", sectors=["energy"])
    refs = [sector.id]
    wanted = {  # report name -> the TLP ISE Graph must give it
        "TLP 1.0 white": "CLEAR",
        "TLP 1.0 green": "GREEN",
        "TLP 1.0 amber": "AMBER",
        "TLP 1.0 red": "RED",
        "TLP 2.0 clear": "CLEAR",
        "TLP 2.0 green": "GREEN",
        "TLP 2.0 amber": "AMBER",
        "TLP 2.0 amber+strict": "AMBER_STRICT",
        "TLP 2.0 red": "RED",
    }
    marking_of = {name: TLP_1_MARKING[name.split()[-1].upper()] for name in list(wanted)[:4]}
    marking_of |= {name: TLP_MARKING[wanted[name]] for name in list(wanted)[4:]}
    reports = [
        _report(f"ISAC {name}", [marking_of[name]], object_refs=refs, created_by_ref=author.id)
        for name in wanted
    ]
    reports.append(
        _report(
            "ISAC PCII alert",
            [TLP_MARKING["AMBER"], PCII_MARKING_ID],
            object_refs=refs,
            report_types=["threat-report", "alert"],
            labels=["severity:CRITICAL", "level:OPERATIONAL", "topic:cyber"],
        )
    )
    wanted["PCII alert"] = "AMBER"
    definitions = [
        json.loads(m.serialize()) for m in (stix2.TLP_WHITE, stix2.TLP_GREEN, stix2.TLP_AMBER, stix2.TLP_RED)
    ]
    definitions += [_tlp_2_definition(t) for t in TLP_MARKING]
    identities = [json.loads(author.serialize()), json.loads(sector.serialize())]
    return identities + definitions + reports, {f"ISAC {k}": v for k, v in wanted.items()}


def _pull(
    medallion: Medallion, collection: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    code = cli.main(
        ["taxii", "pull", medallion.api_root, "--collection", collection, "--user", medallion.user, *extra]
    )
    return code, capsys.readouterr().out


@pytest.fixture
def medallion_password(monkeypatch: pytest.MonkeyPatch, medallion: Medallion) -> None:
    monkeypatch.setenv("ISEGRAPH_TAXII_PULL_PASSWORD", medallion.password)


PRODUCT = """query($id: ID!) { product(id: $id) { id title kind level severity tlp pcii
  sectors { id } topics { id } issuedBy { id } publishedAt } }"""


def _product(client: TestClient, product_id: str) -> dict[str, Any]:
    found: dict[str, Any] = data(client, PRODUCT, id=product_id)["product"]
    assert found is not None, product_id
    return found


def _counts(client: TestClient) -> int:
    return len(graphql_nodes(client, PRODUCTS))


def test_pulling_from_medallion_maps_tlp_1_and_2_markings_and_pulling_twice_changes_nothing(
    medallion: Medallion,
    medallion_password: None,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
    seeded: None,
) -> None:
    objects, wanted = _isac_bundle()
    post_bundle(medallion, FEED, objects)
    reports = {o["name"]: o for o in objects if o["type"] == "report"}

    code, out = _pull(medallion, FEED, capsys)
    assert code == 0, out
    assert re.search(r"products\s+10 created\s+0 updated\s+0 unchanged", out), out
    assert "no issuer" in out  # the ISAC is not one of our partners, and the output says so
    for name, tlp in wanted.items():
        product = _product(client, reports[name]["id"])
        assert product["tlp"] == tlp, name
        assert product["title"] == name and product["sectors"] == [{"id": "energy"}]
        assert product["publishedAt"] == "2026-11-20T08:30:00Z"
    alert = _product(client, reports["ISAC PCII alert"]["id"])
    assert alert["pcii"] is True and alert["kind"] == "ALERT"
    assert (alert["severity"], alert["level"], alert["topics"]) == (
        "CRITICAL",
        "OPERATIONAL",
        [{"id": "cyber"}],
    )
    plain = _product(client, reports["ISAC TLP 1.0 green"]["id"])
    assert (plain["kind"], plain["level"], plain["severity"], plain["pcii"]) == (
        "THREAT_ASSESSMENT",
        "SITUATIONAL",
        "MODERATE",
        False,
    )

    before = _counts(client)
    code, out = _pull(medallion, FEED, capsys)
    assert code == 0 and re.search(r"products\s+0 created\s+0 updated\s+10 unchanged", out), out
    assert _counts(client) == before


def test_an_unmarked_report_is_refused_with_its_path_and_nothing_is_written(
    medallion: Medallion,
    medallion_password: None,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
    seeded: None,
) -> None:
    sector = json.loads(
        stix2.Identity(name="Water", identity_class="class", sectors=["infrastructure-water"]).serialize()
    )
    marked = _report("Marked water advisory", [TLP_MARKING["GREEN"]], object_refs=[sector["id"]])
    unmarked = _report("Unmarked water advisory", [], object_refs=[sector["id"]])
    post_bundle(medallion, UNMARKED, [sector, _tlp_2_definition("GREEN"), marked, unmarked])
    before = _counts(client)

    code, out = _pull(medallion, UNMARKED, capsys)
    assert code == 1
    assert "Refused: 1 problem(s); nothing was written." in out
    assert "$.pages[0].objects[3].object_marking_refs: [NO_TLP_MARKING]" in out
    assert (unmarked["id"] in out and "never" not in out.lower()) or "TLP:CLEAR" in out
    assert _counts(client) == before
    assert data(client, PRODUCT, id=marked["id"])["product"] is None


def test_our_own_feed_round_trips_through_medallion_and_is_never_replaced_by_it(
    service: str,
    medallion: Medallion,
    medallion_password: None,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    energy = collections_by_alias(service, token("ADMIN"))["sector-energy"]
    objects = every_object(energy)
    post_bundle(medallion, MIRROR, objects)
    reports = [o for o in objects if o["type"] == "report"]

    # Read back as this node's own, the STIX of our own products loses nothing the import
    # compares. (The collection also holds products pulled from other feeds by the tests above.)
    credentials = Credentials(medallion.user, medallion.password)
    bounds = Bounds(settings.taxii_pull_max_pages, settings.taxii_pull_max_bytes)
    pulled = fetch(medallion.api_root, MIRROR, None, credentials, lambda _: None, bounds)

    async def as_our_own(db: Database) -> tuple[int, ImportReport]:
        ids = [product_id_of(item.object) for item in pulled if item.object["type"] == "report"]
        rows = await db.read("read/product_origins", ids=ids, localOrigin=LOCAL_ORIGIN)
        ours = {row["id"] for row in rows if row["origin"] == LOCAL_ORIGIN}
        kept = [i for i in pulled if i.object["type"] != "report" or product_id_of(i.object) in ours]
        report, _ = await import_pulled(db, kept, origin=LOCAL_ORIGIN, issuer=None, dry_run=True, say=print)
        return len(ours), report

    ours, report = run_with_database(settings, as_our_own)
    assert ours and report.ok, report.problems
    (products,) = [c for c in report.counts if c.collection == "products"]
    assert (products.created, products.updated, products.unchanged) == (0, 0, ours)

    # Pulled, they are the mirror's: every one is refused, as the local products they name.
    code, out = _pull(medallion, MIRROR, capsys)
    assert code == 1, out
    assert f"Refused: {len(reports)} problem(s); nothing was written." in out
    refused = {line.split("product ")[1].split()[0] for line in out.splitlines() if "[OTHER_ORIGIN]" in line}
    assert refused == {product_id_of(r) for r in reports}


LOCAL_PRODUCT = """query($id: ID!) { product(id: $id) { id title summary tlp pcii issuedBy { id } } }"""
IMPORT = "mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path code } } }"


ENERGY = json.loads(stix2.Identity(name="Energy", identity_class="class", sectors=["energy"]).serialize())


def _naming(product_id: str, name: str, tlp: str, **extra: Any) -> dict[str, Any]:
    """A report whose external reference names `product_id` as its ISE Graph product."""
    return _report(
        name,
        [TLP_MARKING[tlp]],
        object_refs=[ENERGY["id"]],
        external_references=[{"source_name": "isegraph", "external_id": product_id}],
        **extra,
    )


def test_a_pulled_report_naming_a_local_product_is_refused_and_the_product_is_unchanged(
    medallion: Medallion,
    medallion_password: None,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
    seeded: None,
) -> None:
    prefix = unique_prefix("hostile-pull")
    secret = {
        "id": f"{prefix}red",
        "title": "Substation access codes",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "CRITICAL",
        "tlp": "RED",
        "pcii": True,
        "sectors": ["energy"],
        "topics": [],
        "regions": [],
        "addressedTo": ["fc-ca"],
        "issuedBy": "hitrac",
        "publishedAt": "2026-11-20T08:00:00Z",
        "summary": "Codes for the gates of three substations.",
    }
    assert data(client, IMPORT, d={"products": [secret]})["importNetwork"] == {"ok": True, "errors": []}
    before = data(client, LOCAL_PRODUCT, id=secret["id"])["product"]
    assert (before["tlp"], before["pcii"], before["issuedBy"]) == ("RED", True, {"id": "hitrac"})
    hostile = _naming(secret["id"], "Nothing to see", "CLEAR", description="Declassified.")
    decoy = _report("An honest advisory", [TLP_MARKING["GREEN"]], object_refs=[ENERGY["id"]])
    definitions = [_tlp_2_definition("CLEAR"), _tlp_2_definition("GREEN")]
    post_bundle(medallion, HOSTILE, [ENERGY, *definitions, decoy, hostile])

    code, out = _pull(medallion, HOSTILE, capsys)
    assert code == 1, out
    assert "Refused: 1 problem(s); nothing was written." in out
    (line,) = [line for line in out.splitlines() if "[OTHER_ORIGIN]" in line]
    assert secret["id"] in line and "this node's own" in line
    assert data(client, LOCAL_PRODUCT, id=secret["id"])["product"] == before
    assert data(client, PRODUCT, id=decoy["id"])["product"] is None

    # A product pulled from one collection is not replaced by a report of another collection.
    shared_id = f"{prefix}shared"
    post_bundle(
        medallion,
        FIRST_FEED,
        [ENERGY, _tlp_2_definition("AMBER"), _naming(shared_id, "From the feed", "AMBER")],
    )
    code, out = _pull(medallion, FIRST_FEED, capsys)
    assert code == 0, out
    post_bundle(
        medallion, OTHER_FEED, [ENERGY, _tlp_2_definition("CLEAR"), _naming(shared_id, "Usurper", "CLEAR")]
    )
    code, out = _pull(medallion, OTHER_FEED, capsys)
    assert code == 1 and "[OTHER_ORIGIN]" in out and f"collections/{FIRST_FEED}/" in out, out
    assert data(client, PRODUCT, id=shared_id)["product"]["title"] == "From the feed"
    assert data(client, PRODUCT, id=shared_id)["product"]["tlp"] == "AMBER"


def _pull_endless(capsys: pytest.CaptureFixture[str], page_bytes: int = 0) -> tuple[int, str, int]:
    with endless_taxii_server(page_bytes) as server:
        code = cli.main(["taxii", "pull", server.api_root, "--collection", server.collection])
    return code, capsys.readouterr().out, server.object_requests


def test_a_pull_stops_at_its_page_bound_when_the_server_always_says_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client: TestClient, seeded: None
) -> None:
    before = _counts(client)
    monkeypatch.setenv("ISEGRAPH_TAXII_PULL_MAX_PAGES", "5")
    code, out, pages = _pull_endless(capsys)
    assert code == 1, out
    assert pages == 5
    assert "[TAXII_PULL_BOUND_REACHED]" in out and "still had more after 5 pages" in out, out
    assert "ISEGRAPH_TAXII_PULL_MAX_PAGES" in out and "nothing was imported" in out
    assert _counts(client) == before


def test_a_pull_stops_at_its_byte_bound_on_huge_pages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client: TestClient, seeded: None
) -> None:
    before = _counts(client)
    monkeypatch.setenv("ISEGRAPH_TAXII_PULL_MAX_BYTES", "1000000")
    # Pages of 300 kB: the fourth passes the bound.
    code, out, pages = _pull_endless(capsys, page_bytes=300_000)
    assert code == 1, out
    assert pages == 4
    assert "[TAXII_PULL_BOUND_REACHED]" in out and "more than 1000000 bytes" in out, out
    assert "ISEGRAPH_TAXII_PULL_MAX_BYTES" in out
    # One page larger than the whole bound is cut off as it arrives.
    code, out, pages = _pull_endless(capsys, page_bytes=20_000_000)
    assert code == 1 and pages == 1 and "more than 1000000 bytes" in out, out
    assert _counts(client) == before


# --- the TAXII page's examples run as written -----------------------------------------------------

TAXII_PAGE = Path(__file__).resolve().parents[2] / "docs" / "taxii.md"


def _page_curl_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", TAXII_PAGE.read_text(), re.S):
        joined = block.replace("\\\n", " ")
        commands += [line for line in joined.splitlines() if line.startswith("curl ")]
    return commands


def test_the_taxii_page_examples_run_as_written(service: str) -> None:
    commands = _page_curl_commands()
    assert len(commands) >= 3
    environment = {**os.environ, "TOKEN": token("PARTNER", "fc-ca")}
    for command in commands:
        runnable = command.replace("http://127.0.0.1:8000", service)
        done = subprocess.run(
            ["bash", "-c", runnable], env=environment, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (command, done.stderr)
        assert json.loads(done.stdout), command
