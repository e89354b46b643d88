// Names written to GitHub must not mention people nor link issues. GitHub turns `@name` into a
// mention (and notifies that person or team) and `#123` or `GH-123` into a link to issue 123 (and a
// back-reference on it) in the text of a comment, issue or pull request body, after Markdown is
// rendered: a backslash (`\@`) is gone by then and does not help. A zero-width space after the `@`
// or `#`, written as the entity `&#8203;`, breaks the reference and renders the name as it reads;
// Renovate's pull-request bodies use the same form for the same reason. Code spans, fences and
// `<code>` are never linked, so they need nothing (and a copied name stays clean there).

const ZERO_WIDTH_SPACE = '&#8203;';

/** Markdown or HTML text (entities allowed) with every `@name`, `#123` and `GH-123` inert. */
export function noReferences(markdown: string): string {
  // One pass, and never inside an entity (`&#64;` is a character, not an issue number).
  return markdown.replace(/@(?=[A-Za-z0-9_-])|(?<!&)#(?=\d)|\bGH-(?=\d)/gi, (m) => `${m}${ZERO_WIDTH_SPACE}`);
}
