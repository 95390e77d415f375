// The console's only way to the service: named GraphQL operations POSTed to /graphql.
//
// Every request goes through `execute`. Sending persisted-query hashes instead of documents is a
// change to `requestBody` alone: each operation's document is fixed text, known at build time.

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

function requestBody<TData, TVariables>(op: Operation<TData, TVariables>, variables: TVariables): string {
  return JSON.stringify({ operationName: op.name, query: op.document, variables });
}

export async function execute<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const identity = storedIdentity();
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (identity) headers.Authorization = `Bearer ${identity.token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: requestBody(op, variables) });
  } catch {
    throw new ApiError("The service does not answer. Is it running?", "NETWORK", 0);
  }
  const body = (await response.json().catch(() => null)) as {
    data?: TData;
    errors?: GraphQLErrorEntry[];
  } | null;
  if (body?.errors?.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", response.status);
  }
  if (!response.ok || !body?.data) {
    throw new ApiError(`The service answered HTTP ${response.status}.`, "HTTP", response.status);
  }
  return body.data;
}
