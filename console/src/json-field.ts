// Optional JSON object fields of the forms (role descriptors, metadata). Only the syntax is checked
// here; what the object means is the API's to judge, and its error is shown as it comes.

export type JsonField = { readonly ok: true; readonly value: Record<string, unknown> | undefined } | { readonly ok: false; readonly error: string };

export function parseJsonObject(label: string, text: string): JsonField {
  if (text.trim() === '') return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${label}: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `${label} must be a JSON object` };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Comma- or space-separated names ("read, write") → a list without empties. */
export const nameList = (text: string) => text.split(/[\s,]+/).filter((name) => name !== '');
