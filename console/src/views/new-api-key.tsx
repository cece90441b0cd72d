// Generate an API key (name, expiration defaulting to 90 days, optional role descriptors and
// metadata), then show it once with copy and CSV download, as the Cloud UI does.
import { useState } from 'preact/hooks';
import { createApiKeyBody } from '../api-key-form.js';
import { apiKeyCsv, csvFileName, type NewApiKey } from '../csv.js';
import { DEFAULT_EXPIRATION, EXPIRATION_PRESETS, formatDate, type ExpirationPreset } from '../expiry.js';
import type { Session } from '../session.js';
import { ErrorBox, Field, useAction } from '../ui.js';

export function NewApiKeyForm({ session, onCreated, onCancel }: { session: Session; onCreated(key: NewApiKey): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<ExpirationPreset>(DEFAULT_EXPIRATION);
  const [date, setDate] = useState('');
  const [roleDescriptors, setRoleDescriptors] = useState('');
  const [metadata, setMetadata] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const { body, errors: found } = createApiKeyBody({ name, preset, date, roleDescriptors, metadata }, Date.now());
    setErrors(found);
    if (body === undefined) return;
    void action.run(async () => onCreated(await session.call<NewApiKey>('POST', '/_security/api_key', body)));
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="new-key-title">
      <h2 id="new-key-title">Generate API key</h2>
      <Field label="Name" id="key-name">
        <input id="key-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="Expiration" id="key-expiration">
        <select id="key-expiration" value={preset} onChange={(e) => setPreset(e.currentTarget.value as ExpirationPreset)}>
          {EXPIRATION_PRESETS.map((p) => (
            <option value={p.value}>{p.label}</option>
          ))}
        </select>
      </Field>
      {preset === 'date' ? (
        <Field label="Expires on" id="key-date">
          <input id="key-date" type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </Field>
      ) : null}
      <details>
        <summary>Restrict privileges and add metadata (optional)</summary>
        <Field label="Role descriptors (JSON)" id="key-roles" hint='Limits the key below your own privileges, e.g. {"reader":{"indices":[{"names":["logs-*"],"privileges":["read"]}]}}'>
          <textarea id="key-roles" rows={6} spellcheck={false} aria-describedby="key-roles-hint" value={roleDescriptors} onInput={(e) => setRoleDescriptors(e.currentTarget.value)} />
        </Field>
        <Field label="Metadata (JSON)" id="key-metadata">
          <textarea id="key-metadata" rows={3} spellcheck={false} value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
        </Field>
      </details>
      {errors.map((text) => (
        <p class="error" role="alert">
          {text}
        </p>
      ))}
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Generate API key
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function download(key: NewApiKey): void {
  const url = URL.createObjectURL(new Blob([apiKeyCsv(key)], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = csvFileName(key);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function NewApiKeyShown({ apiKey, onDone }: { apiKey: NewApiKey; onDone(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(apiKey.encoded).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('The browser refused the clipboard; select the key and copy it.'),
    );
  return (
    <section class="panel new-key" aria-labelledby="shown-title">
      <h2 id="shown-title">API key "{apiKey.name}" generated</h2>
      <p>
        Copy the key now: <strong>it is shown only once</strong>. Send it as <code>Authorization: ApiKey &lt;key&gt;</code>.
      </p>
      <Field label="Encoded API key" id="new-key-encoded">
        <input id="new-key-encoded" class="secret" readOnly value={apiKey.encoded} onFocus={(e) => e.currentTarget.select()} />
      </Field>
      <p>Expires: {apiKey.expiration === undefined ? 'never' : formatDate(apiKey.expiration)}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={() => download(apiKey)}>
          Download CSV
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status">{copied}</p>
    </section>
  );
}
