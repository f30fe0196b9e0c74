import type { ComponentChildren } from 'preact';
import { navigate } from './router.js';

/** An in-app link: a real `<a href>` (keyboard, middle-click) that navigates without reloading. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a href={props.href} class={props.class} aria-current={props['aria-current']} onClick={onClick}>{props.children}</a>;
}
