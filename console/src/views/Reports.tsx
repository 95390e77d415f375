import type { Identity } from "../auth";
import { ErrorNote, Loading, TlpLabel } from "../components";
import { useQuery } from "../hooks";
import { REPORTS } from "../operations";

// The reports this user may see: its organisation's own and those routed to it (all, for staff).
export function ReportsView({ identity, reportId }: { identity: Identity; reportId: string | null }) {
  const { data, error, loading } = useQuery(REPORTS, { first: 100 });
  const shown = data ? data.reports.nodes.filter((r) => reportId === null || r.id === reportId) : [];
  return (
    <section>
      <h1>Reports</h1>
      <p>
        {identity.role === "PARTNER"
          ? "Reports your organisation submitted, and reports routed to it."
          : "Every report partners submitted."}
      </p>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p>
            {data.reports.totalCount} {data.reports.totalCount === 1 ? "report" : "reports"}, newest first.
          </p>
          <ol className="inbox" data-testid="reports">
            {shown.map((report) => (
              <li key={report.id} data-report={report.id}>
                <article aria-labelledby={`report-${report.id}`}>
                  <header>
                    <TlpLabel tlp={report.tlp} /> <strong id={`report-${report.id}`}>{report.title}</strong>
                  </header>
                  <p>
                    {report.kind} · {report.state}
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
        </>
      )}
    </section>
  );
}
