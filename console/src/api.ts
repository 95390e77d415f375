// The console's only way to the service: named GraphQL operations POSTed to /graphql.
//
// Every request goes through `execute`; each operation's document is fixed text, known at build
// time, so persisted-query hashes can replace the documents (see USE_PERSISTED_QUERIES).

import { storedIdentity } from "./auth";

export interface Operation<TData, TVariables> {
  name: string;
  document: string;
  // Phantom fields tie the result and variable types to the operation.
  readonly _data?: TData;
  readonly _variables?: TVariables;
}

export function operation<TData, TVariables = Record<string, never>>(
  document: string,
): Operation<TData, TVariables> {
  const name = /(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1];
  if (!name) throw new Error("Every console operation is named.");
  return { name, document };
}

export interface GraphQLErrorEntry {
  message: string;
  extensions?: { code?: string; field?: string };
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(message: string, code: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// Automatic persisted queries (Apollo's protocol): a document travels with its SHA-256 the first
// time this page sends it, which registers it; after that the hash alone is sent. Should the
// service have forgotten it (a restart), it answers PERSISTED_QUERY_NOT_FOUND and the document is
// sent again. Registering on first use means the service never has to refuse a fresh page's first
// request, which the browser would log as an error.
const USE_PERSISTED_QUERIES = true;
const registered = new Set<string>();

interface Answer<TData> {
  status: number;
  body: { data?: TData; errors?: GraphQLErrorEntry[] } | null;
}

async function post<TData>(body: object): Promise<Answer<TData>> {
  const identity = storedIdentity();
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (identity) headers.Authorization = `Bearer ${identity.token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    throw new ApiError("The service does not answer. Is it running?", "NETWORK", 0);
  }
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function send<TData, TVariables>(op: Operation<TData, TVariables>, variables: TVariables): Promise<Answer<TData>> {
  const request = { operationName: op.name, variables };
  if (!USE_PERSISTED_QUERIES) return post({ ...request, query: op.document });
  const hash = await sha256Hex(op.document);
  const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  if (registered.has(hash)) {
    const byHash = await post<TData>({ ...request, extensions });
    if (byHash.body?.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND") return byHash;
  }
  const answer = await post<TData>({ ...request, extensions, query: op.document });
  // A document that reached execution (its answer has `data`) passed validation and is stored.
  if (answer.body && "data" in answer.body) registered.add(hash);
  return answer;
}

export async function execute<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const { status, body } = await send(op, variables);
  if (body?.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", status);
  }
  if (status >= 400 || !body?.data) {
    throw new ApiError(`The service answered HTTP ${status}.`, "HTTP", status);
  }
  return body.data;
}
