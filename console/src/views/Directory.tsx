import { useState } from "react";

import type { Identity } from "../auth";
import { ErrorNote, Loading, ProductMarkings, TableHead, VertexLink } from "../components";
import { useQuery, useSettled } from "../hooks";
import { COUNCIL, PARTNER, SEARCH } from "../operations";
import { href } from "../route";

/** Search as you type: waits for a pause in typing, then asks once. */
export function DirectoryView({ initial }: { initial: string }) {
  const [text, setText] = useState(initial);
  const asked = useSettled(text);
  const found = useQuery(SEARCH, asked ? { text: asked } : null);

  return (
    <section>
      <h1>Directory</h1>
      <label htmlFor="search">Search partners, councils and products</label>
      <input
        id="search"
        type="search"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        placeholder="fusion, energy, ransomware…"
      />
      <Loading when={found.loading} />
      <ErrorNote error={found.error} />
      {found.data && (
        <>
          <p aria-live="polite">{found.data.search.totalCount} found</p>
          <ul className="results" data-testid="search-results">
            {found.data.search.nodes.map((node) =>
              node.__typename === "InformationProduct" ? (
                <li key={`p-${node.id}`}>
                  <ProductMarkings tlp={node.tlp} pcii={node.pcii} />{" "}
                  <a href={href(["planner", node.id])}>{node.title}</a> <small>product</small>
                </li>
              ) : node.__typename === "Partner" ? (
                <li key={`v-${node.id}`}>
                  <VertexLink id={node.id} name={node.name} type="PARTNER" /> <small>{node.kind} partner</small>
                </li>
              ) : (
                <li key={`c-${node.id}`}>
                  <VertexLink id={node.id} name={node.name} type="COUNCIL" /> <small>{node.councilKind} council</small>
                </li>
              ),
            )}
          </ul>
        </>
      )}
    </section>
  );
}

export function PartnerView({ id, identity }: { id: string; identity: Identity }) {
  const { data, error, loading } = useQuery(PARTNER, { id });
  const partner = data?.partner;
  return (
    <section>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && !partner && <p role="alert">No partner has the id “{id}”.</p>}
      {partner && (
        <>
          <h1>{partner.name}</h1>
          <p>
            {partner.kind} {partner.isGovernment ? "(government)" : ""}
            {partner.fusionCenter ? ` · ${partner.fusionCenter.type} fusion center` : ""}
            {partner.active ? "" : " · inactive"}
          </p>
          <p className="actions">
            <a href={href(["network", partner.id])}>Network picture</a>
            {identity.role === "ADMIN" && <a href={href(["edit", partner.id])}>Edit memberships</a>}
            {(identity.role !== "PARTNER" || identity.partner === partner.id) && (
              <a href={href(["inbox", partner.id])}>Inbox</a>
            )}
          </p>
          <dl className="facts">
            <dt>Sectors</dt>
            <dd>{partner.sectors.map((s) => s.name).join(", ") || "none"}</dd>
            <dt>Regions</dt>
            <dd>{partner.regions.map((r) => r.name).join(", ") || "none (national)"}</dd>
            <dt>Agreements</dt>
            <dd>
              {partner.partnersWith.length + partner.clientOf.length === 0 && "none"}
              {partner.partnersWith.map((p) => (
                <span key={`pw-${p.id}`} className="chip">
                  partners with <VertexLink id={p.id} name={p.name} type="PARTNER" />
                </span>
              ))}
              {partner.clientOf.map((p) => (
                <span key={`co-${p.id}`} className="chip">
                  client of <VertexLink id={p.id} name={p.name} type="PARTNER" />
                </span>
              ))}
            </dd>
          </dl>
          <h2>Memberships</h2>
          <table>
            <TableHead columns={["Council", "Kind", "Role"]} />
            <tbody>
              {partner.memberships.map((m) => (
                <tr key={m.council.id}>
                  <td>
                    <VertexLink id={m.council.id} name={m.council.name} type="COUNCIL" />
                  </td>
                  <td>{m.council.kind}</td>
                  <td>{m.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Contacts</h2>
          {partner.contacts.length === 0 ? (
            <p data-testid="no-contacts">No contacts you may see.</p>
          ) : (
            <table data-testid="contacts">
              <TableHead columns={["Name", "Email", "Channels", "PCII"]} />
              <tbody>
                {partner.contacts.map((c) => (
                  <tr key={c.id} className={c.active ? "" : "inactive"}>
                    <td>{c.name}</td>
                    <td>{c.email}</td>
                    <td>{c.channels.join(", ")}</td>
                    <td>{c.pciiAuthorized ? "authorized" : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

export function CouncilView({ id }: { id: string }) {
  const { data, error, loading } = useQuery(COUNCIL, { id });
  const council = data?.council;
  return (
    <section>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && !council && <p role="alert">No council has the id “{id}”.</p>}
      {council && (
        <>
          <h1>{council.name}</h1>
          <p>
            {council.kind}
            {council.parent && (
              <>
                {" "}
                · working group of <VertexLink id={council.parent.id} name={council.parent.name} type="COUNCIL" />
              </>
            )}
          </p>
          <dl className="facts">
            <dt>Sectors</dt>
            <dd>{council.sectors.map((s) => s.name).join(", ") || "cross-sector"}</dd>
          </dl>
          <h2>Members ({council.members.length})</h2>
          <table>
            <TableHead columns={["Partner", "Kind", "Role"]} />
            <tbody>
              {council.members.map((m) => (
                <tr key={m.partner.id}>
                  <td>
                    <VertexLink id={m.partner.id} name={m.partner.name} type="PARTNER" />
                  </td>
                  <td>{m.partner.kind}</td>
                  <td>{m.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Requirements</h2>
          <ul>
            {council.requirements.map((r) => (
              <li key={r.id}>
                <code>{r.id}</code>: {r.kinds.join(", ") || "any kind"}, {r.levels.join(", ") || "any level"},
                severity {r.minSeverity ?? "any"}, by {r.channel}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
