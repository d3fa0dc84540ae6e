// Validation and normalisation of DNS names before any query is sent.
import { domainToASCII } from 'node:url';

/** A name that cannot be queried. `.input` is the name exactly as given. */
export class InvalidDomainError extends Error {
  readonly input: unknown;
  constructor(input: unknown, reason: string) {
    super(`invalid domain ${JSON.stringify(typeof input === 'string' ? input : String(input))}: ${reason}`);
    this.name = 'InvalidDomainError';
    this.input = input;
  }
}

/** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters in dotted form without the root dot. */
export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
// Names found in DNS data (targets of NS, MX, SPF terms) are asked as they are written: DNS
// itself allows any octets in a label (RFC 2181 §11), so `_spf`, `-mail-` and the like are looked
// up and judged by the graders, not silently dropped here. Only what cannot be a printable,
// encodable label (empty, too long, spaces, control characters) is refused.
const DATA_LABEL = /^[\x21-\x7e]+$/;

function checkLabels(input: unknown, ascii: string, labelPattern: RegExp): void {
  if (ascii.length > MAX_NAME_LENGTH) {
    throw new InvalidDomainError(input, `longer than ${MAX_NAME_LENGTH} characters (${ascii.length})`);
  }
  for (const label of ascii.split('.')) {
    if (label.length === 0) throw new InvalidDomainError(input, 'empty label');
    if (label.length > MAX_LABEL_LENGTH) {
      throw new InvalidDomainError(input, `label "${label}" is longer than ${MAX_LABEL_LENGTH} characters`);
    }
    if (!labelPattern.test(label)) {
      throw new InvalidDomainError(
        input,
        labelPattern === LDH_LABEL ? `label "${label}" has characters outside letters, digits and inner hyphens` : `label "${label}" has unprintable characters`,
      );
    }
  }
}

function toAsciiLowerCase(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidDomainError(input, `expected a string, got ${typeof input}`);
  let name = input.trim();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) throw new InvalidDomainError(input, 'empty name');
  if (/[\s/\\:@?#%]/.test(name)) throw new InvalidDomainError(input, 'contains whitespace, a URL or address character');
  // Pure-ASCII names skip domainToASCII: it is the costly path and changes nothing for them
  // except lower-casing.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return name.toLowerCase();
  const ascii = domainToASCII(name.toLowerCase());
  if (ascii === '') throw new InvalidDomainError(input, 'not a valid internationalised domain name');
  return ascii;
}

/**
 * A site's domain as the scan and the site list store it: lower-case A-labels (IDNs converted
 * with the WHATWG/UTS #46 mapping of node:url), no trailing dot, at least two LDH labels, not an
 * IP address. Throws InvalidDomainError naming the input otherwise.
 */
export function normaliseDomain(input: string): string {
  const ascii = toAsciiLowerCase(input);
  checkLabels(input, ascii, LDH_LABEL);
  const labels = ascii.split('.');
  if (labels.length < 2) throw new InvalidDomainError(input, 'a single label is not a site domain');
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    throw new InvalidDomainError(input, 'an IP address (or a numeric top-level label), not a domain name');
  }
  return ascii;
}

/**
 * A name found in DNS data (an SPF include target, a name-server or mail host) made ready for a
 * query: lower case, A-labels, no trailing dot, length and label limits checked; single labels
 * and any printable characters in labels are allowed (see DATA_LABEL).
 */
export function normaliseQueryName(input: string): string {
  const ascii = toAsciiLowerCase(input);
  checkLabels(input, ascii, DATA_LABEL);
  return ascii;
}

/** normaliseQueryName without the exception: null when the name cannot be queried. */
export function tryNormaliseQueryName(input: string): string | null {
  try {
    return normaliseQueryName(input);
  } catch (err) {
    if (err instanceof InvalidDomainError) return null;
    throw err;
  }
}
