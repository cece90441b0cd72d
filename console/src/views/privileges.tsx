// Privilege check: _has_privileges for the signed-in user, or for another user through run-as
// (es-security-runas-user, which needs the run_as privilege): the quickest way to debug a 403.
import { useState } from 'preact/hooks';
import { nameList } from '../json-field.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, useAction } from '../ui.js';

interface HasPrivileges {
  username: string;
  has_all_requested: boolean;
  cluster: Record<string, boolean>;
  index: Record<string, Record<string, boolean>>;
}

export function PrivilegesScreen({ session }: { session: Session }) {
  const [user, setUser] = useState('');
  const [cluster, setCluster] = useState('monitor');
  const [indices, setIndices] = useState('');
  const [indexPrivileges, setIndexPrivileges] = useState('read');
  const [answer, setAnswer] = useState<HasPrivileges | null>(null);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setAnswer(null);
    const names = nameList(indices);
    const body = { cluster: nameList(cluster), index: names.length === 0 ? [] : [{ names, privileges: nameList(indexPrivileges) }] };
    const headers: Record<string, string> = user.trim() === '' ? {} : { 'es-security-runas-user': user.trim() };
    void action.run(async () => setAnswer(await session.call<HasPrivileges>('POST', '/_security/user/_has_privileges', body, headers)));
  };
  const rows: Array<[string, string, boolean]> = answer === null ? [] : [...Object.entries(answer.cluster).map(([p, ok]): [string, string, boolean] => ['cluster', p, ok]), ...Object.entries(answer.index).flatMap(([index, privileges]) => Object.entries(privileges).map(([p, ok]): [string, string, boolean] => [index, p, ok]))];
  return (
    <>
      <form class="panel" onSubmit={submit}>
        <Field label="As user (empty: yourself)" id="check-user" hint="Another user is checked with run-as, which needs the run_as privilege.">
          <input id="check-user" value={user} aria-describedby="check-user-hint" onInput={(e) => setUser(e.currentTarget.value)} />
        </Field>
        <Field label="Cluster privileges" id="check-cluster" hint="Comma-separated, e.g. monitor, manage_own_api_key">
          <input id="check-cluster" value={cluster} onInput={(e) => setCluster(e.currentTarget.value)} />
        </Field>
        <Field label="Indices" id="check-indices" hint="Comma-separated names or patterns">
          <input id="check-indices" value={indices} onInput={(e) => setIndices(e.currentTarget.value)} />
        </Field>
        <Field label="Index privileges" id="check-index-privileges">
          <input id="check-index-privileges" value={indexPrivileges} onInput={(e) => setIndexPrivileges(e.currentTarget.value)} />
        </Field>
        <ErrorBox error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          Check
        </button>
      </form>
      {answer === null ? null : (
        <section aria-live="polite">
          <p data-testid="has-all">
            <strong>{answer.username}</strong> {answer.has_all_requested ? 'has every requested privilege.' : 'lacks some of the requested privileges.'}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">On</th>
                <th scope="col">Privilege</th>
                <th scope="col">Granted</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([on, privilege, ok]) => (
                <tr class={ok ? 'granted' : 'denied'}>
                  <td>{on}</td>
                  <td>{privilege}</td>
                  <td>{ok ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
