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
  const name = /(?:query|mutation)\s+(\w+)/.exec(document)?.[1];
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

// Automatic persisted queries (Apollo's protocol): send the document's SHA-256 first, and the
// document itself only when the service answers PERSISTED_QUERY_NOT_FOUND. Off until the service
// accepts them; turning this on is the whole switch.
const USE_PERSISTED_QUERIES = false;

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
  const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256Hex(op.document) } };
  const first = await post<TData>({ ...request, extensions });
  if (first.body?.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND") return first;
  return post({ ...request, extensions, query: op.document });
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
