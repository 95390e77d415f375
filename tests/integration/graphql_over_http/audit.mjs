// Runs graphql-http's serverAudits against a running ISE Graph and prints one JSON line:
// [{id, name, status, reason}] for every audit. Usage: TOKEN=... node audit.mjs URL
import { serverAudits } from 'graphql-http';

const [url] = process.argv.slice(2);
const token = process.env.TOKEN;
// Every GraphQL request to ISE Graph carries a bearer token, as any client's does.
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` } });

const results = await Promise.all(serverAudits({ url, fetchFn }).map(({ fn }) => fn()));
console.log(
  JSON.stringify(results.map(({ id, name, status, reason }) => ({ id, name, status, reason: reason ?? null }))),
);
