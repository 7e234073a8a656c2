/**
 * The one way the extension's webviews start a page: a content security policy that allows
 * nothing but the page's own style and script, by nonce (no inline handlers, no remote content),
 * and the page's title escaped. The dry-run report and the flow view both begin here.
 */

export interface PageHead {
  nonce: string;
  cspSource: string;
  /** Plain text; escaped here. */
  title: string;
  style: string;
}

export function pageHead({ nonce, cspSource, title, style }: PageHead): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${style}</style>
</head>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
