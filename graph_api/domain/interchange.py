"""The interchange document: checking it and putting records in canonical form.

Pure Python: it never talks to the database. Checking happens in two steps because a reference
may point at a record that is only in the graph: `check_document` does everything the document
alone can tell and lists the references it could not resolve; `check_against_graph` finishes the
job with what the graph holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from graph_api import domain
from graph_api.domain.text import CONTROL_CHARACTER, control_character_problem

Record = dict[str, Any]
COLLECTIONS = (
    "sectors",
    "regions",
    "topics",
    "partners",
    "councils",
    "contacts",
    "requirements",
    "subscriptions",
    "products",
)
# Partners and councils are both vertices of the collaboration graph: one id space.
VERTEX_COLLECTIONS = ("partners", "councils")
MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 2000
MAX_SUMMARY_LENGTH = 10_000


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    message: str


@dataclass(frozen=True)
class Reference:
    collection: str
    id: str
    path: str


FieldKind = Literal["id", "text", "bool", "enum", "enums", "ref", "refs", "datetime", "email", "url"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    required: bool = False
    choices: tuple[str, ...] = ()
    target: str = ""
    default: Any = None
    max_length: int = 0  # text: 0 means the usual limit
    multiline: bool = False  # text: line breaks allowed (plain text of several lines)


def _f(name: str, kind: FieldKind, **options: Any) -> Field:
    return Field(name, kind, **options)


SPECS: dict[str, tuple[Field, ...]] = {
    "sectors": (
        _f("id", "id", required=True),
        _f("name", "text", required=True),
        _f("sectorSpecificAgency", "ref", target="partners"),
    ),
    "regions": (
        _f("id", "id", required=True),
        _f("name", "text", required=True),
        _f("kind", "enum", required=True, choices=domain.REGION_KINDS),
        _f("parent", "ref", target="regions"),
    ),
    "topics": (_f("id", "id", required=True), _f("name", "text", required=True)),
    "partners": (
        _f("id", "id", required=True),
        _f("name", "text", required=True),
        _f("kind", "enum", required=True, choices=domain.PARTNER_KINDS),
        _f("active", "bool", default=True),
        _f("sectors", "refs", target="sectors"),
        _f("regions", "refs", target="regions"),
        _f("partnersWith", "refs", target="partners"),
        _f("clientOf", "refs", target="partners"),
        # A national intake point: every report partners submit is routed to it.
        _f("intake", "bool", default=False),
        _f("illustrative", "bool", default=False),
    ),
    "councils": (
        _f("id", "id", required=True),
        _f("name", "text", required=True),
        _f("kind", "enum", required=True, choices=domain.COUNCIL_KINDS),
        _f("sectors", "refs", target="sectors"),
        _f("parent", "ref", target="councils"),
        _f("illustrative", "bool", default=False),
    ),
    "contacts": (
        _f("id", "id", required=True),
        _f("partner", "ref", required=True, target="partners"),
        _f("name", "text", required=True),
        _f("email", "email", required=True),
        _f("pciiAuthorized", "bool", default=False),
        _f("channels", "enums", choices=domain.CHANNELS),
        _f("active", "bool", default=True),
        _f("illustrative", "bool", default=False),
    ),
    "requirements": (
        _f("id", "id", required=True),
        _f("council", "ref", required=True, target="councils"),
        _f("sector", "ref", required=True, target="sectors"),
        _f("kinds", "enums", choices=domain.PRODUCT_KINDS),
        _f("levels", "enums", choices=domain.PRODUCT_LEVELS),
        _f("topics", "refs", target="topics"),
        _f("minSeverity", "enum", choices=domain.SEVERITIES),
        _f("channel", "enum", required=True, choices=domain.CHANNELS),
        _f("illustrative", "bool", default=False),
    ),
    "subscriptions": (
        _f("partner", "ref", required=True, target="partners"),
        _f("topic", "ref", target="topics"),
        _f("sector", "ref", target="sectors"),
        _f("minSeverity", "enum", choices=domain.SEVERITIES),
        # DAILY_DIGEST: the day's products of the sector in one message instead of one each.
        _f("delivery", "enum", choices=domain.SUBSCRIPTION_DELIVERIES, default="IMMEDIATE"),
    ),
    "products": (
        _f("id", "id", required=True),
        _f("title", "text", required=True),
        _f("kind", "enum", required=True, choices=domain.PRODUCT_KINDS),
        _f("level", "enum", required=True, choices=domain.PRODUCT_LEVELS),
        _f("severity", "enum", required=True, choices=domain.SEVERITIES),
        _f("tlp", "enum", required=True, choices=domain.TLP_LEVELS),
        _f("pcii", "bool", default=False),
        _f("sectors", "refs", target="sectors"),
        _f("topics", "refs", target="topics"),
        _f("regions", "refs", target="regions"),
        _f("addressedTo", "refs", target="partners"),
        _f("issuedBy", "ref", target="partners"),
        _f("publishedAt", "datetime", required=True),
        _f("illustrative", "bool", default=False),
        # Plain text; what an email or webhook may carry of it depends on the TLP and PCII.
        _f("summary", "text", max_length=MAX_SUMMARY_LENGTH, multiline=True),
        _f("link", "url"),
        # Where the product comes from: a product is identified by (origin, id), and a record never
        # replaces a product of another origin. This node's own products are LOCAL_ORIGIN; a pull
        # sets its collection's origin on every record it makes.
        _f("origin", "text", default=domain.LOCAL_ORIGIN),
    ),
}
# Keys handled by a dedicated check below rather than by the field table.
SPECIAL_KEYS = {"partners": ("fusionCenter",), "councils": ("members",), "requirements": ("audience",)}


def subscription_key(record: Record) -> tuple[str, str, str]:
    target = ("topic", record["topic"]) if record.get("topic") else ("sector", record["sector"])
    return (record["partner"], *target)


@dataclass
class CheckedDocument:
    records: dict[str, list[Record]]
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def defined_ids(self, collection: str) -> set[str]:
        return {r["id"] for r in self.records[collection] if "id" in r}


@dataclass(frozen=True)
class GraphFacts:
    """What the graph holds that the document may refer to."""

    existing: dict[str, set[str]]
    region_parents: dict[str, str]
    council_parents: dict[str, str]


class _Checker:
    def __init__(self, *, entering: bool = True) -> None:
        # False when reading back what the graph holds: a record stored before a rule of entry
        # (control characters, e-mail syntax) existed can still be read, exported and corrected.
        self.entering = entering
        self.problems: list[Problem] = []
        self.references: list[Reference] = []

    def problem(self, path: str, code: str, message: str) -> None:
        self.problems.append(Problem(path, code, message))

    def document(self, doc: Any) -> dict[str, list[Record]]:
        records: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
        if not isinstance(doc, dict):
            self.problem("$", "BAD_TYPE", "the document must be a JSON object")
            return records
        for key in doc:
            if key not in COLLECTIONS:
                self.problem(
                    f"$.{key}",
                    "UNKNOWN_FIELD",
                    f"unknown collection '{key}'; expected one of {', '.join(COLLECTIONS)}",
                )
        for name in COLLECTIONS:
            items = doc.get(name, [])
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(f"$.{name}", "BAD_TYPE", "must be a list")
                continue
            for index, item in enumerate(items):
                record = self.record(name, item, f"$.{name}[{index}]")
                if record is not None:
                    records[name].append(record)
        return records

    def record(self, collection: str, item: Any, path: str) -> Record | None:
        if not isinstance(item, dict):
            self.problem(path, "BAD_TYPE", "must be an object")
            return None
        specs = SPECS[collection]
        known = {spec.name for spec in specs} | set(SPECIAL_KEYS.get(collection, ()))
        for key in item:
            if key not in known:
                self.problem(f"{path}.{key}", "UNKNOWN_FIELD", f"unknown field '{key}'")
        before = len(self.problems)
        record: Record = {"_path": path}
        for spec in specs:
            record[spec.name] = self.value(spec, item.get(spec.name), f"{path}.{spec.name}")
        special = getattr(self, f"special_{collection}", None)
        if special is not None:
            special(item, record, path)
        record["_invalid"] = len(self.problems) != before
        return record

    def value(self, spec: Field, raw: Any, path: str) -> Any:
        if raw is None:
            if spec.required:
                self.problem(path, "MISSING_FIELD", f"'{spec.name}' is required")
            if spec.kind in ("enums", "refs"):
                return []
            return spec.default
        if spec.kind in ("id", "text", "email", "datetime", "url"):
            return self.scalar_text(spec, raw, path)
        if spec.kind == "bool":
            if not isinstance(raw, bool):
                self.problem(path, "BAD_TYPE", f"'{spec.name}' must be true or false")
            return raw
        if spec.kind == "enum":
            return self.enum(spec, raw, path)
        if spec.kind == "ref":
            return self.reference(spec.target, raw, path)
        if not isinstance(raw, list):
            self.problem(path, "BAD_TYPE", f"'{spec.name}' must be a list")
            return []
        if spec.kind == "enums":
            values = [self.enum(spec, v, f"{path}[{i}]") for i, v in enumerate(raw)]
            return domain.in_enum_order([v for v in values if v], spec.choices)
        refs = [self.reference(spec.target, v, f"{path}[{i}]") for i, v in enumerate(raw)]
        return sorted({r for r in refs if r})

    def scalar_text(self, spec: Field, raw: Any, path: str) -> Any:
        if not isinstance(raw, str):
            self.problem(path, "BAD_TYPE", f"'{spec.name}' must be a string")
            return None
        limit = MAX_ID_LENGTH if spec.kind == "id" else spec.max_length or MAX_TEXT_LENGTH
        if not raw.strip():
            self.problem(path, "EMPTY", f"'{spec.name}' must not be empty")
        elif len(raw) > limit:
            self.problem(path, "TOO_LONG", f"'{spec.name}' is longer than {limit} characters")
        elif self.entering and (why := control_character_problem(raw, multiline=spec.multiline)):
            self.problem(path, CONTROL_CHARACTER, f"'{spec.name}' {why}")
        elif spec.kind == "email" and self.entering and (why := _email_problem(raw)):
            self.problem(path, "BAD_EMAIL", f"'{raw}' is not an email address: {why}")
        elif spec.kind == "url" and not _is_https_url(raw):
            self.problem(path, "BAD_URL", f"'{raw}' is not an https URL")
        elif spec.kind == "datetime":
            return self.timestamp(raw, path)
        return raw

    def timestamp(self, raw: str, path: str) -> str | None:
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            self.problem(path, "BAD_DATETIME", f"'{raw}' is not an ISO-8601 date-time")
            return None
        if parsed.tzinfo is None:
            self.problem(path, "BAD_DATETIME", f"'{raw}' has no time zone (add 'Z' for UTC)")
            return None
        return canonical_timestamp(parsed)

    def enum(self, spec: Field, raw: Any, path: str) -> str | None:
        if raw not in spec.choices:
            self.problem(path, "BAD_ENUM", f"{raw!r} is not one of {', '.join(spec.choices)}")
            return None
        return str(raw)

    def reference(self, target: str, raw: Any, path: str) -> str | None:
        if not isinstance(raw, str) or not raw:
            self.problem(path, "BAD_TYPE", "a reference must be a non-empty id string")
            return None
        self.references.append(Reference(target, raw, path))
        return raw

    def special_partners(self, item: Record, record: Record, path: str) -> None:
        center = item.get("fusionCenter")
        record["fusionCenter"] = None
        if center is None:
            return
        where = f"{path}.fusionCenter"
        if not isinstance(center, dict):
            self.problem(where, "BAD_TYPE", "fusionCenter must be an object or null")
            return
        for key in center:
            if key not in ("type", "serves"):
                self.problem(f"{where}.{key}", "UNKNOWN_FIELD", f"unknown field '{key}'")
        kind = self.value(
            _f("type", "enum", required=True, choices=domain.FUSION_CENTER_TYPES),
            center.get("type"),
            f"{where}.type",
        )
        serves = self.value(_f("serves", "refs", target="regions"), center.get("serves"), f"{where}.serves")
        record["fusionCenter"] = {"type": kind, "serves": serves}

    def special_councils(self, item: Record, record: Record, path: str) -> None:
        members = item.get("members") or []
        record["members"] = []
        if not isinstance(members, list):
            self.problem(f"{path}.members", "BAD_TYPE", "members must be a list")
            return
        seen: dict[str, str] = {}
        for index, member in enumerate(members):
            where = f"{path}.members[{index}]"
            if not isinstance(member, dict):
                self.problem(where, "BAD_TYPE", "a member must be an object {partner, role}")
                continue
            partner = self.value(
                _f("partner", "ref", required=True, target="partners"),
                member.get("partner"),
                f"{where}.partner",
            )
            role = self.value(
                _f("role", "enum", choices=domain.MEMBER_ROLES, default="MEMBER"),
                member.get("role"),
                f"{where}.role",
            )
            if partner in seen:
                self.problem(
                    where,
                    "DUPLICATE_MEMBER",
                    f"partner '{partner}' is listed twice (first at {seen[partner]})",
                )
            elif partner:
                seen[partner] = where
                record["members"].append({"partner": partner, "role": role})
        record["members"].sort(key=lambda m: m["partner"])

    def special_requirements(self, item: Record, record: Record, path: str) -> None:
        where = f"{path}.audience"
        audience = item.get("audience")
        record["audience"] = None
        if not isinstance(audience, dict):
            code = "MISSING_FIELD" if audience is None else "BAD_TYPE"
            self.problem(where, code, "audience must be {council} or {sector, partnerKinds}")
            return
        if "council" in audience and "sector" not in audience and "partnerKinds" not in audience:
            council = self.reference("councils", audience["council"], f"{where}.council")
            record["audience"] = {"council": council}
        elif "sector" in audience and "council" not in audience:
            extra = set(audience) - {"sector", "partnerKinds"}
            for key in sorted(extra):
                self.problem(f"{where}.{key}", "UNKNOWN_FIELD", f"unknown field '{key}'")
            sector = self.reference("sectors", audience["sector"], f"{where}.sector")
            kinds = self.value(
                _f("partnerKinds", "enums", choices=domain.PARTNER_KINDS),
                audience.get("partnerKinds"),
                f"{where}.partnerKinds",
            )
            record["audience"] = {"sector": sector, "partnerKinds": kinds}
        else:
            self.problem(
                where, "BAD_AUDIENCE", "audience names either a council, or a sector with partnerKinds"
            )

    def special_subscriptions(self, item: Record, record: Record, path: str) -> None:
        del item
        if (record["topic"] is None) == (record["sector"] is None):
            self.problem(path, "BAD_SUBSCRIPTION", "a subscription names exactly one of 'topic' or 'sector'")
        elif record.get("delivery") == "DAILY_DIGEST" and record["sector"] is None:
            self.problem(
                f"{path}.delivery", "BAD_SUBSCRIPTION", "a daily digest is of a sector: name 'sector'"
            )


def _email_problem(text: str) -> str | None:
    """Why `text` is not an address mail can be sent to (its syntax only: nothing is looked up)."""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _is_https_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in text)


def canonical_timestamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def check_document(doc: Any) -> CheckedDocument:
    checker = _Checker()
    records = checker.document(doc)
    checked = CheckedDocument(records, checker.problems, checker.references)
    _check_duplicates(checked)
    return checked


def _check_duplicates(checked: CheckedDocument) -> None:
    vertex_seen: dict[Any, str] = {}
    for name in COLLECTIONS:
        seen: dict[Any, str] = {}
        for record in checked.records[name]:
            key = subscription_key(record) if name == "subscriptions" else record.get("id")
            if key is None or (record.get("_invalid") and name == "subscriptions"):
                continue
            if key in seen:
                checked.problems.append(
                    Problem(
                        record["_path"], "DUPLICATE_ID", f"{_describe(key)} is already used at {seen[key]}"
                    )
                )
                continue
            seen[key] = record["_path"]
            if name in VERTEX_COLLECTIONS:
                if key in vertex_seen:
                    checked.problems.append(
                        Problem(
                            record["_path"],
                            "DUPLICATE_ID",
                            f"id '{key}' is already used at {vertex_seen[key]} "
                            "(partners and councils share one id space)",
                        )
                    )
                vertex_seen[key] = record["_path"]


def _describe(key: Any) -> str:
    if isinstance(key, tuple):
        return f"the subscription of '{key[0]}' to {key[1]} '{key[2]}'"
    return f"id '{key}'"


def unresolved(checked: CheckedDocument) -> dict[str, set[str]]:
    """References the document itself does not define, by collection: the graph must hold them."""
    pending: dict[str, set[str]] = {}
    defined = {name: checked.defined_ids(name) for name in COLLECTIONS}
    for ref in checked.references:
        if ref.id not in defined[ref.collection]:
            pending.setdefault(ref.collection, set()).add(ref.id)
    return pending


def check_against_graph(checked: CheckedDocument, facts: GraphFacts) -> list[Problem]:
    problems: list[Problem] = []
    defined = {name: checked.defined_ids(name) for name in COLLECTIONS}
    for ref in checked.references:
        if ref.id in defined[ref.collection] or ref.id in facts.existing.get(ref.collection, ()):
            continue
        singular = ref.collection.rstrip("s")
        problems.append(
            Problem(
                ref.path,
                "UNKNOWN_REFERENCE",
                f"no {singular} with id '{ref.id}' in the document or the graph",
            )
        )
    for own, other in (("partners", "councils"), ("councils", "partners")):
        clash = facts.existing.get(f"{other}_vertex", set())
        for record in checked.records[own]:
            if record.get("id") in clash:
                problems.append(
                    Problem(
                        record["_path"],
                        "DUPLICATE_ID",
                        f"id '{record['id']}' is already a {other[:-1]} in the graph",
                    )
                )
    problems += _cycles(checked.records["regions"], facts.region_parents, "region")
    problems += _cycles(checked.records["councils"], facts.council_parents, "council")
    return problems


def _cycles(records: Iterable[Record], graph_parents: dict[str, str], noun: str) -> list[Problem]:
    records = [r for r in records if r.get("id")]
    parents = {**graph_parents, **{r["id"]: r.get("parent") for r in records}}
    problems = []
    for record in records:
        seen = [record["id"]]
        current = parents.get(record["id"])
        while current is not None:
            if current == record["id"]:
                chain = " → ".join([*seen, current])
                problems.append(
                    Problem(f"{record['_path']}.parent", "CYCLE", f"the {noun} parents form a cycle: {chain}")
                )
                break
            if current in seen:
                break  # a cycle elsewhere; it is reported at its own records
            seen.append(current)
            current = parents.get(current)
    return problems


def canonical(collection: str, raw: Record) -> Record:
    """A record read back from the graph, in the same canonical form a checked document has.

    Its `version` (optimistic concurrency, not part of the interchange document) is kept as is.
    """
    checker = _Checker(entering=False)
    fields = {k: v for k, v in raw.items() if k != "version"}
    record = checker.record(collection, fields, f"$.{collection}")
    if record is None or checker.problems:
        raise ValueError(f"the graph holds an invalid {collection} record: {checker.problems}")
    record = clean(record)
    if raw.get("version") is not None:
        record["version"] = raw["version"]
    return record


def without_version(record: Record) -> Record:
    """The record as the interchange document has it."""
    return {k: v for k, v in record.items() if k != "version"}


def clean(record: Record) -> Record:
    """The record without checking bookkeeping (paths)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
