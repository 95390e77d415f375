import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import type { Identity } from "../auth";
import { ErrorNote, Loading, Pager, PciiBanner, Status, TlpLabel } from "../components";
import { useQuery, useSettled } from "../hooks";
import { useSubscription } from "../live";
import { ACKNOWLEDGE, INBOX, INBOX_DELIVERIES } from "../operations";
import { href, navigate } from "../route";

const PAGE = 25;

export function InboxView({ identity, partnerId }: { identity: Identity; partnerId: string | null }) {
  // A PARTNER user reads its own organisation's inbox, whatever the address says.
  const owner = identity.role === "PARTNER" ? identity.partner : partnerId;
  const [choice, setChoice] = useState(owner ?? "");
  const [text, setText] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const { data, error, loading, reload } = useQuery(
    INBOX,
    owner ? { partnerId: owner, first: PAGE, after: cursors[cursors.length - 1] } : null,
  );
  // New deliveries appear as they are made.
  useSubscription(INBOX_DELIVERIES, owner ? { partnerId: owner } : null, () => reload());
  const needle = useSettled(text).toLowerCase();
  const pick = (event: FormEvent) => {
    event.preventDefault();
    if (choice.trim()) navigate(["inbox", choice.trim()]);
  };
  const acknowledge = async (productId: string) => {
    setFailure(null);
    try {
      const done = (await execute(ACKNOWLEDGE, { productId, partnerId: identity.role === "PARTNER" ? null : owner }))
        .acknowledge;
      setNote(done.alreadyAcknowledged ? "It was acknowledged already." : `Acknowledged ${productId}.`);
      reload();
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const items = (data?.inbox.nodes ?? []).filter(
    (item) => !needle || item.product.title.toLowerCase().includes(needle) || item.product.id.includes(needle),
  );
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
      <div className="inline">
        <label htmlFor="inbox-filter">Filter by title</label>
        <input id="inbox-filter" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <Loading when={loading && !data} />
      <ErrorNote error={failure ?? error} />
      <Status text={note} />
      {data && (
        <>
          <p aria-live="polite">
            {data.inbox.totalCount} {data.inbox.totalCount === 1 ? "product" : "products"}, newest first.
          </p>
          <ol className="inbox" data-testid="inbox">
            {items.map((item) => (
              <li key={item.product.id} data-product={item.product.id}>
                <article aria-labelledby={`title-${item.product.id}`}>
                  {item.product.pcii && <PciiBanner />}
                  <header>
                    <TlpLabel tlp={item.product.tlp} /> <strong id={`title-${item.product.id}`}>{item.product.title}</strong>
                  </header>
                  <p>
                    {item.product.kind} · severity {item.product.severity} · from {item.product.issuedBy?.name ?? "unknown"} ·
                    delivered {item.deliveredAt.slice(0, 16).replace("T", " ")} by {item.channels.join(", ")}
                  </p>
                  <p data-testid="acknowledgement">
                    {item.acknowledgedAt ? (
                      `Acknowledged ${item.acknowledgedAt.slice(0, 16).replace("T", " ")} by ${item.acknowledgedBy}`
                    ) : (
                      <button
                        type="button"
                        onClick={() => void acknowledge(item.product.id)}
                        aria-label={`Acknowledge ${item.product.title}`}
                      >
                        Acknowledge
                      </button>
                    )}{" "}
                    {identity.role !== "PARTNER" && <a href={href(["product", item.product.id])}>Delivery</a>}
                  </p>
                </article>
              </li>
            ))}
          </ol>
          <Pager cursors={cursors} pageInfo={data.inbox.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}
