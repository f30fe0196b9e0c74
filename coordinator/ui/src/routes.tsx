import type { VNode } from 'preact';
import { AuditLog } from './pages/audit-log.js';
import { ComputerDetail } from './pages/computer-detail.js';
import { Computers } from './pages/computers.js';
import { Dashboard } from './pages/dashboard.js';
import { EnrollmentTokens } from './pages/enrollment-tokens.js';
import { ExtensionAttributeEdit } from './pages/extension-attribute-edit.js';
import { ExtensionAttributes } from './pages/extension-attributes.js';
import { GroupEdit } from './pages/group-edit.js';
import { Groups } from './pages/groups.js';
import { NodeDetail } from './pages/node-detail.js';
import { Nodes } from './pages/nodes.js';
import { NotFound } from './pages/not-found.js';
import { PackageDetail } from './pages/package-detail.js';
import { Packages } from './pages/packages.js';
import { PolicyEdit } from './pages/policy-edit.js';
import { Policies } from './pages/policies.js';
import { ScriptEdit } from './pages/script-edit.js';
import { Scripts } from './pages/scripts.js';
import { SegmentEdit } from './pages/segment-edit.js';
import { Segments } from './pages/segments.js';
import { Users } from './pages/users.js';

type Page = (id: number | undefined) => VNode;

// `new` is the create form; a number is an existing item.
const ROUTES: [RegExp, Page][] = [
  [/^\/$/, () => <Dashboard />],
  [/^\/computers$/, () => <Computers />],
  [/^\/computers\/(\d+)$/, (id) => <ComputerDetail id={id!} />],
  [/^\/policies$/, () => <Policies />],
  [/^\/policies\/(new|\d+)$/, (id) => <PolicyEdit id={id} />],
  [/^\/scripts$/, () => <Scripts />],
  [/^\/scripts\/(new|\d+)$/, (id) => <ScriptEdit id={id} />],
  [/^\/groups$/, () => <Groups />],
  [/^\/groups\/(new|\d+)$/, (id) => <GroupEdit id={id} />],
  [/^\/packages$/, () => <Packages />],
  [/^\/packages\/(\d+)$/, (id) => <PackageDetail id={id!} />],
  [/^\/segments$/, () => <Segments />],
  [/^\/segments\/(new|\d+)$/, (id) => <SegmentEdit id={id} />],
  [/^\/nodes$/, () => <Nodes />],
  [/^\/nodes\/(\d+)$/, (id) => <NodeDetail id={id!} />],
  [/^\/extension-attributes$/, () => <ExtensionAttributes />],
  [/^\/extension-attributes\/(new|\d+)$/, (id) => <ExtensionAttributeEdit id={id} />],
  [/^\/enrollment-tokens$/, () => <EnrollmentTokens />],
  [/^\/audit-log$/, () => <AuditLog />],
  [/^\/users$/, () => <Users />],
];

/** The page for a path; keyed by path so moving between items starts from fresh state. */
export function pageFor(path: string): VNode {
  for (const [re, page] of ROUTES) {
    const m = re.exec(path);
    if (m) {
      const id = m[1] === undefined || m[1] === 'new' ? undefined : Number(m[1]);
      return <div key={path}>{page(id)}</div>;
    }
  }
  return <NotFound />;
}
