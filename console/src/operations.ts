// Every operation the console sends, as fixed documents (the set a persisted-query list would hold).

import { operation } from "./api";

export type Tlp = "CLEAR" | "GREEN" | "AMBER" | "AMBER_STRICT" | "RED";
export type VertexType = "PARTNER" | "COUNCIL";

export interface ProductSummary {
  id: string;
  title: string;
  kind: string;
  level: string;
  severity: string;
  tlp: Tlp;
  pcii: boolean;
  publishedAt: string;
}

export interface PartnerRef {
  id: string;
  name: string;
  kind: string;
}

export interface Contact {
  id: string;
  name: string;
  email: string;
  channels: string[];
  pciiAuthorized: boolean;
  active: boolean;
}

export interface Recipient {
  partner: PartnerRef;
  reasons: { source: string; ref: string | null }[];
  channels: string[];
  contacts: { name: string; email: string; channels: string[] }[];
}

export interface RecipientList {
  product: ProductSummary;
  recipients: Recipient[];
  excluded: { partner: PartnerRef; reason: string }[];
}

export interface FieldError {
  field: string[];
  code: string;
  message: string;
}

const PRODUCT_FIELDS = "id title kind level severity tlp pcii publishedAt";
const RECIPIENT_LIST_FIELDS = `
  product { ${PRODUCT_FIELDS} }
  recipients {
    partner { id name kind }
    reasons { source ref }
    channels
    contacts { name email channels }
  }
  excluded { partner { id name kind } reason }`;

export const SEARCH = operation<
  {
    search: {
      totalCount: number;
      nodes: (
        | { __typename: "Partner"; id: string; name: string; kind: string }
        | { __typename: "Council"; id: string; name: string; councilKind: string }
        | { __typename: "InformationProduct"; id: string; title: string; tlp: Tlp; pcii: boolean }
      )[];
    };
  },
  { text: string }
>(`query ConsoleSearch($text: String!) {
  search(text: $text, first: 20) {
    totalCount
    nodes {
      __typename
      ... on Partner { id name kind }
      ... on Council { id name councilKind: kind }
      ... on InformationProduct { id title tlp pcii }
    }
  }
}`);

export interface PartnerPage {
  id: string;
  name: string;
  kind: string;
  active: boolean;
  version: number;
  isGovernment: boolean;
  fusionCenter: { type: string } | null;
  sectors: { id: string; name: string }[];
  regions: { id: string; name: string; kind: string }[];
  memberships: { role: string; version: number; council: { id: string; name: string; kind: string } }[];
  partnersWith: PartnerRef[];
  clientOf: PartnerRef[];
  contacts: Contact[];
}

export const PARTNER = operation<{ partner: PartnerPage | null }, { id: string }>(`query ConsolePartner($id: ID!) {
  partner(id: $id) {
    id name kind active version isGovernment
    fusionCenter { type }
    sectors { id name }
    regions { id name kind }
    memberships { role version council { id name kind } }
    partnersWith { id name kind }
    clientOf { id name kind }
    contacts { id name email channels pciiAuthorized active }
  }
}`);

export interface CouncilPage {
  id: string;
  name: string;
  kind: string;
  sectors: { id: string; name: string }[];
  parent: { id: string; name: string } | null;
  members: { role: string; version: number; partner: PartnerRef }[];
  requirements: { id: string; kinds: string[]; levels: string[]; minSeverity: string | null; channel: string }[];
}

export const COUNCIL = operation<{ council: CouncilPage | null }, { id: string }>(`query ConsoleCouncil($id: ID!) {
  council(id: $id) {
    id name kind
    sectors { id name }
    parent { id name }
    members { role version partner { id name kind } }
    requirements { id kinds levels minSeverity channel }
  }
}`);

export interface Neighbor {
  id: string;
  name: string;
  type: VertexType;
  distance: number;
}

export const NEIGHBORHOOD = operation<{ neighborhood: Neighbor[] }, { id: string; depth: number }>(
  `query ConsoleNeighborhood($id: ID!, $depth: Int!) {
  neighborhood(partner: $id, depth: $depth) { id name type distance }
}`,
);

export const CONNECTION = operation<
  { connection: { length: number; path: { id: string; name: string; type: VertexType }[] } | null },
  { from: string; to: string }
>(`query ConsoleConnection($from: ID!, $to: ID!) {
  connection(from: $from, to: $to, maxHops: 6) { length path { id name type } }
}`);

export const PRODUCTS = operation<
  { products: { totalCount: number; nodes: ProductSummary[] } },
  { first: number; where: { OR: ({ title_CONTAINS: string } | { id: string })[] } | null }
>(`query ConsoleProducts($first: Int!, $where: InformationProductWhere) {
  products(first: $first, where: $where, sort: [{ publishedAt: DESC }]) {
    totalCount
    nodes { ${PRODUCT_FIELDS} }
  }
}`);

export const RECIPIENTS = operation<{ recipients: RecipientList }, { productId: string }>(
  `query ConsoleRecipients($productId: ID!) {
  recipients(productId: $productId) { ${RECIPIENT_LIST_FIELDS} }
}`,
);

export interface DraftProduct {
  title: string;
  kind: string;
  level: string;
  severity: string;
  tlp: Tlp;
  pcii: boolean;
  sectors: string[];
  topics: string[];
  regions: string[];
}

export const PREVIEW_RECIPIENTS = operation<{ previewRecipients: RecipientList }, { product: DraftProduct }>(
  `query ConsolePreviewRecipients($product: ProductInput!) {
  previewRecipients(product: $product) { ${RECIPIENT_LIST_FIELDS} }
}`,
);

export const DISSEMINATE = operation<
  { disseminate: { newlyDelivered: number; alreadyDelivered: number } },
  { productId: string }
>(`mutation ConsoleDisseminate($productId: ID!) {
  disseminate(productId: $productId) { newlyDelivered alreadyDelivered }
}`);

export interface InboxItem {
  deliveredAt: string;
  channels: string[];
  product: ProductSummary & { issuedBy: { id: string; name: string } | null };
}

export const INBOX = operation<
  { inbox: { totalCount: number; nodes: InboxItem[] } },
  { partnerId: string; first: number }
>(`query ConsoleInbox($partnerId: ID!, $first: Int!) {
  inbox(partnerId: $partnerId, first: $first) {
    totalCount
    nodes { deliveredAt channels product { ${PRODUCT_FIELDS} issuedBy { id name } } }
  }
}`);

export interface ProductImpact {
  product: ProductSummary;
  gained: { partner: PartnerRef }[];
  lost: { partner: PartnerRef }[];
}

export interface MembershipEdit {
  addMembership?: { partner: string; council: string; role: string };
  removeMembership?: { partner: string; council: string; version: number };
}

export const IMPACT_OF = operation<
  { impactOf: { considered: number; products: ProductImpact[]; userErrors: FieldError[] } },
  { edit: MembershipEdit; publishedAfter: string | null; publishedBefore: string | null }
>(`query ConsoleImpactOf($edit: ProposedEdit!, $publishedAfter: DateTime, $publishedBefore: DateTime) {
  impactOf(edit: $edit, publishedAfter: $publishedAfter, publishedBefore: $publishedBefore) {
    considered
    products { product { ${PRODUCT_FIELDS} } gained { partner { id name kind } } lost { partner { id name kind } } }
    userErrors { field code message }
  }
}`);

export const ADD_MEMBERSHIP = operation<
  { addMembership: { membership: { role: string; version: number } | null; userErrors: FieldError[] } },
  { input: { partner: string; council: string; role: string } }
>(`mutation ConsoleAddMembership($input: AddMembershipInput!) {
  addMembership(input: $input) { membership { role version } userErrors { field code message } }
}`);

export const REMOVE_MEMBERSHIP = operation<
  { removeMembership: { deletedId: string | null; userErrors: FieldError[] } },
  { input: { partner: string; council: string; version: number } }
>(`mutation ConsoleRemoveMembership($input: RemoveMembershipInput!) {
  removeMembership(input: $input) { deletedId userErrors { field code message } }
}`);

export const FIND_COUNCILS = operation<
  { search: { totalCount: number; nodes: { id: string; name: string; kind: string }[] } },
  { text: string }
>(`query ConsoleFindCouncils($text: String!) {
  search(text: $text, first: 20, only: [COUNCIL]) { totalCount nodes { ... on Council { id name kind } } }
}`);

export interface ReportSummary {
  id: string;
  title: string;
  kind: string;
  tlp: Tlp;
  state: string;
  pciiStatus: string;
  observedAt: string;
  submitter: { id: string; name: string };
  routedTo: { partner: { id: string; name: string }; reasons: { source: string; ref: string | null }[] }[];
}

export const REPORTS = operation<{ reports: { totalCount: number; nodes: ReportSummary[] } }, { first: number }>(
  `query ConsoleReports($first: Int!) {
  reports(first: $first) {
    totalCount
    nodes {
      id title kind tlp state pciiStatus observedAt submitter { id name }
      routedTo { partner { id name } reasons { source ref } }
    }
  }
}`,
);
