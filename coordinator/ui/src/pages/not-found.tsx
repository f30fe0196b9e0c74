import { PageHeader } from '../components/page-header.js';
import { Link } from '../router/link.js';

/** Unknown in-app path. */
export function NotFound() {
  return <><PageHeader title="Not found" /><p>There is no page here. <Link href="/">Go to the dashboard</Link>.</p></>;
}
