// "May X pass this to Y?" with the rule named, and the Daily Report of a day and sector.
import { type FormEvent, useState } from "react";

import { ErrorNote, Loading, ProductTable } from "../components";
import { useQuery } from "../hooks";
import { CAN_SHARE, DAILY_REPORT, VOCABULARY } from "../operations";
import { navigate } from "../route";

export function CanShareView({ params }: { params: URLSearchParams }) {
  const [product, setProduct] = useState(params.get("product") ?? "");
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const asked =
    params.get("product") && params.get("from") && params.get("to")
      ? { productId: params.get("product")!, from: params.get("from")!, to: params.get("to")! }
      : null;
  const { data, error, loading } = useQuery(CAN_SHARE, asked);
  const ask = (event: FormEvent) => {
    event.preventDefault();
    navigate(["can-share"], { product: product.trim(), from: from.trim(), to: to.trim() });
  };
  return (
    <section>
      <h1>May a partner pass a product on?</h1>
      <form className="inline" onSubmit={ask} aria-label="May X pass this to Y">
        <label htmlFor="share-product">Product id</label>
        <input id="share-product" required value={product} onChange={(e) => setProduct(e.target.value)} />
        <label htmlFor="share-from">From partner id</label>
        <input id="share-from" required value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor="share-to">To partner id</label>
        <input id="share-to" required value={to} onChange={(e) => setTo(e.target.value)} />
        <button type="submit">Ask</button>
      </form>
      <Loading when={loading} />
      <ErrorNote error={error} />
      {data && asked && (
        <p className={data.canShare.allowed ? "allowed" : "refused"} data-testid="share-decision" role="status">
          {data.canShare.allowed ? "Yes" : "No"}: {asked.from} {data.canShare.allowed ? "may" : "may not"} pass{" "}
          {asked.productId} to {asked.to}. Rule: {data.canShare.reason ?? "none named"}.
        </p>
      )}
      {data && asked && (
        <p data-testid="shared">
          {asked.from} and {asked.to} share{" "}
          {[...data.sharedMemberships.councils, ...data.sharedMemberships.sectors].map((x) => x.name).join(", ") ||
            "no council and no sector"}
          .
        </p>
      )}
    </section>
  );
}

export function DailyReportView({ params }: { params: URLSearchParams }) {
  const vocabulary = useQuery(VOCABULARY, {});
  const [sector, setSector] = useState(params.get("sector") ?? "");
  const [date, setDate] = useState(params.get("date") ?? new Date().toISOString().slice(0, 10));
  const asked = params.get("sector") && params.get("date") ? { sector: params.get("sector")!, date: params.get("date")! } : null;
  const { data, error, loading } = useQuery(DAILY_REPORT, asked);
  const show = (event: FormEvent) => {
    event.preventDefault();
    if (sector) navigate(["daily"], { sector, date });
  };
  return (
    <section>
      <h1>Daily Report</h1>
      <p>As recipients get it: the day's TLP:CLEAR and TLP:GREEN products of a sector, without PCII, newest first.</p>
      <form className="inline" onSubmit={show} aria-label="Daily Report">
        <label htmlFor="daily-sector">Sector</label>
        <select id="daily-sector" required value={sector} onChange={(e) => setSector(e.target.value)}>
          <option value="">pick one</option>
          {(vocabulary.data?.sectors ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor="daily-date">Day (UTC)</label>
        <input id="daily-date" type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        <button type="submit">Show</button>
      </form>
      <Loading when={loading} />
      <ErrorNote error={error ?? vocabulary.error} />
      {data && (
        <>
          <h2>
            {data.dailyReport.sector.name}, {data.dailyReport.date}
          </h2>
          <p data-testid="daily-count">{data.dailyReport.products.length} products.</p>
          <ProductTable products={data.dailyReport.products} view="product" testId="daily-report" />
        </>
      )}
    </section>
  );
}
