// The console's shell: sign-in, then a navigation and one screen per hash route (#/api-keys…).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Session } from './session.js';
import './styles.css';
import { ApiKeysScreen } from './views/api-keys.js';
import { PrivilegesScreen } from './views/privileges.js';
import { RolesScreen } from './views/roles.js';
import { SignIn } from './views/sign-in.js';
import { TokensScreen } from './views/tokens.js';
import { UsersScreen } from './views/users.js';
import { WhoAmI } from './views/who-am-i.js';

const SCREENS = [
  { route: 'whoami', label: 'Who am I', view: WhoAmI },
  { route: 'api-keys', label: 'API keys', view: ApiKeysScreen },
  { route: 'users', label: 'Users', view: UsersScreen },
  { route: 'roles', label: 'Roles', view: RolesScreen },
  { route: 'tokens', label: 'Tokens', view: TokensScreen },
  { route: 'privileges', label: 'Privilege check', view: PrivilegesScreen },
] as const;

const currentRoute = () => location.hash.replace(/^#\/?/, '') || 'api-keys';

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [route, setRoute] = useState(currentRoute());
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [route]);

  if (session === null) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(username, password) =>
          Session.signIn(username, password, () => {
            setSession(null);
            setNotice('Your session ended. Sign in again.');
          }).then((started) => {
            setNotice(null);
            setSession(started);
          })
        }
      />
    );
  }
  const screen = SCREENS.find((s) => s.route === route) ?? SCREENS[1];
  const View = screen.view;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">esgate</span>
        <nav aria-label="Screens">
          {SCREENS.map((s) => (
            <a href={`#/${s.route}`} aria-current={s === screen ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        <span class="who">
          {session.username}
          {session.usesToken ? null : <span class="badge" title="You lack the manage_token privilege: the console keeps your password in memory instead of a token.">password session</span>}{' '}
          <button
            type="button"
            onClick={() => {
              void session.signOut().then(() => setNotice('Signed out.'));
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{screen.label}</h1>
        <View session={session} />
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
