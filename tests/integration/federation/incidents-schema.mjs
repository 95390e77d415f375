// A second subgraph written for the test: an incident service that references ISE Graph's
// Partner by key and extends it with openIncidents.
export const INCIDENTS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Incident @key(fields: "id") {
    id: ID!
    title: String!
    partner: Partner!
  }

  type Partner @key(fields: "id") {
    id: ID!
    openIncidents: [Incident!]!
  }

  type Query {
    incidents: [Incident!]!
  }
`;

export const INCIDENTS = [
  { id: "inc-1", title: "Substation intrusion", partner: "fc-ca" },
  { id: "inc-2", title: "Phishing wave", partner: "fc-ca" },
  { id: "inc-3", title: "Flooded pump station", partner: "fc-tx" },
];
