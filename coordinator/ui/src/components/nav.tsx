import { Link } from '../router/link.js';
import { useSession } from '../session/session.js';

const ITEMS: [string, string][] = [
  ['/', 'Dashboard'], ['/computers', 'Computers'], ['/policies', 'Policies'], ['/scripts', 'Scripts'], ['/groups', 'Groups'],
  ['/packages', 'Packages'], ['/segments', 'Segments'], ['/nodes', 'Nodes'],
  ['/extension-attributes', 'Extension attributes'], ['/enrollment-tokens', 'Enrollment'], ['/audit-log', 'Audit log'], ['/users', 'Users'],
];

/** The main navigation plus who is signed in and a sign-out button. */
export function Nav({ path }: { path: string }) {
  const { session, signOut } = useSession();
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <nav class="sidebar" aria-label="Main">
      <p class="brand">Homing</p>
      <ul>
        {ITEMS.map(([href, label]) => (
          <li key={href}><Link href={href} aria-current={current(href) ? 'page' : undefined}>{label}</Link></li>
        ))}
      </ul>
      <div class="whoami">
        <span>{session.username} <em>({session.role})</em></span>
        <button type="button" onClick={signOut}>Sign out</button>
      </div>
    </nav>
  );
}
