import type { ComponentChildren } from 'preact';
import { useCanWrite } from '../session/session.js';

/** Renders its children only for users who may change things (not auditors). */
export function WriteOnly({ children }: { children: ComponentChildren }) {
  return useCanWrite() ? <>{children}</> : null;
}
