// "RFC 3986 encode" shared by both signature versions (ros-api.md §2.0): unreserved characters
// stay, everything else is %XY upper-case, space is %20, `*` is %2A.
const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;

export function rfc3986(s: string): string {
  // Most values (ids, names, dates) need no escaping: skip the encoder and its rewrite.
  if (UNRESERVED.test(s)) return s;
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
