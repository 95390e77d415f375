import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";

import { ApiError, execute } from "../api";
import { ErrorNote, Loading, PciiBanner, ProductTable, TableHead, TlpLabel } from "../components";
import { useQuery } from "../hooks";
import {
  DISSEMINATE,
  type DraftProduct,
  PREVIEW_RECIPIENTS,
  PRODUCTS,
  RECIPIENTS,
  type Recipient,
  type RecipientList,
  type Tlp,
} from "../operations";
import { href, navigate } from "../route";

export const PAGE_SIZE = 25;

export function PlannerView({ productId, params }: { productId: string | null; params: URLSearchParams }) {
  if (productId === "draft") return <DraftPlanner />;
  if (productId) return <ProductPlanner productId={productId} page={Number(params.get("page") ?? "1") || 1} />;
  return <ProductPicker />;
}

function ProductPicker() {
  const [text, setText] = useState("");
  const [asked, setAsked] = useState("");
  useEffect(() => {
    const timer = window.setTimeout(() => setAsked(text.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const where = asked ? { OR: [{ title_CONTAINS: asked }, { id: asked }] } : null;
  const { data, error, loading } = useQuery(PRODUCTS, { first: 100, where });
  return (
    <section>
      <h1>Recipient planner</h1>
      <p>
        Pick a product, or <a href={href(["planner", "draft"])}>plan a draft</a> that is not saved yet.
      </p>
      <label htmlFor="product-search">Find a product by title or id</label>
      <input id="product-search" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      {data && (
        <p aria-live="polite">
          {data.products.totalCount} {data.products.totalCount === 1 ? "product" : "products"}
          {data.products.totalCount > data.products.nodes.length ? `, the newest ${data.products.nodes.length} shown` : ""}
        </p>
      )}
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <ProductTable products={data.products.nodes} view="planner" testId="products" />
      )}
    </section>
  );
}

function ProductPlanner({ productId, page }: { productId: string; page: number }) {
  const { data, error, loading, reload } = useQuery(RECIPIENTS, { productId });
  return (
    <section>
      <p>
        <a href={href(["planner"])}>All products</a>
      </p>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <RecipientPlan
          list={data.recipients}
          page={page}
          onPage={(n) => navigate(["planner", productId], { page: n })}
          onDisseminated={reload}
          canDisseminate
        />
      )}
    </section>
  );
}

const SEVERITIES = ["LOW", "MODERATE", "HIGH", "CRITICAL"];
const TLPS: Tlp[] = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"];
const KINDS = [
  "ALERT",
  "WARNING",
  "THREAT_ASSESSMENT",
  "RISK_ANALYSIS",
  "SITUATIONAL_REPORT",
  "INCIDENT_ANALYSIS",
  "PROTECTIVE_MEASURES",
  "DAILY_REPORT",
  "SUSPICIOUS_ACTIVITY",
];
const LEVELS = ["STRATEGIC", "SITUATIONAL", "OPERATIONAL"];

const ids = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function DraftPlanner() {
  const [draft, setDraft] = useState({
    title: "Draft product",
    kind: "ALERT",
    level: "OPERATIONAL",
    severity: "HIGH",
    tlp: "GREEN" as Tlp,
    pcii: false,
    sectors: "energy",
    topics: "cyber",
    regions: "",
  });
  const [asked, setAsked] = useState<DraftProduct | null>(null);
  const [page, setPage] = useState(1);
  const preview = useQuery(PREVIEW_RECIPIENTS, asked ? { product: asked } : null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(1);
    setAsked({
      ...draft,
      sectors: ids(draft.sectors),
      topics: ids(draft.topics),
      regions: ids(draft.regions),
    });
  };
  const field = (name: keyof typeof draft, label: string, options?: string[]) => (
    <div className="field">
      <label htmlFor={`draft-${name}`}>{label}</label>
      {options ? (
        <select
          id={`draft-${name}`}
          value={String(draft[name])}
          onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        >
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          id={`draft-${name}`}
          value={String(draft[name])}
          onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        />
      )}
    </div>
  );
  return (
    <section>
      <p>
        <a href={href(["planner"])}>All products</a>
      </p>
      <h1>Plan a draft</h1>
      <form className="grid" onSubmit={submit}>
        {field("title", "Title")}
        {field("kind", "Kind", KINDS)}
        {field("level", "Level", LEVELS)}
        {field("severity", "Severity", SEVERITIES)}
        {field("tlp", "TLP", TLPS)}
        <div className="field">
          <label htmlFor="draft-pcii">PCII</label>
          <input
            id="draft-pcii"
            type="checkbox"
            checked={draft.pcii}
            onChange={(e) => setDraft({ ...draft, pcii: e.target.checked })}
          />
        </div>
        {field("sectors", "Sector ids (comma-separated)")}
        {field("topics", "Topic ids")}
        {field("regions", "Region ids")}
        <button type="submit">Preview recipients</button>
      </form>
      <Loading when={preview.loading} />
      <ErrorNote error={preview.error} />
      {preview.data && (
        <RecipientPlan list={preview.data.previewRecipients} page={page} onPage={setPage} canDisseminate={false} />
      )}
    </section>
  );
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per recipient contact, as `isegraph recipients --format csv` writes it. */
export function recipientsCsv(recipients: Recipient[]): string {
  const rows = [["partner_id", "partner_name", "partner_kind", "reasons", "channels", "contact_name", "contact_email"]];
  for (const r of recipients) {
    const reasons = r.reasons.map((x) => (x.ref ? `${x.source}:${x.ref}` : x.source)).join(" ");
    const contacts = r.contacts.length ? r.contacts : [{ name: "", email: "" }];
    for (const c of contacts) {
      rows.push([r.partner.id, r.partner.name, r.partner.kind, reasons, r.channels.join(" "), c.name, c.email]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}

function matches(r: Recipient, filter: string, source: string, channel: string): boolean {
  const text = filter.trim().toLowerCase();
  return (
    (!text || r.partner.name.toLowerCase().includes(text) || r.partner.id.toLowerCase().includes(text)) &&
    (!source || r.reasons.some((x) => x.source === source)) &&
    (!channel || r.channels.includes(channel))
  );
}

function RecipientPlan({
  list,
  page,
  onPage,
  onDisseminated,
  canDisseminate,
}: {
  list: RecipientList;
  page: number;
  onPage: (page: number) => void;
  onDisseminated?: () => void;
  canDisseminate: boolean;
}) {
  const [filter, setFilter] = useState("");
  const [source, setSource] = useState("");
  const [channel, setChannel] = useState("");
  const shown = useMemo(
    () => list.recipients.filter((r) => matches(r, filter, source, channel)),
    [list, filter, source, channel],
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const contacts = list.recipients.reduce((n, r) => n + r.contacts.length, 0);
  const bySource = new Map<string, number>();
  for (const r of list.recipients) for (const s of new Set(r.reasons.map((x) => x.source))) bySource.set(s, (bySource.get(s) ?? 0) + 1);
  const product = list.product;

  const download = () => {
    const url = URL.createObjectURL(new Blob([recipientsCsv(shown)], { type: "text/csv" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `recipients-${product.id}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <h1>
        <TlpLabel tlp={product.tlp} /> {product.title}
      </h1>
      {product.pcii && <PciiBanner />}
      <p>
        <code>{product.id}</code> · {product.kind} · {product.level} · severity {product.severity}
      </p>
      <dl className="summary" data-testid="summary">
        <div>
          <dt>Recipients</dt>
          <dd data-testid="recipient-count">{list.recipients.length}</dd>
        </div>
        <div>
          <dt>Contacts</dt>
          <dd>{contacts}</dd>
        </div>
        <div>
          <dt>Excluded</dt>
          <dd data-testid="excluded-count">{list.excluded.length}</dd>
        </div>
        {[...bySource].map(([s, n]) => (
          <div key={s}>
            <dt>by {s.toLowerCase().replace("_", " ")}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {canDisseminate && <Disseminate productId={product.id} count={list.recipients.length} onDone={onDisseminated} />}
      <h2>Recipients</h2>
      <div className="inline filters">
        <label htmlFor="filter">Filter by name</label>
        <input
          id="filter"
          type="search"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            onPage(1);
          }}
        />
        <label htmlFor="filter-source">Reason</label>
        <select id="filter-source" value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">any</option>
          {["REQUIREMENT", "SUBSCRIPTION", "FUSION_CENTER", "ADDRESSED"].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="filter-channel">Channel</label>
        <select id="filter-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">any</option>
          {["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <button type="button" onClick={download}>
          Download CSV ({shown.length})
        </button>
      </div>
      <table data-testid="recipients">
        <TableHead columns={["Partner", "Reasons", "Channels", "Contacts"]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.partner.id}>
              <td>
                <a href={href(["partner", r.partner.id])} data-testid="recipient-name">
                  {r.partner.name}
                </a>{" "}
                <small>{r.partner.kind}</small>
              </td>
              <td>
                {r.reasons.map((x) => (
                  <span key={`${x.source}-${x.ref}`} className="chip">
                    {x.source}
                    {x.ref ? ` ${x.ref}` : ""}
                  </span>
                ))}
              </td>
              <td>{r.channels.join(", ")}</td>
              <td>{r.contacts.map((c) => c.name).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Recipient pages">
        <button type="button" disabled={current <= 1} onClick={() => onPage(current - 1)}>
          Previous
        </button>
        <span>
          Page {current} of {pages} ({shown.length} shown)
        </span>
        <button type="button" disabled={current >= pages} onClick={() => onPage(current + 1)}>
          Next
        </button>
      </nav>
      <h2>Excluded ({list.excluded.length})</h2>
      <table data-testid="exclusions">
        <TableHead columns={["Partner", "Rule"]} />
        <tbody>
          {list.excluded.map((x) => (
            <tr key={x.partner.id}>
              <td>
                <a href={href(["partner", x.partner.id])}>{x.partner.name}</a>
              </td>
              <td>
                <code>{x.reason}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Disseminate({ productId, count, onDone }: { productId: string; count: number; onDone?: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const confirm = async () => {
    dialog.current?.close();
    try {
      const { disseminate } = await execute(DISSEMINATE, { productId });
      setOutcome(`Delivered to ${disseminate.newlyDelivered} new recipients (${disseminate.alreadyDelivered} had it already).`);
      onDone?.();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <div className="disseminate">
      <button type="button" onClick={() => dialog.current?.showModal()} disabled={count === 0}>
        Disseminate…
      </button>
      <dialog ref={dialog} aria-labelledby="confirm-title">
        <h2 id="confirm-title">Disseminate {productId}?</h2>
        <p data-testid="confirm-count">
          This delivers the product to {count} {count === 1 ? "recipient" : "recipients"}.
        </p>
        <button type="button" onClick={() => void confirm()}>
          Disseminate to {count}
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </dialog>
      {outcome && <p role="status">{outcome}</p>}
      <ErrorNote error={error} />
    </div>
  );
}
