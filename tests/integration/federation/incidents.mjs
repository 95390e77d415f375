// Serves the incidents subgraph on the port given as the first argument; prints "ready" once up.
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import gql from "graphql-tag";
import { INCIDENTS, INCIDENTS_SDL } from "./incidents-schema.mjs";

const resolvers = {
  Query: { incidents: () => INCIDENTS },
  Incident: { partner: (incident) => ({ id: incident.partner }) },
  Partner: {
    __resolveReference: (partner) => ({ id: partner.id }),
    openIncidents: (partner) => INCIDENTS.filter((i) => i.partner === partner.id),
  },
};
const server = new ApolloServer({
  schema: buildSubgraphSchema({ typeDefs: gql(INCIDENTS_SDL), resolvers }),
  plugins: [ApolloServerPluginInlineTraceDisabled()],
});
await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(process.argv[2]) } });
console.log("ready");
