import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';

/**
 * Shareable links keep the source in the URL fragment (never sent to a server):
 * `#code=` followed by the UTF-8 bytes in base64url is always accepted; the page writes `#z=`,
 * the same bytes deflated first, which is several times shorter for the larger examples.
 */
export function sourceFromFragment(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('code');
  const z = params.get('z');
  try {
    if (code !== null) return strFromU8(fromBase64Url(code));
    if (z !== null) return strFromU8(inflateSync(fromBase64Url(z)));
  } catch {
    return undefined;
  }
  return undefined;
}

export function fragmentOf(source: string): string {
  return `#z=${toBase64Url(deflateSync(strToU8(source), { level: 9 }))}`;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
