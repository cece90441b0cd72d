// Who am I: _authenticate and the user's privileges, as Elasticsearch reports them.
import type { Session } from '../session.js';
import { ErrorBox, json, useLoad } from '../ui.js';

interface Authenticate {
  username: string;
  roles: string[];
  full_name?: string | null;
  email?: string | null;
  authentication_type?: string;
  authentication_realm?: { name: string; type: string };
}

export function WhoAmI({ session }: { session: Session }) {
  const me = useLoad(() => session.call<Authenticate>('GET', '/_security/_authenticate'), []);
  const privileges = useLoad(() => session.call('GET', '/_security/user/_privileges'), []);
  return (
    <>
      <ErrorBox error={me.error} />
      {me.data === undefined ? null : (
        <dl class="facts">
          <dt>Username</dt>
          <dd data-testid="whoami-username">{me.data.username}</dd>
          <dt>Roles</dt>
          <dd>{me.data.roles.join(', ') || '—'}</dd>
          <dt>Full name</dt>
          <dd>{me.data.full_name ?? '—'}</dd>
          <dt>Email</dt>
          <dd>{me.data.email ?? '—'}</dd>
          <dt>Realm</dt>
          <dd>
            {me.data.authentication_realm?.name} ({me.data.authentication_realm?.type})
          </dd>
          <dt>Authentication type</dt>
          <dd>{me.data.authentication_type}</dd>
        </dl>
      )}
      <h2>Privileges</h2>
      <ErrorBox error={privileges.error} />
      {privileges.data === undefined ? null : <pre class="json">{json(privileges.data)}</pre>}
    </>
  );
}
