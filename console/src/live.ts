// Live updates: the service's subscriptions over graphql-transport-ws on /graphql (same origin),
// authenticated with the tab's bearer token in the connection_init payload.
import { type Client, createClient } from "graphql-ws";
import { useEffect, useRef } from "react";

import type { Operation } from "./api";
import { storedIdentity } from "./auth";

let shared: { token: string; client: Client } | null = null;

function client(): Client | null {
  const identity = storedIdentity();
  if (!identity) return null;
  if (shared?.token !== identity.token) {
    void shared?.client.dispose();
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    shared = {
      token: identity.token,
      client: createClient({
        url: `${scheme}://${window.location.host}/graphql`,
        connectionParams: { Authorization: `Bearer ${identity.token}` },
        lazy: true,
        retryAttempts: 5,
      }),
    };
  }
  return shared.client;
}

/** Calls `onEvent` for each event of a subscription while the component is shown; `null`
 * variables mean "not yet". The latest `onEvent` is used, so it may close over fresh state. */
export function useSubscription<T, V>(op: Operation<T, V>, variables: V | null, onEvent: (data: T) => void): void {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  const key = variables === null ? null : JSON.stringify(variables);
  useEffect(() => {
    const live = client();
    if (key === null || live === null) return;
    return live.subscribe<T>(
      { query: op.document, operationName: op.name, variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (message) => {
          if (message.data) latest.current(message.data as T);
        },
        error: () => undefined, // the view still shows what it read; a reload reads it again
        complete: () => undefined,
      },
    );
  }, [op, key]);
}

/** Closes the live connection (on sign-out). */
export function closeLive(): void {
  void shared?.client.dispose();
  shared = null;
}
