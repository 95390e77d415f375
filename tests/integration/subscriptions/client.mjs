// Subscribes with the graphql-ws client and prints one JSON line per happening:
//   {"connected": true} once acknowledged, {"next": <data>} per result, {"error": [...]},
//   {"closed": {"code": n, "reason": "..."}} when the server closes the socket.
// Usage: node client.mjs <ws url> <token or -> <query> <variables JSON> [results to wait for]
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, query, variables, wanted] = process.argv.slice(2);
const limit = Number(wanted || 0);
const say = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let received = 0;

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  shouldRetry: () => false,
  connectionParams: token === '-' ? {} : { Authorization: `Bearer ${token}` },
  on: {
    connected: () => say({ connected: true }),
    closed: (event) => {
      say({ closed: { code: event.code, reason: event.reason } });
      process.exit(0);
    },
  },
});

client.subscribe(
  { query, variables: JSON.parse(variables || '{}') },
  {
    next: (result) => {
      say(result.errors ? { error: result.errors } : { next: result.data });
      received += 1;
      if (limit && received >= limit) {
        client.dispose();
        say({ done: true });
        process.exit(0);
      }
    },
    error: (error) => {
      if (Array.isArray(error)) say({ error });
      else if (error && typeof error.code === 'number') say({ closed: { code: error.code, reason: error.reason } });
      else say({ error: String(error) });
    },
    complete: () => say({ complete: true }),
  },
);
