// Composes the running subgraphs through an Apollo gateway (IntrospectAndCompose), runs one
// query through it and prints the answer as JSON. ISE Graph needs a bearer token: TOKEN.
import { ApolloServer } from "@apollo/server";
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";

const [iseUrl, incidentsUrl, query] = process.argv.slice(2);
const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: "isegraph", url: iseUrl },
      { name: "incidents", url: incidentsUrl },
    ],
    introspectionHeaders: { authorization: `Bearer ${process.env.TOKEN}` },
  }),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        request.http.headers.set("authorization", `Bearer ${process.env.TOKEN}`);
      },
    }),
});
const server = new ApolloServer({ gateway });
await server.start();
const response = await server.executeOperation({ query });
console.log(JSON.stringify(response.body.singleResult));
await server.stop();
