// API keys: list, filter and sort through _query/api_key; generate; update; revoke one or many.
import { useState } from 'preact/hooks';
import type { NewApiKey } from '../csv.js';
import { describeExpiry, expiryState, formatDate } from '../expiry.js';
import { parseJsonObject } from '../json-field.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, json, Messages, RowButtons, Table, useAction, useLoad } from '../ui.js';
import { listQuery } from './api-key-query.js';
import { NewApiKeyForm, NewApiKeyShown } from './new-api-key.js';

interface ApiKey {
  id: string;
  name: string | null;
  creation: number;
  expiration?: number;
  invalidated: boolean;
  username: string;
  realm: string;
  metadata?: Record<string, unknown>;
  role_descriptors?: Record<string, unknown>;
}

const SORTS = [
  { value: 'creation:desc', label: 'Newest first' },
  { value: 'creation:asc', label: 'Oldest first' },
  { value: 'name:asc', label: 'Name' },
  { value: 'expiration:asc', label: 'Expiring first' },
] as const;

export function ApiKeysScreen({ session }: { session: Session }) {
  const [filter, setFilter] = useState('');
  const [activeOnly, setActiveOnly] = useState(false);
  const [sort, setSort] = useState<string>('creation:desc');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [editing, setEditing] = useState<ApiKey | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const keys = useLoad(() => session.call<{ total: number; api_keys: ApiKey[] }>('POST', '/_security/_query/api_key', listQuery(filter, activeOnly, sort)), [filter, activeOnly, sort]);
  const action = useAction();
  const now = Date.now();

  const revoke = (ids: string[]) => {
    if (ids.length === 0 || !confirm(`Revoke ${ids.length === 1 ? 'this API key' : `${ids.length} API keys`}? Requests using ${ids.length === 1 ? 'it' : 'them'} will fail.`)) return;
    void action.run(async () => {
      const answer = await session.call<{ invalidated_api_keys: string[]; error_count: number }>('DELETE', '/_security/api_key', { ids });
      setSelected(new Set());
      setNotice(`Revoked ${answer.invalidated_api_keys.length} API key(s)${answer.error_count > 0 ? `, ${answer.error_count} error(s)` : ''}.`);
      keys.reload();
    });
  };
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <>
      {created !== null ? <NewApiKeyShown apiKey={created} onDone={() => setCreated(null)} /> : null}
      {creating ? (
        <NewApiKeyForm
          session={session}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      ) : (
        <div class="actions">
          <button type="button" class="primary" onClick={() => (setCreating(true), setCreated(null))}>
            Generate API key
          </button>
          <button type="button" disabled={selected.size === 0} onClick={() => revoke([...selected])}>
            Revoke selected ({selected.size})
          </button>
        </div>
      )}
      {editing !== null ? <EditApiKey session={session} apiKey={editing} onDone={(changed) => (setEditing(null), changed && keys.reload())} /> : null}
      <div class="toolbar" role="search">
        <Field label="Filter by name" id="key-filter">
          <input id="key-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </Field>
        <Field label="Sort" id="key-sort">
          <select id="key-sort" value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
            {SORTS.map((s) => (
              <option value={s.value}>{s.label}</option>
            ))}
          </select>
        </Field>
        <label class="check">
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.currentTarget.checked)} /> Active keys only
        </label>
      </div>
      <Messages notice={notice} errors={[action.error, keys.error]} />
      <Table columns={['', 'Name', 'ID', 'Owner', 'Created', 'Expiration', 'Metadata', 'Actions']} caption={keys.data === undefined ? 'Loading…' : `${keys.data.total} API key(s)`}>
            {(keys.data?.api_keys ?? []).map((key) => {
              const state = expiryState(key, now);
              const label = key.name ?? key.id;
              return (
                <tr data-key-id={key.id} class={state}>
                  <td>
                    <input type="checkbox" aria-label={`Select ${label}`} disabled={state === 'invalidated'} checked={selected.has(key.id)} onChange={() => toggle(key.id)} />
                  </td>
                  <td>{key.name}</td>
                  <td><code>{key.id}</code></td>
                  <td>{key.username} ({key.realm})</td>
                  <td>{formatDate(key.creation)}</td>
                  <td title={formatDate(key.expiration)}>{describeExpiry(key, now)}</td>
                  <td>{key.metadata && Object.keys(key.metadata).length > 0 ? <code>{JSON.stringify(key.metadata)}</code> : '—'}</td>
                  <td class="row-actions">
                    {state === 'invalidated' ? null : <RowButtons label={label} onEdit={() => setEditing(key)} onRemove={() => revoke([key.id])} removeText="Revoke" />}
                  </td>
                </tr>
              );
            })}
      </Table>
    </>
  );
}

function EditApiKey({ session, apiKey, onDone }: { session: Session; apiKey: ApiKey; onDone(changed: boolean): void }) {
  // transient_metadata is the server's to keep; the form shows what an update may send.
  const editable = Object.fromEntries(Object.entries(apiKey.role_descriptors ?? {}).map(([name, descriptor]) => {
    const { transient_metadata: _server, ...rest } = descriptor as Record<string, unknown>;
    return [name, rest];
  }));
  const [roles, setRoles] = useState(Object.keys(editable).length > 0 ? json(editable) : '');
  const [metadata, setMetadata] = useState(apiKey.metadata && Object.keys(apiKey.metadata).length > 0 ? json(apiKey.metadata) : '');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const parsedRoles = parseJsonObject('role descriptors', roles);
    const parsedMetadata = parseJsonObject('metadata', metadata);
    void action.run(async () => {
      if (!parsedRoles.ok) throw new Error(parsedRoles.error);
      if (!parsedMetadata.ok) throw new Error(parsedMetadata.error);
      // Empty fields mean "none": {} clears them, as the update API reads it.
      await session.call('PUT', `/_security/api_key/${encodeURIComponent(apiKey.id)}`, { role_descriptors: parsedRoles.value ?? {}, metadata: parsedMetadata.value ?? {} });
      onDone(true);
    });
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="edit-key-title">
      <h2 id="edit-key-title">Update API key "{apiKey.name}"</h2>
      <Field label="Role descriptors (JSON)" id="edit-key-roles" hint="Empty: the key has the owner's privileges.">
        <textarea id="edit-key-roles" rows={6} spellcheck={false} value={roles} onInput={(e) => setRoles(e.currentTarget.value)} />
      </Field>
      <Field label="Metadata (JSON)" id="edit-key-metadata">
        <textarea id="edit-key-metadata" rows={3} spellcheck={false} value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
      </Field>
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>Update</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
