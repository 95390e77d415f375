import { type FormEvent, useState } from "react";

import { developmentSignIn, type Identity, identityOf, type Role, storeToken } from "../auth";
import { ErrorNote } from "../components";

// The service marks the page when its development sign-in is there (never in production).
const developmentSignInOffered = document.body.dataset.devSignIn === "on";

export function SignInView({ onSignedIn }: { onSignedIn: (identity: Identity) => void }) {
  const [token, setToken] = useState("");
  const [partner, setPartner] = useState("");
  const [error, setError] = useState<Error | null>(null);

  const accept = (value: string) => {
    const identity = identityOf(value.trim());
    if (!identity) {
      setError(new Error("That is not an ISE Graph token: it should be a JWT with a role claim."));
      return;
    }
    storeToken(identity.token);
    onSignedIn(identity);
  };
  const pasted = (event: FormEvent) => {
    event.preventDefault();
    accept(token);
  };
  const asRole = async (role: Role) => {
    setError(null);
    try {
      accept(await developmentSignIn(role, role === "PARTNER" ? partner.trim() : null));
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <form onSubmit={pasted}>
        <label htmlFor="token">Bearer token</label>
        <textarea id="token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} />
        <button type="submit">Sign in with this token</button>
      </form>
      {developmentSignInOffered && (
      <fieldset className="dev-sign-in">
        <legend>Development sign-in</legend>
        <p>Mints a short-lived token on this development service (not available in production).</p>
        <button type="button" onClick={() => void asRole("ADMIN")}>
          Sign in as ADMIN
        </button>
        <button type="button" onClick={() => void asRole("ANALYST")}>
          Sign in as ANALYST
        </button>
        <label htmlFor="dev-partner">Partner id</label>
        <input id="dev-partner" value={partner} onChange={(e) => setPartner(e.target.value)} placeholder="fc-ca" />
        <button type="button" onClick={() => void asRole("PARTNER")} disabled={!partner.trim()}>
          Sign in as PARTNER
        </button>
      </fieldset>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
