// "RFC 3986 encode" shared by both signature versions (ros-api.md §2.0): unreserved characters
// stay, everything else is %XY upper-case, space is %20, `*` is %2A.
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
