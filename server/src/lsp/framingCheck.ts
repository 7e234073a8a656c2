/**
 * Checks the framing of the JSON-RPC byte stream as it arrives, beside vscode-jsonrpc's reader.
 * That reader reads `Content-Length` with `parseInt` (so `-1`, `12abc` or `0x10` pass) and waits
 * for ever for a header that never ends (raw JSON, LF line ends): once out of step it is silent.
 * Here every header line must be `name: value` ending in CRLF, the header must end within 8 KB,
 * and `Content-Length` must be a decimal byte count of at most 1 GiB. Written by hand because the
 * library offers no hook into its header parsing; it only watches, the library still reads.
 */

const MAX_HEADER_BYTES = 8 * 1024;
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
/** The characters of a header name (RFC 9110 `tchar`). */
const NAME_CHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

export class FramingCheck {
  private bodyLeft = 0;
  private headerBytes = 0;
  private line: number[] = [];
  private afterCr = false;
  private contentLength: string | undefined;
  private failed = false;

  /** `onProblem` is called once, with the first problem found, in words. */
  constructor(private readonly onProblem: (problem: string) => void) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.failed) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= take;
        at += take;
        continue;
      }
      this.headerByte(chunk[at]!);
      at++;
    }
  }

  private headerByte(byte: number): void {
    if (++this.headerBytes > MAX_HEADER_BYTES) return this.fail(`a message header runs past ${MAX_HEADER_BYTES / 1024} KB without ending`);
    if (this.afterCr) {
      this.afterCr = false;
      if (byte !== LF) return this.fail('a header line ends in CR without LF');
      return this.endLine();
    }
    if (byte === CR) {
      this.afterCr = true;
      return;
    }
    if (byte === LF) return this.fail('a header line ends in LF without CR (header lines end in CRLF)');
    // A header name is checked as it arrives: raw JSON with no header at all is refused at its first byte.
    if (!this.line.includes(COLON) && byte !== COLON && !NAME_CHAR.test(String.fromCharCode(byte))) {
      return this.fail(`a message header starts with ${JSON.stringify(this.text([...this.line, byte]).slice(0, 40))}, not with \`Content-Length: <bytes>\``);
    }
    this.line.push(byte);
  }

  private endLine(): void {
    const line = this.text(this.line);
    this.line = [];
    if (line === '') return this.endHeader();
    const colon = line.indexOf(':');
    if (colon <= 0) return this.fail(`the header line ${JSON.stringify(line.slice(0, 60))} is not \`name: value\``);
    if (line.slice(0, colon).toLowerCase() === 'content-length') this.contentLength = line.slice(colon + 1).trim();
  }

  private endHeader(): void {
    const value = this.contentLength;
    this.contentLength = undefined;
    this.headerBytes = 0;
    if (value === undefined) return this.fail('a message header has no Content-Length');
    const length = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (!(length <= MAX_MESSAGE_BYTES)) return this.fail(`the Content-Length ${JSON.stringify(value.slice(0, 40))} is not a byte count (a decimal number up to 1 GiB)`);
    this.bodyLeft = length;
  }

  private text(bytes: number[]): string {
    return String.fromCharCode(...bytes.slice(0, MAX_HEADER_BYTES));
  }

  private fail(problem: string): void {
    if (this.failed) return;
    this.failed = true;
    this.onProblem(problem);
  }
}
