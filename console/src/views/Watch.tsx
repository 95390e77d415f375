// The watch floor: the live feed of what happens, and the queue of phone calls and watch-center
// notices waiting for a person.
import { useState } from "react";

import { ApiError, execute } from "../api";
import { ErrorNote, Loading, Pager, ProductMarkings, Status, TableHead } from "../components";
import { useQuery } from "../hooks";
import { useSubscription } from "../live";
import { COMPLETE_MANUAL, WATCH_FEED, WATCH_QUEUE, type WatchEventRow } from "../operations";
import { href } from "../route";

const KEPT = 200;
const EVENT_KINDS = [
  "PRODUCT_PUBLISHED",
  "DISSEMINATED",
  "DELIVERED",
  "MESSAGE_QUEUED",
  "MESSAGE_SENT",
  "MESSAGE_FAILED",
  "MESSAGE_DEAD",
  "MESSAGE_MANUAL",
  "ACKNOWLEDGED",
  "EDITED",
  "NETWORK_IMPORTED",
  "REPORT_SUBMITTED",
  "REPORT_STATE_CHANGED",
  "DIGEST_QUEUED",
];

export function WatchView() {
  return (
    <section>
      <h1>Watch floor</h1>
      <WatchQueue />
      <WatchFeed />
    </section>
  );
}

function WatchQueue() {
  const [channel, setChannel] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const { data, error, loading, reload } = useQuery(WATCH_QUEUE, {
    channel: channel || null,
    first: 25,
    after: cursors[cursors.length - 1],
  });
  // A dissemination queues calls and notices; a completion (here or elsewhere) takes one away.
  useSubscription(WATCH_FEED, { kinds: ["DISSEMINATED", "MESSAGE_MANUAL", "MESSAGE_SENT"] }, () => reload());
  const complete = async (messageId: string, how: string) => {
    setFailure(null);
    try {
      const note = [how, notes[messageId]].filter(Boolean).join(": ");
      const answer = (await execute(COMPLETE_MANUAL, { messageId, note })).completeManualDelivery;
      setDone(`${how}: message ${answer.id} is ${answer.status}.`);
      reload();
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading">Watch queue</h2>
      <div className="inline">
        <label htmlFor="queue-channel">Channel</label>
        <select
          id="queue-channel"
          value={channel}
          onChange={(e) => {
            setChannel(e.target.value);
            setCursors([null]);
          }}
        >
          <option value="">PHONE and WATCH_CENTER</option>
          <option>PHONE</option>
          <option>WATCH_CENTER</option>
        </select>
      </div>
      <Status text={done} />
      <ErrorNote error={failure ?? error} />
      <Loading when={loading && !data} />
      {data && (
        <>
          <p data-testid="queue-count">{data.watchQueue.totalCount} waiting, oldest first.</p>
          <table data-testid="watch-queue">
            <TableHead columns={["Product", "Partner", "Contact", "Channel", "Waiting since", "Note", "Done"]} />
            <tbody>
              {data.watchQueue.nodes.map((m) => (
                <tr key={m.id} data-message={m.id}>
                  <td>
                    <ProductMarkings tlp={m.product.tlp} pcii={m.product.pcii} /> {m.product.title}
                  </td>
                  <td>{m.partner.name}</td>
                  <td>
                    {m.contact?.name ?? ""} {m.address ?? ""}
                  </td>
                  <td>{m.channel}</td>
                  <td>{m.createdAt.slice(0, 16).replace("T", " ")}</td>
                  <td>
                    <label htmlFor={`note-${m.id}`} className="visually-hidden">
                      Note for {m.contact?.name ?? m.id}
                    </label>
                    <input
                      id={`note-${m.id}`}
                      value={notes[m.id] ?? ""}
                      onChange={(e) => setNotes({ ...notes, [m.id]: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void complete(m.id, m.channel === "PHONE" ? "Completed by phone" : "Notice passed on")}
                      aria-label={`${m.channel === "PHONE" ? "Completed by phone" : "Notice passed on"}: ${m.contact?.name ?? m.id}`}
                    >
                      {m.channel === "PHONE" ? "Completed by phone" : "Notice passed on"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.watchQueue.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}

function WatchFeed() {
  const [events, setEvents] = useState<WatchEventRow[]>([]);
  const [kind, setKind] = useState("");
  useSubscription(WATCH_FEED, { kinds: kind ? [kind] : null }, (event) =>
    setEvents((seen) => [event.watchFeed, ...seen].slice(0, KEPT)),
  );
  return (
    <section aria-labelledby="feed-heading">
      <h2 id="feed-heading">Live feed</h2>
      <div className="inline">
        <label htmlFor="feed-kind">Kind</label>
        <select id="feed-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">the watch floor's (default)</option>
          {EVENT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <p aria-live="polite">{events.length ? `${events.length} events since this page opened, newest first.` : "Waiting for events…"}</p>
      <table data-testid="watch-feed">
        <TableHead columns={["At", "Kind", "Product", "Partner", "What", "By"]} />
        <tbody>
          {events.map((e) => (
            <tr key={e.sequence} data-kind={e.kind}>
              <td>{e.at.slice(11, 19)}</td>
              <td>{e.kind}</td>
              <td>{e.productId ? <a href={href(["product", e.productId])}>{e.productId}</a> : ""}</td>
              <td>{e.partnerId ?? ""}</td>
              <td>{[e.collection, e.key, e.status].filter(Boolean).join(" ")}</td>
              <td>{e.actor ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
