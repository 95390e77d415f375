"""Peers in GraphQL (ADMIN): the other ISE Graph nodes this node exchanges products with, and the
sharing agreement with each."""

from __future__ import annotations

import strawberry

from graph_api.api.enums import ProductKind, Tlp
from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.payloads import FieldError
from graph_api.api.permissions import Requires
from graph_api.api.types import Info, Sector, load_many
from graph_api.rules import editing, peering
from graph_api.rules.access import Action
from graph_api.rules.audit import audited
from graph_api.store.database import Record


@strawberry.type(
    description="What this node sends a peer by agreement, beside what goes to partners homed there. "
    "Empty sectors or kinds cover nothing."
)
class SharingAgreement:
    kinds: list[ProductKind]
    highest_tlp: Tlp = strawberry.field(
        description="CLEAR, GREEN or AMBER: no higher TLP travels by agreement."
    )
    pcii_allowed: bool = strawberry.field(
        description="Whether PCII products may go (and then only to recipients that pass the PCII rules)."
    )
    _sectors: strawberry.Private[list[str]]

    @strawberry.field(description="The sectors it covers: a product about one of them may go.")
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._sectors, Sector)


@strawberry.type(description="Another ISE Graph node this node exchanges products with.")
class Peer:
    node_id: strawberry.ID
    url: str = strawberry.field(description="Where the peer is reached.")
    public_key: str = strawberry.field(
        description="The peer's Ed25519 public key (base64): its envelopes are checked with it."
    )
    has_credential: bool = strawberry.field(
        description="Whether a credential to present at the peer is set; the credential is never shown."
    )
    agreement: SharingAgreement | None = strawberry.field(description="Null: nothing goes by agreement.")
    created_at: str | None
    modified_at: str | None

    @staticmethod
    def of(r: Record) -> Peer:
        agreement = r["agreement"]
        return Peer(
            node_id=strawberry.ID(r["nodeId"]),
            url=r["url"],
            public_key=r["publicKey"],
            has_credential=bool(r["hasCredential"]),
            agreement=None
            if agreement is None
            else SharingAgreement(
                kinds=[ProductKind(k) for k in agreement["kinds"]],
                highest_tlp=Tlp(agreement["highestTlp"]),
                pcii_allowed=bool(agreement["pciiAllowed"]),
                _sectors=list(agreement["sectors"]),
            ),
            created_at=r["createdAt"],
            modified_at=r["modifiedAt"],
        )


@strawberry.input
class SharingAgreementInput:
    sectors: list[strawberry.ID]
    kinds: list[ProductKind]
    highest_tlp: Tlp
    pcii_allowed: bool = False


@strawberry.input
class PeerInput:
    node_id: strawberry.ID
    url: str
    public_key: str = strawberry.field(description="As the peer's `isegraph node show` prints it.")
    credential: str | None = strawberry.field(
        default=None,
        description="The bearer token this node presents at the peer (issued by the peer). "
        "Required for a new peer; null keeps the current one.",
    )
    agreement: SharingAgreementInput | None = strawberry.field(
        default=None, description="Null: nothing goes by agreement."
    )


@strawberry.type
class PeerPayload:
    peer: Peer | None
    user_errors: list[FieldError]


@strawberry.type
class RemovePeerPayload:
    removed_node_id: strawberry.ID | None
    user_errors: list[FieldError]


async def _peer(info: Info, node_id: str) -> Peer | None:
    page = await peering.peers(info.context.db, info.context.principal, window_of(1, None), [node_id])
    return Peer.of(page.items[0]) if page.items else None


@strawberry.type
class PeeringQuery:
    @strawberry.field(
        permission_classes=[Requires(Action.CONFIGURE_PEERS)],
        description="The peer nodes this node exchanges products with, by node id (ADMIN).",
    )
    async def peers(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Peer]:
        ctx = info.context
        page = await peering.peers(ctx.db, ctx.principal, window_of(first, after))
        return connection_of([Peer.of(r) for r in page.items], page.start, page.total)


@strawberry.type
class PeeringMutation:
    @strawberry.mutation(
        permission_classes=[Requires(Action.CONFIGURE_PEERS)],
        description="Add a peer node, or replace what is known of it and its agreement (ADMIN).",
    )
    async def set_peer(self, info: Info, input: PeerInput) -> PeerPayload:
        ctx = info.context
        agreement = input.agreement
        config = peering.PeerConfig(
            node_id=str(input.node_id),
            url=input.url,
            public_key=input.public_key,
            credential=input.credential,
            agreement=None
            if agreement is None
            else peering.AgreementConfig(
                sectors=[str(s) for s in agreement.sectors],
                kinds=[str(k.value) for k in agreement.kinds],
                highest_tlp=str(agreement.highest_tlp.value),
                pcii_allowed=agreement.pcii_allowed,
            ),
        )
        try:
            async with audited(ctx.db, ctx.principal, "setPeer", config.audited()):
                await peering.set_peer(ctx.db, ctx.principal, config)
        except editing.EditRejected as exc:
            return PeerPayload(peer=None, user_errors=[FieldError.of(e) for e in exc.errors])
        return PeerPayload(peer=await _peer(info, config.node_id), user_errors=[])

    @strawberry.mutation(
        permission_classes=[Requires(Action.CONFIGURE_PEERS)],
        description="Forget a peer node and its agreement (ADMIN).",
    )
    async def remove_peer(self, info: Info, node_id: strawberry.ID) -> RemovePeerPayload:
        ctx = info.context
        try:
            async with audited(ctx.db, ctx.principal, "removePeer", {"nodeId": node_id}):
                await peering.remove_peer(ctx.db, ctx.principal, str(node_id))
        except editing.EditRejected as exc:
            return RemovePeerPayload(removed_node_id=None, user_errors=[FieldError.of(e) for e in exc.errors])
        return RemovePeerPayload(removed_node_id=node_id, user_errors=[])
