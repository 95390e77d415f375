import cytoscape from "cytoscape";
import { type FormEvent, useEffect, useRef, useState } from "react";

import { ErrorNote, Loading, VertexLink } from "../components";
import { useQuery } from "../hooks";
import { CONNECTION, NEIGHBORHOOD, type Neighbor, type VertexType } from "../operations";
import { href, navigate } from "../route";

interface Vertex {
  id: string;
  name: string;
  type: VertexType;
  distance: number;
}

/** A clickable graph: vertices on rings by distance from the centre, the edges that are known. */
function Picture({ vertices, edges, label }: { vertices: Vertex[]; edges: [string, string][]; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current) return;
    const graph = cytoscape({
      container: container.current,
      elements: [
        ...vertices.map((v) => ({
          data: { id: v.id, label: v.name, type: v.type, distance: v.distance },
        })),
        ...edges.map(([a, b]) => ({ data: { id: `${a}→${b}`, source: a, target: b } })),
      ],
      maxZoom: 1.6,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            width: 22,
            height: 22,
            "font-size": 10,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-wrap": "wrap",
            "text-max-width": "120px",
            "text-background-color": "#fff",
            "text-background-opacity": 0.85,
            "background-color": "#1f6feb",
            color: "#111",
          },
        },
        { selector: "node[type = 'COUNCIL']", style: { shape: "round-rectangle", "background-color": "#8250df" } },
        { selector: "node[distance = 0]", style: { "border-width": 3, "border-color": "#111" } },
        { selector: "edge", style: { width: 1, "line-color": "#999" } },
      ],
      layout: { name: "preset" },
    });
    graph.on("tap", "node", (event) => {
      navigate(["network", String(event.target.id())]);
    });
    // What was drawn, and where, for assistive checks and the browser tests.
    graph.one("layoutstop", () => {
      const element = container.current;
      if (!element) return;
      const positions: Record<string, [number, number]> = {};
      graph.nodes().forEach((node) => {
        const at = node.renderedPosition();
        positions[node.id()] = [at.x, at.y];
      });
      element.dataset.positions = JSON.stringify(positions);
      element.dataset.drawn = graph.nodes().map((node) => node.id()).sort().join(",");
    });
    graph
      .layout({
        name: "concentric",
        concentric: (n) => 10 - Number(n.data("distance")),
        levelWidth: () => 1,
        minNodeSpacing: 90,
        padding: 30,
      })
      .run();
    return () => graph.destroy();
  }, [vertices, edges]);
  return <div ref={container} className="graph" role="img" aria-label={label} data-testid="network-graph" />;
}

function neighbourhoodEdges(neighbours: Neighbor[], centre: string): [string, string][] {
  // The answer names vertices and their distance, not the edges between them: the picture draws
  // the edges it knows (centre to distance 1) and places farther vertices on rings by distance.
  return neighbours.filter((n) => n.distance === 1).map((n) => [centre, n.id] as [string, string]);
}

export function NetworkView({ id, params }: { id: string | null; params: URLSearchParams }) {
  const depth = Math.min(3, Math.max(1, Number(params.get("depth") ?? "1") || 1));
  const to = params.get("to");
  const [centre, setCentre] = useState(id ?? "");
  const [target, setTarget] = useState(to ?? "");
  useEffect(() => setCentre(id ?? ""), [id]);

  const around = useQuery(NEIGHBORHOOD, id && !to ? { id, depth } : null);
  const path = useQuery(CONNECTION, id && to ? { from: id, to } : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!centre.trim()) return;
    navigate(["network", centre.trim()], target.trim() ? { to: target.trim() } : { depth });
  };

  const neighbours = around.data?.neighborhood ?? [];
  const steps = path.data?.connection?.path ?? [];
  return (
    <section>
      <h1>Network picture</h1>
      <form className="inline" onSubmit={submit}>
        <label htmlFor="centre">Partner or council id</label>
        <input id="centre" value={centre} onChange={(e) => setCentre(e.target.value)} placeholder="fc-ca" />
        <label htmlFor="depth">Depth</label>
        <select
          id="depth"
          value={depth}
          onChange={(e) => id && navigate(["network", id], { depth: e.target.value })}
        >
          {[1, 2, 3].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <label htmlFor="target">Shortest connection to (optional)</label>
        <input id="target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="energy-scc" />
        <button type="submit">Show</button>
      </form>
      <Loading when={around.loading || path.loading} />
      <ErrorNote error={around.error ?? path.error} />
      {around.data && (
        <>
          <p>
            {neighbours.length} vertices within {depth} {depth === 1 ? "edge" : "edges"} of <strong>{id}</strong>.
            Click a vertex to centre the picture on it.
          </p>
          <Picture
            vertices={neighbours}
            edges={neighbourhoodEdges(neighbours, id ?? "")}
            label={`Neighbourhood of ${id}`}
          />
          <ul className="vertex-list" data-testid="network-vertices">
            {neighbours.map((n) => (
              <li key={n.id} data-vertex={n.id}>
                <VertexLink id={n.id} name={n.name} type={n.type} /> <small>{n.type.toLowerCase()}, distance {n.distance}</small>
              </li>
            ))}
          </ul>
        </>
      )}
      {path.data && !path.data.connection && <p role="status">No connection within 6 edges.</p>}
      {path.data?.connection && (
        <>
          <p>
            Shortest connection: {path.data.connection.length} {path.data.connection.length === 1 ? "edge" : "edges"}.{" "}
            <a href={href(["network", id ?? ""])}>Back to the neighbourhood</a>
          </p>
          <Picture
            vertices={steps.map((s, i) => ({ ...s, distance: i }))}
            edges={steps.slice(1).map((s, i) => [steps[i].id, s.id] as [string, string])}
            label={`Shortest connection from ${id} to ${to}`}
          />
          <ol>
            {steps.map((s) => (
              <li key={s.id}>
                <VertexLink id={s.id} name={s.name} type={s.type} />
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
