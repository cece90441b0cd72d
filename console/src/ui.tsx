// Small shared pieces of the screens: an API error as Elasticsearch words it, labelled fields, and a
// hook that loads something from the API and can load it again.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export function ErrorBox({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError) {
    return (
      <p class="error" role="alert">
        <strong>{error.status} {error.type}</strong>: {error.reason}
      </p>
    );
  }
  return (
    <p class="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export function Notice({ text }: { text: string | null }) {
  return text === null ? null : (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

interface FieldProps {
  readonly label: string;
  readonly id: string;
  readonly hint?: string;
  readonly children: ComponentChildren;
}

export function Field({ label, id, hint, children }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint === undefined ? null : (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Runs an action, keeping its error (shown by ErrorBox) and a busy flag for the button. */
export function useAction(): { busy: boolean; error: unknown; run(action: () => Promise<void>): Promise<void>; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** The trash icon of the Cloud UI's revoke button (inline SVG: no icon font, nothing to fetch). */
export function TrashIcon() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M6 1h4l1 1h3v2H2V2h3l1-1zM3 5h10l-1 10H4L3 5zm3 2v6h1V7H6zm3 0v6h1V7H9z" />
    </svg>
  );
}

/** A table whose header row names the columns; it scrolls sideways on narrow screens. */
export function Table({ columns, caption, children }: { columns: readonly string[]; caption?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        {caption === undefined ? null : <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column === '' ? <span class="sr-only">Select</span> : column}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A screen's outcome line and its errors (an action's, the list's). */
export function Messages({ notice, errors }: { notice: string | null; errors: readonly unknown[] }) {
  return (
    <>
      <Notice text={notice} />
      {errors.map((error) => (
        <ErrorBox error={error} />
      ))}
    </>
  );
}

/** Edit and delete (or revoke) buttons of a row, named after it for screen readers. */
export function RowButtons({ label, onEdit, onRemove, removeText = 'Delete', editDisabled = false, removeDisabled = false }: { label: string; onEdit(): void; onRemove(): void; removeText?: string; editDisabled?: boolean; removeDisabled?: boolean }) {
  return (
    <>
      <button type="button" disabled={editDisabled} onClick={onEdit} aria-label={`Edit ${label}`}>
        Edit
      </button>
      <button type="button" class="danger" disabled={removeDisabled} onClick={onRemove} aria-label={`${removeText} ${label}`}>
        {removeText === 'Revoke' ? <TrashIcon /> : null} {removeText}
      </button>
    </>
  );
}
