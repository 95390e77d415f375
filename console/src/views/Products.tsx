// Products: the list (paged, filtered), authoring and editing, and each product's page with its
// delivery followed live.
import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import type { Identity } from "../auth";
import {
  ErrorNote,
  Loading,
  Pager,
  PciiBanner,
  ProductTable,
  Status,
  TableHead,
  TlpLabel,
  UserErrors,
} from "../components";
import { useQuery, useSettled } from "../hooks";
import { useSubscription } from "../live";
import {
  ACKNOWLEDGE,
  CREATE_PRODUCT,
  DELETE_PRODUCT,
  DELIVERIES,
  DISSEMINATE,
  ONWARD_RECIPIENTS,
  type FieldError,
  PRODUCT,
  PRODUCT_PAGE,
  PRODUCT_PUBLISHED,
  type ProductDetail,
  type ProductInput,
  RETRY_DELIVERY,
  type Tlp,
  UPDATE_PRODUCT,
  VOCABULARY,
  WATCH_FEED,
} from "../operations";
import { href, navigate } from "../route";

export const KINDS = [
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
export const LEVELS = ["STRATEGIC", "SITUATIONAL", "OPERATIONAL"];
export const SEVERITIES = ["LOW", "MODERATE", "HIGH", "CRITICAL"];
export const TLPS: Tlp[] = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"];
const PAGE = 25;

export function ProductsView({ identity }: { identity: Identity }) {
  const [text, setText] = useState("");
  const [tlp, setTlp] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const asked = useSettled(text);
  const conditions: Record<string, unknown>[] = [];
  if (asked) conditions.push({ OR: [{ title_CONTAINS: asked }, { id: asked }] });
  if (tlp) conditions.push({ tlp });
  const where = conditions.length ? { AND: conditions } : null;
  const { data, error, loading, reload } = useQuery(PRODUCT_PAGE, {
    first: PAGE,
    after: cursors[cursors.length - 1],
    where,
  });
  // A product published anywhere appears without a reload.
  useSubscription(PRODUCT_PUBLISHED, {}, () => reload());
  const filter = (change: () => void) => {
    change();
    setCursors([null]);
  };
  return (
    <section>
      <h1>Products</h1>
      {identity.role === "ADMIN" && (
        <p>
          <a href={href(["product", "new"])}>New product</a>
        </p>
      )}
      <div className="inline">
        <label htmlFor="products-text">Title or id</label>
        <input
          id="products-text"
          type="search"
          value={text}
          onChange={(e) => filter(() => setText(e.target.value))}
        />
        <label htmlFor="products-tlp">TLP</label>
        <select id="products-tlp" value={tlp} onChange={(e) => filter(() => setTlp(e.target.value))}>
          <option value="">any</option>
          {TLPS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p aria-live="polite">{data.products.totalCount} products, newest first.</p>
          <ProductTable products={data.products.nodes} view="product" testId="product-list" />
          <Pager cursors={cursors} pageInfo={data.products.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}

function blank(): ProductInput {
  return {
    id: "",
    title: "",
    kind: "ALERT",
    level: "OPERATIONAL",
    severity: "HIGH",
    tlp: "AMBER",
    pcii: false,
    sectors: [],
    topics: [],
    regions: [],
    addressedTo: [],
    summary: null,
  };
}

function fromDetail(p: ProductDetail): ProductInput {
  return {
    id: p.id,
    title: p.title,
    kind: p.kind,
    level: p.level,
    severity: p.severity,
    tlp: p.tlp,
    pcii: p.pcii,
    sectors: p.sectors.map((s) => s.id),
    topics: p.topics.map((t) => t.id),
    regions: p.regions.map((r) => r.id),
    addressedTo: p.addressedTo.map((a) => a.id),
    summary: p.summary,
  };
}

function Choice({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function Several({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string[];
  options: { id: string; name: string }[];
  onChange: (v: string[]) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        multiple
        size={5}
        value={value}
        onChange={(e) => onChange(Array.from(e.target.selectedOptions, (o) => o.value))}
      >
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Create a product (`existing` null) or edit one; the markings are shown as they will be printed. */
export function ProductForm({ existing, onSaved }: { existing: ProductDetail | null; onSaved?: () => void }) {
  const [form, setForm] = useState<ProductInput>(existing ? fromDetail(existing) : blank());
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [stale, setStale] = useState(false);
  const vocabulary = useQuery(VOCABULARY, {});
  const set = <K extends keyof ProductInput>(key: K, value: ProductInput[K]) => setForm({ ...form, [key]: value });
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setFailure(null);
    setStale(false);
    const input = { ...form, summary: form.summary || null };
    try {
      if (existing) {
        const { id: _id, ...changes } = input;
        const answer = await execute(UPDATE_PRODUCT, { input: { ...changes, id: existing.id, version: existing.version } });
        const { userErrors, product } = answer.updateProduct;
        if (userErrors.some((e) => e.code === "STALE_VERSION")) setStale(true);
        if (userErrors.length) setErrors(userErrors);
        else if (product) {
          navigate(["product", product.id], { saved: product.version });
          onSaved?.();
        }
      } else {
        const answer = await execute(CREATE_PRODUCT, { input });
        const { userErrors, product } = answer.createProduct;
        if (userErrors.length) setErrors(userErrors);
        else if (product) navigate(["product", product.id], { saved: product.version });
      }
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const sectors = vocabulary.data?.sectors ?? [];
  return (
    <form onSubmit={save} aria-label={existing ? "Edit product" : "New product"}>
      <div className="marking-preview" data-testid="marking-preview">
        <span>Marked as:</span> <TlpLabel tlp={form.tlp} />
        {form.pcii && <PciiBanner />}
      </div>
      <div className="grid">
        {!existing && (
          <div className="field">
            <label htmlFor="product-id">Id</label>
            <input id="product-id" required value={form.id} onChange={(e) => set("id", e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="product-title">Title</label>
          <input id="product-title" required value={form.title} onChange={(e) => set("title", e.target.value)} />
        </div>
        <Choice id="product-kind" label="Kind" value={form.kind} options={KINDS} onChange={(v) => set("kind", v)} />
        <Choice id="product-level" label="Level" value={form.level} options={LEVELS} onChange={(v) => set("level", v)} />
        <Choice
          id="product-severity"
          label="Severity"
          value={form.severity}
          options={SEVERITIES}
          onChange={(v) => set("severity", v)}
        />
        <Choice id="product-tlp" label="TLP" value={form.tlp} options={TLPS} onChange={(v) => set("tlp", v as Tlp)} />
        <div className="field">
          <label htmlFor="product-pcii">PCII</label>
          <input id="product-pcii" type="checkbox" checked={form.pcii} onChange={(e) => set("pcii", e.target.checked)} />
        </div>
        <Several id="product-sectors" label="Sectors" value={form.sectors} options={sectors} onChange={(v) => set("sectors", v)} />
        <Several
          id="product-topics"
          label="Topics"
          value={form.topics}
          options={vocabulary.data?.topics ?? []}
          onChange={(v) => set("topics", v)}
        />
        <Several
          id="product-regions"
          label="Regions"
          value={form.regions}
          options={vocabulary.data?.regions ?? []}
          onChange={(v) => set("regions", v)}
        />
        <div className="field">
          <label htmlFor="product-addressed">Addressed to (partner ids, comma-separated)</label>
          <input
            id="product-addressed"
            value={form.addressedTo.join(", ")}
            onChange={(e) =>
              set(
                "addressedTo",
                e.target.value
                  .split(",")
                  .map((s) => s.trim())
                  .filter(Boolean),
              )
            }
          />
        </div>
      </div>
      <label htmlFor="product-summary">Summary</label>
      <textarea id="product-summary" rows={3} value={form.summary ?? ""} onChange={(e) => set("summary", e.target.value)} />
      {stale && (
        <p className="stale" data-testid="stale">
          Someone changed this product meanwhile. <a href={href(["product", existing?.id ?? ""])}>Read it again</a> and
          re-apply your edit.
        </p>
      )}
      <UserErrors errors={errors} />
      <ErrorNote error={failure} />
      <button type="submit">{existing ? "Save product" : "Create product"}</button>
    </form>
  );
}

export function NewProductView() {
  return (
    <section>
      <p>
        <a href={href(["products"])}>All products</a>
      </p>
      <h1>New product</h1>
      <ProductForm existing={null} />
    </section>
  );
}

export function ProductView({ identity, id, params }: { identity: Identity; id: string; params: URLSearchParams }) {
  const { data, error, loading, reload } = useQuery(PRODUCT, { id });
  const [editing, setEditing] = useState(false);
  const product = data?.product;
  return (
    <section>
      <p>
        <a href={href(["products"])}>All products</a>
      </p>
      <Loading when={loading && !data} />
      <ErrorNote error={error} />
      {data && !product && <p>There is no product {id} that you may see.</p>}
      {product && (
        <>
          {product.pcii && <PciiBanner />}
          <h1>
            <TlpLabel tlp={product.tlp} /> {product.title}
          </h1>
          {params.get("saved") && <Status text={`Saved (version ${params.get("saved")}).`} />}
          <dl className="facts">
            <dt>Id</dt>
            <dd>{product.id}</dd>
            <dt>Kind</dt>
            <dd>
              {product.kind} · {product.level} · severity {product.severity}
            </dd>
            <dt>Published</dt>
            <dd>{product.publishedAt.slice(0, 16).replace("T", " ")}</dd>
            <dt>Sectors</dt>
            <dd>{product.sectors.map((s) => s.name).join(", ") || "—"}</dd>
            <dt>Regions</dt>
            <dd>{product.regions.map((r) => r.name).join(", ") || "—"}</dd>
            <dt>Topics</dt>
            <dd>{product.topics.map((t) => t.name).join(", ") || "—"}</dd>
            <dt>Addressed to</dt>
            <dd>{product.addressedTo.map((a) => a.name).join(", ") || "—"}</dd>
            {product.sourceReport && (
              <>
                <dt>From report</dt>
                <dd>
                  <a href={href(["reports", product.sourceReport.id])}>{product.sourceReport.title}</a>
                </dd>
              </>
            )}
          </dl>
          {product.summary && <p>{product.summary}</p>}
          {identity.role !== "PARTNER" && (
            <>
              <p className="actions">
                <a href={href(["planner", product.id])}>Plan recipients</a>
                <a href={href(["can-share"], { product: product.id })}>May X pass this to Y?</a>
                {identity.role === "ADMIN" && (
                  <>
                    <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
                      {editing ? "Close the editor" : "Edit product"}
                    </button>
                    <DeleteProduct id={product.id} version={product.version} />
                  </>
                )}
              </p>
              {editing && (
                <ProductForm
                  key={product.version}
                  existing={product}
                  onSaved={() => {
                    setEditing(false);
                    reload();
                  }}
                />
              )}
              <OnwardPlanner productId={product.id} />
              <DeliveryPanel productId={product.id} identity={identity} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function DeleteProduct({ id, version }: { id: string; version: number }) {
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const remove = async () => {
    if (!window.confirm(`Delete product ${id}?`)) return;
    try {
      const answer = await execute(DELETE_PRODUCT, { input: { id, version } });
      if (answer.deleteProduct.userErrors.length) setErrors(answer.deleteProduct.userErrors);
      else navigate(["products"]);
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void remove()}>
        Delete product…
      </button>
      <UserErrors errors={errors} />
      <ErrorNote error={failure} />
    </>
  );
}

// The events that change a product's delivery table.
const DELIVERY_EVENTS = [
  "DISSEMINATED",
  "DELIVERED",
  "MESSAGE_QUEUED",
  "MESSAGE_SENT",
  "MESSAGE_FAILED",
  "MESSAGE_DEAD",
  "MESSAGE_MANUAL",
  "ACKNOWLEDGED",
];

/** Disseminate, then each partner's delivery and each contact's message, kept current live. */
export function DeliveryPanel({ productId, identity }: { productId: string; identity: Identity }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [partnerFilter, setPartnerFilter] = useState("");
  const [statusFilter, setStatusFilter] = useState("");
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { data, error, reload } = useQuery(DELIVERIES, {
    productId,
    first: PAGE,
    after: cursors[cursors.length - 1],
  });
  useSubscription(WATCH_FEED, { kinds: DELIVERY_EVENTS }, (event) => {
    if (event.watchFeed.productId === productId) reload();
  });
  const act = async (run: () => Promise<string>) => {
    setFailure(null);
    try {
      setNote(await run());
      reload();
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const disseminate = () =>
    act(async () => {
      setConfirming(false);
      const done = (await execute(DISSEMINATE, { productId })).disseminate;
      return `Disseminated: ${done.newlyDelivered} new deliveries, ${done.messagesQueued} messages queued.`;
    });
  const retry = (messageId: string) =>
    act(async () => {
      const done = (await execute(RETRY_DELIVERY, { messageId })).retryDelivery;
      return `Message ${done.id} is ${done.status} again.`;
    });
  const acknowledgeFor = (partnerId: string) =>
    act(async () => {
      const done = (await execute(ACKNOWLEDGE, { productId, partnerId })).acknowledge;
      return done.alreadyAcknowledged ? "It was acknowledged already." : `Acknowledgement recorded (${done.via}).`;
    });
  const needle = partnerFilter.trim().toLowerCase();
  const rows = (data?.deliveries.nodes ?? []).filter(
    (d) =>
      (!needle || d.partner.name.toLowerCase().includes(needle) || d.partner.id.includes(needle)) &&
      (!statusFilter || d.messages.some((m) => m.status === statusFilter)),
  );
  return (
    <section aria-labelledby="delivery-heading" className="deliveries">
      <h2 id="delivery-heading">Delivery</h2>
      <p className="actions">
        <button type="button" onClick={() => setConfirming(true)}>
          Disseminate…
        </button>
      </p>
      {confirming && (
        <div role="dialog" aria-label="Confirm dissemination" className="impact">
          <p>Deliver this product to each of its current recipients? Running it again delivers nothing twice.</p>
          <button type="button" onClick={() => void disseminate()}>
            Disseminate now
          </button>{" "}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <Status text={note} />
      <ErrorNote error={failure ?? error} />
      {data && (
        <>
          <p data-testid="delivery-summary">
            {data.deliveries.totalCount} partners delivered, {data.unacknowledged.totalCount} not acknowledged yet.
          </p>
          <div className="inline">
            <label htmlFor="delivery-partner">Partner</label>
            <input id="delivery-partner" type="search" value={partnerFilter} onChange={(e) => setPartnerFilter(e.target.value)} />
            <label htmlFor="delivery-status">Message status</label>
            <select id="delivery-status" value={statusFilter} onChange={(e) => setStatusFilter(e.target.value)}>
              <option value="">any</option>
              {["QUEUED", "SENT", "FAILED", "DEAD", "MANUAL"].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <table data-testid="deliveries">
            <TableHead columns={["Partner", "Contact", "Channel", "Status", "Attempts", "Last error", "Acknowledged", ""]} />
            <tbody>
              {rows.flatMap((d) => {
                const messages = d.messages.length ? d.messages : [null];
                return messages.map((m, i) => (
                  <tr key={`${d.partner.id}-${m?.id ?? "none"}`} data-partner={d.partner.id} data-message={m?.id}>
                    <td>{i === 0 ? d.partner.name : ""}</td>
                    <td>{m?.contact?.name ?? m?.address ?? "—"}</td>
                    <td>{m?.channel ?? d.channels.join(", ")}</td>
                    <td data-testid="message-status">{m?.status ?? "—"}</td>
                    <td>{m?.attempts ?? ""}</td>
                    <td data-testid="last-error">{m?.lastError ?? ""}</td>
                    <td data-testid="acknowledged">
                      {i === 0 &&
                        (d.acknowledgedAt
                          ? `${d.acknowledgedAt.slice(0, 16).replace("T", " ")} by ${d.acknowledgedBy} (${d.acknowledgedVia})`
                          : "not yet")}
                    </td>
                    <td>
                      {m && (m.status === "DEAD" || m.status === "FAILED") && (
                        <button type="button" onClick={() => void retry(m.id)} aria-label={`Retry ${m.channel} to ${m.contact?.name ?? m.address}`}>
                          Retry
                        </button>
                      )}
                      {i === 0 && !d.acknowledgedAt && identity.role !== "PARTNER" && (
                        <button type="button" onClick={() => void acknowledgeFor(d.partner.id)} aria-label={`Record acknowledgement by ${d.partner.name}`}>
                          Record acknowledgement
                        </button>
                      )}
                    </td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.deliveries.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}

/** A fusion center's onward list: whom in its area the product should be passed on to, and why. */
function OnwardPlanner({ productId }: { productId: string }) {
  const [center, setCenter] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const { data, error, loading } = useQuery(ONWARD_RECIPIENTS, asked ? { productId, fusionCenter: asked } : null);
  return (
    <section aria-labelledby="onward-heading">
      <h2 id="onward-heading">Onward list</h2>
      <form
        className="inline"
        onSubmit={(event) => {
          event.preventDefault();
          setAsked(center.trim() || null);
        }}
      >
        <label htmlFor="onward-center">Fusion center id</label>
        <input id="onward-center" value={center} onChange={(e) => setCenter(e.target.value)} />
        <button type="submit">Show onward recipients</button>
      </form>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p data-testid="onward-count">
            {data.onwardRecipients.recipients.length} to pass it on to, {data.onwardRecipients.excluded.length} excluded.
          </p>
          <table data-testid="onward">
            <TableHead columns={["Partner", "Reasons", "Channels"]} />
            <tbody>
              {data.onwardRecipients.recipients.map((r) => (
                <tr key={r.partner.id}>
                  <td>{r.partner.name}</td>
                  <td>{r.reasons.map((x) => x.source + (x.ref ? ` ${x.ref}` : "")).join(", ")}</td>
                  <td>{r.channels.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
