// Roles: list, create and edit (cluster privileges from _builtin, index privileges, run-as), delete.
// Reserved roles are read-only, as the API keeps them.
import { useState } from 'preact/hooks';
import { seg } from '../api.js';
import { roleBody, roleFormOf, type IndexRow, type RoleDescriptor } from '../role-form.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, Messages, RowButtons, Table, useAction, useLoad } from '../ui.js';

const isReserved = (role: RoleDescriptor) => role.metadata?.['_reserved'] === true;

export function RolesScreen({ session }: { session: Session }) {
  const roles = useLoad(() => session.call<Record<string, RoleDescriptor>>('GET', '/_security/role'), []);
  const builtin = useLoad(() => session.call<{ cluster: string[]; index: string[] }>('GET', '/_security/privilege/_builtin'), []);
  const [editing, setEditing] = useState<{ name: string; role: RoleDescriptor | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const remove = (name: string) => {
    if (!confirm(`Delete the role ${name}?`)) return;
    void action.run(async () => {
      await session.call('DELETE', `/_security/role/${seg(name)}`);
      setNotice(`Deleted ${name}.`);
      roles.reload();
    });
  };
  return (
    <>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setEditing({ name: '', role: null })}>
          Create role
        </button>
      </div>
      {editing === null ? null : (
        <RoleEditor session={session} name={editing.name} role={editing.role} builtin={builtin.data} onDone={(changed) => (setEditing(null), changed && roles.reload())} />
      )}
      <Messages notice={notice} errors={[action.error, roles.error]} />
      <Table columns={['Role', 'Cluster', 'Indices', 'Run as', 'Actions']}>
            {Object.entries(roles.data ?? {}).map(([name, role]) => (
              <tr data-role={name}>
                <td>
                  {name} {isReserved(role) ? <span class="badge">reserved</span> : null}
                </td>
                <td>{(role.cluster ?? []).join(', ') || '—'}</td>
                <td>{(role.indices ?? []).map((entry) => `${entry.names.join(',')}: ${entry.privileges.join(',')}`).join('; ') || '—'}</td>
                <td>{(role.run_as ?? []).join(', ') || '—'}</td>
                <td class="row-actions">
                  {isReserved(role) ? (
                    <span class="hint">read-only</span>
                  ) : (
                    <RowButtons label={name} onEdit={() => setEditing({ name, role })} onRemove={() => remove(name)} />
                  )}
                </td>
              </tr>
            ))}
      </Table>
    </>
  );
}

interface EditorProps {
  session: Session;
  name: string;
  role: RoleDescriptor | null;
  builtin: { cluster: string[]; index: string[] } | undefined;
  onDone(changed: boolean): void;
}

function RoleEditor({ session, name: initialName, role, builtin, onDone }: EditorProps) {
  const initial = roleFormOf(role);
  const [name, setName] = useState(initialName);
  const [cluster, setCluster] = useState<ReadonlySet<string>>(new Set(initial.cluster));
  const [indices, setIndices] = useState<IndexRow[]>(initial.indices.length > 0 ? [...initial.indices] : [{ names: '', privileges: '', allowRestricted: false }]);
  const [runAs, setRunAs] = useState(initial.runAs);
  const [metadata, setMetadata] = useState(initial.metadata);
  const [errors, setErrors] = useState<string[]>([]);
  const action = useAction();
  const setRow = (i: number, change: Partial<IndexRow>) => setIndices(indices.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const toggle = (privilege: string) => {
    const next = new Set(cluster);
    if (next.has(privilege)) next.delete(privilege);
    else next.add(privilege);
    setCluster(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const { body, errors: found } = roleBody({ cluster: [...cluster], indices, runAs, metadata }, role);
    setErrors(found);
    if (body === undefined) return;
    void action.run(async () => {
      await session.call('PUT', `/_security/role/${seg(name.trim())}`, body);
      onDone(true);
    });
  };
  const clusterChoices = [...new Set([...(builtin?.cluster ?? []), ...cluster])].sort();
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="role-form-title">
      <h2 id="role-form-title">{role === null ? 'Create role' : `Edit ${initialName}`}</h2>
      <Field label="Role name" id="role-name">
        <input id="role-name" required readOnly={role !== null} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <fieldset>
        <legend>Cluster privileges</legend>
        <div class="choices">
          {clusterChoices.map((privilege) => (
            <label class="check">
              <input type="checkbox" checked={cluster.has(privilege)} onChange={() => toggle(privilege)} /> {privilege}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Index privileges</legend>
        <datalist id="index-privileges">{(builtin?.index ?? []).map((p) => <option value={p} />)}</datalist>
        {indices.map((row, i) => (
          <div class="index-row">
            <Field label={`Indices (row ${i + 1})`} id={`role-index-names-${i}`}>
              <input id={`role-index-names-${i}`} value={row.names} placeholder="logs-*, metrics" onInput={(e) => setRow(i, { names: e.currentTarget.value })} />
            </Field>
            <Field label={`Privileges (row ${i + 1})`} id={`role-index-privileges-${i}`}>
              <input id={`role-index-privileges-${i}`} list="index-privileges" value={row.privileges} placeholder="read, view_index_metadata" onInput={(e) => setRow(i, { privileges: e.currentTarget.value })} />
            </Field>
            <label class="check">
              <input type="checkbox" checked={row.allowRestricted} onChange={(e) => setRow(i, { allowRestricted: e.currentTarget.checked })} /> allow_restricted_indices
            </label>
            <button type="button" onClick={() => setIndices(indices.filter((_, j) => j !== i))} aria-label={`Remove index row ${i + 1}`}>Remove</button>
          </div>
        ))}
        <button type="button" onClick={() => setIndices([...indices, { names: '', privileges: '', allowRestricted: false }])}>Add index privileges</button>
      </fieldset>
      <Field label="Run as" id="role-run-as" hint="Comma-separated usernames this role may run as">
        <input id="role-run-as" value={runAs} onInput={(e) => setRunAs(e.currentTarget.value)} />
      </Field>
      <Field label="Metadata (JSON)" id="role-metadata">
        <textarea id="role-metadata" rows={3} spellcheck={false} value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
      </Field>
      {errors.map((text) => <p class="error" role="alert">{text}</p>)}
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>{role === null ? 'Create role' : 'Save'}</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
