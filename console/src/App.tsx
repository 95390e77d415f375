import { useState } from "react";

import { type Identity, storedIdentity, storeToken, takeTokenFromLocation } from "./auth";
import { href, useRoute } from "./route";
import { CouncilView, DirectoryView, PartnerView } from "./views/Directory";
import { AdminView, SectorsView } from "./views/Admin";
import { EditMembershipsView } from "./views/Editing";
import { AuditView, ImportView } from "./views/Exchange";
import { InboxView } from "./views/Inbox";
import { NetworkView } from "./views/Network";
import { OpenSourceView } from "./views/OpenSource";
import { PeersView } from "./views/Peers";
import { closeLive } from "./live";
import { PlannerView } from "./views/Planner";
import { ProposalsView } from "./views/Proposals";
import { NewProductView, ProductsView, ProductView } from "./views/Products";
import { ReportsView } from "./views/Reports";
import { CanShareView, DailyReportView } from "./views/Sharing";
import { SignInView } from "./views/SignIn";
import { WatchView } from "./views/Watch";

takeTokenFromLocation();

interface NavItem {
  path: string;
  label: string;
  roles: Identity["role"][];
}

const NAV: NavItem[] = [
  { path: "directory", label: "Directory", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "network", label: "Network", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "products", label: "Products", roles: ["ADMIN", "ANALYST"] },
  { path: "planner", label: "Recipient planner", roles: ["ADMIN", "ANALYST"] },
  { path: "watch", label: "Watch floor", roles: ["ADMIN", "ANALYST"] },
  { path: "inbox", label: "Inbox", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "reports", label: "Reports", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "can-share", label: "May I share?", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "daily", label: "Daily Report", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "open-source", label: "Open-source report", roles: ["ADMIN", "ANALYST", "PARTNER"] },
  { path: "proposals", label: "Proposals", roles: ["ADMIN", "PARTNER"] },
  { path: "admin", label: "Administration", roles: ["ADMIN"] },
];

export function App() {
  const [identity, setIdentity] = useState<Identity | null>(storedIdentity);
  const route = useRoute();

  if (!identity) {
    return (
      <Shell identity={null} onSignOut={() => undefined} active="">
        <SignInView onSignedIn={setIdentity} />
      </Shell>
    );
  }
  const [view = identity.role === "PARTNER" ? "inbox" : "directory", id] = route.path;
  const signOut = () => {
    storeToken(null);
    closeLive();
    setIdentity(null);
  };
  return (
    <Shell identity={identity} onSignOut={signOut} active={view}>
      {view === "directory" && <DirectoryView initial={route.params.get("q") ?? ""} />}
      {view === "partner" && id && <PartnerView id={id} identity={identity} />}
      {view === "council" && id && <CouncilView id={id} />}
      {view === "network" && <NetworkView id={id ?? null} params={route.params} />}
      {view === "products" && <ProductsView identity={identity} />}
      {view === "product" && id === "new" && <NewProductView />}
      {view === "product" && id && id !== "new" && <ProductView identity={identity} id={id} params={route.params} />}
      {view === "watch" && <WatchView />}
      {view === "admin" && <AdminView collection={id ?? null} params={route.params} />}
      {view === "sectors" && <SectorsView />}
      {view === "peers" && <PeersView />}
      {view === "proposals" && <ProposalsView identity={identity} />}
      {view === "open-source" && <OpenSourceView />}
      {view === "import" && <ImportView />}
      {view === "audit" && <AuditView />}
      {view === "can-share" && <CanShareView params={route.params} />}
      {view === "daily" && <DailyReportView params={route.params} />}
      {view === "planner" && <PlannerView productId={id ?? null} params={route.params} />}
      {view === "edit" && id && <EditMembershipsView partnerId={id} identity={identity} />}
      {view === "inbox" && <InboxView identity={identity} partnerId={id ?? identity.partner} />}
      {view === "reports" && <ReportsView identity={identity} reportId={id ?? null} />}
      {view === "sign-in" && <SignInView onSignedIn={setIdentity} />}
    </Shell>
  );
}

function Shell({
  identity,
  onSignOut,
  active,
  children,
}: {
  identity: Identity | null;
  onSignOut: () => void;
  active: string;
  children: React.ReactNode;
}) {
  const graphiql = identity ? `/graphql#token=${encodeURIComponent(identity.token)}` : "/graphql";
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">ISE Graph</span>
        {identity && (
          <nav aria-label="Views">
            {NAV.filter((item) => item.roles.includes(identity.role)).map((item) => (
              <a key={item.path} href={href([item.path])} aria-current={active === item.path ? "page" : undefined}>
                {item.label}
              </a>
            ))}
            <a href={graphiql}>GraphiQL</a>
          </nav>
        )}
        {identity && (
          <span className="who">
            <span data-testid="signed-in-as">
              {identity.role}
              {identity.partner ? ` · ${identity.partner}` : ""}
            </span>
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
