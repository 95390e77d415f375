// The Daily Open Source Infrastructure Report, read: the feeds and their health, a day's items,
// the day's report, and the archive of published reports. Editing it stays in GraphQL for now.
import { useState } from "react";

import { ErrorNote, Loading, Pager, TableHead } from "../components";
import { useQuery, useSettled } from "../hooks";
import { OPEN_SOURCE, OPEN_SOURCE_ARCHIVE } from "../operations";

export function OpenSourceView() {
  const [day, setDay] = useState(new Date().toISOString().slice(0, 10));
  const [text, setText] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [archiveCursors, setArchiveCursors] = useState<(string | null)[]>([null]);
  const search = useSettled(text);
  const { data, error, loading } = useQuery(OPEN_SOURCE, {
    day,
    search: search || null,
    first: 25,
    after: cursors[cursors.length - 1],
  });
  const archive = useQuery(OPEN_SOURCE_ARCHIVE, { first: 10, after: archiveCursors[archiveCursors.length - 1], search: null });
  return (
    <section>
      <h1>Open-source report</h1>
      <div className="inline">
        <label htmlFor="os-day">Day (UTC)</label>
        <input
          id="os-day"
          type="date"
          value={day}
          onChange={(e) => {
            setDay(e.target.value);
            setCursors([null]);
          }}
        />
        <label htmlFor="os-search">Words</label>
        <input
          id="os-search"
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setCursors([null]);
          }}
        />
      </div>
      <Loading when={loading && !data} />
      <ErrorNote error={error ?? archive.error} />
      {data && (
        <>
          <h2>Feeds</h2>
          <table data-testid="os-feeds">
            <TableHead columns={["Feed", "Items", "Last fetched", "Last error"]} />
            <tbody>
              {data.openSourceFeeds.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{f.itemCount}</td>
                  <td>{f.lastSuccessAt?.slice(0, 16).replace("T", " ") ?? "never"}</td>
                  <td>{f.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>The day's report</h2>
          {data.openSourceReport ? (
            <>
              <p>State: {data.openSourceReport.state}</p>
              <ol>
                {data.openSourceReport.entries.map((e) => (
                  <li key={e.position}>
                    {e.sector ? `${e.sector.name}: ` : ""}
                    {e.title} <code>{e.link}</code>
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p>No report for {day} that you may see.</p>
          )}
          <h2>The day's items</h2>
          <p>{data.openSourceItems.totalCount} items.</p>
          <ul data-testid="os-items">
            {data.openSourceItems.nodes.map((i) => (
              <li key={i.id}>
                {i.title} <code>{i.link}</code> {i.suggestedSectors.map((s) => s.name).join(", ")}
              </li>
            ))}
          </ul>
          <Pager cursors={cursors} pageInfo={data.openSourceItems.pageInfo} onPage={setCursors} />
        </>
      )}
      {archive.data && (
        <>
          <h2>Published reports</h2>
          <ul data-testid="os-archive">
            {archive.data.openSourceReports.nodes.map((r) => (
              <li key={r.day}>
                {r.day}: {r.product?.title ?? ""} ({r.sectors.map((s) => s.name).join(", ")})
              </li>
            ))}
          </ul>
          <Pager cursors={archiveCursors} pageInfo={archive.data.openSourceReports.pageInfo} onPage={setArchiveCursors} />
        </>
      )}
    </section>
  );
}
