// Peer nodes this node exchanges products with (ADMIN): listed, added or replaced, forgotten.
import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import { ErrorNote, Pager, Status, TableHead, UserErrors } from "../components";
import { useQuery } from "../hooks";
import { type FieldError, PEERS, REMOVE_PEER, SET_PEER } from "../operations";

export function PeersView() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, reload } = useQuery(PEERS, { first: 25, after: cursors[cursors.length - 1] });
  const [nodeId, setNodeId] = useState("");
  const [url, setUrl] = useState("");
  const [publicKey, setPublicKey] = useState("");
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (call: () => Promise<{ userErrors: FieldError[] }>, what: string) => {
    setErrors(null);
    setFailure(null);
    try {
      const answer = await call();
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else {
        setDone(what);
        reload();
      }
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => (await execute(SET_PEER, { input: { nodeId, url, publicKey } })).setPeer, `Saved peer ${nodeId}.`);
  };
  return (
    <section>
      <h1>Peer nodes</h1>
      <ErrorNote error={error ?? failure} />
      <UserErrors errors={errors} />
      <Status text={done} />
      {data && (
        <>
          <p>{data.peers.totalCount} peers.</p>
          <table data-testid="peers">
            <TableHead columns={["Node", "Address", "Credential", "Agreement", "Changed", ""]} />
            <tbody>
              {data.peers.nodes.map((p) => (
                <tr key={p.nodeId}>
                  <td>{p.nodeId}</td>
                  <td>{p.url}</td>
                  <td>{p.hasCredential ? "held" : "none"}</td>
                  <td>{p.agreement ? `${p.agreement.kinds.join(", ") || "every kind"} up to TLP:${p.agreement.highestTlp}` : "none"}</td>
                  <td>{p.modifiedAt?.slice(0, 16).replace("T", " ") ?? ""}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Forget ${p.nodeId}`}
                      onClick={() =>
                        void run(async () => (await execute(REMOVE_PEER, { nodeId: p.nodeId })).removePeer, `Forgot ${p.nodeId}.`)
                      }
                    >
                      Forget
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.peers.pageInfo} onPage={setCursors} />
        </>
      )}
      <form onSubmit={save} className="grid" aria-label="Add or replace a peer">
        <div className="field">
          <label htmlFor="peer-node">Node id</label>
          <input id="peer-node" required value={nodeId} onChange={(e) => setNodeId(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="peer-url">Address</label>
          <input id="peer-url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="peer-key">Public key</label>
          <input id="peer-key" required value={publicKey} onChange={(e) => setPublicKey(e.target.value)} />
        </div>
        <button type="submit">Save peer</button>
      </form>
    </section>
  );
}
