// Users of the native realm: list, create, edit, enable/disable, change password, delete.
// Reserved users are marked; what the API refuses for them is refused with its own reason.
import { useState } from 'preact/hooks';
import { seg } from '../api.js';
import { nameList, parseJsonObject } from '../json-field.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, json, Messages, RowButtons, Table, useAction, useLoad } from '../ui.js';

interface User {
  username: string;
  roles: string[];
  full_name: string | null;
  email: string | null;
  metadata: Record<string, unknown>;
  enabled: boolean;
}

const isReserved = (user: User) => user.metadata['_reserved'] === true;

export function UsersScreen({ session }: { session: Session }) {
  const users = useLoad(() => session.call<Record<string, User>>('GET', '/_security/user'), []);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const act = (text: string, method: string, path: string, body?: unknown) =>
    void action.run(async () => {
      await session.call(method, path, body);
      setNotice(text);
      users.reload();
    });
  const remove = (user: User) => {
    if (confirm(`Delete the user ${user.username}?`)) act(`Deleted ${user.username}.`, 'DELETE', `/_security/user/${seg(user.username)}`);
  };
  const changePassword = (user: User) => {
    const password = prompt(`New password for ${user.username} (at least 6 characters)`);
    if (password !== null) act(`Changed the password of ${user.username}.`, 'POST', `/_security/user/${seg(user.username)}/_password`, { password });
  };
  return (
    <>
      <div class="actions">
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Create user
        </button>
      </div>
      {editing === null ? null : <UserForm session={session} user={editing === 'new' ? null : editing} onDone={(changed) => (setEditing(null), changed && users.reload())} />}
      <Messages notice={notice} errors={[action.error, users.error]} />
      <Table columns={['Username', 'Full name', 'Email', 'Roles', 'Status', 'Actions']}>
            {Object.values(users.data ?? {}).map((user) => (
              <tr data-user={user.username}>
                <td>
                  {user.username} {isReserved(user) ? <span class="badge">reserved</span> : null}
                </td>
                <td>{user.full_name ?? '—'}</td>
                <td>{user.email ?? '—'}</td>
                <td>{user.roles.join(', ') || '—'}</td>
                <td>{user.enabled ? 'enabled' : 'disabled'}</td>
                <td class="row-actions">
                  <button type="button" onClick={() => changePassword(user)} aria-label={`Change the password of ${user.username}`}>Password</button>
                  <button type="button" onClick={() => act(`${user.enabled ? 'Disabled' : 'Enabled'} ${user.username}.`, 'PUT', `/_security/user/${seg(user.username)}/${user.enabled ? '_disable' : '_enable'}`)}>
                    {user.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <RowButtons label={user.username} onEdit={() => setEditing(user)} onRemove={() => remove(user)} editDisabled={isReserved(user)} removeDisabled={isReserved(user)} />
                </td>
              </tr>
            ))}
      </Table>
    </>
  );
}

function UserForm({ session, user, onDone }: { session: Session; user: User | null; onDone(changed: boolean): void }) {
  const [username, setUsername] = useState(user?.username ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState(user?.roles.join(', ') ?? '');
  const [fullName, setFullName] = useState(user?.full_name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [metadata, setMetadata] = useState(user && Object.keys(user.metadata).length > 0 ? json(user.metadata) : '');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const parsed = parseJsonObject('metadata', metadata);
      if (!parsed.ok) throw new Error(parsed.error);
      const body: Record<string, unknown> = { roles: nameList(roles), full_name: fullName.trim() === '' ? null : fullName, email: email.trim() === '' ? null : email, metadata: parsed.value ?? {} };
      if (password !== '') body['password'] = password;
      await session.call('PUT', `/_security/user/${seg(username.trim())}`, body);
      onDone(true);
    });
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="user-form-title">
      <h2 id="user-form-title">{user === null ? 'Create user' : `Edit ${user.username}`}</h2>
      <Field label="Username" id="user-name">
        <input id="user-name" required readOnly={user !== null} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
      </Field>
      {user === null ? (
        <Field label="Password" id="user-password" hint="At least 6 characters.">
          <input id="user-password" type="password" autocomplete="new-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
      ) : null}
      <Field label="Roles" id="user-roles" hint="Comma-separated role names">
        <input id="user-roles" value={roles} onInput={(e) => setRoles(e.currentTarget.value)} />
      </Field>
      <Field label="Full name" id="user-full-name">
        <input id="user-full-name" value={fullName} onInput={(e) => setFullName(e.currentTarget.value)} />
      </Field>
      <Field label="Email" id="user-email">
        <input id="user-email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </Field>
      <Field label="Metadata (JSON)" id="user-metadata">
        <textarea id="user-metadata" rows={3} spellcheck={false} value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
      </Field>
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>{user === null ? 'Create user' : 'Save'}</button>
        <button type="button" onClick={() => onDone(false)}>Cancel</button>
      </div>
    </form>
  );
}
