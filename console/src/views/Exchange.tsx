// Import (a dry run first, each problem at its JSON path), export, and the audit log.
import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import { ErrorNote, Loading, Pager, Status, TableHead } from "../components";
import { useQuery, useSettled } from "../hooks";
import { AUDIT_CHAIN, AUDIT_LOG, EXPORT_NETWORK, IMPORT_NETWORK } from "../operations";

type ImportAnswer = Awaited<ReturnType<typeof runImport>>;

async function runImport(document: unknown, dryRun: boolean) {
  return (await execute(IMPORT_NETWORK, { document, dryRun })).importNetwork;
}

export function ImportView() {
  const [text, setText] = useState("");
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const run = async (dryRun: boolean) => {
    setFailure(null);
    setAnswer(null);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (err) {
      setFailure(new ApiError(`That is not JSON: ${(err as Error).message}`, "BAD_JSON", 0));
      return;
    }
    try {
      setAnswer(await runImport(document, dryRun));
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(true);
  };
  const exportAll = async () => {
    setFailure(null);
    try {
      const body = JSON.stringify((await execute(EXPORT_NETWORK, {})).exportNetwork, null, 2);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([body], { type: "application/json" }));
      link.download = "isegraph-network.json";
      link.click();
      setExported(`Exported ${body.length.toLocaleString()} characters as isegraph-network.json.`);
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <section>
      <h1>Import and export</h1>
      <p>
        <button type="button" onClick={() => void exportAll()}>
          Export the whole network
        </button>
      </p>
      <Status text={exported} />
      <form onSubmit={submit} aria-label="Import">
        <label htmlFor="import-document">Interchange document (JSON)</label>
        <textarea id="import-document" rows={12} value={text} onChange={(e) => setText(e.target.value)} />
        <p className="actions">
          <button type="submit">Dry run</button>
          <button type="button" disabled={!answer?.ok || !answer.dryRun} onClick={() => void run(false)}>
            Import for real
          </button>
        </p>
      </form>
      <ErrorNote error={failure} />
      {answer && (
        <section aria-labelledby="import-result" data-testid="import-result">
          <h2 id="import-result">
            {answer.dryRun ? "Dry run" : "Import"}: {answer.ok ? "no problem found" : `${answer.errors.length} problems`}
          </h2>
          {answer.errors.length > 0 && (
            <table data-testid="import-problems">
              <TableHead columns={["Path", "Code", "Problem"]} />
              <tbody>
                {answer.errors.map((e) => (
                  <tr key={`${e.path}-${e.code}`}>
                    <td>
                      <code>{e.path}</code>
                    </td>
                    <td>{e.code}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <table>
            <TableHead columns={["Collection", "Created", "Updated"]} />
            <tbody>
              {answer.counts.map((c) => (
                <tr key={c.collection}>
                  <td>{c.collection}</td>
                  <td>{c.created}</td>
                  <td>{c.updated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

function VerifyChain() {
  const [answer, setAnswer] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const verify = async () => {
    setFailure(null);
    setAnswer(null);
    try {
      const chain = (await execute(AUDIT_CHAIN, {})).auditChain;
      setAnswer(
        chain.intact
          ? `The chain is intact: ${chain.records} records checked (${chain.unchained} written before chaining).`
          : `The chain is broken at record ${chain.brokenAt}: ${chain.reason}.`,
      );
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <div>
      <button type="button" onClick={() => void verify()}>
        Verify the chain
      </button>
      {answer && (
        <p role="status" className="status" data-testid="chain">
          {answer}
        </p>
      )}
      <ErrorNote error={failure} />
    </div>
  );
}

export function AuditView() {
  const [operation, setOperation] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const asked = useSettled(operation);
  const { data, error, loading } = useQuery(AUDIT_LOG, {
    first: 25,
    after: cursors[cursors.length - 1],
    operation: asked || null,
  });
  return (
    <section>
      <h1>Audit log</h1>
      <VerifyChain />
      <div className="inline">
        <label htmlFor="audit-operation">Operation</label>
        <input
          id="audit-operation"
          type="search"
          value={operation}
          placeholder="retryDelivery"
          onChange={(e) => {
            setOperation(e.target.value);
            setCursors([null]);
          }}
        />
      </div>
      <Loading when={loading && !data} />
      <ErrorNote error={error} />
      {data && (
        <>
          <p aria-live="polite">{data.auditLog.totalCount} records, newest first.</p>
          <table data-testid="audit-log">
            <TableHead columns={["At", "Who", "Operation", "Arguments", "Outcome"]} />
            <tbody>
              {data.auditLog.nodes.map((r) => (
                <tr key={r.id}>
                  <td>{r.at.slice(0, 19).replace("T", " ")}</td>
                  <td>
                    {r.actor} ({r.role}
                    {r.partner ? `, ${r.partner}` : ""})
                  </td>
                  <td>{r.operation}</td>
                  <td>
                    <code>{r.arguments.length > 160 ? `${r.arguments.slice(0, 160)}…` : r.arguments}</code>
                  </td>
                  <td>{r.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.auditLog.pageInfo} onPage={setCursors} />
        </>
      )}
    </section>
  );
}
