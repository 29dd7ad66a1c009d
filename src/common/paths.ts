/**
 * Namespace paths: absolute, '/'-separated, normalized.
 *
 * Contract: `normalizePath` returns the canonical form ("/" or "/a/b", no trailing slash,
 * no "." or empty components) or throws DfsError EINVAL (empty, relative, NUL byte, ".."
 * above the root) / ENAMETOOLONG (a name over NAME_MAX_BYTES or the path over PATH_MAX_BYTES).
 * ".." inside the path is resolved lexically, as the namespace has no symlinks in paths.
 */
import { DfsError } from './errors';

/** A path or name that no file can have (relative, escaping the root, empty, with a NUL): said as such. */
export class PathError extends DfsError {}

export const NAME_MAX_BYTES = 255;
export const PATH_MAX_BYTES = 4096;

/**
 * Bytes that are not UTF-8 in a name seen through the mount arrive as U+F780..U+F7FF, one
 * character per byte (0x80..0xFF; the binding escapes the escape range's own characters the same
 * way: src/mount/native/fuse-native.c, create_name_string). Limits count such a character as the
 * one byte it stands for.
 */
const ESCAPED_BYTES = /[\uf780-\uf7ff]/g;

/** The length of `s` in bytes on the mount: UTF-8, with each escaped byte counted once. */
export function nameBytes(s: string): number {
  return Buffer.byteLength(s) - 2 * (s.match(ESCAPED_BYTES)?.length ?? 0);
}

export function normalizePath(input: string): string {
  return '/' + splitPath(input).join('/');
}

/** The components of a path ("/" → []). Same errors as normalizePath. */
export function splitPath(input: string): string[] {
  if (typeof input !== 'string' || input.length === 0) throw new PathError('EINVAL', 'empty path');
  if (input.includes('\0')) throw new PathError('EINVAL', 'path contains a NUL byte');
  if (!input.startsWith('/')) throw new PathError('EINVAL', `path is not absolute: ${input}`);
  if (nameBytes(input) > PATH_MAX_BYTES) throw new DfsError('ENAMETOOLONG', 'path too long');
  const out: string[] = [];
  for (const part of input.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new PathError('EINVAL', `path escapes the root: ${input}`);
      out.pop();
      continue;
    }
    checkName(part);
    out.push(part);
  }
  return out;
}

/** Throws unless `name` is a valid single directory entry name. */
export function checkName(name: string): void {
  if (name.length === 0) throw new PathError('EINVAL', 'empty name');
  if (name === '.' || name === '..') throw new PathError('EINVAL', `invalid name: ${name}`);
  if (name.includes('/') || name.includes('\0')) throw new PathError('EINVAL', 'name contains "/" or NUL');
  if (nameBytes(name) > NAME_MAX_BYTES) throw new DfsError('ENAMETOOLONG', 'name too long');
}

/** [parent path, last name] of a normalized non-root path. */
export function parentOf(path: string): [string, string] {
  const parts = splitPath(path);
  if (parts.length === 0) throw new PathError('EINVAL', 'the root has no parent');
  const name = parts.pop()!;
  return ['/' + parts.join('/'), name];
}

/** Joins a remote directory and a name. */
export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}
