import { type FormEvent, useState } from "react";

import type { Identity } from "../auth";
import { ErrorNote, Loading, PciiBanner, TlpLabel } from "../components";
import { useQuery } from "../hooks";
import { INBOX } from "../operations";
import { navigate } from "../route";

export function InboxView({ identity, partnerId }: { identity: Identity; partnerId: string | null }) {
  // A PARTNER user reads its own organisation's inbox, whatever the address says.
  const owner = identity.role === "PARTNER" ? identity.partner : partnerId;
  const [choice, setChoice] = useState(owner ?? "");
  const { data, error, loading } = useQuery(INBOX, owner ? { partnerId: owner, first: 50 } : null);
  const pick = (event: FormEvent) => {
    event.preventDefault();
    if (choice.trim()) navigate(["inbox", choice.trim()]);
  };
  return (
    <section>
      <h1>Inbox{owner ? ` of ${owner}` : ""}</h1>
      {identity.role !== "PARTNER" && (
        <form className="inline" onSubmit={pick}>
          <label htmlFor="inbox-partner">Partner id</label>
          <input id="inbox-partner" value={choice} onChange={(e) => setChoice(e.target.value)} />
          <button type="submit">Open inbox</button>
        </form>
      )}
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p>
            {data.inbox.totalCount} {data.inbox.totalCount === 1 ? "product" : "products"}, newest first.
          </p>
          <ol className="inbox" data-testid="inbox">
            {data.inbox.nodes.map((item) => (
              <li key={item.product.id} data-product={item.product.id}>
                <article aria-labelledby={`title-${item.product.id}`}>
                  {item.product.pcii && <PciiBanner />}
                  <header>
                    <TlpLabel tlp={item.product.tlp} />{" "}
                    <strong id={`title-${item.product.id}`}>{item.product.title}</strong>
                  </header>
                  <p>
                    {item.product.kind} · severity {item.product.severity} · from{" "}
                    {item.product.issuedBy?.name ?? "unknown"} · delivered {item.deliveredAt.slice(0, 16).replace("T", " ")}{" "}
                    by {item.channels.join(", ")}
                  </p>
                </article>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
