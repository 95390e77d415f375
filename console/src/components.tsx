import type { ReactNode } from "react";

import type { ApiError } from "./api";
import type { Tlp } from "./operations";
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
