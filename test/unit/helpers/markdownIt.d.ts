/**
 * The little of markdown-it's API the report tests use (the package ships no types): its token
 * stream, to read a rendered report as a Markdown reader would.
 */
declare module 'markdown-it' {
  export interface Token {
    type: string;
    tag: string;
    content: string;
    children: Token[] | null;
    /** A link's `href`, an image's `src`: `[name, value]` pairs. */
    attrs: Array<[string, string]> | null;
  }
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    parse(src: string, env: object): Token[];
  }
}
