import { useState } from "react";

import { ApiError, execute } from "../api";
import type { Identity } from "../auth";
import { ErrorNote, Loading, ProductMarkings, TableHead, VertexLink } from "../components";
import { useQuery, useSettled } from "../hooks";
import {
  ADD_MEMBERSHIP,
  FIND_COUNCILS,
  type FieldError,
  IMPACT_OF,
  type MembershipEdit,
  PARTNER,
  type ProductImpact,
  REMOVE_MEMBERSHIP,
} from "../operations";
import { href } from "../route";

const ROLES = ["MEMBER", "CHAIR", "OBSERVER"];

interface Preview {
  edit: MembershipEdit;
  describe: string;
  considered: number;
  products: ProductImpact[];
}

/** The field an error names, as the form's field name (`["input", "council"]` → `council`). */
function fieldOf(error: FieldError): string {
  return error.field[error.field.length - 1] ?? "";
}

export function EditMembershipsView({ partnerId, identity }: { partnerId: string; identity: Identity }) {
  const partner = useQuery(PARTNER, { id: partnerId });
  // Councils are found by name, as in the directory: a network has far too many for one list.
  const [councilText, setCouncilText] = useState("");
  const councilAsked = useSettled(councilText);
  const councils = useQuery(FIND_COUNCILS, councilAsked ? { text: councilAsked } : null);
  const [council, setCouncil] = useState("");
  const [role, setRole] = useState("MEMBER");
  // The products whose recipients the preview recomputes: those published in this window (UTC days).
  const [after, setAfter] = useState("");
  const [before, setBefore] = useState("");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [stale, setStale] = useState<{ message: string; retry: MembershipEdit } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (identity.role !== "ADMIN") return <p role="alert">Only an ADMIN edits memberships.</p>;
  const current = partner.data?.partner;

  const propose = async (edit: MembershipEdit, describe: string) => {
    setSaved(null);
    setError(null);
    setStale(null);
    setFieldErrors([]);
    try {
      const { impactOf } = await execute(IMPACT_OF, {
        edit,
        publishedAfter: after ? `${after}T00:00:00Z` : null,
        publishedBefore: before ? `${before}T00:00:00Z` : null,
      });
      if (impactOf.userErrors.length) {
        setFieldErrors(impactOf.userErrors);
        setPreview(null);
        return;
      }
      setPreview({ edit, describe, considered: impactOf.considered, products: impactOf.products });
    } catch (err) {
      setError(err as ApiError);
    }
  };

  const save = async () => {
    if (!preview) return;
    try {
      let errors: FieldError[];
      if (preview.edit.addMembership) {
        errors = (await execute(ADD_MEMBERSHIP, { input: preview.edit.addMembership })).addMembership.userErrors;
      } else if (preview.edit.removeMembership) {
        errors = (await execute(REMOVE_MEMBERSHIP, { input: preview.edit.removeMembership })).removeMembership
          .userErrors;
      } else return;
      const staleError = errors.find((e) => e.code === "STALE_VERSION");
      if (staleError && preview.edit.removeMembership) {
        // Someone changed the membership since this page loaded: show what it is now, offer to re-apply.
        const fresh = await execute(PARTNER, { id: partnerId });
        const now = fresh.partner?.memberships.find((m) => m.council.id === preview.edit.removeMembership?.council);
        partner.reload();
        setPreview(null);
        setStale({
          message: now
            ? `${staleError.message} It is now ${now.role} (version ${now.version}).`
            : `${staleError.message} The membership no longer exists.`,
          retry: now ? { removeMembership: { ...preview.edit.removeMembership, version: now.version } } : {},
        });
        return;
      }
      if (errors.length) {
        setFieldErrors(errors);
        return;
      }
      setSaved(`Saved: ${preview.describe}.`);
      setPreview(null);
      partner.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };

  const errorFor = (name: string) =>
    fieldErrors
      .filter((e) => fieldOf(e) === name)
      .map((e) => (
        <span key={e.code + e.message} className="field-error" id={`${name}-error`} role="alert">
          {e.message} ({e.code})
        </span>
      ));
  const otherErrors = fieldErrors.filter((e) => !["council", "role", "partner", "publishedAfter", "publishedBefore"].includes(fieldOf(e)));

  return (
    <section>
      <Loading when={partner.loading} />
      <ErrorNote error={partner.error ?? councils.error ?? error} />
      {current && (
        <>
          <h1>Memberships of {current.name}</h1>
          <p>
            <a href={href(["partner", current.id])}>Back to the partner page</a>
          </p>
          <fieldset className="inline">
            <legend>Preview the impact on products published</legend>
            <label htmlFor="impact-after">from</label>
            <input id="impact-after" type="date" value={after} onChange={(e) => setAfter(e.target.value)} />
            <label htmlFor="impact-before">until (not including)</label>
            <input id="impact-before" type="date" value={before} onChange={(e) => setBefore(e.target.value)} />
            <small>Leave empty for every product (at most 200).</small>
          </fieldset>
          {errorFor("publishedAfter")}
          {errorFor("publishedBefore")}
          <table data-testid="memberships">
            <TableHead columns={["Council", "Role", "Change"]} />
            <tbody>
              {current.memberships.map((m) => (
                <tr key={m.council.id} data-council={m.council.id}>
                  <td>
                    <VertexLink id={m.council.id} name={m.council.name} type="COUNCIL" />
                  </td>
                  <td>{m.role}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        void propose(
                          { removeMembership: { partner: current.id, council: m.council.id, version: m.version } },
                          `remove ${current.name} from ${m.council.name}`,
                        )
                      }
                    >
                      Remove…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Add a membership</h2>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const name = councils.data?.search.nodes.find((c) => c.id === council)?.name ?? council;
              void propose(
                { addMembership: { partner: current.id, council, role } },
                `add ${current.name} to ${name} as ${role}`,
              );
            }}
          >
            <label htmlFor="find-council">Find a council</label>
            <input
              id="find-council"
              type="search"
              value={councilText}
              onChange={(e) => {
                setCouncilText(e.target.value);
                setCouncil("");
              }}
              placeholder="energy, water…"
            />
            <label htmlFor="edit-council">Council</label>
            <select
              id="edit-council"
              value={council}
              onChange={(e) => setCouncil(e.target.value)}
              aria-describedby="council-error"
            >
              <option value="">
                {!councils.data
                  ? "type a name to find councils"
                  : councils.data.search.totalCount > councils.data.search.nodes.length
                    ? `first ${councils.data.search.nodes.length} of ${councils.data.search.totalCount}: type more`
                    : `${councils.data.search.totalCount} found`}
              </option>
              {councils.data?.search.nodes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.kind})
                </option>
              ))}
            </select>
            {errorFor("council")}
            <label htmlFor="edit-role">Role</label>
            <select id="edit-role" value={role} onChange={(e) => setRole(e.target.value)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
            {errorFor("role")}
            <button type="submit">Preview impact</button>
          </form>
          {errorFor("partner")}
          {otherErrors.map((e) => (
            <p key={e.code + e.message} className="field-error" role="alert">
              {e.message} ({e.code})
            </p>
          ))}
          {stale && (
            <div className="stale" role="alert" data-testid="stale">
              <p>{stale.message}</p>
              {stale.retry.removeMembership && (
                <button
                  type="button"
                  onClick={() => void propose(stale.retry, `remove ${current.name} from ${stale.retry.removeMembership?.council}`)}
                >
                  Re-apply on the current version
                </button>
              )}
            </div>
          )}
          {preview && <ImpactPreview preview={preview} onSave={() => void save()} onCancel={() => setPreview(null)} />}
          {saved && <p role="status">{saved}</p>}
        </>
      )}
    </section>
  );
}

function ImpactPreview({ preview, onSave, onCancel }: { preview: Preview; onSave: () => void; onCancel: () => void }) {
  return (
    <section className="impact" aria-labelledby="impact-title" data-testid="impact">
      <h2 id="impact-title">Impact of this change: {preview.describe}</h2>
      <p data-testid="impact-summary">
        {preview.products.length === 0
          ? `No recipient list changes (${preview.considered} products considered).`
          : `${preview.products.length} of ${preview.considered} products considered would change recipients.`}
      </p>
      {preview.products.length > 0 && (
        <table>
          <TableHead columns={["Product", "Would gain", "Would lose"]} />
          <tbody>
            {preview.products.map((p) => (
              <tr key={p.product.id} data-product={p.product.id}>
                <td>
                  <ProductMarkings tlp={p.product.tlp} pcii={p.product.pcii} /> {p.product.title}
                </td>
                <td>{p.gained.map((g) => g.partner.name).join(", ")}</td>
                <td>{p.lost.map((l) => l.partner.name).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={onSave}>
        Save change
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
