"""The peers of this node and the sharing agreement with each (ADMIN): who products may be sent
to, at which URL, checked with which public key, and what an agreement lets go.

An agreement names what it covers: empty sectors or kinds cover nothing, never "any" (a sharing
group that was empty and so reached everyone is a leak other systems have had). AMBER+STRICT and
RED never travel by agreement, so its highest TLP is CLEAR, GREEN or AMBER.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from graph_api.domain.vocabulary import ProductKind, Tlp
from graph_api.identity import Principal
from graph_api.peering.identity import check_node_id, decode_public_key
from graph_api.rules import access
from graph_api.rules.editing import EditRejected, FieldProblem, rejected
from graph_api.store.database import Database, Record, Transaction
from graph_api.store.keyset import DEFAULT_PAGE_SIZE
from graph_api.store.paging import Page, Window

# The TLPs an agreement may let go, lowest first.
AGREEMENT_TLPS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
MAX_URL_CHARS = 2048
MAX_CREDENTIAL_CHARS = 8192


@dataclass(frozen=True)
class AgreementConfig:
    sectors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    highest_tlp: str = Tlp.GREEN
    pcii_allowed: bool = False


@dataclass(frozen=True)
class PeerConfig:
    node_id: str
    url: str
    public_key: str
    # The bearer token this node presents at the peer; None keeps the one it has.
    credential: str | None = None
    agreement: AgreementConfig | None = None

    def audited(self) -> dict[str, Any]:
        """What the audit trail records: everything but the credential itself."""
        agreement = None if self.agreement is None else self.agreement.__dict__
        return {
            "nodeId": self.node_id,
            "url": self.url,
            "publicKey": self.public_key,
            "credentialChanged": self.credential is not None,
            "agreement": agreement,
        }


async def peers(
    db: Database, principal: Principal, window: Window, node_ids: list[str] | None = None
) -> Page[Record]:
    """A window of the known peers, by node id."""
    access.require(principal, access.Action.CONFIGURE_PEERS)
    offset, limit = window.forward()
    row = (
        await db.read(
            "peering/peers",
            nodeIds=node_ids,
            offset=offset,
            limit=DEFAULT_PAGE_SIZE if limit is None else limit,
        )
    )[0]
    return Page(int(row["total"]), offset, row["peers"])


async def set_peer(db: Database, principal: Principal, config: PeerConfig) -> None:
    """Add a peer or replace what is known of it. Refused with every problem found."""
    access.require(principal, access.Action.CONFIGURE_PEERS)
    found = _problems(config)

    async def write(tx: Transaction) -> None:
        # A fresh list each attempt: a retried transaction must not report a problem twice.
        errors = list(found)
        sectors = [] if config.agreement is None else config.agreement.sectors
        facts = (await tx.run("peering/peer_facts", sectors=sectors, nodeId=config.node_id))[0]
        for i, sector in enumerate(sectors):
            if sector not in facts["sectors"]:
                errors.append(
                    FieldProblem(
                        ("input", "agreement", "sectors", str(i)),
                        "UNKNOWN_REFERENCE",
                        f"No sector '{sector}'.",
                    )
                )
        if config.credential is None and not facts["known"]:
            errors.append(
                FieldProblem(
                    ("input", "credential"), "MISSING_FIELD", "A new peer needs the credential to use there."
                )
            )
        if errors:
            raise EditRejected(errors)
        agreement = config.agreement
        await tx.run(
            "peering/peer_set",
            nodeId=config.node_id,
            url=config.url.strip(),
            publicKey=config.public_key.strip(),
            credential=config.credential,
            agreement=None
            if agreement is None
            else {
                "sectors": sorted(set(agreement.sectors)),
                "kinds": sorted(set(agreement.kinds)),
                "highestTlp": agreement.highest_tlp,
                "pciiAllowed": agreement.pcii_allowed,
            },
        )

    await db.in_write_transaction(write)


async def remove_peer(db: Database, principal: Principal, node_id: str) -> None:
    access.require(principal, access.Action.CONFIGURE_PEERS)
    rows = await db.write("peering/peer_remove", nodeId=node_id)
    if not rows or rows[0]["removed"] == 0:
        raise rejected(("nodeId",), "NOT_FOUND", f"No peer has the node id '{node_id}'.")


def _problems(config: PeerConfig) -> list[FieldProblem]:
    errors: list[FieldProblem] = []

    def problem(path: tuple[str, ...], code: str, message: str) -> None:
        errors.append(FieldProblem(("input", *path), code, message))

    try:
        check_node_id(config.node_id)
    except ValueError as exc:
        problem(("nodeId",), "BAD_ID", f"{str(exc)[0].upper()}{str(exc)[1:]}.")
    parts = urlsplit(config.url.strip())
    loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if len(config.url) > MAX_URL_CHARS or not parts.hostname or not (parts.scheme == "https" or loopback):
        problem(("url",), "BAD_URL", "A peer's URL is an absolute https URL (http only on loopback).")
    try:
        decode_public_key(config.public_key)
    except ValueError as exc:
        problem(("publicKey",), "BAD_KEY", f"Not an Ed25519 public key: {exc}.")
    if config.credential is not None and (
        not config.credential.strip() or len(config.credential) > MAX_CREDENTIAL_CHARS
    ):
        problem(("credential",), "EMPTY", f"A credential is 1 to {MAX_CREDENTIAL_CHARS} characters.")
    agreement = config.agreement
    if agreement is not None:
        if agreement.highest_tlp not in AGREEMENT_TLPS:
            problem(
                ("agreement", "highestTlp"),
                "TLP_NEVER_BY_AGREEMENT",
                "AMBER_STRICT and RED never travel by agreement (only to the home nodes of addressed "
                "partners): the highest TLP of an agreement is CLEAR, GREEN or AMBER.",
            )
        for i, kind in enumerate(agreement.kinds):
            if kind not in ProductKind.__members__:
                problem(("agreement", "kinds", str(i)), "BAD_ENUM", f"No product kind '{kind}'.")
    return errors
