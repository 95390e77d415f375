// Requirement proposals (DESIGN §12): a member organisation of a council proposes a requirement;
// a steward of the council (or ADMIN) accepts or declines it with a reason; the proposer may
// withdraw it while it is still PROPOSED. Every list is paged and filtered by council and state.
import { type FormEvent, useState } from "react";

import { ApiError, execute } from "../api";
import type { Identity } from "../auth";
import { ErrorNote, Pager, Status, TableHead, UserErrors } from "../components";
import { useQuery } from "../hooks";
import {
  ACCEPT_PROPOSAL,
  DECLINE_PROPOSAL,
  type FieldError,
  PROPOSALS,
  PROPOSE_REQUIREMENT,
  type ProposalState,
  WITHDRAW_PROPOSAL,
} from "../operations";

const STATES: ProposalState[] = ["PROPOSED", "ACCEPTED", "DECLINED", "WITHDRAWN"];
const CHANNELS = ["EMAIL", "HSIN", "PHONE", "WATCH_CENTER"];

type Answer = { userErrors: FieldError[] };

export function ProposalsView({ identity }: { identity: Identity }) {
  const [council, setCouncil] = useState("");
  const [state, setState] = useState<ProposalState | "">("PROPOSED");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { data, error, reload } = useQuery(PROPOSALS, {
    first: 25,
    after: cursors[cursors.length - 1],
    council: council || null,
    state: state || null,
  });
  const [decision, setDecision] = useState("");
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (call: () => Promise<Answer>, what: string) => {
    setErrors(null);
    setFailure(null);
    setDone(null);
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
  const decide = (id: string, accept: boolean) =>
    void run(
      async () =>
        accept
          ? (await execute(ACCEPT_PROPOSAL, { id, reason: decision })).acceptProposal
          : (await execute(DECLINE_PROPOSAL, { id, reason: decision })).declineProposal,
      `${accept ? "Accepted" : "Declined"} ${id}.`,
    );
  const withdraw = (id: string) =>
    void run(async () => (await execute(WITHDRAW_PROPOSAL, { id })).withdrawProposal, `Withdrew ${id}.`);

  return (
    <section>
      <h1>Requirement proposals</h1>
      <ErrorNote error={error ?? failure} />
      <UserErrors errors={errors} />
      <Status text={done} />
      <form className="grid" aria-label="Filter proposals" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="proposals-council">Council id</label>
          <input
            id="proposals-council"
            value={council}
            onChange={(e) => {
              setCouncil(e.target.value.trim());
              setCursors([null]);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="proposals-state">State</label>
          <select
            id="proposals-state"
            value={state}
            onChange={(e) => {
              setState(e.target.value as ProposalState | "");
              setCursors([null]);
            }}
          >
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="proposals-decision">Reason for a decision</label>
          <input id="proposals-decision" value={decision} onChange={(e) => setDecision(e.target.value)} />
        </div>
      </form>
      {data && (
        <>
          <p>{data.requirementProposals.totalCount} proposals.</p>
          <table data-testid="proposals">
            <TableHead columns={["Proposal", "Council", "Requirement", "State", "Proposed by", "Reason", "Decision", ""]} />
            <tbody>
              {data.requirementProposals.nodes.map((p) => (
                <tr key={p.id}>
                  <td>{p.id}</td>
                  <td>{p.council}</td>
                  <td>{p.requirement ?? "new"}</td>
                  <td>{p.state}</td>
                  <td>
                    {p.proposer} ({p.proposedBy}), {p.at.slice(0, 16).replace("T", " ")}
                  </td>
                  <td>{p.reason ?? ""}</td>
                  <td>{p.decisionReason ?? ""}</td>
                  <td>
                    {p.state === "PROPOSED" && identity.role !== "ANALYST" && (
                      <>
                        <button type="button" aria-label={`Accept ${p.id}`} onClick={() => decide(p.id, true)}>
                          Accept
                        </button>
                        <button type="button" aria-label={`Decline ${p.id}`} onClick={() => decide(p.id, false)}>
                          Decline
                        </button>
                      </>
                    )}
                    {p.state === "PROPOSED" && identity.partner === p.proposer && (
                      <button type="button" aria-label={`Withdraw ${p.id}`} onClick={() => withdraw(p.id)}>
                        Withdraw
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} pageInfo={data.requirementProposals.pageInfo} onPage={setCursors} />
        </>
      )}
      {identity.role === "PARTNER" && (
        <ProposeForm
          onDone={(what) => {
            setDone(what);
            reload();
          }}
        />
      )}
    </section>
  );
}

function ProposeForm({ onDone }: { onDone: (what: string) => void }) {
  const [id, setId] = useState("");
  const [council, setCouncil] = useState("");
  const [sector, setSector] = useState("");
  const [channel, setChannel] = useState("EMAIL");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors(null);
    setFailure(null);
    try {
      const input = { create: { id, council, sector, audience: { council }, channel }, reason: reason || null };
      const answer = (await execute(PROPOSE_REQUIREMENT, { input })).proposeRequirement;
      if (answer.userErrors.length) setErrors(answer.userErrors);
      else onDone(`Proposed ${answer.proposal?.id ?? id}.`);
    } catch (err) {
      setFailure(err as ApiError);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="grid" aria-label="Propose a requirement">
      <h2>Propose a requirement</h2>
      <ErrorNote error={failure} />
      <UserErrors errors={errors} />
      <div className="field">
        <label htmlFor="propose-id">Requirement id</label>
        <input id="propose-id" required value={id} onChange={(e) => setId(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="propose-council">Council id (its members receive)</label>
        <input id="propose-council" required value={council} onChange={(e) => setCouncil(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="propose-sector">Sector id</label>
        <input id="propose-sector" required value={sector} onChange={(e) => setSector(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="propose-channel">Channel</label>
        <select id="propose-channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="propose-reason">Why</label>
        <input id="propose-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="submit">Propose</button>
    </form>
  );
}
