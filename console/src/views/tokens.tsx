// Tokens: invalidate access/refresh tokens by token, user or realm (DELETE /_security/oauth2/token).
import { useState } from 'preact/hooks';
import type { Session } from '../session.js';
import { ErrorBox, Field, Notice, useAction } from '../ui.js';

const KINDS = [
  { value: 'token', label: 'Access token' },
  { value: 'refresh_token', label: 'Refresh token' },
  { value: 'username', label: 'Every token of a user' },
  { value: 'realm_name', label: 'Every token of a realm' },
] as const;

interface InvalidateAnswer {
  invalidated_tokens: number;
  previously_invalidated_tokens: number;
  error_count: number;
}

export function TokensScreen({ session }: { session: Session }) {
  const [kind, setKind] = useState<string>('username');
  const [value, setValue] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setResult(null);
    void action.run(async () => {
      const answer = await session.call<InvalidateAnswer>('DELETE', '/_security/oauth2/token', { [kind]: value.trim() });
      setResult(`Invalidated ${answer.invalidated_tokens} token(s); ${answer.previously_invalidated_tokens} were already invalid; ${answer.error_count} error(s).`);
    });
  };
  return (
    <form class="panel" onSubmit={submit}>
      <p>Signed-in sessions, scripts and the console itself use tokens from the password grant; invalidating them signs them out.</p>
      <Field label="Invalidate" id="token-kind">
        <select id="token-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
          {KINDS.map((k) => (
            <option value={k.value}>{k.label}</option>
          ))}
        </select>
      </Field>
      <Field label={KINDS.find((k) => k.value === kind)?.label ?? 'Value'} id="token-value">
        <input id="token-value" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </Field>
      <ErrorBox error={action.error} />
      <Notice text={result} />
      <button type="submit" class="danger" disabled={action.busy}>
        Invalidate
      </button>
    </form>
  );
}
