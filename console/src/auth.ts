// The signed-in user: a bearer token kept for this browser tab only, and what its claims say.

export type Role = "ADMIN" | "ANALYST" | "PARTNER";

export interface Identity {
  token: string;
  role: Role;
  partner: string | null;
  subject: string;
  expiresAt: Date | null;
}

const STORAGE_KEY = "isegraph.token";

/** Reads the claims without checking the signature: the service checks it on every request. */
export function identityOf(token: string): Identity | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const role = claims.role;
    if (role !== "ADMIN" && role !== "ANALYST" && role !== "PARTNER") return null;
    return {
      token,
      role,
      partner: typeof claims.partner === "string" ? claims.partner : null,
      subject: typeof claims.sub === "string" ? claims.sub : "",
      expiresAt: typeof claims.exp === "number" ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

export function storedIdentity(): Identity | null {
  const token = sessionStorage.getItem(STORAGE_KEY);
  const identity = token ? identityOf(token) : null;
  if (identity?.expiresAt && identity.expiresAt.getTime() < Date.now()) {
    sessionStorage.removeItem(STORAGE_KEY);
    return null;
  }
  return identity;
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * A token handed over in the address's fragment (`#token=…`, which never reaches a server) is
 * kept for the tab and removed from the address bar; otherwise the tab's stored token is used.
 */
export function takeTokenFromLocation(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]);
    storeToken(token);
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return token;
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Development only: the service mints a token for a role; in production it answers 404. */
export async function developmentSignIn(role: Role, partner: string | null): Promise<string> {
  const response = await fetch("/console/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ role, partner }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!response.ok || !body.token) {
    throw new Error(body.error ?? `Sign-in refused (HTTP ${response.status}).`);
  }
  return body.token;
}
