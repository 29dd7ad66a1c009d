/**
 * relatime, Linux's default for atime: a read updates a file's atime only when the atime is not
 * after its mtime or ctime (so "read since the last change?" stays answerable) or is a day old.
 * The master applies it to SetAttr `accessed`; the mount asks only when it may be due.
 */

/** An atime at least this old is updated by a read (Linux: a day). */
export const RELATIME_MAX_AGE_SEC = 24 * 3600;

/** Times as [seconds, nanoseconds]. */
export type TimePair = readonly [number, number];

export function atimeDue(atime: TimePair, mtime: TimePair, ctime: TimePair, now: TimePair): boolean {
  const notAfter = (a: TimePair, b: TimePair): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  return notAfter(atime, mtime) || notAfter(atime, ctime) || now[0] - atime[0] >= RELATIME_MAX_AGE_SEC;
}
