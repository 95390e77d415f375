// GraphiQL, bundled with the service so that it works on a machine without internet.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

import { takeTokenFromLocation } from "./auth";

const token = takeTokenFromLocation();
const authorization = token ? { Authorization: `Bearer ${token}` } : undefined;
// The signed-in token goes with every request, the schema's introspection included; the Headers
// tab shows it too, and headers typed there are added (or override it).
const fetcher = createGraphiQLFetcher({ url: "/graphql", headers: authorization });
const defaultHeaders = authorization ? JSON.stringify(authorization, null, 2) : undefined;

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultHeaders={defaultHeaders}
    defaultQuery={"{\n  sectors {\n    name\n  }\n}\n"}
  />,
);
