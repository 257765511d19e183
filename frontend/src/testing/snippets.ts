// Snippets for rendering a component that takes them, from a test.
import { createRawSnippet, type Snippet } from 'svelte';

/** A snippet that renders the given HTML, which must have one root element. */
export function html(markup: string): Snippet {
  return createRawSnippet(() => ({ render: () => markup }));
}
