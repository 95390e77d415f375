"""Pulling reports from another TAXII 2.1 server and importing them as information products.

The reports become an interchange document that goes through the import's own validation, so
a pull is idempotent and all-or-nothing like any import. Pulled products are of the collection's
origin: a report naming a product of this node, or one pulled from another collection, is refused
(`OTHER_ORIGIN`) and that product stays as it is. Markings map by their ids (TLP 2.0 and
the TLP 1.0 ids OpenCTI and MISP still write); a report with no TLP marking is refused, never
taken as CLEAR. Problems name where the object was: `$.pages[P].objects[I]`, the I-th object of
the P-th page the server answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, as_pages

from graph_api import domain
from graph_api.domain.interchange import SPECS, Problem, Record
from graph_api.errors import ServiceError
from graph_api.rules.importer import ImportReport, import_network
from graph_api.store.database import Database
from graph_api.store.records import read_records
from graph_api.taxii.stix import (
    LABEL_PREFIXES,
    PCII_MARKING_ID,
    SECTOR_OF_INDUSTRY,
    SOURCE_NAME,
    TLP_OF_MARKING,
)

PAGE_SIZE = 100
# Products of other sources say nothing of these; a pulled report without them gets these.
DEFAULT_LEVEL = "SITUATIONAL"
DEFAULT_SEVERITY = "MODERATE"
KIND_OF_REPORT_TYPE = {
    "threat-report": "THREAT_ASSESSMENT",
    "vulnerability": "RISK_ANALYSIS",
    "observed-data": "SUSPICIOUS_ACTIVITY",
}
DEFAULT_KIND = "SITUATIONAL_REPORT"
CARRIES_SUMMARY = any(spec.name == "summary" for spec in SPECS["products"])
Say = Callable[[str], None]


class PullFailed(ServiceError):
    code = "TAXII_PULL_FAILED"


class PullBoundReached(PullFailed):
    """The other server would have had us read more pages or bytes than a pull reads."""

    code = "TAXII_PULL_BOUND_REACHED"


@dataclass(frozen=True)
class Bounds:
    """The most one pull reads: a server that always says `more`, or sends endless pages, is
    stopped here rather than trusted."""

    max_pages: int
    max_bytes: int


class _ByteBudget:
    """A response hook that reads each body itself, stopping the pull once its bodies together
    pass `left` bytes: a huge answer is never held whole."""

    CHUNK = 65_536

    def __init__(self, url: str, max_bytes: int) -> None:
        self.url, self.max_bytes, self.left = url, max_bytes, max_bytes

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        chunks = []
        for chunk in response.iter_content(self.CHUNK):
            self.left -= len(chunk)
            if self.left < 0:
                response.close()
                raise PullBoundReached(
                    f"The TAXII server at {self.url} sent more than {self.max_bytes} bytes, the most one "
                    "pull reads (ISEGRAPH_TAXII_PULL_MAX_BYTES); nothing was imported. Pull a shorter "
                    "window with --since, or raise the bound."
                )
            chunks.append(chunk)
        # What requests keeps of a body it read itself: the client parses it from here.
        response._content = b"".join(chunks)
        return response


class BearerAuth(requests.auth.AuthBase):
    """`Authorization: Bearer <token>` on every request to the other server."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class Located:
    """A STIX object and where the server's answers held it."""

    path: str
    object: dict[str, Any]


def collection_url(api_root: str, collection_id: str) -> str:
    return f"{api_root.rstrip('/')}/collections/{collection_id}/"


def _open(api_root: str, collection_id: str, credentials: Credentials) -> Collection:
    auth = BearerAuth(credentials.token) if credentials.token else None
    return Collection(
        collection_url(api_root, collection_id),
        user=credentials.user,
        password=credentials.password,
        auth=auth,
    )


def _failure(exc: Exception, url: str) -> PullFailed:
    return PullFailed(f"The TAXII server at {url} did not answer as TAXII 2.1 does: {exc}")


def fetch(
    api_root: str,
    collection_id: str,
    since: str | None,
    credentials: Credentials,
    say: Say,
    bounds: Bounds,
) -> list[Located]:
    """Every object the collection holds (added after `since`), page by page, within `bounds`."""
    url = collection_url(api_root, collection_id)
    collection = _open(api_root, collection_id, credentials)
    # The client's session is where a hook sees each answer before its body is read.
    collection._conn.session.hooks["response"].append(_ByteBudget(url, bounds.max_bytes))
    found: list[Located] = []
    try:
        for number, envelope in enumerate(_pages(collection, since)):
            objects = envelope.get("objects", [])
            found += [Located(f"$.pages[{number}].objects[{i}]", o) for i, o in enumerate(objects)]
            say(f"  page {number + 1}: {len(objects)} objects")
            if envelope.get("more") and number + 1 >= bounds.max_pages:
                raise PullBoundReached(
                    f"The TAXII server at {url} still had more after {bounds.max_pages} pages, the most "
                    "one pull reads (ISEGRAPH_TAXII_PULL_MAX_PAGES); nothing was imported. Pull a "
                    "shorter window with --since, or raise the bound."
                )
        found += _missing_identities(collection, found)
    except (TAXIIServiceException, requests.RequestException, ValueError) as exc:
        raise _failure(exc, url) from exc
    return found


def _pages(collection: Collection, since: str | None) -> Iterator[dict[str, Any]]:
    filters = {"added_after": since} if since else {}
    yield from as_pages(collection.get_objects, per_request=PAGE_SIZE, **filters)


def _missing_identities(collection: Collection, found: list[Located]) -> list[Located]:
    """Authors and sectors added before `since` are not in the pages: ask for them by id."""
    have = {item.object.get("id") for item in found}
    wanted: set[str] = set()
    for item in found:
        if item.object.get("type") == "report":
            refs = [item.object.get("created_by_ref"), *item.object.get("object_refs", [])]
            wanted |= {r for r in refs if isinstance(r, str) and r.startswith("identity--")} - have
    extra: list[Located] = []
    for identity_id in sorted(wanted):
        try:
            envelope = collection.get_object(identity_id)
        except TAXIIServiceException:
            continue  # not in this collection: the report keeps no author or sector from it
        for i, obj in enumerate(envelope.get("objects", [])):
            extra.append(Located(f"$.objects[{identity_id}][{i}]", obj))
    return extra


@dataclass
class Conversion:
    products: list[Record] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    without_author: int = 0


def _our_id(obj: dict[str, Any]) -> str | None:
    for reference in obj.get("external_references", []):
        if reference.get("source_name") == SOURCE_NAME and reference.get("external_id"):
            return str(reference["external_id"])
    return None


def _labelled(labels: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {prefix: [] for prefix in LABEL_PREFIXES}
    for label in labels:
        prefix, _, value = label.partition(":")
        if prefix in found and value:
            found[prefix].append(value)
    return found


def _kind(report_types: list[str]) -> str:
    for value in report_types:
        kind = value.upper().replace("-", "_")
        if kind in domain.PRODUCT_KINDS:
            return kind
    for value in report_types:
        if value in KIND_OF_REPORT_TYPE:
            return KIND_OF_REPORT_TYPE[value]
    return DEFAULT_KIND


def _one(values: list[str], choices: tuple[str, ...], default: str) -> str:
    valid = [v for v in values if v in choices]
    return valid[0] if valid else default


def _sector_of(identity: dict[str, Any]) -> list[str]:
    if identity.get("identity_class") != "class":
        return []
    own = _our_id(identity)
    if own is not None:
        return [own]
    return [SECTOR_OF_INDUSTRY[s] for s in identity.get("sectors", []) if s in SECTOR_OF_INDUSTRY]


class _Converter:
    def __init__(self, pulled: list[Located], issuer: str | None) -> None:
        self.identities = {
            item.object["id"]: item.object for item in pulled if item.object.get("type") == "identity"
        }
        self.issuer = issuer
        self.result = Conversion()

    def tlp(self, report: dict[str, Any], path: str) -> str | None:
        markings = report.get("object_marking_refs", [])
        levels = sorted({TLP_OF_MARKING[m] for m in markings if m in TLP_OF_MARKING})
        if not levels:
            self.result.problems.append(
                Problem(
                    f"{path}.object_marking_refs",
                    "NO_TLP_MARKING",
                    f"report {report.get('id')} carries no TLP marking (none of the TLP 2.0 or TLP 1.0 "
                    "marking definitions); it is refused rather than taken as TLP:CLEAR",
                )
            )
            return None
        if len(levels) > 1:
            self.result.problems.append(
                Problem(
                    f"{path}.object_marking_refs",
                    "CONFLICTING_TLP_MARKINGS",
                    f"report {report.get('id')} carries more than one TLP level: {', '.join(levels)}",
                )
            )
            return None
        return levels[0]

    def author(self, report: dict[str, Any]) -> str | None:
        identity = self.identities.get(str(report.get("created_by_ref")))
        own = _our_id(identity) if identity and identity.get("identity_class") != "class" else None
        if own is None:
            self.result.without_author += self.issuer is None
            return self.issuer
        return own

    def add(self, report: dict[str, Any], path: str) -> None:
        tlp = self.tlp(report, path)
        if tlp is None:
            return
        labels = _labelled([str(label) for label in report.get("labels", [])])
        sectors = set(labels["sector"])
        for ref in report.get("object_refs", []):
            if ref in self.identities:
                sectors.update(_sector_of(self.identities[ref]))
        product: Record = {
            "id": _our_id(report) or report.get("id"),
            "title": report.get("name"),
            "kind": _kind([str(t) for t in report.get("report_types", [])]),
            "level": _one(labels["level"], domain.PRODUCT_LEVELS, DEFAULT_LEVEL),
            "severity": _one(labels["severity"], domain.SEVERITIES, DEFAULT_SEVERITY),
            "tlp": tlp,
            "pcii": PCII_MARKING_ID in report.get("object_marking_refs", []),
            "sectors": sorted(sectors),
            "topics": sorted(set(labels["topic"])),
            "regions": sorted(set(labels["region"])),
            "addressedTo": [],
            "issuedBy": self.author(report),
            "publishedAt": report.get("published"),
        }
        if CARRIES_SUMMARY and report.get("description"):
            product["summary"] = report["description"]
        self.result.products.append(product)
        self.result.paths.append(path)


def _latest_reports(pulled: list[Located]) -> list[Located]:
    """One report per id: its newest version."""
    newest: dict[str, Located] = {}
    for item in pulled:
        if item.object.get("type") != "report":
            continue
        key = str(item.object.get("id"))
        if key not in newest or str(item.object.get("modified")) > str(newest[key].object.get("modified")):
            newest[key] = item
    return list(newest.values())


def to_products(pulled: list[Located], issuer: str | None = None) -> Conversion:
    converter = _Converter(pulled, issuer)
    for item in _latest_reports(pulled):
        converter.add(item.object, item.path)
    return converter.result


PRODUCT_PATH = re.compile(r"^\$\.products\[(\d+)\]")


def _located(problem: Problem, paths: list[str]) -> Problem:
    """An import problem at `$.products[k]...`, named at the report it came from."""
    match = PRODUCT_PATH.match(problem.path)
    if match is None:
        return problem
    return Problem(paths[int(match.group(1))] + problem.path[match.end() :], problem.code, problem.message)


# STIX carries no addressees, no link to the product's page and no seed flag: a product already
# held keeps its own (a pull must not clear them).
KEPT_FROM_GRAPH = ("addressedTo", "link", "illustrative")


async def _keep_what_stix_does_not_carry(db: Database, products: list[Record]) -> None:
    held = {r["id"]: r for r in await read_records(db, "products", [str(p["id"]) for p in products])}
    for product in products:
        if (before := held.get(product["id"])) is not None:
            product.update({key: before[key] for key in KEPT_FROM_GRAPH})


async def import_pulled(
    db: Database,
    pulled: list[Located],
    *,
    origin: str,
    issuer: str | None,
    dry_run: bool,
    say: Say,
) -> tuple[ImportReport, Conversion]:
    """Import the pulled reports as products of `origin` (`domain.taxii_origin` of the collection's
    URL): they never replace a product of this node or of another collection."""
    conversion = to_products(pulled, issuer)
    if conversion.problems:
        return ImportReport(dry_run=dry_run, problems=conversion.problems), conversion
    say(f"Read {len(conversion.products)} reports; importing them as information products ...")
    await _keep_what_stix_does_not_carry(db, conversion.products)
    for product in conversion.products:
        product["origin"] = origin
    report = await import_network(db, {"products": conversion.products}, dry_run=dry_run, say=say)
    report.problems = [_located(p, conversion.paths) for p in report.problems]
    return report, conversion
