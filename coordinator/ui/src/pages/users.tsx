import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { AdminUser } from '../api/types.js';
import { useAction } from '../api/use-action.js';
import { ErrorBanner } from '../components/error-banner.js';
import { Field } from '../components/field.js';
import { formatTime } from '../components/format.js';
import { PageHeader } from '../components/page-header.js';
import { RemoteTable } from '../components/remote-table.js';
import { WriteOnly } from '../components/write-only.js';

/** Admin and auditor accounts; admins may add more. */
export function Users() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'admin' | 'auditor'>('auditor');
  const [serial, setSerial] = useState(0);
  const create = useAction(() => api<AdminUser>('POST', '/users', { username, password, role }));
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await create.run()) { setUsername(''); setPassword(''); setSerial((n) => n + 1); }
  };
  return (
    <>
      <PageHeader title="Users" />
      <WriteOnly>
        <form class="inline-form" onSubmit={submit} aria-label="Add user">
          <Field label="Username">{(id) => <input id={id} required autocomplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />}</Field>
          <Field label="Password" hint="At least 12 characters">{(id) => <input id={id} type="password" required minLength={12} autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}</Field>
          <Field label="Role">{(id) => (
            <select id={id} value={role} onChange={(e) => setRole(e.currentTarget.value as 'admin' | 'auditor')}>
              <option value="auditor">auditor (read only)</option><option value="admin">admin</option>
            </select>
          )}</Field>
          <button type="submit" class="primary" disabled={create.busy}>Add user</button>
        </form>
      </WriteOnly>
      {create.error && <ErrorBanner error={create.error} />}
      <RemoteTable<AdminUser> key={serial} label="Users" path="/users" rowKey={(u) => u.id} columns={[
        { key: 'username', label: 'Username' }, { key: 'role', label: 'Role' }, { key: 'createdAt', label: 'Created', render: (u) => formatTime(u.createdAt) },
      ]} />
    </>
  );
}
