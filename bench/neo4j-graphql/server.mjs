// A plain Neo4j GraphQL Library server over the ISE Graph database, without authentication,
// for bench/compare.py. Usage: NEO4J_URI=... NEO4J_USER=... NEO4J_PASSWORD=... node server.mjs PORT
// It prints "ready" on one line once it listens.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const port = Number(process.argv[2] ?? 8091);
const database = process.env.NEO4J_DATABASE ?? "neo4j";
const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(
  process.env.NEO4J_URI ?? "neo4j://127.0.0.1:7687",
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""),
);
await driver.verifyConnectivity({ database });

const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema, introspection: true });
await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
  context: async () => ({ sessionConfig: { database } }),
});
console.log("ready");

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
