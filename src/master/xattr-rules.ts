/**
 * Limits and name rules of extended attributes (Linux's, so programs see the errnos they
 * expect): a name is "namespace.rest" in the user., trusted. or security. namespace, 1 to 255
 * bytes (ERANGE beyond, ENOTSUP for another namespace: system.* ACLs are not stored); a value
 * is at most 64 KiB (E2BIG); all of one inode's names and values at most
 * XATTR_TOTAL_BYTES_MAX (ENOSPC).
 */
import { DfsError } from '../common/errors';

export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;
export const XATTR_NAME_BYTES_MAX = 255;
export const XATTR_VALUE_BYTES_MAX = 65536;
export const XATTR_TOTAL_BYTES_MAX = 1024 * 1024;
const NAMESPACES = ['user.', 'trusted.', 'security.'];

export function checkXattrName(name: string): void {
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > XATTR_NAME_BYTES_MAX) throw new DfsError('ERANGE', `bad attribute name length ${bytes}`);
  if (name.includes('\0')) throw new DfsError('EINVAL', 'attribute name contains NUL');
  const ns = NAMESPACES.find((p) => name.startsWith(p));
  if (!ns || name.length === ns.length) throw new DfsError('ENOTSUP', `unsupported attribute namespace: ${name}`);
}

export function checkXattrValue(value: Uint8Array): void {
  if (value.length > XATTR_VALUE_BYTES_MAX) throw new DfsError('E2BIG', `attribute value of ${value.length} bytes`);
}
