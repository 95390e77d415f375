// Administration: every collection of the network listed (paged, filtered), created, edited,
// deactivated, deleted and merged; an edit that changes who receives what shows `impactOf` first;
// a STALE_VERSION answer shows the record as it is now and offers to re-apply the edit.
import { type FormEvent, useEffect, useState } from "react";

import { ApiError, execute, type Operation } from "../api";
import { ErrorNote, Loading, Pager, Status, TableHead, UserErrors } from "../components";
import { useQuery, useSettled } from "../hooks";
import {
  ADMIN_CONTACTS,
  ADMIN_COUNCILS,
  ADMIN_PARTNERS,
  ADMIN_REGIONS,
  ADMIN_REQUIREMENTS,
  ADMIN_SECTORS,
  ADMIN_SUBSCRIPTIONS,
  ADMIN_TOPICS,
  CREATE_CONTACT,
  CREATE_COUNCIL,
  CREATE_PARTNER,
  CREATE_REGION,
  CREATE_REQUIREMENT,
  CREATE_SUBSCRIPTION,
  CREATE_TOPIC,
  DEACTIVATE_CONTACT,
  DEACTIVATE_PARTNER,
  DELETE_CONTACT,
  DELETE_COUNCIL,
  DELETE_PARTNER,
  DELETE_REGION,
  DELETE_REQUIREMENT,
  DELETE_SUBSCRIPTION,
  DELETE_TOPIC,
  type FieldError,
  IMPACT_OF,
  MERGE_PARTNERS,
  type PageInfo,
  type ProductImpact,
  UPDATE_CONTACT,
  UPDATE_COUNCIL,
  UPDATE_PARTNER,
  UPDATE_REGION,
  UPDATE_REQUIREMENT,
  UPDATE_SUBSCRIPTION,
  UPDATE_TOPIC,
} from "../operations";
import { href } from "../route";

type Row = Record<string, unknown> & { version?: number };
type FieldKind = "text" | "enum" | "bool" | "list" | "enums";
interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  options?: string[];
  required?: boolean;
  createOnly?: boolean;
}
type AnyOp = Operation<Record<string, { userErrors: FieldError[] }>, { input: Record<string, unknown> }>;
interface Collection {
  key: string;
  title: string;
  columns: [string, (row: Row) => string][];
  fields: FieldSpec[];
  create: AnyOp;
  update: AnyOp;
  remove: AnyOp;
  deactivate?: AnyOp;
  // The ProposedEdit names of its edits when they change who receives what (impactOf first).
  impact?: { create: string; update: string; remove: string; deactivate?: string };
  // The fields that name a record (id and version, or a subscription's partner and target).
  identity: (row: Row) => Record<string, unknown>;
  load: (first: number, after: string | null, text: string) => Promise<{ totalCount: number; nodes: Row[]; pageInfo: PageInfo }>;
}

const CHANNELS = ["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"];
const SEVERITIES = ["LOW", "MODERATE", "HIGH", "CRITICAL"];
const PARTNER_KINDS = ["FEDERAL", "STATE", "LOCAL", "TRIBAL", "TERRITORIAL", "PRIVATE", "INTERNATIONAL", "NONPROFIT"];
const name = (row: Row, key: string) => (row[key] as { name?: string } | null)?.name ?? "";
const idOf = (row: Row) => ({ id: row.id, version: row.version });
const where = (text: string, field = "name") => (text ? { OR: [{ [`${field}_CONTAINS`]: text }, { id: text }] } : null);

async function listed<K extends string>(
  op: Operation<Record<K, { totalCount: number; nodes: Row[]; pageInfo: PageInfo }>, { first: number; after: string | null; where: Record<string, unknown> | null }>,
  key: K,
  first: number,
  after: string | null,
  filter: Record<string, unknown> | null,
) {
  return (await execute(op, { first, after, where: filter }))[key];
}

export const COLLECTIONS: Collection[] = [
  {
    key: "partners",
    title: "Partners",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Name", (r) => String(r.name)],
      ["Kind", (r) => String(r.kind)],
      ["Active", (r) => (r.active ? "yes" : "no")],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "kind", label: "Kind", kind: "enum", options: PARTNER_KINDS },
      { name: "sectors", label: "Sector ids", kind: "list" },
      { name: "regions", label: "Region ids", kind: "list" },
    ],
    create: CREATE_PARTNER,
    update: UPDATE_PARTNER,
    remove: DELETE_PARTNER,
    deactivate: DEACTIVATE_PARTNER,
    impact: { create: "createPartner", update: "updatePartner", remove: "deletePartner", deactivate: "deactivatePartner" },
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_PARTNERS, "partners", first, after, where(text)),
  },
  {
    key: "contacts",
    title: "Contacts",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Name", (r) => String(r.name)],
      ["Partner", (r) => name(r, "partner")],
      ["Email", (r) => String(r.email)],
      ["Channels", (r) => (r.channels as string[]).join(", ")],
      ["Active", (r) => (r.active ? "yes" : "no")],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "partner", label: "Partner id", kind: "text", required: true, createOnly: true },
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "email", label: "Email", kind: "text", required: true },
      { name: "channels", label: "Channels", kind: "enums", options: CHANNELS },
      { name: "pciiAuthorized", label: "PCII authorized", kind: "bool" },
    ],
    create: CREATE_CONTACT,
    update: UPDATE_CONTACT,
    remove: DELETE_CONTACT,
    deactivate: DEACTIVATE_CONTACT,
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_CONTACTS, "contacts", first, after, where(text)),
  },
  {
    key: "councils",
    title: "Councils",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Name", (r) => String(r.name)],
      ["Kind", (r) => String(r.kind)],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "kind", label: "Kind", kind: "enum", options: ["SCC", "GCC", "ISWG", "CROSS_SECTOR", "REGIONAL_PARTNERSHIP"] },
      { name: "sectors", label: "Sector ids", kind: "list" },
    ],
    create: CREATE_COUNCIL,
    update: UPDATE_COUNCIL,
    remove: DELETE_COUNCIL,
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_COUNCILS, "councils", first, after, where(text)),
  },
  {
    key: "requirements",
    title: "Requirements",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Council", (r) => name(r, "council")],
      ["Sector", (r) => name(r, "sector")],
      ["Channel", (r) => String(r.channel)],
      ["Minimum severity", (r) => String(r.minSeverity ?? "")],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "council", label: "Council id", kind: "text", required: true },
      { name: "sector", label: "Sector id", kind: "text", required: true },
      { name: "channel", label: "Channel", kind: "enum", options: CHANNELS },
      { name: "minSeverity", label: "Minimum severity", kind: "enum", options: SEVERITIES },
    ],
    create: CREATE_REQUIREMENT,
    update: UPDATE_REQUIREMENT,
    remove: DELETE_REQUIREMENT,
    impact: { create: "createRequirement", update: "updateRequirement", remove: "deleteRequirement" },
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_REQUIREMENTS, "requirements", first, after, text ? { id_STARTS_WITH: text } : null),
  },
  {
    key: "subscriptions",
    title: "Subscriptions",
    columns: [
      ["Partner", (r) => name(r, "partner")],
      ["Topic or sector", (r) => name(r, "topic") || name(r, "sector")],
      ["Minimum severity", (r) => String(r.minSeverity ?? "")],
      ["Delivery", (r) => String(r.delivery)],
    ],
    fields: [
      { name: "partner", label: "Partner id", kind: "text", required: true, createOnly: true },
      { name: "topic", label: "Topic id", kind: "text", createOnly: true },
      { name: "sector", label: "Sector id", kind: "text", createOnly: true },
      { name: "minSeverity", label: "Minimum severity", kind: "enum", options: SEVERITIES },
      { name: "delivery", label: "Delivery", kind: "enum", options: ["IMMEDIATE", "DAILY_DIGEST"] },
    ],
    create: CREATE_SUBSCRIPTION,
    update: UPDATE_SUBSCRIPTION,
    remove: DELETE_SUBSCRIPTION,
    impact: { create: "createSubscription", update: "updateSubscription", remove: "deleteSubscription" },
    identity: (r) => ({
      partner: (r.partner as { id: string }).id,
      topic: (r.topic as { id: string } | null)?.id ?? null,
      sector: (r.sector as { id: string } | null)?.id ?? null,
      version: r.version,
    }),
    load: async (first, after, text) =>
      (await execute(ADMIN_SUBSCRIPTIONS, { first, after, partner: text || null })).subscriptions as {
        totalCount: number;
        nodes: Row[];
        pageInfo: PageInfo;
      },
  },
  {
    key: "regions",
    title: "Regions",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Name", (r) => String(r.name)],
      ["Kind", (r) => String(r.kind)],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "name", label: "Name", kind: "text", required: true },
      { name: "kind", label: "Kind", kind: "enum", options: ["NATION", "FEMA_REGION", "STATE", "URBAN_AREA", "OTHER"] },
      { name: "parent", label: "Parent region id", kind: "text" },
    ],
    create: CREATE_REGION,
    update: UPDATE_REGION,
    remove: DELETE_REGION,
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_REGIONS, "regionsConnection", first, after, where(text)),
  },
  {
    key: "topics",
    title: "Topics",
    columns: [
      ["Id", (r) => String(r.id)],
      ["Name", (r) => String(r.name)],
    ],
    fields: [
      { name: "id", label: "Id", kind: "text", required: true, createOnly: true },
      { name: "name", label: "Name", kind: "text", required: true },
    ],
    create: CREATE_TOPIC,
    update: UPDATE_TOPIC,
    remove: DELETE_TOPIC,
    identity: idOf,
    load: (first, after, text) => listed(ADMIN_TOPICS, "topicsConnection", first, after, where(text)),
  },
];

export function AdminView({ collection, params }: { collection: string | null; params: URLSearchParams }) {
  const chosen = COLLECTIONS.find((c) => c.key === collection) ?? COLLECTIONS[0];
  return (
    <section>
      <h1>Administration</h1>
      <nav aria-label="Collections" className="actions">
        {COLLECTIONS.map((c) => (
          <a key={c.key} href={href(["admin", c.key])} aria-current={c.key === chosen.key ? "page" : undefined}>
            {c.title}
          </a>
        ))}
        <a href={href(["sectors"])}>Sectors</a>
        <a href={href(["peers"])}>Peer nodes</a>
        <a href={href(["import"])}>Import and export</a>
        <a href={href(["audit"])}>Audit log</a>
      </nav>
      <CollectionView key={chosen.key} collection={chosen} initial={params.get("q") ?? ""} />
    </section>
  );
}

function CollectionView({ collection, initial }: { collection: Collection; initial: string }) {
  const [text, setText] = useState(initial);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const asked = useSettled(text);
  const [state, setState] = useState<{
    key: string;
    data: { totalCount: number; nodes: Row[]; pageInfo: PageInfo } | null;
    error: ApiError | null;
  }>({ key: "", data: null, error: null });
  const key = JSON.stringify([asked, cursors, generation]);
  useEffect(() => {
    // Read once per filter, page and edit; a late answer to an older key is dropped.
    let current = true;
    setState((s) => ({ ...s, error: null }));
    collection.load(25, cursors[cursors.length - 1], asked).then(
      (data) => current && setState({ key, data, error: null }),
      (error: unknown) => current && setState({ key, data: null, error: error as ApiError }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const [saved, setSaved] = useState<string | null>(null);
  const done = (what: string) => {
    setEditing(null);
    setSaved(what);
    setGeneration((g) => g + 1);
  };
  return (
    <section aria-labelledby="collection-heading">
      <h2 id="collection-heading">{collection.title}</h2>
      <div className="inline">
        <label htmlFor="collection-filter">{collection.key === "subscriptions" ? "Partner id" : "Name or id"}</label>
        <input
          id="collection-filter"
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setCursors([null]);
          }}
        />
        <button type="button" onClick={() => setEditing("new")}>
          New {collection.title.toLowerCase().replace(/s$/, "")}
        </button>
      </div>
      {editing && (
        <RecordForm
          key={editing === "new" ? "new" : JSON.stringify(collection.identity(editing))}
          collection={collection}
          row={editing === "new" ? null : editing}
          onDone={done}
          onStale={() => setGeneration((g) => g + 1)}
          onCancel={() => setEditing(null)}
        />
      )}
      <Status text={saved} />
      <ErrorNote error={state.error} />
      <Loading when={!state.data && !state.error} />
      {state.data && (
        <>
          <p aria-live="polite">{state.data.totalCount} in all.</p>
          <table data-testid="collection">
            <TableHead columns={[...collection.columns.map(([title]) => title), "Actions"]} />
            <tbody>
              {state.data.nodes.map((row) => {
                const label = collection.columns[0][1](row) + " " + collection.columns[1][1](row);
                return (
                  <tr key={JSON.stringify(collection.identity(row))} data-row={String(row.id ?? label)}>
                    {collection.columns.map(([title, cell]) => (
                      <td key={title}>{cell(row)}</td>
                    ))}
                    <td>
                      <button type="button" onClick={() => setEditing(row)} aria-label={`Edit ${label}`}>
                        Edit
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={state.data.pageInfo} onPage={setCursors} />
        </>
      )}
      {collection.key === "partners" && <MergePartners onDone={done} />}
    </section>
  );
}

function initialValues(collection: Collection, row: Row | null): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of collection.fields) {
    const current = row?.[field.name];
    if (field.kind === "list") values[field.name] = ((current as { id: string }[] | undefined) ?? []).map((x) => x.id);
    else if (field.kind === "enums") values[field.name] = current ?? [];
    else if (field.kind === "bool") values[field.name] = current ?? false;
    else if (current && typeof current === "object") values[field.name] = (current as { id: string }).id;
    else values[field.name] = current ?? (field.kind === "enum" && field.required ? field.options?.[0] : "");
  }
  if (!row) for (const field of collection.fields) if (field.kind === "enum" && !values[field.name] && field.name !== "minSeverity") values[field.name] = field.options?.[0];
  return values;
}

function inputOf(collection: Collection, row: Row | null, values: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = row ? { ...collection.identity(row) } : {};
  for (const field of collection.fields) {
    if (row && field.createOnly) continue;
    const value = values[field.name];
    if (value === "" || value === undefined) {
      if (!row) continue;
      if (field.kind === "text" && !field.required) continue;
    }
    input[field.name] = value;
  }
  if (!row && collection.key === "requirements") input.audience = { council: input.council };
  return input;
}

/** Create or edit one record; edits that change who receives what are previewed with impactOf. */
function RecordForm({
  collection,
  row,
  onDone,
  onStale,
  onCancel,
}: {
  collection: Collection;
  row: Row | null;
  onDone: (what: string) => void;
  onStale: () => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState(() => initialValues(collection, row));
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [impact, setImpact] = useState<{ edit: Record<string, unknown>; considered: number; products: ProductImpact[]; run: () => Promise<void> } | null>(null);
  const [stale, setStale] = useState(false);

  const perform = async (op: AnyOp, input: Record<string, unknown>, what: string) => {
    setErrors(null);
    setFailure(null);
    try {
      const answer = Object.values(await execute(op, { input }))[0];
      if (answer.userErrors.some((e) => e.code === "STALE_VERSION")) {
        setStale(true);
        onStale();
      }
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else onDone(`Saved: ${what}.`);
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  // An edit that changes who receives what: preview first, the user saves after seeing it.
  const guarded = async (editName: string | undefined, op: AnyOp, input: Record<string, unknown>, what: string) => {
    if (!editName) return perform(op, input, what);
    setFailure(null);
    try {
      const answer = (await execute(IMPACT_OF, { edit: { [editName]: input } as never, publishedAfter: null, publishedBefore: null })).impactOf;
      if (answer.userErrors.length) {
        setErrors(answer.userErrors);
        if (answer.userErrors.some((e) => e.code === "STALE_VERSION")) {
          setStale(true);
          onStale();
        }
        return;
      }
      setImpact({ edit: input, considered: answer.considered, products: answer.products, run: () => perform(op, input, what) });
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = inputOf(collection, row, values);
    if (row) void guarded(collection.impact?.update, collection.update, input, `update ${collection.key}`);
    else void guarded(collection.impact?.create, collection.create, input, `create ${collection.key}`);
  };
  const identity = row ? collection.identity(row) : null;
  return (
    <form onSubmit={submit} className="impact" aria-label={row ? "Edit record" : "New record"}>
      <div className="grid">
        {collection.fields
          .filter((f) => !(row && f.createOnly))
          .map((field) => {
            const id = `field-${field.name}`;
            const value = values[field.name];
            const set = (v: unknown) => setValues({ ...values, [field.name]: v });
            return (
              <div className="field" key={field.name}>
                <label htmlFor={id}>{field.label}</label>
                {field.kind === "text" && <input id={id} required={field.required} value={String(value ?? "")} onChange={(e) => set(e.target.value)} />}
                {field.kind === "list" && (
                  <input
                    id={id}
                    value={(value as string[]).join(", ")}
                    onChange={(e) => set(e.target.value.split(",").map((s) => s.trim()).filter(Boolean))}
                  />
                )}
                {field.kind === "bool" && <input id={id} type="checkbox" checked={Boolean(value)} onChange={(e) => set(e.target.checked)} />}
                {field.kind === "enum" && (
                  <select id={id} value={String(value ?? "")} onChange={(e) => set(e.target.value || null)}>
                    {!field.required && <option value="">—</option>}
                    {field.options?.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                )}
                {field.kind === "enums" && (
                  <select
                    id={id}
                    multiple
                    value={value as string[]}
                    onChange={(e) => set(Array.from(e.target.selectedOptions, (o) => o.value))}
                  >
                    {field.options?.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                )}
              </div>
            );
          })}
      </div>
      <p className="actions">
        <button type="submit">{row ? "Preview and save" : "Preview and create"}</button>
        {row && identity && collection.deactivate && (
          <button
            type="button"
            onClick={() => void guarded(collection.impact?.deactivate, collection.deactivate!, identity, `deactivate ${collection.key}`)}
          >
            Deactivate…
          </button>
        )}
        {row && identity && (
          <button type="button" onClick={() => void guarded(collection.impact?.remove, collection.remove, identity, `delete ${collection.key}`)}>
            Delete…
          </button>
        )}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
      {impact && (
        <div data-testid="impact" className="impact">
          <p data-testid="impact-summary">
            {impact.products.length} of {impact.considered} products considered would change recipients.
          </p>
          <ImpactTable products={impact.products} />
          <button type="button" onClick={() => void impact.run().then(() => setImpact(null))}>
            Save change
          </button>{" "}
          <button type="button" onClick={() => setImpact(null)}>
            Cancel
          </button>
        </div>
      )}
      {stale && (
        <p className="stale" data-testid="stale" role="alert">
          Someone changed this record meanwhile: the list now shows it as it is. Open it again with Edit and re-apply your change.
        </p>
      )}
      <UserErrors errors={errors} />
      <ErrorNote error={failure} />
    </form>
  );
}

export function ImpactTable({ products }: { products: ProductImpact[] }) {
  return (
    <table>
      <TableHead columns={["Product", "Would gain", "Would lose"]} />
      <tbody>
        {products.map((p) => (
          <tr key={p.product.id} data-product={p.product.id}>
            <td>{p.product.title}</td>
            <td>{p.gained.map((g) => g.partner.name).join(", ")}</td>
            <td>{p.lost.map((l) => l.partner.name).join(", ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MergePartners({ onDone }: { onDone: (what: string) => void }) {
  const [keep, setKeep] = useState("");
  const [duplicate, setDuplicate] = useState("");
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [impact, setImpact] = useState<{ input: Record<string, unknown>; products: ProductImpact[]; considered: number } | null>(null);
  const versions = useQuery(
    ADMIN_PARTNERS,
    keep && duplicate ? { first: 2, after: null, where: { id_IN: [keep.trim(), duplicate.trim()] } } : null,
  );
  const preview = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setFailure(null);
    const found = versions.data?.partners.nodes ?? [];
    const version = (id: string) => found.find((p) => p.id === id.trim())?.version ?? 0;
    const input = { keep: keep.trim(), keepVersion: version(keep), duplicate: duplicate.trim(), duplicateVersion: version(duplicate) };
    try {
      const answer = (await execute(IMPACT_OF, { edit: { mergePartners: input } as never, publishedAfter: null, publishedBefore: null })).impactOf;
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else setImpact({ input, products: answer.products, considered: answer.considered });
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const merge = async () => {
    if (!impact) return;
    try {
      const answer = (await execute(MERGE_PARTNERS, { input: impact.input })).mergePartners;
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else {
        setImpact(null);
        onDone(`Merged ${String(impact.input.duplicate)} into ${String(impact.input.keep)}.`);
      }
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <form onSubmit={preview} className="inline" aria-label="Merge partners">
      <h3>Merge a duplicate</h3>
      <label htmlFor="merge-keep">Keep partner id</label>
      <input id="merge-keep" value={keep} onChange={(e) => setKeep(e.target.value)} />
      <label htmlFor="merge-duplicate">Duplicate partner id</label>
      <input id="merge-duplicate" value={duplicate} onChange={(e) => setDuplicate(e.target.value)} />
      <button type="submit">Preview merge</button>
      {impact && (
        <div data-testid="merge-impact">
          <p>
            {impact.products.length} of {impact.considered} products considered would change recipients.
          </p>
          <ImpactTable products={impact.products} />
          <button type="button" onClick={() => void merge()}>
            Merge
          </button>
        </div>
      )}
      <UserErrors errors={errors} />
      <ErrorNote error={failure} />
    </form>
  );
}

export function SectorsView() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [text, setText] = useState("");
  const asked = useSettled(text);
  const { data, error } = useQuery(ADMIN_SECTORS, { first: 25, after: cursors[cursors.length - 1], where: where(asked) });
  return (
    <section>
      <h1>Sectors</h1>
      <p>The 18 critical infrastructure sectors are fixed; they are listed here to find their ids.</p>
      <label htmlFor="sector-filter">Name or id</label>
      <input id="sector-filter" type="search" value={text} onChange={(e) => setText(e.target.value)} />
      <ErrorNote error={error} />
      {data && (
        <>
          <table>
            <TableHead columns={["Id", "Name"]} />
            <tbody>
              {data.sectorsConnection.nodes.map((s) => (
                <tr key={s.id}>
                  <td>{s.id}</td>
                  <td>{String(s.name)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.sectorsConnection.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}
