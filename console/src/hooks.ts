import { useEffect, useState } from "react";

import { ApiError, execute, type Operation } from "./api";

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs a query when its variables change (compared as JSON); `null` variables mean "not yet". */
export function useQuery<T, V>(op: Operation<T, V>, variables: V | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: variables !== null,
  });
  const [generation, setGeneration] = useState(0);
  const key = variables === null ? null : JSON.stringify(variables);
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    execute(op, JSON.parse(key) as V).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState({
          data: null,
          error: error instanceof ApiError ? error : new ApiError(String(error), "ERROR", 0),
          loading: false,
        }),
    );
    return () => {
      current = false;
    };
  }, [op, key, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}

/** Text as typed, once the typing pauses for `ms`: search as you type asks once per pause. */
export function useSettled(text: string, ms = 250): string {
  const [settled, setSettled] = useState(text.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(text.trim()), ms);
    return () => window.clearTimeout(timer);
  }, [text, ms]);
  return settled;
}
