// Reports upward: a partner submits one and follows its state; those it is routed to (and staff)
// triage it: review, close, publish, and (ADMIN) validate or decline PCII.
import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import type { Identity } from "../auth";
import { ErrorNote, Loading, Pager, Status, TlpLabel, UserErrors } from "../components";
import { useQuery } from "../hooks";
import { useSubscription } from "../live";
import {
  CLOSE_REPORT,
  DECLINE_PCII,
  type FieldError,
  PUBLISH_REPORT,
  REPORT,
  REPORT_PAGE,
  type ReportDetail,
  REVIEW_REPORT,
  SUBMIT_REPORT,
  type Tlp,
  VALIDATE_PCII,
  VOCABULARY,
  WATCH_FEED,
} from "../operations";
import { href, navigate } from "../route";
import { LEVELS, SEVERITIES } from "./Products";

const STATES = ["PCII_PENDING", "SUBMITTED", "IN_REVIEW", "PUBLISHED", "CLOSED"];
const REPORT_KINDS = ["SUSPICIOUS_ACTIVITY", "INCIDENT", "REQUEST_FOR_INFORMATION"];
const REPORT_EVENTS = ["REPORT_SUBMITTED", "REPORT_STATE_CHANGED"];

export function ReportsView({ identity, reportId }: { identity: Identity; reportId: string | null }) {
  if (reportId === "new") return <SubmitReport />;
  if (reportId) return <ReportPage identity={identity} id={reportId} />;
  return <ReportList identity={identity} />;
}

function ReportList({ identity }: { identity: Identity }) {
  const [state, setState] = useState("");
  const [kind, setKind] = useState("");
  const [routedToMe, setRoutedToMe] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, loading, reload } = useQuery(REPORT_PAGE, {
    first: 25,
    after: cursors[cursors.length - 1],
    state: state ? [state] : null,
    kind: kind ? [kind] : null,
    routedTo: routedToMe ? identity.partner : null,
  });
  // A partner hears of new reports routed to it; staff of every report's changes.
  const kinds = identity.role === "PARTNER" ? ["REPORT_SUBMITTED"] : REPORT_EVENTS;
  useSubscription(WATCH_FEED, { kinds }, () => reload());
  const filter = (change: () => void) => {
    change();
    setCursors([null]);
  };
  return (
    <section>
      <h1>Reports</h1>
      <p>
        {identity.role === "PARTNER"
          ? "Reports your organisation submitted, and reports routed to it."
          : "Every report partners submitted."}{" "}
        {identity.role === "PARTNER" && <a href={href(["reports", "new"])}>Submit a report</a>}
      </p>
      <div className="inline">
        <label htmlFor="reports-state">State</label>
        <select id="reports-state" value={state} onChange={(e) => filter(() => setState(e.target.value))}>
          <option value="">any</option>
          {STATES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="reports-kind">Kind</label>
        <select id="reports-kind" value={kind} onChange={(e) => filter(() => setKind(e.target.value))}>
          <option value="">any</option>
          {REPORT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        {identity.partner && (
          <>
            <input
              id="reports-routed"
              type="checkbox"
              checked={routedToMe}
              onChange={(e) => filter(() => setRoutedToMe(e.target.checked))}
            />
            <label htmlFor="reports-routed">Routed to my organisation</label>
          </>
        )}
      </div>
      <Loading when={loading && !data} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p aria-live="polite">
            {data.reports.totalCount} {data.reports.totalCount === 1 ? "report" : "reports"}, newest first.
          </p>
          <ol className="inbox" data-testid="reports">
            {data.reports.nodes.map((report) => (
              <li key={report.id} data-report={report.id}>
                <article aria-labelledby={`report-${report.id}`}>
                  <header>
                    <TlpLabel tlp={report.tlp} /> <strong id={`report-${report.id}`}>{report.title}</strong>{" "}
                    <a href={href(["reports", report.id])} aria-label={`Open ${report.title}`}>
                      Open
                    </a>
                  </header>
                  <p>
                    {report.kind} · <span data-testid="report-state">{report.state}</span>
                    {report.pciiStatus !== "NOT_REQUESTED" ? ` · PCII ${report.pciiStatus}` : ""} · from{" "}
                    {report.submitter.name} · observed {report.observedAt.slice(0, 16).replace("T", " ")}
                  </p>
                  <p>
                    Routed to:{" "}
                    {report.routedTo
                      .map((route) => `${route.partner.name} (${route.reasons.map((r) => r.source).join(", ")})`)
                      .join("; ")}
                  </p>
                </article>
              </li>
            ))}
          </ol>
          <Pager cursors={cursors} pageInfo={data.reports.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}

function SubmitReport() {
  const vocabulary = useQuery(VOCABULARY, {});
  const [title, setTitle] = useState("");
  const [summary, setSummary] = useState("");
  const [kind, setKind] = useState("SUSPICIOUS_ACTIVITY");
  const [tlp, setTlp] = useState<Tlp>("AMBER");
  const [pciiRequested, setPcii] = useState(false);
  const [regions, setRegions] = useState<string[]>([]);
  const [sectors, setSectors] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setFailure(null);
    try {
      const answer = (
        await execute(SUBMIT_REPORT, { input: { title, summary, kind, tlp, pciiRequested, regions, sectors } })
      ).submitReport;
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else if (answer.report) navigate(["reports", answer.report.id]);
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <section>
      <p>
        <a href={href(["reports"])}>All reports</a>
      </p>
      <h1>Submit a report</h1>
      <form onSubmit={submit} aria-label="Submit a report">
        <div className="grid">
          <div className="field">
            <label htmlFor="report-title">Title</label>
            <input id="report-title" required value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="report-kind">Kind</label>
            <select id="report-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {REPORT_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-tlp">TLP</label>
            <select id="report-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
              {(["GREEN", "AMBER", "AMBER_STRICT", "RED"] as Tlp[]).map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-regions">Regions</label>
            <select
              id="report-regions"
              multiple
              size={5}
              value={regions}
              onChange={(e) => setRegions(Array.from(e.target.selectedOptions, (o) => o.value))}
            >
              {(vocabulary.data?.regions ?? []).map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-sectors">Sectors</label>
            <select
              id="report-sectors"
              multiple
              size={5}
              value={sectors}
              onChange={(e) => setSectors(Array.from(e.target.selectedOptions, (o) => o.value))}
            >
              {(vocabulary.data?.sectors ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="report-pcii">Request PCII protection</label>
            <input id="report-pcii" type="checkbox" checked={pciiRequested} onChange={(e) => setPcii(e.target.checked)} />
          </div>
        </div>
        <label htmlFor="report-summary">What happened</label>
        <textarea id="report-summary" required rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} />
        <UserErrors errors={errors} />
        <ErrorNote error={failure} />
        <button type="submit">Submit report</button>
      </form>
    </section>
  );
}

function ReportPage({ identity, id }: { identity: Identity; id: string }) {
  const { data, error, loading, reload } = useQuery(REPORT, { id });
  // Staff follow its state live (a PARTNER's feed carries only new reports routed to it).
  const follow = identity.role === "PARTNER" ? null : { kinds: ["REPORT_STATE_CHANGED"] };
  useSubscription(WATCH_FEED, follow, (event) => {
    if (event.watchFeed.key === id) reload();
  });
  const report = data?.report;
  return (
    <section>
      <p>
        <a href={href(["reports"])}>All reports</a>
      </p>
      <Loading when={loading && !data} />
      <ErrorNote error={error} />
      {data && !report && <p>There is no report {id} that you may see.</p>}
      {report && (
        <>
          <h1>
            <TlpLabel tlp={report.tlp} /> {report.title}
          </h1>
          <dl className="facts">
            <dt>State</dt>
            <dd data-testid="report-state">{report.state}</dd>
            <dt>PCII</dt>
            <dd data-testid="report-pcii">{report.pciiStatus}</dd>
            <dt>Kind</dt>
            <dd>{report.kind}</dd>
            <dt>From</dt>
            <dd>
              {report.submitter.name} ({report.submittedBy}), {report.submittedAt.slice(0, 16).replace("T", " ")}
            </dd>
            <dt>Routed to</dt>
            <dd>{report.routedTo.map((r) => r.partner.name).join(", ")}</dd>
            <dt>Regions</dt>
            <dd>{report.regions.map((r) => r.name).join(", ") || "—"}</dd>
            {report.product && (
              <>
                <dt>Published as</dt>
                <dd data-testid="report-product">
                  {identity.role === "PARTNER" ? (
                    report.product.title
                  ) : (
                    <a href={href(["product", report.product.id])}>{report.product.title}</a>
                  )}
                </dd>
              </>
            )}
          </dl>
          <p>{report.summary}</p>
          <h2>History</h2>
          <ol data-testid="report-history">
            {report.history.map((step) => (
              <li key={`${step.at}-${step.state}`}>
                {step.at.slice(0, 16).replace("T", " ")} {step.state} by {step.by}
                {step.note ? `: ${step.note}` : ""}
              </li>
            ))}
          </ol>
          <Triage identity={identity} report={report} onDone={reload} />
        </>
      )}
    </section>
  );
}

function Triage({ identity, report, onDone }: { identity: Identity; report: ReportDetail; onDone: () => void }) {
  const [note, setNote] = useState("");
  const [severity, setSeverity] = useState("HIGH");
  const [level, setLevel] = useState("OPERATIONAL");
  const [reveal, setReveal] = useState(false);
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const routed = report.routedTo.some((r) => r.partner.id === identity.partner);
  if (identity.role === "PARTNER" && !routed) return null;
  const run = async (label: string, call: () => Promise<{ userErrors: FieldError[] }>) => {
    setErrors(null);
    setFailure(null);
    try {
      const answer = await call();
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else {
        setDone(label);
        onDone();
      }
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const args = { id: report.id, note: note || null };
  return (
    <section aria-labelledby="triage-heading" className="impact">
      <h2 id="triage-heading">Triage</h2>
      <label htmlFor="triage-note">Note</label>
      <input id="triage-note" value={note} onChange={(e) => setNote(e.target.value)} />
      <p className="actions">
        {report.state === "SUBMITTED" && (
          <button type="button" onClick={() => void run("Taken into review.", async () => (await execute(REVIEW_REPORT, args)).reviewReport)}>
            Take into review
          </button>
        )}
        {report.state === "IN_REVIEW" && (
          <button type="button" onClick={() => void run("Closed.", async () => (await execute(CLOSE_REPORT, args)).closeReport)}>
            Close without publishing
          </button>
        )}
        {report.state === "PCII_PENDING" && identity.role === "ADMIN" && (
          <>
            <button type="button" onClick={() => void run("PCII validated.", async () => (await execute(VALIDATE_PCII, args)).validatePcii)}>
              Validate PCII
            </button>
            <button type="button" onClick={() => void run("PCII declined.", async () => (await execute(DECLINE_PCII, args)).declinePcii)}>
              Decline PCII
            </button>
          </>
        )}
        {report.state === "PCII_PENDING" && identity.role !== "ADMIN" && <span>PCII requested: waiting for an ADMIN.</span>}
      </p>
      {report.state === "IN_REVIEW" && (
        <form
          className="inline"
          aria-label="Publish"
          onSubmit={(event) => {
            event.preventDefault();
            void run("Published and disseminated.", async () =>
              (await execute(PUBLISH_REPORT, { id: report.id, input: { severity, level, revealSubmitter: reveal } })).publishReport,
            );
          }}
        >
          <label htmlFor="publish-severity">Severity</label>
          <select id="publish-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            {SEVERITIES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <label htmlFor="publish-level">Level</label>
          <select id="publish-level" value={level} onChange={(e) => setLevel(e.target.value)}>
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
          <input id="publish-reveal" type="checkbox" checked={reveal} onChange={(e) => setReveal(e.target.checked)} />
          <label htmlFor="publish-reveal">Name the submitter</label>
          <button type="submit">Publish as a product</button>
        </form>
      )}
      <Status text={done} />
      <UserErrors errors={errors} />
      <ErrorNote error={failure} />
    </section>
  );
}
