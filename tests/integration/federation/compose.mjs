// Composes ISE Graph's subgraph schema (a file holding its `_service { sdl }`) with the incidents
// subgraph, and prints {errors, hints} as JSON.
import { readFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import { INCIDENTS_SDL } from "./incidents-schema.mjs";

const iseSdl = readFileSync(process.argv[2], "utf8");
const result = composeServices([
  { name: "isegraph", url: "http://isegraph.invalid/graphql", typeDefs: parse(iseSdl) },
  { name: "incidents", url: "http://incidents.invalid/graphql", typeDefs: parse(INCIDENTS_SDL) },
]);
console.log(JSON.stringify({
  errors: (result.errors ?? []).map((e) => e.message),
  hints: (result.hints ?? []).map((h) => ({ code: h.definition.code, message: h.message })),
}));
