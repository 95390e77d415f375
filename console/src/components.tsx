import type { ReactNode } from "react";

import type { ApiError } from "./api";
import type { ProductSummary, Tlp } from "./operations";
import { href } from "./route";

const TLP_LABELS: Record<Tlp, string> = {
  CLEAR: "TLP:CLEAR",
  GREEN: "TLP:GREEN",
  AMBER: "TLP:AMBER",
  AMBER_STRICT: "TLP:AMBER+STRICT",
  RED: "TLP:RED",
};

/** The TLP 2.0 label: upper case, its colour on a black background. */
export function TlpLabel({ tlp }: { tlp: Tlp }) {
  return (
    <span className={`tlp tlp-${tlp.toLowerCase()}`} title={`Traffic Light Protocol: ${TLP_LABELS[tlp]}`}>
      {TLP_LABELS[tlp]}
    </span>
  );
}

export const PCII_NOTICE =
  "This product contains Protected Critical Infrastructure Information (PCII). " +
  "It is protected from public disclosure and may be shared only with authorized users.";

export function PciiBanner() {
  return (
    <div className="pcii-banner" role="note" aria-label="PCII">
      <strong>PROTECTED CRITICAL INFRASTRUCTURE INFORMATION</strong>
      <span>{PCII_NOTICE}</span>
    </div>
  );
}

export function ProductMarkings({ tlp, pcii }: { tlp: Tlp; pcii: boolean }) {
  return (
    <span className="markings">
      <TlpLabel tlp={tlp} />
      {pcii && <span className="pcii-tag">PCII</span>}
    </span>
  );
}

export function ErrorNote({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const code = "code" in error ? ` (${(error as ApiError).code})` : "";
  return (
    <p className="error" role="alert">
      {error.message}
      {code}
    </p>
  );
}

export function Loading({ when, children }: { when: boolean; children?: ReactNode }) {
  return when ? <p aria-live="polite">{children ?? "Loading…"}</p> : null;
}

export function VertexLink({ id, name, type }: { id: string; name: string; type: "PARTNER" | "COUNCIL" }) {
  return <a href={href([type === "PARTNER" ? "partner" : "council", id])}>{name}</a>;
}

export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** "Next page" over a Relay connection: the cursors seen so far make "Previous" possible too. */
export function Pager({
  cursors,
  pageInfo,
  onPage,
}: {
  cursors: (string | null)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null } | undefined;
  onPage: (cursors: (string | null)[]) => void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={cursors.length <= 1} onClick={() => onPage(cursors.slice(0, -1))}>
        Previous page
      </button>
      <span>Page {cursors.length}</span>
      <button
        type="button"
        disabled={!pageInfo?.hasNextPage}
        onClick={() => pageInfo && onPage([...cursors, pageInfo.endCursor])}
      >
        Next page
      </button>
    </nav>
  );
}

/** Field errors of a payload, as one banner naming each field and code. */
export function UserErrors({ errors }: { errors: { field: string[]; code: string; message: string }[] | null }) {
  if (!errors?.length) return null;
  return (
    <div className="error" role="alert" data-testid="user-errors">
      {errors.map((e) => (
        <p key={`${e.field.join(".")}-${e.code}`}>
          {e.field.join(".")}: {e.message} ({e.code})
        </p>
      ))}
    </div>
  );
}

export function Status({ text }: { text: string | null }) {
  return text ? (
    <p role="status" className="status">
      {text}
    </p>
  ) : (
    <p role="status" className="status" hidden />
  );
}

/** Products as a table: markings, title (linked to `view`), kind, severity, day published. */
export function ProductTable({ products, view, testId }: { products: ProductSummary[]; view: string; testId: string }) {
  return (
    <table data-testid={testId}>
      <TableHead columns={["Marking", "Title", "Kind", "Severity", "Published"]} />
      <tbody>
        {products.map((p) => (
          <tr key={p.id} data-product={p.id}>
            <td>
              <ProductMarkings tlp={p.tlp} pcii={p.pcii} />
            </td>
            <td>
              <a href={href([view, p.id])}>{p.title}</a> <code>{p.id}</code>
            </td>
            <td>{p.kind}</td>
            <td>{p.severity}</td>
            <td>{p.publishedAt.slice(0, 10)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
