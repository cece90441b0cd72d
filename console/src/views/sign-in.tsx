// Sign-in with a username and password (exchanged for an access token, see session.ts).
import { useState } from 'preact/hooks';
import { ErrorBox, Field, Notice, useAction } from '../ui.js';

export function SignIn({ onSignedIn, notice }: { onSignedIn(username: string, password: string): Promise<void>; notice: string | null }) {
  const [username, setUsername] = useState('elastic');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to esgate</h1>
      <Notice text={notice} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(() => onSignedIn(username, password));
        }}
      >
        <Field label="Username" id="username">
          <input id="username" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field label="Password" id="password" hint="On first start esgate prints the password of elastic once.">
          <input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-hint" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <ErrorBox error={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
