/*
 * Native half of the dfs FUSE binding: a patched copy of fuse-native 2.2.6's fuse-native.c
 * (https://github.com/fuse-friends/fuse-native, MIT licence, Copyright (c) Mathias Buus and the
 * fuse-native contributors; the licence text is in LICENSE next to this file). Built by
 * scripts/build-native.sh against Debian's libfuse.so.2 (FUSE 2.9 API). Changes from upstream:
 *
 * - every operation's JS handler also gets the caller's fuse_get_context(): uid, gid, pid and
 *   umask (umask is non-zero only for create/mkdir/mknod, protocol >= 7.12), appended as four
 *   uint32 arguments after the operation's own;
 * - times cross in both directions as int64 seconds + nanoseconds (upstream: milliseconds), and
 *   utimens passes both atime and mtime (upstream passed the atime twice), so UTIME_NOW and
 *   UTIME_OMIT (tv_nsec values) reach JS intact; st_ino is 64-bit;
 * - create passes the open flags (fi->flags: O_EXCL, O_TRUNC, O_APPEND...) after the mode;
 * - open and create reply with the handle and a direct_io flag (fi->direct_io: the kernel
 *   reads and writes that handle without its page cache);
 * - fuse_native_loop_ended tells whether libfuse's loop returned (the mount went away);
 * - the `fallocate` operation (FUSE 2.9.1+): path, fh, mode, then offset and length as two
 *   uint32 each;
 * - the `lock` (fcntl F_GETLK/F_SETLK/F_SETLKW on a struct flock) and `flock` operations, with
 *   fi->lock_owner as a BigInt;
 * - a libfuse thread waits for its JS reply on a mutex + condition variable; lock and flock
 *   waits wake every LOCK_INTERRUPT_POLL_MS to check fuse_interrupted() and, once the kernel
 *   interrupted the request (a signal to the blocked process), tell JS through the interrupt
 *   callback given to fuse_native_mount (JS then ends the wait with -EINTR).
 *
 * Threading model (unchanged): libfuse's multi-threaded loop calls an operation in one of its
 * threads; that thread stores the arguments in its thread-locals, wakes the JS thread through
 * its own uv_async_t and waits; the JS reply ("signal") stores the result and wakes it.
 */
#define FUSE_USE_VERSION 29

#include <uv.h>
#include <node_api.h>
#include <napi-macros.h>

#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <assert.h>

#include <fuse.h>
#include <fuse_opt.h>
#include <fuse_common.h>
#include <fuse_lowlevel.h>

#include <unistd.h>
#include <sys/wait.h>
#include <sys/file.h>
#include <pthread.h>
#include <fcntl.h>
#include <time.h>
#include <errno.h>

#define OP_COUNT 37
#define LOCK_INTERRUPT_POLL_MS 100

static int IS_ARRAY_BUFFER_DETACH_SUPPORTED = 0;

napi_status napi_detach_arraybuffer(napi_env env, napi_value buf);

#define FUSE_NATIVE_CALLBACK(fn, blk)\
  napi_env env = ft->env;\
  napi_handle_scope scope;\
  napi_open_handle_scope(env, &scope);\
  napi_value ctx;\
  napi_get_reference_value(env, ft->ctx, &ctx);\
  napi_value callback;\
  napi_get_reference_value(env, fn, &callback);\
  blk\
  napi_close_handle_scope(env, scope);

#define FUSE_NATIVE_HANDLER(name, blk)\
  fuse_thread_locals_t *l = get_thread_locals();\
  l->op = op_##name;\
  l->op_fn = fuse_native_dispatch_##name;\
  capture_context(l);\
  blk\
  uv_async_send(&(l->async));\
  wait_for_reply(l, op_##name == op_lock || op_##name == op_flock);\
  return l->res;

#define FUSE_METHOD(name, callbackArgs, signalArgs, signature, callBlk, callbackBlk, signalBlk)\
  static void fuse_native_dispatch_##name (uv_async_t* handle, fuse_thread_locals_t* l, fuse_thread_t* ft) {\
    uint32_t op = op_##name;\
    FUSE_NATIVE_CALLBACK(ft->handlers[op], {\
      napi_value argv[callbackArgs + 2 + 4];\
      napi_get_reference_value(env, l->self, &(argv[0]));\
      napi_create_uint32(env, l->op, &(argv[1]));\
      callbackBlk\
      napi_create_uint32(env, l->ctx_uid, &(argv[callbackArgs + 2]));\
      napi_create_uint32(env, l->ctx_gid, &(argv[callbackArgs + 3]));\
      napi_create_uint32(env, (uint32_t) l->ctx_pid, &(argv[callbackArgs + 4]));\
      napi_create_uint32(env, l->ctx_umask, &(argv[callbackArgs + 5]));\
      NAPI_MAKE_CALLBACK(env, NULL, ctx, callback, callbackArgs + 2 + 4, argv, NULL)\
    })\
  }\
  NAPI_METHOD(fuse_native_signal_##name) {\
    NAPI_ARGV(signalArgs + 2)\
    NAPI_ARGV_BUFFER_CAST(fuse_thread_locals_t *, l, 0);\
    NAPI_ARGV_INT32(res, 1);\
    signalBlk\
    post_reply(l, res);\
    return NULL;\
  }\
  static int fuse_native_##name signature {\
    FUSE_NATIVE_HANDLER(name, callBlk)\
  }

#define FUSE_METHOD_VOID(name, callbackArgs, signalArgs, signature, callBlk, callbackBlk)\
  FUSE_METHOD(name, callbackArgs, signalArgs, signature, callBlk, callbackBlk, {})

/* An int64 as two uint32 arguments (low, high; high is the two's complement high word). */
#define FUSE_INT64_TO_INTS_ARGV(n, pos)\
  napi_create_uint32(env, (uint32_t) ((uint64_t) (n) & 0xffffffffu), &(argv[pos]));\
  napi_create_uint32(env, (uint32_t) ((uint64_t) (n) >> 32), &(argv[pos + 1]));

#define FUSE_UINT64_TO_INTS_ARGV(n, pos)\
  uint32_t low##pos = n % 4294967296;\
  uint32_t high##pos = (n - low##pos) / 4294967296;\
  napi_create_uint32(env, low##pos, &(argv[pos]));\
  napi_create_uint32(env, high##pos, &(argv[pos + 1]));



// Names and paths as JS strings. A file name may be any bytes but '/' and NUL; JS strings (and
// the master's proto strings) are Unicode. Valid UTF-8 crosses as itself; every other byte
// (0x80-0xFF), and every byte of a character in the escape range U+F780-U+F7FF itself, becomes
// U+F700 + byte. The mapping is one-to-one both ways (src/common/raw-names.ts has the JS side).
#define NAME_ESCAPE_BASE 0xF700u
#define NAME_ESCAPE_FIRST 0xF780u
#define NAME_ESCAPE_LAST 0xF7FFu

/* The code point of the valid UTF-8 sequence at s (*len its length), or -1. */
static int32_t utf8_decode_one(const unsigned char *s, size_t *len) {
  unsigned char c = s[0];
  uint32_t cp;
  size_t n;
  if (c < 0x80) { *len = 1; return c; }
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; }
  else return -1;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return -1; // also stops at the NUL terminator
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return -1; // overlong, too big
  if (cp >= 0xD800 && cp <= 0xDFFF) return -1; // surrogates are not characters
  *len = n;
  return (int32_t) cp;
}

static napi_status create_name_string(napi_env env, const char *str, napi_value *out) {
  if (str == NULL) str = ""; // nullpath_ok: an open file whose path libfuse cannot build
  const unsigned char *s = (const unsigned char *) str;
  size_t len = strlen(str);
  size_t i = 0;
  while (i < len && s[i] < 0x80) i++;
  if (i == len) return napi_create_string_utf8(env, str, len, out); // ASCII: as it is
  char16_t stack[1024];
  char16_t *units = len <= 1024 ? stack : malloc(len * sizeof(char16_t));
  if (units == NULL) return napi_generic_failure;
  size_t n = 0;
  for (i = 0; i < len;) {
    size_t step;
    int32_t cp = utf8_decode_one(s + i, &step);
    if (cp < 0 || ((uint32_t) cp >= NAME_ESCAPE_FIRST && (uint32_t) cp <= NAME_ESCAPE_LAST)) {
      if (cp >= 0) { // a character of the escape range: each of its bytes escaped
        for (size_t k = 0; k < step; k++) units[n++] = (char16_t) (NAME_ESCAPE_BASE + s[i + k]);
        i += step;
      } else {
        units[n++] = (char16_t) (NAME_ESCAPE_BASE + s[i]);
        i++;
      }
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      units[n++] = (char16_t) (0xD800 + (cp >> 10));
      units[n++] = (char16_t) (0xDC00 + (cp & 0x3FF));
      i += step;
    } else {
      units[n++] = (char16_t) cp;
      i += step;
    }
  }
  napi_status st = napi_create_string_utf16(env, units, n, out);
  if (units != stack) free(units);
  return st;
}

/* The bytes of a JS name or path (the inverse of create_name_string) into out, NUL-terminated,
   truncated to cap - 1 bytes at a character boundary. Returns the length. */
static size_t name_from_js(napi_env env, napi_value v, char *out, size_t cap) {
  size_t units_len = 0;
  if (cap == 0) return 0;
  out[0] = '\0';
  if (napi_get_value_string_utf16(env, v, NULL, 0, &units_len) != napi_ok) return 0;
  char16_t stack[1024];
  char16_t *units = units_len < 1024 ? stack : malloc((units_len + 1) * sizeof(char16_t));
  if (units == NULL) return 0;
  napi_get_value_string_utf16(env, v, units, units_len + 1, &units_len);
  size_t o = 0;
  for (size_t i = 0; i < units_len; i++) {
    uint32_t cp = units[i];
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units_len && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      i++;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD; // a lone surrogate has no bytes
    }
    unsigned char b[4];
    size_t n;
    if (cp >= NAME_ESCAPE_FIRST && cp <= NAME_ESCAPE_LAST) { b[0] = (unsigned char) (cp - NAME_ESCAPE_BASE); n = 1; }
    else if (cp < 0x80) { b[0] = (unsigned char) cp; n = 1; }
    else if (cp < 0x800) { b[0] = 0xC0 | (cp >> 6); b[1] = 0x80 | (cp & 0x3F); n = 2; }
    else if (cp < 0x10000) { b[0] = 0xE0 | (cp >> 12); b[1] = 0x80 | ((cp >> 6) & 0x3F); b[2] = 0x80 | (cp & 0x3F); n = 3; }
    else { b[0] = 0xF0 | (cp >> 18); b[1] = 0x80 | ((cp >> 12) & 0x3F); b[2] = 0x80 | ((cp >> 6) & 0x3F); b[3] = 0x80 | (cp & 0x3F); n = 4; }
    if (o + n > cap - 1) break;
    memcpy(out + o, b, n);
    o += n;
  }
  out[o] = '\0';
  if (units != stack) free(units);
  return o;
}

// Opcodes

static const uint32_t op_init = 0;
static const uint32_t op_error = 1;
static const uint32_t op_access = 2;
static const uint32_t op_statfs = 3;
static const uint32_t op_fgetattr = 4;
static const uint32_t op_getattr = 5;
static const uint32_t op_flush = 6;
static const uint32_t op_fsync = 7;
static const uint32_t op_fsyncdir = 8;
static const uint32_t op_readdir = 9;
static const uint32_t op_truncate = 10;
static const uint32_t op_ftruncate = 11;
static const uint32_t op_utimens = 12;
static const uint32_t op_readlink = 13;
static const uint32_t op_chown = 14;
static const uint32_t op_chmod = 15;
static const uint32_t op_mknod = 16;
static const uint32_t op_setxattr = 17;
static const uint32_t op_getxattr = 18;
static const uint32_t op_listxattr = 19;
static const uint32_t op_removexattr = 20;
static const uint32_t op_open = 21;
static const uint32_t op_opendir = 22;
static const uint32_t op_read = 23;
static const uint32_t op_write = 24;
static const uint32_t op_release = 25;
static const uint32_t op_releasedir = 26;
static const uint32_t op_create = 27;
static const uint32_t op_unlink = 28;
static const uint32_t op_rename = 29;
static const uint32_t op_link = 30;
static const uint32_t op_symlink = 31;
static const uint32_t op_mkdir = 32;
static const uint32_t op_rmdir = 33;
static const uint32_t op_lock = 34;
static const uint32_t op_flock = 35;
static const uint32_t op_fallocate = 36;

// Data structures

typedef struct {
  napi_env env;
  pthread_t thread;
  pthread_attr_t attr;
  napi_ref ctx;
  napi_ref malloc;

  // Operation handlers
  napi_ref handlers[OP_COUNT];
  // JS function(localsBuffer) told that the kernel interrupted a lock/flock wait
  napi_ref on_interrupt;

  struct fuse *fuse;
  struct fuse_chan *ch;
  char mnt[1024];
  char mntopts[1024];
  int mounted;
  // set by the FUSE thread when libfuse's loop returned: the mount went away (unmounted from
  // outside, or its connection aborted); read by JS through fuse_native_loop_ended
  volatile int loop_ended;

  uv_async_t async;
  uv_mutex_t mut;
  uv_sem_t sem;

  // Interrupted lock/flock waits, delivered to JS by intr_async (guarded by intr_mut)
  uv_async_t intr_async;
  pthread_mutex_t intr_mut;
  struct fuse_thread_locals_s *intr_head;
} fuse_thread_t;

typedef struct fuse_thread_locals_s {
  napi_ref self;

  // Opcode
  uint32_t op;
  void *op_fn;

  // Payloads
  const char *path;
  const char *dest;
  char *linkname;
  struct fuse_file_info *info;
  const void *buf;
  off_t offset;
  size_t len;
  mode_t mode;
  dev_t dev;
  uid_t uid;
  gid_t gid;
  struct timespec atim;
  struct timespec mtim;
  int32_t res;

  // The caller (fuse_get_context())
  uid_t ctx_uid;
  gid_t ctx_gid;
  pid_t ctx_pid;
  mode_t ctx_umask;

  // lock / flock
  int cmd;
  struct flock *lock;
  uint64_t lock_owner;

  // Extended attributes
  const char *name;
  const char *value;
  char *list;
  size_t size;
  uint32_t position;
  int flags;

  // Stat + Statfs
  struct stat *stat;
  struct statvfs *statvfs;

  // Readdir
  fuse_fill_dir_t readdir_filler;

  // Internal bookkeeping
  fuse_thread_t *fuse;
  uv_async_t async;

  // The JS reply: `replied` set under reply_mut, reply_cond signalled
  pthread_mutex_t reply_mut;
  pthread_cond_t reply_cond;
  int replied;

  // Interrupt delivery (guarded by fuse->intr_mut)
  struct fuse_thread_locals_s *intr_next;
  int intr_queued;
} fuse_thread_locals_t;

static pthread_key_t thread_locals_key;
static fuse_thread_locals_t* get_thread_locals();

// Helpers
// TODO: Extract into a separate file.

static uint64_t uint32s_to_uint64 (uint32_t **ints) {
  uint64_t low = *((*ints)++);
  uint64_t high = *((*ints)++);
  return high * 4294967296 + low;
}

/* A timespec as three uint32s: seconds low, seconds high (two's complement int64), nanoseconds. */
static void uint32s_to_timespec (struct timespec* ts, uint32_t** ints) {
  ts->tv_sec = (time_t) (int64_t) uint32s_to_uint64(ints);
  ts->tv_nsec = *((*ints)++);
}

static void capture_context (fuse_thread_locals_t *l) {
  struct fuse_context *c = fuse_get_context();
  l->ctx_uid = c->uid;
  l->ctx_gid = c->gid;
  l->ctx_pid = c->pid;
  l->ctx_umask = c->umask;
}

/* Called on the JS thread by every signal: hands the result to the waiting libfuse thread. */
static void post_reply (fuse_thread_locals_t *l, int32_t res) {
  pthread_mutex_lock(&(l->reply_mut));
  l->res = res;
  l->replied = 1;
  pthread_cond_signal(&(l->reply_cond));
  pthread_mutex_unlock(&(l->reply_mut));
}

static void queue_interrupt (fuse_thread_locals_t *l) {
  fuse_thread_t *ft = l->fuse;
  pthread_mutex_lock(&(ft->intr_mut));
  if (!l->intr_queued) {
    l->intr_queued = 1;
    l->intr_next = ft->intr_head;
    ft->intr_head = l;
  }
  pthread_mutex_unlock(&(ft->intr_mut));
  uv_async_send(&(ft->intr_async));
}

/* Drops a not yet delivered interrupt of the operation that just got its reply. */
static void unqueue_interrupt (fuse_thread_locals_t *l) {
  fuse_thread_t *ft = l->fuse;
  pthread_mutex_lock(&(ft->intr_mut));
  if (l->intr_queued) {
    fuse_thread_locals_t **p = &(ft->intr_head);
    while (*p != NULL && *p != l) p = &((*p)->intr_next);
    if (*p == l) *p = l->intr_next;
    l->intr_queued = 0;
    l->intr_next = NULL;
  }
  pthread_mutex_unlock(&(ft->intr_mut));
}

/*
 * Waits in the libfuse thread for the JS reply. An interruptible wait (lock, flock: they may
 * block for as long as another process holds a lock) also watches fuse_interrupted() and tells
 * JS once when the kernel interrupted the request; it still returns only with JS's reply.
 */
static void wait_for_reply (fuse_thread_locals_t *l, int interruptible) {
  int told = 0;
  pthread_mutex_lock(&(l->reply_mut));
  while (!l->replied) {
    if (!interruptible || told) {
      pthread_cond_wait(&(l->reply_cond), &(l->reply_mut));
      continue;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += LOCK_INTERRUPT_POLL_MS * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&(l->reply_cond), &(l->reply_mut), &deadline);
    if (!l->replied && fuse_interrupted()) {
      told = 1;
      queue_interrupt(l);
    }
  }
  l->replied = 0;
  pthread_mutex_unlock(&(l->reply_mut));
  if (told) unqueue_interrupt(l);
}

static void populate_stat (uint32_t *ints, struct stat* stat) {
  stat->st_mode = *ints++;
  stat->st_uid = *ints++;
  stat->st_gid = *ints++;
  stat->st_size = uint32s_to_uint64(&ints);
  stat->st_dev = *ints++;
  stat->st_nlink = *ints++;
  stat->st_ino = uint32s_to_uint64(&ints);
  stat->st_rdev = *ints++;
  stat->st_blksize = *ints++;
  stat->st_blocks = uint32s_to_uint64(&ints);
#ifdef __APPLE__
  uint32s_to_timespec(&stat->st_atimespec, &ints);
  uint32s_to_timespec(&stat->st_mtimespec, &ints);
  uint32s_to_timespec(&stat->st_ctimespec, &ints);
#else
  uint32s_to_timespec(&stat->st_atim, &ints);
  uint32s_to_timespec(&stat->st_mtim, &ints);
  uint32s_to_timespec(&stat->st_ctim, &ints);
#endif
}

static void populate_statvfs (uint32_t *ints, struct statvfs* statvfs) {
  statvfs->f_bsize = *ints++;
  statvfs->f_frsize = *ints++;
  statvfs->f_blocks = *ints++;
  statvfs->f_bfree = *ints++;
  statvfs->f_bavail = *ints++;
  statvfs->f_files = *ints++;
  statvfs->f_ffree = *ints++;
  statvfs->f_favail = *ints++;
  statvfs->f_fsid = *ints++;
  statvfs->f_flag = *ints++;
  statvfs->f_namemax = *ints++;
}

// Methods

FUSE_METHOD(statfs, 1, 1, (const char * path, struct statvfs *statvfs), {
  l->path = path;
  l->statvfs = statvfs;
}, {
  create_name_string(env, l->path, &(argv[2]));
}, {
  NAPI_ARGV_BUFFER_CAST(uint32_t*, ints, 2)
  populate_statvfs(ints, l->statvfs);
})

FUSE_METHOD(getattr, 1, 1, (const char *path, struct stat *stat), {
  l->path = path;
  l->stat = stat;
}, {
  create_name_string(env, l->path, &(argv[2]));
}, {
  NAPI_ARGV_BUFFER_CAST(uint32_t*, ints, 2)
  populate_stat(ints, l->stat);
})

FUSE_METHOD(fgetattr, 2, 1, (const char *path, struct stat *stat, struct fuse_file_info *info), {
  l->path = path;
  l->stat = stat;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
}, {
  NAPI_ARGV_BUFFER_CAST(uint32_t*, ints, 2)
  populate_stat(ints, l->stat);
})

FUSE_METHOD_VOID(access, 2, 0, (const char *path, int mode), {
  l->path = path;
  l->mode = mode;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
})

FUSE_METHOD(open, 2, 2, (const char *path, struct fuse_file_info *info), {
  l->path = path;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->flags, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
}, {
  NAPI_ARGV_INT32(fd, 2)
  NAPI_ARGV_UINT32(direct_io, 3)
  if (fd != 0) {
    l->info->fh = fd;
    l->info->direct_io = direct_io != 0;
  }
})

FUSE_METHOD(opendir, 3, 1, (const char *path, struct fuse_file_info *info), {
  l->path = path;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
    napi_create_uint32(env, l->info->flags, &(argv[4]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
    napi_create_uint32(env, 0, &(argv[4]));
  }
}, {
  NAPI_ARGV_INT32(fd, 2)
  if (fd != 0) {
    l->info->fh = fd;
  }
})

FUSE_METHOD(create, 3, 2, (const char *path, mode_t mode, struct fuse_file_info *info), {
  l->path = path;
  l->mode = mode;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
  napi_create_uint32(env, l->info->flags, &(argv[4]));
}, {
  NAPI_ARGV_INT32(fd, 2)
  NAPI_ARGV_UINT32(direct_io, 3)
  if (fd != 0) {
    l->info->fh = fd;
    l->info->direct_io = direct_io != 0;
  }
})

FUSE_METHOD_VOID(utimens, 7, 0, (const char *path, const struct timespec tv[2]), {
  l->path = path;
  l->atim = tv[0];
  l->mtim = tv[1];
}, {
  create_name_string(env, l->path, &(argv[2]));
  FUSE_INT64_TO_INTS_ARGV(l->atim.tv_sec, 3)
  napi_create_uint32(env, (uint32_t) l->atim.tv_nsec, &(argv[5]));
  FUSE_INT64_TO_INTS_ARGV(l->mtim.tv_sec, 6)
  napi_create_uint32(env, (uint32_t) l->mtim.tv_nsec, &(argv[8]));
})

FUSE_METHOD_VOID(release, 4, 0, (const char *path, struct fuse_file_info *info), {
  l->path = path;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
  // the kernel's FUSE_RELEASE_FLOCK_UNLOCK: this open file had flock locks, and libfuse 2's
  // high-level API leaves their release to the file system (with the owner they were taken by)
  int flock_release = l->info != NULL && l->info->flock_release;
  napi_create_uint32(env, flock_release, &(argv[4]));
  napi_create_bigint_uint64(env, flock_release ? l->info->lock_owner : 0, &(argv[5]));
})

FUSE_METHOD_VOID(releasedir, 2, 0, (const char *path, struct fuse_file_info *info), {
  l->path = path;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
})

FUSE_METHOD(read, 6, 2, (const char *path, char *buf, size_t len, off_t offset, struct fuse_file_info *info), {
  l->path = path;
  l->buf = buf;
  l->len = len;
  l->offset = offset;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->info->fh, &(argv[3]));
  napi_create_external_buffer(env, l->len, (char *) l->buf, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, l->len, &(argv[5]));
  FUSE_UINT64_TO_INTS_ARGV(l->offset, 6)
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[3]) == napi_ok);
})

FUSE_METHOD(write, 7, 2, (const char *path, const char *buf, size_t len, off_t offset, struct fuse_file_info *info), {
  l->path = path;
  l->buf = buf;
  l->len = len;
  l->offset = offset;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->info->fh, &(argv[3]));
  napi_create_external_buffer(env, l->len, (char *) l->buf, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, l->len, &(argv[5]));
  FUSE_UINT64_TO_INTS_ARGV(l->offset, 6)
  // 1 = the kernel writing back dirty pages of a shared mapping: the offset is the page's, even
  // when the handle it came through was opened O_APPEND
  napi_create_uint32(env, l->info->writepage, &(argv[8]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[3]) == napi_ok);
})

// readdir in pages: JS answers from the directory handle's cursor with the entries at `offset`
// and after; the i-th has the offset base + i + 1 (the kernel asks the next request from the last
// entry it kept), so libfuse fills each kernel buffer and never holds a whole listing.
FUSE_METHOD(readdir, 4, 3, (const char *path, void *buf, fuse_fill_dir_t filler, off_t offset, struct fuse_file_info *info), {
  l->buf = buf;
  l->path = path;
  l->offset = offset;
  l->info = info;
  l->readdir_filler = filler;
}, {
  create_name_string(env, l->path, &(argv[2]));
  FUSE_UINT64_TO_INTS_ARGV((uint64_t) l->offset, 3)
  napi_create_uint32(env, l->info != NULL ? (uint32_t) l->info->fh : 0, &(argv[5]));
}, {
  uint32_t stats_length;
  uint32_t names_length;
  napi_get_array_length(env, argv[3], &stats_length);
  napi_get_array_length(env, argv[2], &names_length);
  NAPI_ARGV_UINT32(base, 4)

  napi_value raw_names = argv[2];
  napi_value raw_stats = argv[3];

  NAPI_FOR_EACH(raw_names, raw_name) {
    char name[1024];
    name_from_js(env, raw_name, name, sizeof(name));
    struct stat st;
    struct stat *stp = NULL;
    if (names_length == stats_length) {
      napi_value raw_stat;
      napi_get_element(env, raw_stats, i, &raw_stat);
      NAPI_BUFFER_CAST(uint32_t*, stats_array, raw_stat);
      populate_stat(stats_array, &st);
      stp = &st;
    }
    // 1: the kernel's buffer is full; the entries not taken come again in the next request
    if (l->readdir_filler((char *) l->buf, name, stp, (off_t) base + i + 1) == 1) break;
  }
})

#ifdef __APPLE__

FUSE_METHOD(setxattr, 5, 1, (const char *path, const char *name, const char *value, size_t size, int flags, uint32_t position), {
  l->path = path;
  l->name = name;
  l->value = value;
  l->size = size;
  l->flags = flags;
  l->position = position;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_string_utf8(env, l->name, NAPI_AUTO_LENGTH, &(argv[3]));
  napi_create_external_buffer(env, l->size, (char *) l->value, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, l->position, &(argv[5]));
  napi_create_uint32(env, l->flags, &(argv[6]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[2]) == napi_ok);
})

FUSE_METHOD(getxattr, 4, 1, (const char *path, const char *name, char *value, size_t size, uint32_t position), {
  l->path = path;
  l->name = name;
  l->value = value;
  l->size = size;
  l->position = position;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_string_utf8(env, l->name, NAPI_AUTO_LENGTH, &(argv[3]));
  napi_create_external_buffer(env, l->size, (char *) l->value, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, l->position, &(argv[5]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[2]) == napi_ok);
})

#else

FUSE_METHOD(setxattr, 5, 1, (const char *path, const char *name, const char *value, size_t size, int flags), {
  l->path = path;
  l->name = name;
  l->value = value;
  l->size = size;
  l->flags = flags;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_string_utf8(env, l->name, NAPI_AUTO_LENGTH, &(argv[3]));
  napi_create_external_buffer(env, l->size, (char *) l->value, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, 0, &(argv[5])); // normalize apis between mac and linux
  napi_create_uint32(env, l->flags, &(argv[6]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[2]) == napi_ok);
})

FUSE_METHOD(getxattr, 4, 1, (const char *path, const char *name, char *value, size_t size), {
  l->path = path;
  l->name = name;
  l->value = value;
  l->size = size;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_string_utf8(env, l->name, NAPI_AUTO_LENGTH, &(argv[3]));
  napi_create_external_buffer(env, l->size, (char *) l->value, NULL, NULL, &(argv[4]));
  napi_create_uint32(env, 0, &(argv[5]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[2]) == napi_ok);
})

#endif

FUSE_METHOD(listxattr, 2, 1, (const char *path, char *list, size_t size), {
  l->path = path;
  l->list = list;
  l->size = size;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_external_buffer(env, l->size, l->list, NULL, NULL, &(argv[3]));
}, {
  if (IS_ARRAY_BUFFER_DETACH_SUPPORTED == 1) assert(napi_detach_arraybuffer(env, argv[2]) == napi_ok);
})

FUSE_METHOD_VOID(removexattr, 2, 0, (const char *path, const char *name), {
  l->path = path;
  l->name = name;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_string_utf8(env, l->name, NAPI_AUTO_LENGTH, &(argv[3]));
})

FUSE_METHOD_VOID(flush, 2, 0, (const char *path, struct fuse_file_info *info), {
  l->path = path;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
})

FUSE_METHOD_VOID(fsync, 3, 0, (const char *path, int datasync, struct fuse_file_info *info), {
  l->path = path;
  l->mode = datasync;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[4]));
  } else {
    napi_create_uint32(env, 0, &(argv[4]));
  }
})

FUSE_METHOD_VOID(fsyncdir, 3, 0, (const char *path, int datasync, struct fuse_file_info *info), {
  l->path = path;
  l->mode = datasync;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[4]));
  } else {
    napi_create_uint32(env, 0, &(argv[4]));
  }
})


FUSE_METHOD_VOID(truncate, 3, 0, (const char *path, off_t size), {
  l->path = path;
  l->offset = size;
}, {
  create_name_string(env, l->path, &(argv[2]));
  FUSE_UINT64_TO_INTS_ARGV(l->offset, 3)
})

FUSE_METHOD_VOID(ftruncate, 4, 0, (const char *path, off_t size, struct fuse_file_info *info), {
  l->path = path;
  l->offset = size;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  if (l->info != NULL) {
    napi_create_uint32(env, l->info->fh, &(argv[3]));
  } else {
    napi_create_uint32(env, 0, &(argv[3]));
  }
  FUSE_UINT64_TO_INTS_ARGV(l->offset, 4)
})

FUSE_METHOD_VOID(fallocate, 7, 0, (const char *path, int mode, off_t offset, off_t length, struct fuse_file_info *info), {
  l->path = path;
  l->mode = (mode_t) mode;
  l->offset = offset;
  l->len = (size_t) length;
  l->info = info;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->info != NULL ? l->info->fh : 0, &(argv[3]));
  napi_create_uint32(env, (uint32_t) l->mode, &(argv[4]));
  FUSE_UINT64_TO_INTS_ARGV(l->offset, 5)
  FUSE_UINT64_TO_INTS_ARGV(l->len, 7)
})

FUSE_METHOD(readlink, 1, 1, (const char *path, char *linkname, size_t len), {
  l->path = path;
  l->linkname = linkname;
  l->len = len;
}, {
  create_name_string(env, l->path, &(argv[2]));
}, {
  name_from_js(env, argv[2], l->linkname, l->len);
})

FUSE_METHOD_VOID(chown, 3, 0, (const char *path, uid_t uid, gid_t gid), {
  l->path = path;
  l->uid = uid;
  l->gid = gid;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->uid, &(argv[3]));
  napi_create_uint32(env, l->gid, &(argv[4]));
})

FUSE_METHOD_VOID(chmod, 2, 0, (const char *path, mode_t mode), {
  l->path = path;
  l->mode = mode;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
})

FUSE_METHOD_VOID(mknod, 3, 0, (const char *path, mode_t mode, dev_t dev), {
  l->path = path;
  l->mode = mode;
  l->dev = dev;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
  napi_create_uint32(env, l->dev, &(argv[4]));
})

FUSE_METHOD_VOID(unlink, 1, 0, (const char *path), {
  l->path = path;
}, {
  create_name_string(env, l->path, &(argv[2]));
})

FUSE_METHOD_VOID(rename, 2, 0, (const char *path, const char *dest), {
  l->path = path;
  l->dest = dest;
}, {
  create_name_string(env, l->path, &(argv[2]));
  create_name_string(env, l->dest, &(argv[3]));
})

FUSE_METHOD_VOID(link, 2, 0, (const char *path, const char *dest), {
  l->path = path;
  l->dest = dest;
}, {
  create_name_string(env, l->path, &(argv[2]));
  create_name_string(env, l->dest, &(argv[3]));
})

FUSE_METHOD_VOID(symlink, 2, 0, (const char *path, const char *dest), {
  l->path = path;
  l->dest = dest;
}, {
  create_name_string(env, l->path, &(argv[2]));
  create_name_string(env, l->dest, &(argv[3]));
})

FUSE_METHOD_VOID(mkdir, 2, 0, (const char *path, mode_t mode), {
  l->path = path;
  l->mode = mode;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->mode, &(argv[3]));
})

FUSE_METHOD_VOID(rmdir, 1, 0, (const char *path), {
  l->path = path;
}, {
  create_name_string(env, l->path, &(argv[2]));
})

/*
 * fcntl record locks. JS gets (path, fd, cmd, type, whence, startLow, startHigh, lenLow, lenHigh,
 * pid, lockOwner BigInt) and replies (res, Uint32Array[7]: type, whence, start low/high, len
 * low/high, pid), the array being the conflicting lock (or the request with F_UNLCK) for
 * F_GETLK and ignored otherwise.
 */
FUSE_METHOD(lock, 11, 1, (const char *path, struct fuse_file_info *info, int cmd, struct flock *lock), {
  l->path = path;
  l->info = info;
  l->cmd = cmd;
  l->lock = lock;
  l->lock_owner = info != NULL ? info->lock_owner : 0;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->info != NULL ? l->info->fh : 0, &(argv[3]));
  napi_create_int32(env, l->cmd, &(argv[4]));
  napi_create_int32(env, l->lock->l_type, &(argv[5]));
  napi_create_int32(env, l->lock->l_whence, &(argv[6]));
  FUSE_INT64_TO_INTS_ARGV(l->lock->l_start, 7)
  FUSE_INT64_TO_INTS_ARGV(l->lock->l_len, 9)
  napi_create_int32(env, l->lock->l_pid, &(argv[11]));
  napi_create_bigint_uint64(env, l->lock_owner, &(argv[12]));
}, {
  NAPI_ARGV_BUFFER_CAST(uint32_t*, ints, 2)
  if (res == 0 && l->cmd == F_GETLK) {
    l->lock->l_type = (short) ints[0];
    l->lock->l_whence = (short) ints[1];
    l->lock->l_start = (off_t) (int64_t) (((uint64_t) ints[3] << 32) | ints[2]);
    l->lock->l_len = (off_t) (int64_t) (((uint64_t) ints[5] << 32) | ints[4]);
    l->lock->l_pid = (pid_t) ints[6];
  }
})

/* flock(2) locks: JS gets (path, fd, op, lockOwner BigInt). */
FUSE_METHOD_VOID(flock, 4, 0, (const char *path, struct fuse_file_info *info, int op), {
  l->path = path;
  l->info = info;
  l->cmd = op;
  l->lock_owner = info != NULL ? info->lock_owner : 0;
}, {
  create_name_string(env, l->path, &(argv[2]));
  napi_create_uint32(env, l->info != NULL ? l->info->fh : 0, &(argv[3]));
  napi_create_int32(env, l->cmd, &(argv[4]));
  napi_create_bigint_uint64(env, l->lock_owner, &(argv[5]));
})

/* JS thread: hands every queued interrupted lock/flock wait to JS's on_interrupt(localsBuffer). */
static void fuse_native_dispatch_interrupts (uv_async_t* handle) {
  fuse_thread_t *ft = (fuse_thread_t *) handle->data;
  for (;;) {
    pthread_mutex_lock(&(ft->intr_mut));
    fuse_thread_locals_t *l = ft->intr_head;
    if (l != NULL) {
      ft->intr_head = l->intr_next;
      l->intr_next = NULL;
      l->intr_queued = 0;
    }
    pthread_mutex_unlock(&(ft->intr_mut));
    if (l == NULL) return;
    FUSE_NATIVE_CALLBACK(ft->on_interrupt, {
      napi_value argv[1];
      napi_get_reference_value(env, l->self, &(argv[0]));
      NAPI_MAKE_CALLBACK(env, NULL, ctx, callback, 1, argv, NULL)
    })
  }
}

static void fuse_native_dispatch_init (uv_async_t* handle, fuse_thread_locals_t* l, fuse_thread_t* ft) {\
  FUSE_NATIVE_CALLBACK(ft->handlers[op_init], {
    napi_value argv[2];

    napi_get_reference_value(env, l->self, &(argv[0]));
    napi_create_uint32(env, l->op, &(argv[1]));

    NAPI_MAKE_CALLBACK(env, NULL, ctx, callback, 2, argv, NULL);
  })
}

NAPI_METHOD(fuse_native_signal_init) {
  NAPI_ARGV(2)
  NAPI_ARGV_BUFFER_CAST(fuse_thread_locals_t *, l, 0);
  NAPI_ARGV_INT32(res, 1);
  post_reply(l, res);
  return NULL;
}

static void * fuse_native_init (struct fuse_conn_info *conn) {
  fuse_thread_locals_t *l = get_thread_locals();

  l->op = op_init;
  l->op_fn = fuse_native_dispatch_init;

  uv_async_send(&(l->async));
  wait_for_reply(l, 0);

  return l->fuse;
}

// Top-level dispatcher

static void fuse_native_dispatch (uv_async_t* handle) {
  fuse_thread_locals_t *l = (fuse_thread_locals_t *) handle->data;
  fuse_thread_t *ft = l->fuse;
  void (*fn)(uv_async_t *, fuse_thread_locals_t *, fuse_thread_t *) = l->op_fn;

  fn(handle, l, ft);
}

static void fuse_native_async_init (uv_async_t* handle) {
  fuse_thread_t *ft = (fuse_thread_t *) handle->data;
  fuse_thread_locals_t *l;

  FUSE_NATIVE_CALLBACK(ft->malloc, {
    napi_value argv[1];
    napi_create_uint32(ft->env, (uint32_t) sizeof(fuse_thread_locals_t), &(argv[0]));

    napi_value buf;
    NAPI_MAKE_CALLBACK(ft->env, NULL, ctx, callback, 1, argv, &buf);

    size_t l_len;

    napi_get_buffer_info(env, buf, (void **) &l, &l_len);
    napi_create_reference(env, buf, 1, &(l->self));
  })


  int err = uv_async_init(uv_default_loop(), &(l->async), (uv_async_cb) fuse_native_dispatch);
  assert(err >= 0);

  uv_unref((uv_handle_t *) &(l->async));

  pthread_mutex_init(&(l->reply_mut), NULL);
  pthread_cond_init(&(l->reply_cond), NULL);
  l->replied = 0;
  l->intr_next = NULL;
  l->intr_queued = 0;
  l->async.data = l;
  ft->async.data = l;
  l->fuse = ft;

  uv_sem_post(&(ft->sem));
}

static fuse_thread_locals_t* get_thread_locals () {
  struct fuse_context *ctx = fuse_get_context();
  fuse_thread_t *ft = (fuse_thread_t *) ctx->private_data;

  void *data = pthread_getspecific(thread_locals_key);

  if (data != NULL) {
    return (fuse_thread_locals_t *) data;
  }

  // Need to lock the mutation of l->async.
  uv_mutex_lock(&(ft->mut));
  ft->async.data = ft;

  // Notify the main thread to uv_async_init l->async.
  uv_async_send(&(ft->async));
  uv_sem_wait(&(ft->sem));

  fuse_thread_locals_t *l = (fuse_thread_locals_t*) ft->async.data;

  pthread_setspecific(thread_locals_key, (void *) l);
  uv_mutex_unlock(&(ft->mut));

  return l;
}

static void* start_fuse_thread (void *data) {
  fuse_thread_t *ft = (fuse_thread_t *) data;
  fuse_loop_mt(ft->fuse);
  __atomic_store_n(&ft->loop_ended, 1, __ATOMIC_SEQ_CST);

  fuse_unmount(ft->mnt, ft->ch);
  fuse_session_remove_chan(ft->ch);
  fuse_destroy(ft->fuse);

  return NULL;
}

NAPI_METHOD(fuse_native_mount) {
  NAPI_ARGV(8)

  NAPI_ARGV_UTF8(mnt, 1024, 0);
  NAPI_ARGV_UTF8(mntopts, 1024, 1);
  NAPI_ARGV_BUFFER_CAST(fuse_thread_t *, ft, 2);
  napi_create_reference(env, argv[3], 1, &(ft->ctx));
  napi_create_reference(env, argv[4], 1, &(ft->malloc));
  napi_value handlers = argv[5];
  NAPI_ARGV_BUFFER_CAST(uint32_t *, implemented, 6)
  napi_create_reference(env, argv[7], 1, &(ft->on_interrupt));

  for (int i = 0; i < OP_COUNT; i++) {
    ft->handlers[i] = NULL;
  }

  NAPI_FOR_EACH(handlers, handler) {
    napi_create_reference(env, handler, 1, &ft->handlers[i]);
  }

  ft->env = env;

  struct fuse_operations ops = { };
  if (implemented[op_access]) ops.access = fuse_native_access;
  if (implemented[op_truncate]) ops.truncate = fuse_native_truncate;
  if (implemented[op_ftruncate]) ops.ftruncate = fuse_native_ftruncate;
  if (implemented[op_getattr]) ops.getattr = fuse_native_getattr;
  if (implemented[op_fgetattr]) ops.fgetattr = fuse_native_fgetattr;
  if (implemented[op_flush]) ops.flush = fuse_native_flush;
  if (implemented[op_fsync]) ops.fsync = fuse_native_fsync;
  if (implemented[op_fsyncdir]) ops.fsyncdir = fuse_native_fsyncdir;
  if (implemented[op_readdir]) ops.readdir = fuse_native_readdir;
  if (implemented[op_readlink]) ops.readlink = fuse_native_readlink;
  if (implemented[op_chown]) ops.chown = fuse_native_chown;
  if (implemented[op_chmod]) ops.chmod = fuse_native_chmod;
  if (implemented[op_mknod]) ops.mknod = fuse_native_mknod;
  if (implemented[op_setxattr]) ops.setxattr = fuse_native_setxattr;
  if (implemented[op_getxattr]) ops.getxattr = fuse_native_getxattr;
  if (implemented[op_listxattr]) ops.listxattr = fuse_native_listxattr;
  if (implemented[op_removexattr]) ops.removexattr = fuse_native_removexattr;
  if (implemented[op_statfs]) ops.statfs = fuse_native_statfs;
  if (implemented[op_open]) ops.open = fuse_native_open;
  if (implemented[op_opendir]) ops.opendir = fuse_native_opendir;
  if (implemented[op_read]) ops.read = fuse_native_read;
  if (implemented[op_write]) ops.write = fuse_native_write;
  if (implemented[op_release]) ops.release = fuse_native_release;
  if (implemented[op_releasedir]) ops.releasedir = fuse_native_releasedir;
  if (implemented[op_create]) ops.create = fuse_native_create;
  if (implemented[op_utimens]) ops.utimens = fuse_native_utimens;
  if (implemented[op_unlink]) ops.unlink = fuse_native_unlink;
  if (implemented[op_rename]) ops.rename = fuse_native_rename;
  if (implemented[op_link]) ops.link = fuse_native_link;
  if (implemented[op_symlink]) ops.symlink = fuse_native_symlink;
  if (implemented[op_mkdir]) ops.mkdir = fuse_native_mkdir;
  if (implemented[op_rmdir]) ops.rmdir = fuse_native_rmdir;
  if (implemented[op_init]) ops.init = fuse_native_init;
  if (implemented[op_lock]) ops.lock = fuse_native_lock;
  if (implemented[op_flock]) ops.flock = fuse_native_flock;
  if (implemented[op_fallocate]) ops.fallocate = fuse_native_fallocate;
  // utimens understands UTIME_NOW and UTIME_OMIT: without this flag, libfuse 2.9 passes a
  // setattr that sets only one of atime/mtime (touch -m, rsync's mtimes) to nobody at all.
  ops.flag_utime_omit_ok = 1;
  // An open file whose path libfuse cannot build (its folder was removed) still gets its
  // operations, with no path (JS gets ""): the handlers of open files work from the file handle.
  ops.flag_nullpath_ok = 1;

  int _argc = (strcmp(mntopts, "-o") <= 0) ? 1 : 2;
  char *_argv[] = {
    (char *) "fuse_bindings_dummy",
    (char *) mntopts
  };

  struct fuse_args args = FUSE_ARGS_INIT(_argc, _argv);
  struct fuse_chan *ch = fuse_mount(mnt, &args);

  if (ch == NULL) {
    napi_throw_error(env, "fuse failed", "fuse failed");
    return NULL;
  }

  struct fuse *fuse = fuse_new(ch, &args, &ops, sizeof(struct fuse_operations), ft);

  uv_mutex_init(&(ft->mut));
  uv_sem_init(&(ft->sem), 0);

  strncpy(ft->mnt, mnt, 1024);
  strncpy(ft->mntopts, mntopts, 1024);
  ft->fuse = fuse;
  ft->ch = ch;
  ft->mounted++;

  int err = uv_async_init(uv_default_loop(), &(ft->async), (uv_async_cb) fuse_native_async_init);
  if (err >= 0) {
    pthread_mutex_init(&(ft->intr_mut), NULL);
    ft->intr_head = NULL;
    err = uv_async_init(uv_default_loop(), &(ft->intr_async), fuse_native_dispatch_interrupts);
    ft->intr_async.data = ft;
    if (err >= 0) uv_unref((uv_handle_t *) &(ft->intr_async));
  }

  if (fuse == NULL || err < 0) {
    napi_throw_error(env, "fuse failed", "fuse failed");
    return NULL;
  }

  pthread_attr_init(&(ft->attr));
  pthread_create(&(ft->thread), &(ft->attr), start_fuse_thread, ft);

  return NULL;
}

NAPI_METHOD(fuse_native_unmount) {
  NAPI_ARGV(2)
  NAPI_ARGV_UTF8(mnt, 1024, 0);
  NAPI_ARGV_BUFFER_CAST(fuse_thread_t *, ft, 1);

  if (ft != NULL && ft->mounted) {
    // TODO: Investigate why the FUSE thread is not always killed after fusermount.
    // pthread_join(ft->thread, NULL);
  }

  // TODO: fix the async holding the loop
  uv_unref((uv_handle_t *) &(ft->async));
  ft->mounted--;

  return NULL;
}

NAPI_METHOD(fuse_native_loop_ended) {
  NAPI_ARGV(1)
  NAPI_ARGV_BUFFER_CAST(fuse_thread_t *, ft, 0);
  napi_value result;
  napi_get_boolean(env, ft != NULL && __atomic_load_n(&ft->loop_ended, __ATOMIC_SEQ_CST), &result);
  return result;
}

NAPI_INIT() {
  const napi_node_version* version;
  assert(napi_get_node_version(env, &version) == napi_ok);

  if (version->major > 12 || (version->major == 12 && version->minor >= 16)) {
    IS_ARRAY_BUFFER_DETACH_SUPPORTED = 1;
  }

  pthread_key_create(&(thread_locals_key), NULL); // TODO: add destructor

  NAPI_EXPORT_SIZEOF(fuse_thread_t)

  NAPI_EXPORT_FUNCTION(fuse_native_mount)
  NAPI_EXPORT_FUNCTION(fuse_native_unmount)
  NAPI_EXPORT_FUNCTION(fuse_native_loop_ended)

  NAPI_EXPORT_FUNCTION(fuse_native_signal_getattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_init)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_access)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_statfs)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_fgetattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_getattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_flush)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_fsync)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_fsyncdir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_readdir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_truncate)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_ftruncate)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_utimens)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_readlink)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_chown)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_chmod)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_mknod)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_setxattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_getxattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_listxattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_removexattr)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_open)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_opendir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_read)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_write)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_release)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_releasedir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_create)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_unlink)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_rename)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_link)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_symlink)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_mkdir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_rmdir)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_lock)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_flock)
  NAPI_EXPORT_FUNCTION(fuse_native_signal_fallocate)

  NAPI_EXPORT_UINT32(op_getattr)
  NAPI_EXPORT_UINT32(op_init)
  NAPI_EXPORT_UINT32(op_error)
  NAPI_EXPORT_UINT32(op_access)
  NAPI_EXPORT_UINT32(op_statfs)
  NAPI_EXPORT_UINT32(op_fgetattr)
  NAPI_EXPORT_UINT32(op_getattr)
  NAPI_EXPORT_UINT32(op_flush)
  NAPI_EXPORT_UINT32(op_fsync)
  NAPI_EXPORT_UINT32(op_fsyncdir)
  NAPI_EXPORT_UINT32(op_readdir)
  NAPI_EXPORT_UINT32(op_truncate)
  NAPI_EXPORT_UINT32(op_ftruncate)
  NAPI_EXPORT_UINT32(op_utimens)
  NAPI_EXPORT_UINT32(op_readlink)
  NAPI_EXPORT_UINT32(op_chown)
  NAPI_EXPORT_UINT32(op_chmod)
  NAPI_EXPORT_UINT32(op_mknod)
  NAPI_EXPORT_UINT32(op_setxattr)
  NAPI_EXPORT_UINT32(op_getxattr)
  NAPI_EXPORT_UINT32(op_listxattr)
  NAPI_EXPORT_UINT32(op_removexattr)
  NAPI_EXPORT_UINT32(op_open)
  NAPI_EXPORT_UINT32(op_opendir)
  NAPI_EXPORT_UINT32(op_read)
  NAPI_EXPORT_UINT32(op_write)
  NAPI_EXPORT_UINT32(op_release)
  NAPI_EXPORT_UINT32(op_releasedir)
  NAPI_EXPORT_UINT32(op_create)
  NAPI_EXPORT_UINT32(op_unlink)
  NAPI_EXPORT_UINT32(op_rename)
  NAPI_EXPORT_UINT32(op_link)
  NAPI_EXPORT_UINT32(op_symlink)
  NAPI_EXPORT_UINT32(op_mkdir)
  NAPI_EXPORT_UINT32(op_rmdir)
  NAPI_EXPORT_UINT32(op_lock)
  NAPI_EXPORT_UINT32(op_flock)
  NAPI_EXPORT_UINT32(op_fallocate)
}
