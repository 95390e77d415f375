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

export interface InboxItem {
  deliveredAt: string;
  channels: string[];
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  product: ProductSummary & { issuedBy: { id: string; name: string } | null };
}

export const INBOX = operation<
  {
    inbox: {
      totalCount: number;
      nodes: InboxItem[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  },
  { partnerId: string; first: number; after: string | null }
>(`query ConsoleInbox($partnerId: ID!, $first: Int!, $after: String) {
  inbox(partnerId: $partnerId, first: $first, after: $after) {
    totalCount
    nodes { deliveredAt channels acknowledgedAt acknowledgedBy product { ${PRODUCT_FIELDS} issuedBy { id name } } }
    pageInfo { hasNextPage endCursor }
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

// -- products: author, edit, follow delivery ---------------------------------------------------

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ProductDetail extends ProductSummary {
  version: number;
  summary: string | null;
  link: string | null;
  sectors: { id: string; name: string }[];
  topics: { id: string; name: string }[];
  regions: { id: string; name: string }[];
  addressedTo: PartnerRef[];
  issuedBy: { id: string; name: string } | null;
  sourceReport: { id: string; title: string } | null;
}

export const PRODUCT_PAGE = operation<
  { products: { totalCount: number; nodes: ProductSummary[]; pageInfo: PageInfo } },
  { first: number; after: string | null; where: Record<string, unknown> | null }
>(`query ConsoleProductPage($first: Int!, $after: String, $where: InformationProductWhere) {
  products(first: $first, after: $after, where: $where, sort: [{ publishedAt: DESC }]) {
    totalCount
    nodes { ${PRODUCT_FIELDS} }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const PRODUCT = operation<{ product: ProductDetail | null }, { id: string }>(`query ConsoleProduct($id: ID!) {
  product(id: $id) {
    ${PRODUCT_FIELDS} version summary link
    sectors { id name } topics { id name } regions { id name }
    addressedTo { id name kind } issuedBy { id name } sourceReport { id title }
  }
}`);

export interface Named {
  id: string;
  name: string;
}

export const VOCABULARY = operation<{ sectors: Named[]; topics: Named[]; regions: (Named & { kind: string })[] }>(
  `query ConsoleVocabulary {
  sectors { id name }
  topics { id name }
  regions { id name kind }
}`,
);

export interface ProductInput {
  id: string;
  title: string;
  kind: string;
  level: string;
  severity: string;
  tlp: Tlp;
  pcii: boolean;
  sectors: string[];
  topics: string[];
  regions: string[];
  addressedTo: string[];
  summary: string | null;
}

type ProductPayload = { product: { id: string; version: number } | null; userErrors: FieldError[] };

export const CREATE_PRODUCT = operation<{ createProduct: ProductPayload }, { input: ProductInput }>(
  `mutation ConsoleCreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) { product { id version } userErrors { field code message } }
}`,
);

export const UPDATE_PRODUCT = operation<
  { updateProduct: ProductPayload },
  { input: Partial<ProductInput> & { id: string; version: number } }
>(`mutation ConsoleUpdateProduct($input: UpdateProductInput!) {
  updateProduct(input: $input) { product { id version } userErrors { field code message } }
}`);

export const DELETE_PRODUCT = operation<
  { deleteProduct: { deletedId: string | null; userErrors: FieldError[] } },
  { input: { id: string; version: number } }
>(`mutation ConsoleDeleteProduct($input: RecordVersionInput!) {
  deleteProduct(input: $input) { deletedId userErrors { field code message } }
}`);

export interface MessageRow {
  id: string;
  channel: string;
  status: string;
  address: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  completedBy: string | null;
  note: string | null;
  contact: { id: string; name: string } | null;
}

export interface DeliveryRow {
  channels: string[];
  deliveredAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedVia: string | null;
  partner: PartnerRef;
  messages: MessageRow[];
}

const MESSAGE_FIELDS =
  "id channel status address attempts lastError nextAttemptAt sentAt completedBy note contact { id name }";

export const DELIVERIES = operation<
  {
    deliveries: { totalCount: number; nodes: DeliveryRow[]; pageInfo: PageInfo };
    unacknowledged: { totalCount: number };
  },
  { productId: string; first: number; after: string | null }
>(`query ConsoleDeliveries($productId: ID!, $first: Int!, $after: String) {
  deliveries(productId: $productId, first: $first, after: $after) {
    totalCount
    nodes {
      channels deliveredAt acknowledgedAt acknowledgedBy acknowledgedVia
      partner { id name kind }
      messages { ${MESSAGE_FIELDS} }
    }
    pageInfo { hasNextPage endCursor }
  }
  unacknowledged(productId: $productId, first: 1) { totalCount }
}`);

export const DISSEMINATE = operation<
  { disseminate: { newlyDelivered: number; alreadyDelivered: number; messagesQueued: number } },
  { productId: string }
>(`mutation ConsoleDisseminate($productId: ID!) {
  disseminate(productId: $productId) { newlyDelivered alreadyDelivered messagesQueued }
}`);

export const RETRY_DELIVERY = operation<{ retryDelivery: { id: string; status: string } }, { messageId: string }>(
  `mutation ConsoleRetryDelivery($messageId: ID!) {
  retryDelivery(messageId: $messageId) { id status attempts }
}`,
);

export const ACKNOWLEDGE = operation<
  { acknowledge: { acknowledgedAt: string; alreadyAcknowledged: boolean; via: string } },
  { productId: string; partnerId: string | null }
>(`mutation ConsoleAcknowledge($productId: ID!, $partnerId: ID) {
  acknowledge(productId: $productId, partnerId: $partnerId) { acknowledgedAt alreadyAcknowledged via }
}`);

export interface WatchEventRow {
  sequence: number;
  at: string;
  kind: string;
  actor: string | null;
  productId: string | null;
  partnerId: string | null;
  messageId: string | null;
  status: string | null;
  collection: string | null;
  key: string | null;
}

export const WATCH_FEED = operation<{ watchFeed: WatchEventRow }, { kinds: string[] | null }>(
  `subscription ConsoleWatchFeed($kinds: [EventKind!]) {
  watchFeed(kinds: $kinds) { sequence at kind actor productId partnerId messageId status collection key }
}`,
);

export const INBOX_DELIVERIES = operation<
  { inboxDeliveries: { sequence: number; delivery: { product: { id: string } } } },
  { partnerId: string }
>(`subscription ConsoleInboxDeliveries($partnerId: ID!) {
  inboxDeliveries(partnerId: $partnerId) { sequence delivery { product { id } } }
}`);

export const PRODUCT_PUBLISHED = operation<
  { productPublished: { sequence: number; product: ProductSummary | null } },
  Record<string, never>
>(`subscription ConsoleProductPublished {
  productPublished { sequence product { ${PRODUCT_FIELDS} } }
}`);

export const WATCH_QUEUE = operation<
  {
    watchQueue: {
      totalCount: number;
      nodes: (MessageRow & { createdAt: string; product: ProductSummary; partner: PartnerRef })[];
      pageInfo: PageInfo;
    };
  },
  { channel: string | null; first: number; after: string | null }
>(`query ConsoleWatchQueue($channel: Channel, $first: Int!, $after: String) {
  watchQueue(channel: $channel, first: $first, after: $after) {
    totalCount
    nodes { ${MESSAGE_FIELDS} createdAt product { ${PRODUCT_FIELDS} } partner { id name kind } }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const COMPLETE_MANUAL = operation<
  { completeManualDelivery: { id: string; status: string; completedBy: string | null } },
  { messageId: string; note: string | null }
>(`mutation ConsoleCompleteManualDelivery($messageId: ID!, $note: String) {
  completeManualDelivery(messageId: $messageId, note: $note) { id status completedBy note }
}`);

// -- reports: submit, follow, triage -----------------------------------------------------------

export interface ReportDetail extends ReportSummary {
  summary: string;
  submittedAt: string;
  submittedBy: string;
  version: number;
  sectors: Named[];
  regions: Named[];
  history: { at: string; state: string; by: string; note: string | null }[];
  product: { id: string; title: string } | null;
}

export const REPORT_PAGE = operation<
  { reports: { totalCount: number; nodes: ReportSummary[]; pageInfo: PageInfo } },
  { first: number; after: string | null; state: string[] | null; kind: string[] | null; routedTo: string | null }
>(`query ConsoleReportPage($first: Int!, $after: String, $state: [ReportState!], $kind: [ReportKind!], $routedTo: ID) {
  reports(first: $first, after: $after, state: $state, kind: $kind, routedTo: $routedTo) {
    totalCount
    nodes {
      id title kind tlp state pciiStatus observedAt submitter { id name }
      routedTo { partner { id name } reasons { source ref } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const REPORT = operation<{ report: ReportDetail | null }, { id: string }>(`query ConsoleReport($id: ID!) {
  report(id: $id) {
    id title summary kind tlp state pciiStatus observedAt submittedAt submittedBy version
    submitter { id name }
    routedTo { partner { id name } reasons { source ref } }
    sectors { id name } regions { id name }
    history { at state by note }
    product { id title }
  }
}`);

type ReportPayload = { report: { id: string; state: string; pciiStatus: string } | null; userErrors: FieldError[] };
const REPORT_PAYLOAD = "report { id state pciiStatus } userErrors { field code message }";

export const SUBMIT_REPORT = operation<
  { submitReport: ReportPayload },
  {
    input: {
      title: string;
      summary: string;
      kind: string;
      sectors: string[];
      regions: string[];
      tlp: Tlp;
      pciiRequested: boolean;
    };
  }
>(`mutation ConsoleSubmitReport($input: SubmitReportInput!) {
  submitReport(input: $input) { ${REPORT_PAYLOAD} }
}`);

export const REVIEW_REPORT = operation<{ reviewReport: ReportPayload }, { id: string; note: string | null }>(
  `mutation ConsoleReviewReport($id: ID!, $note: String) { reviewReport(id: $id, note: $note) { ${REPORT_PAYLOAD} } }`,
);
export const CLOSE_REPORT = operation<{ closeReport: ReportPayload }, { id: string; note: string | null }>(
  `mutation ConsoleCloseReport($id: ID!, $note: String) { closeReport(id: $id, note: $note) { ${REPORT_PAYLOAD} } }`,
);
export const VALIDATE_PCII = operation<{ validatePcii: ReportPayload }, { id: string; note: string | null }>(
  `mutation ConsoleValidatePcii($id: ID!, $note: String) { validatePcii(id: $id, note: $note) { ${REPORT_PAYLOAD} } }`,
);
export const DECLINE_PCII = operation<{ declinePcii: ReportPayload }, { id: string; note: string | null }>(
  `mutation ConsoleDeclinePcii($id: ID!, $note: String) { declinePcii(id: $id, note: $note) { ${REPORT_PAYLOAD} } }`,
);
export const PUBLISH_REPORT = operation<
  {
    publishReport: {
      report: { id: string; state: string } | null;
      product: { id: string; title: string } | null;
      userErrors: FieldError[];
    };
  },
  { id: string; input: { severity: string; level: string; revealSubmitter: boolean } }
>(`mutation ConsolePublishReport($id: ID!, $input: PublishReportInput!) {
  publishReport(id: $id, input: $input) { report { id state } product { id title } userErrors { field code message } }
}`);

// -- sharing and the Daily Report --------------------------------------------------------------

export const CAN_SHARE = operation<
  {
    canShare: { allowed: boolean; reason: string | null };
    sharedMemberships: { councils: Named[]; sectors: Named[] };
  },
  { productId: string; from: string; to: string }
>(`query ConsoleCanShare($productId: ID!, $from: ID!, $to: ID!) {
  canShare(productId: $productId, from: $from, to: $to) { allowed reason }
  sharedMemberships(a: $from, b: $to) { councils { id name } sectors { id name } }
}`);

export const DAILY_REPORT = operation<
  { dailyReport: { date: string; sector: Named; products: ProductSummary[] } },
  { sector: string; date: string }
>(`query ConsoleDailyReport($sector: ID!, $date: String!) {
  dailyReport(sector: $sector, date: $date) { date sector { id name } products { ${PRODUCT_FIELDS} summary } }
}`);

// -- administration ----------------------------------------------------------------------------

export interface AdminRow {
  id: string;
  version: number;
  [field: string]: unknown;
}

type AdminList<K extends string> = {
  [key in K]: { totalCount: number; nodes: AdminRow[]; pageInfo: PageInfo };
};
type ListVariables = { first: number; after: string | null; where: Record<string, unknown> | null };
type Edited<K extends string> = { [key in K]: { userErrors: FieldError[] } & Record<string, unknown> };
const ERRORS = "userErrors { field code message }";

export const ADMIN_PARTNERS = operation<AdminList<"partners">, ListVariables>(
  `query ConsoleAdminPartners($first: Int!, $after: String, $where: PartnerWhere) {
  partners(first: $first, after: $after, where: $where) {
    totalCount nodes { id name kind active version sectors { id } regions { id } } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_CONTACTS = operation<AdminList<"contacts">, ListVariables>(
  `query ConsoleAdminContacts($first: Int!, $after: String, $where: ContactWhere) {
  contacts(first: $first, after: $after, where: $where) {
    totalCount nodes { id name email channels pciiAuthorized active version partner { id name } } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_COUNCILS = operation<AdminList<"councils">, ListVariables>(
  `query ConsoleAdminCouncils($first: Int!, $after: String, $where: CouncilWhere) {
  councils(first: $first, after: $after, where: $where) {
    totalCount nodes { id name kind version sectors { id } } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_REQUIREMENTS = operation<AdminList<"requirements">, ListVariables>(
  `query ConsoleAdminRequirements($first: Int!, $after: String, $where: RequirementWhere) {
  requirements(first: $first, after: $after, where: $where) {
    totalCount nodes { id channel kinds levels minSeverity version council { id name } sector { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_REGIONS = operation<AdminList<"regionsConnection">, ListVariables>(
  `query ConsoleAdminRegions($first: Int!, $after: String, $where: RegionWhere) {
  regionsConnection(first: $first, after: $after, where: $where) {
    totalCount nodes { id name kind version } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_TOPICS = operation<AdminList<"topicsConnection">, ListVariables>(
  `query ConsoleAdminTopics($first: Int!, $after: String, $where: TopicWhere) {
  topicsConnection(first: $first, after: $after, where: $where) {
    totalCount nodes { id name version } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_SECTORS = operation<AdminList<"sectorsConnection">, ListVariables>(
  `query ConsoleAdminSectors($first: Int!, $after: String, $where: SectorWhere) {
  sectorsConnection(first: $first, after: $after, where: $where) {
    totalCount nodes { id name } pageInfo { hasNextPage endCursor }
  }
}`,
);
export const ADMIN_SUBSCRIPTIONS = operation<
  { subscriptions: { totalCount: number; nodes: Record<string, unknown>[]; pageInfo: PageInfo } },
  { first: number; after: string | null; partner: string | null }
>(`query ConsoleAdminSubscriptions($first: Int!, $after: String, $partner: ID) {
  subscriptions(first: $first, after: $after, partner: $partner) {
    totalCount nodes { minSeverity delivery version partner { id name } topic { id name } sector { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`);
export const ADMIN_MEMBERSHIPS = operation<
  { memberships: { totalCount: number; nodes: Record<string, unknown>[]; pageInfo: PageInfo } },
  { first: number; after: string | null; partner: string | null; council: string | null }
>(`query ConsoleAdminMemberships($first: Int!, $after: String, $partner: ID, $council: ID) {
  memberships(first: $first, after: $after, partner: $partner, council: $council) {
    totalCount nodes { role version partner { id name } council { id name } } pageInfo { hasNextPage endCursor }
  }
}`);

type Input = { input: Record<string, unknown> };

export const CREATE_PARTNER = operation<Edited<"createPartner">, Input>(
  `mutation ConsoleCreatePartner($input: CreatePartnerInput!) { createPartner(input: $input) { partner { id version } ${ERRORS} } }`,
);
export const UPDATE_PARTNER = operation<Edited<"updatePartner">, Input>(
  `mutation ConsoleUpdatePartner($input: UpdatePartnerInput!) { updatePartner(input: $input) { partner { id version } ${ERRORS} } }`,
);
export const DEACTIVATE_PARTNER = operation<Edited<"deactivatePartner">, Input>(
  `mutation ConsoleDeactivatePartner($input: RecordVersionInput!) { deactivatePartner(input: $input) { partner { id version } ${ERRORS} } }`,
);
export const DELETE_PARTNER = operation<Edited<"deletePartner">, Input>(
  `mutation ConsoleDeletePartner($input: RecordVersionInput!) { deletePartner(input: $input) { deletedId ${ERRORS} } }`,
);
export const MERGE_PARTNERS = operation<Edited<"mergePartners">, Input>(
  `mutation ConsoleMergePartners($input: MergePartnersInput!) { mergePartners(input: $input) { partner { id version } ${ERRORS} } }`,
);
export const CREATE_CONTACT = operation<Edited<"createContact">, Input>(
  `mutation ConsoleCreateContact($input: CreateContactInput!) { createContact(input: $input) { contact { id version } ${ERRORS} } }`,
);
export const UPDATE_CONTACT = operation<Edited<"updateContact">, Input>(
  `mutation ConsoleUpdateContact($input: UpdateContactInput!) { updateContact(input: $input) { contact { id version } ${ERRORS} } }`,
);
export const DEACTIVATE_CONTACT = operation<Edited<"deactivateContact">, Input>(
  `mutation ConsoleDeactivateContact($input: RecordVersionInput!) { deactivateContact(input: $input) { contact { id version } ${ERRORS} } }`,
);
export const DELETE_CONTACT = operation<Edited<"deleteContact">, Input>(
  `mutation ConsoleDeleteContact($input: RecordVersionInput!) { deleteContact(input: $input) { deletedId ${ERRORS} } }`,
);
export const CREATE_COUNCIL = operation<Edited<"createCouncil">, Input>(
  `mutation ConsoleCreateCouncil($input: CreateCouncilInput!) { createCouncil(input: $input) { council { id version } ${ERRORS} } }`,
);
export const UPDATE_COUNCIL = operation<Edited<"updateCouncil">, Input>(
  `mutation ConsoleUpdateCouncil($input: UpdateCouncilInput!) { updateCouncil(input: $input) { council { id version } ${ERRORS} } }`,
);
export const DELETE_COUNCIL = operation<Edited<"deleteCouncil">, Input>(
  `mutation ConsoleDeleteCouncil($input: RecordVersionInput!) { deleteCouncil(input: $input) { deletedId ${ERRORS} } }`,
);
export const CREATE_REQUIREMENT = operation<Edited<"createRequirement">, Input>(
  `mutation ConsoleCreateRequirement($input: CreateRequirementInput!) { createRequirement(input: $input) { requirement { id version } ${ERRORS} } }`,
);
export const UPDATE_REQUIREMENT = operation<Edited<"updateRequirement">, Input>(
  `mutation ConsoleUpdateRequirement($input: UpdateRequirementInput!) { updateRequirement(input: $input) { requirement { id version } ${ERRORS} } }`,
);
export const DELETE_REQUIREMENT = operation<Edited<"deleteRequirement">, Input>(
  `mutation ConsoleDeleteRequirement($input: RecordVersionInput!) { deleteRequirement(input: $input) { deletedId ${ERRORS} } }`,
);
export const CREATE_SUBSCRIPTION = operation<Edited<"createSubscription">, Input>(
  `mutation ConsoleCreateSubscription($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { version } ${ERRORS} } }`,
);
export const UPDATE_SUBSCRIPTION = operation<Edited<"updateSubscription">, Input>(
  `mutation ConsoleUpdateSubscription($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { subscription { version } ${ERRORS} } }`,
);
export const DELETE_SUBSCRIPTION = operation<Edited<"deleteSubscription">, Input>(
  `mutation ConsoleDeleteSubscription($input: DeleteSubscriptionInput!) { deleteSubscription(input: $input) { deletedId ${ERRORS} } }`,
);
export const CREATE_REGION = operation<Edited<"createRegion">, Input>(
  `mutation ConsoleCreateRegion($input: CreateRegionInput!) { createRegion(input: $input) { region { id version } ${ERRORS} } }`,
);
export const UPDATE_REGION = operation<Edited<"updateRegion">, Input>(
  `mutation ConsoleUpdateRegion($input: UpdateRegionInput!) { updateRegion(input: $input) { region { id version } ${ERRORS} } }`,
);
export const DELETE_REGION = operation<Edited<"deleteRegion">, Input>(
  `mutation ConsoleDeleteRegion($input: RecordVersionInput!) { deleteRegion(input: $input) { deletedId ${ERRORS} } }`,
);
export const CREATE_TOPIC = operation<Edited<"createTopic">, Input>(
  `mutation ConsoleCreateTopic($input: CreateTopicInput!) { createTopic(input: $input) { topic { id version } ${ERRORS} } }`,
);
export const UPDATE_TOPIC = operation<Edited<"updateTopic">, Input>(
  `mutation ConsoleUpdateTopic($input: UpdateTopicInput!) { updateTopic(input: $input) { topic { id version } ${ERRORS} } }`,
);
export const DELETE_TOPIC = operation<Edited<"deleteTopic">, Input>(
  `mutation ConsoleDeleteTopic($input: RecordVersionInput!) { deleteTopic(input: $input) { deletedId ${ERRORS} } }`,
);
export const UPDATE_MEMBERSHIP = operation<Edited<"updateMembership">, Input>(
  `mutation ConsoleUpdateMembership($input: UpdateMembershipInput!) { updateMembership(input: $input) { membership { role version } ${ERRORS} } }`,
);

export const IMPORT_NETWORK = operation<
  {
    importNetwork: {
      ok: boolean;
      dryRun: boolean;
      errors: { path: string; code: string; message: string }[];
      counts: { collection: string; created: number; updated: number }[];
    };
  },
  { document: unknown; dryRun: boolean }
>(`mutation ConsoleImportNetwork($document: JSON!, $dryRun: Boolean) {
  importNetwork(document: $document, dryRun: $dryRun) { ok dryRun errors { path code message } counts { collection created updated } }
}`);

export const EXPORT_NETWORK = operation<{ exportNetwork: unknown }>(`query ConsoleExportNetwork { exportNetwork }`);

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  role: string;
  partner: string | null;
  operation: string;
  arguments: string;
  outcome: string;
}

export const AUDIT_LOG = operation<
  { auditLog: { totalCount: number; nodes: AuditRow[]; pageInfo: PageInfo } },
  { first: number; after: string | null; operation: string | null }
>(`query ConsoleAuditLog($first: Int!, $after: String, $operation: String) {
  auditLog(first: $first, after: $after, operation: $operation) {
    totalCount nodes { id at actor role partner operation arguments outcome } pageInfo { hasNextPage endCursor }
  }
}`);

// -- the Daily Open Source Infrastructure Report (read) --------------------------------------

export const OPEN_SOURCE = operation<
  {
    openSourceFeeds: { id: string; name: string; itemCount: number; lastSuccessAt: string | null; lastError: string | null }[];
    openSourceItems: {
      totalCount: number;
      nodes: { id: string; title: string; link: string; day: string; suggestedSectors: Named[] }[];
      pageInfo: PageInfo;
    };
    openSourceReport: {
      day: string;
      state: string;
      entries: { position: number; title: string; link: string; sector: Named | null }[];
    } | null;
  },
  { day: string; search: string | null; first: number; after: string | null }
>(`query ConsoleOpenSource($day: String!, $search: String, $first: Int!, $after: String) {
  openSourceFeeds { id name itemCount lastSuccessAt lastError }
  openSourceItems(day: $day, search: $search, first: $first, after: $after) {
    totalCount nodes { id title link day suggestedSectors { id name } } pageInfo { hasNextPage endCursor }
  }
  openSourceReport(day: $day) { day state entries { position title link sector { id name } } }
}`);

export const OPEN_SOURCE_ARCHIVE = operation<
  {
    openSourceReports: {
      totalCount: number;
      nodes: { day: string; publishedAt: string | null; sectors: Named[]; product: { id: string; title: string } | null }[];
      pageInfo: PageInfo;
    };
  },
  { first: number; after: string | null; search: string | null }
>(`query ConsoleOpenSourceArchive($first: Int!, $after: String, $search: String) {
  openSourceReports(first: $first, after: $after, search: $search) {
    totalCount nodes { day publishedAt sectors { id name } product { id title } } pageInfo { hasNextPage endCursor }
  }
}`);

export const AUDIT_CHAIN = operation<{
  auditChain: { intact: boolean; records: number; unchained: number; brokenAt: string | null; reason: string | null };
}>(`query ConsoleAuditChain {
  auditChain { intact records unchained brokenAt reason }
}`);

// -- onward lists and peer nodes ---------------------------------------------------------------

export const ONWARD_RECIPIENTS = operation<{ onwardRecipients: RecipientList }, { productId: string; fusionCenter: string | null }>(
  `query ConsoleOnwardRecipients($productId: ID!, $fusionCenter: ID) {
  onwardRecipients(productId: $productId, fusionCenter: $fusionCenter) { ${RECIPIENT_LIST_FIELDS} }
}`,
);

export interface PeerRow {
  nodeId: string;
  url: string;
  hasCredential: boolean;
  agreement: { kinds: string[]; highestTlp: Tlp } | null;
  modifiedAt: string | null;
}

export const PEERS = operation<
  { peers: { totalCount: number; nodes: PeerRow[]; pageInfo: PageInfo } },
  { first: number; after: string | null }
>(`query ConsolePeers($first: Int!, $after: String) {
  peers(first: $first, after: $after) {
    totalCount nodes { nodeId url hasCredential agreement { kinds highestTlp } modifiedAt } pageInfo { hasNextPage endCursor }
  }
}`);

export const SET_PEER = operation<
  { setPeer: { peer: { nodeId: string } | null; userErrors: FieldError[] } },
  { input: { nodeId: string; url: string; publicKey: string } }
>(`mutation ConsoleSetPeer($input: PeerInput!) {
  setPeer(input: $input) { peer { nodeId } userErrors { field code message } }
}`);

export const REMOVE_PEER = operation<
  { removePeer: { removedNodeId: string | null; userErrors: FieldError[] } },
  { nodeId: string }
>(`mutation ConsoleRemovePeer($nodeId: ID!) {
  removePeer(nodeId: $nodeId) { removedNodeId userErrors { field code message } }
}`);

// -- requirement proposals (DESIGN §12): members propose, a steward of the council or ADMIN decides --

export type ProposalState = "PROPOSED" | "ACCEPTED" | "DECLINED" | "WITHDRAWN";

export interface ProposalRow {
  id: string;
  council: string;
  requirement: string | null;
  state: ProposalState;
  proposer: string;
  proposedBy: string;
  reason: string | null;
  at: string;
  decisionReason: string | null;
}

type ProposalAnswer = { proposal: { id: string; state: ProposalState } | null; userErrors: FieldError[] };

export const PROPOSALS = operation<
  { requirementProposals: { totalCount: number; nodes: ProposalRow[]; pageInfo: PageInfo } },
  { first: number; after: string | null; council: string | null; state: ProposalState | null }
>(`query ConsoleProposals($first: Int!, $after: String, $council: ID, $state: ProposalState) {
  requirementProposals(first: $first, after: $after, council: $council, state: $state) {
    totalCount
    nodes { id council requirement state proposer proposedBy reason at decisionReason }
    pageInfo { hasNextPage endCursor }
  }
}`);

export const PROPOSE_REQUIREMENT = operation<
  { proposeRequirement: ProposalAnswer },
  {
    input: {
      create: { id: string; council: string; sector: string; audience: { council: string }; channel: string };
      reason: string | null;
    };
  }
>(`mutation ConsoleProposeRequirement($input: ProposeRequirementInput!) {
  proposeRequirement(input: $input) { proposal { id state } userErrors { field code message } }
}`);

export const ACCEPT_PROPOSAL = operation<{ acceptProposal: ProposalAnswer }, { id: string; reason: string }>(
  `mutation ConsoleAcceptProposal($id: ID!, $reason: String!) {
  acceptProposal(id: $id, reason: $reason) { proposal { id state } userErrors { field code message } }
}`,
);

export const DECLINE_PROPOSAL = operation<{ declineProposal: ProposalAnswer }, { id: string; reason: string }>(
  `mutation ConsoleDeclineProposal($id: ID!, $reason: String!) {
  declineProposal(id: $id, reason: $reason) { proposal { id state } userErrors { field code message } }
}`,
);

export const WITHDRAW_PROPOSAL = operation<{ withdrawProposal: ProposalAnswer }, { id: string }>(
  `mutation ConsoleWithdrawProposal($id: ID!) {
  withdrawProposal(id: $id) { proposal { id state } userErrors { field code message } }
}`,
);
