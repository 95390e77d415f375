// GraphiQL, bundled with the service so that it works on a machine without internet.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

import { takeTokenFromLocation } from "./auth";

const token = takeTokenFromLocation();
const fetcher = createGraphiQLFetcher({ url: "/graphql" });
const defaultHeaders = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined;

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultHeaders={defaultHeaders}
    defaultQuery={"{\n  sectors {\n    name\n  }\n}\n"}
  />,
);
