/* System calls the R side needs and base R does not offer (twin of what Python's os module gives
 * python/twinnet/files.py and atomic.py): the kind of a path and the errno of a failed open,
 * space reserved for a file (posix_fallocate), a rename with its errno, whether a process runs,
 * and handlers for SIGTERM / SIGINT that remove twinnet's temporary files before the signal does
 * what it would have done (docs/contract.md section 30). Errors come back as errno names
 * ("ENOENT", "ENOSPC", ...), which R/files.R turns into words; nothing here calls error().
 * And the BLAS's thread count (twin of what threadpoolctl gives python/twinnet/solver.py): the
 * full-batch loop runs its small products on one thread (docs/contract.md section 22). */

#define _GNU_SOURCE
#include <R.h>
#include <Rinternals.h>
#include <R_ext/Rdynload.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const char *errno_name(int e) {
  switch (e) {
  case 0: return "";
  case ENOENT: return "ENOENT";
  case ENOTDIR: return "ENOTDIR";
  case EACCES: return "EACCES";
  case EPERM: return "EPERM";
  case EROFS: return "EROFS";
  case ENOSPC: return "ENOSPC";
#ifdef EDQUOT
  case EDQUOT: return "EDQUOT";
#endif
  case EFBIG: return "EFBIG";
  case EISDIR: return "EISDIR";
  case ELOOP: return "ELOOP";
  case ENAMETOOLONG: return "ENAMETOOLONG";
  case EIO: return "EIO";
  case EMFILE: return "EMFILE";
  case ENFILE: return "ENFILE";
  case ETXTBSY: return "ETXTBSY";
  case EBUSY: return "EBUSY";
  case EXDEV: return "EXDEV";
  case EEXIST: return "EEXIST";
  case EINVAL: return "EINVAL";
  case ESRCH: return "ESRCH";
#ifdef EOPNOTSUPP
  case EOPNOTSUPP: return "EOPNOTSUPP";
#endif
  default: return "EOTHER";
  }
}

static SEXP errno_result(int e) {
  SEXP out = PROTECT(allocVector(STRSXP, 2));
  SET_STRING_ELT(out, 0, mkChar(errno_name(e)));
  SET_STRING_ELT(out, 1, mkChar(e ? strerror(e) : ""));
  UNPROTECT(1);
  return out;
}

static const char *path_of(SEXP path) { return R_ExpandFileName(translateChar(STRING_ELT(path, 0))); }

/* c(kind, errno name, strerror): kind is file, folder, fifo, char_device, block_device, socket,
 * other, broken_link or missing. */
SEXP tw_path_kind(SEXP path) {
  const char *p = path_of(path);
  struct stat st;
  const char *kind;
  int e = 0;
  if (stat(p, &st) != 0) {
    struct stat lst;
    e = errno;
    kind = (e == ENOENT && lstat(p, &lst) == 0 && S_ISLNK(lst.st_mode)) ? "broken_link" : "missing";
  } else if (S_ISREG(st.st_mode)) kind = "file";
  else if (S_ISDIR(st.st_mode)) kind = "folder";
  else if (S_ISFIFO(st.st_mode)) kind = "fifo";
  else if (S_ISCHR(st.st_mode)) kind = "char_device";
  else if (S_ISBLK(st.st_mode)) kind = "block_device";
  else if (S_ISSOCK(st.st_mode)) kind = "socket";
  else kind = "other";
  SEXP out = PROTECT(allocVector(STRSXP, 3));
  SET_STRING_ELT(out, 0, mkChar(kind));
  SET_STRING_ELT(out, 1, mkChar(errno_name(e)));
  SET_STRING_ELT(out, 2, mkChar(e ? strerror(e) : ""));
  UNPROTECT(1);
  return out;
}

/* Open for reading without waiting (O_NONBLOCK) and close: the errno of a read, if any. */
SEXP tw_probe_read(SEXP path) {
  int fd = open(path_of(path), O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return errno_result(errno);
  close(fd);
  return errno_result(0);
}

/* Space for `bytes` bytes allocated to the file (created when `create`, refusing an existing one):
 * posix_fallocate, or zeros written where the file system cannot allocate. */
static int reserve_fd(int fd, double bytes) {
  if (bytes <= 0) return 0;
  int e = posix_fallocate(fd, 0, (off_t) bytes);
  if (e == 0) return 0;
  if (e != EINVAL
#ifdef EOPNOTSUPP
      && e != EOPNOTSUPP
#endif
      ) return e;
  struct stat st;
  if (fstat(fd, &st) != 0) return errno;
  static char zeros[65536];
  off_t at = st.st_size;
  if (lseek(fd, at, SEEK_SET) < 0) return errno;
  while ((double) at < bytes) {
    size_t n = (size_t) ((bytes - (double) at) < (double) sizeof zeros ? (bytes - (double) at) : sizeof zeros);
    ssize_t w = write(fd, zeros, n);
    if (w < 0) return errno;
    at += w;
  }
  return 0;
}

SEXP tw_reserve(SEXP path, SEXP bytes, SEXP create) {
  const char *p = path_of(path);
  int fd = asLogical(create) ? open(p, O_WRONLY | O_CREAT | O_EXCL, 0666) : open(p, O_WRONLY);
  if (fd < 0) return errno_result(errno);
  int e = reserve_fd(fd, asReal(bytes));
  if (close(fd) != 0 && e == 0) e = errno;
  return errno_result(e);
}

/* Write the raw vector `bytes` to a new or truncated file, all of it, and close: the errno. */
SEXP tw_write_bytes(SEXP path, SEXP bytes) {
  int fd = open(path_of(path), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) return errno_result(errno);
  const unsigned char *b = RAW(bytes);
  R_xlen_t n = XLENGTH(bytes), at = 0;
  int e = 0;
  while (at < n) {
    ssize_t w = write(fd, b + at, (size_t) (n - at));
    if (w < 0) {
      if (errno == EINTR) continue;
      e = errno;
      break;
    }
    at += w;
  }
  if (e == 0 && fsync(fd) != 0 && errno != EINVAL) e = errno;
  if (close(fd) != 0 && e == 0) e = errno;
  return errno_result(e);
}

SEXP tw_rename(SEXP from, SEXP to) {
  char *src = strdup(path_of(from));
  int r = rename(src, path_of(to));
  int e = r == 0 ? 0 : errno;
  free(src);
  return errno_result(e);
}

/* `n` random bytes (/dev/urandom; the clock and the pid where it is missing): names of temporary
 * files that never touch R's random stream. */
SEXP tw_random_bytes(SEXP n) {
  int k = asInteger(n);
  SEXP out = PROTECT(allocVector(RAWSXP, k));
  int got = 0;
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd >= 0) {
    ssize_t r = read(fd, RAW(out), (size_t) k);
    got = r == k;
    close(fd);
  }
  if (!got) {
    static unsigned counter = 0;
    unsigned x = (unsigned) time(NULL) ^ ((unsigned) getpid() << 16) ^ (++counter * 2654435761u);
    for (int i = 0; i < k; i++) {
      x = x * 1103515245u + 12345u;
      RAW(out)[i] = (Rbyte) (x >> 16);
    }
  }
  UNPROTECT(1);
  return out;
}

/* A new folder (mode 0777 before the umask): the errno. */
SEXP tw_mkdir(SEXP path) {
  return errno_result(mkdir(path_of(path), 0777) == 0 ? 0 : errno);
}

/* Swap the two paths in one step (renameat2 with RENAME_EXCHANGE, Linux): "" when done, else the
 * errno's name ("ENOSYS", "EINVAL", ... where the system or the file system cannot). */
SEXP tw_exchange(SEXP a, SEXP b) {
#if defined(__linux__) && defined(RENAME_EXCHANGE)
  char *first = strdup(path_of(a));
  int r = renameat2(AT_FDCWD, first, AT_FDCWD, path_of(b), RENAME_EXCHANGE);
  int e = r == 0 ? 0 : errno;
  free(first);
  return errno_result(e);
#else
  return errno_result(EINVAL);
#endif
}

/* TRUE unless no process has this pid (kill(pid, 0) failing with ESRCH). */
SEXP tw_pid_alive(SEXP pid) {
  int r = kill((pid_t) asInteger(pid), 0);
  return ScalarLogical(r == 0 || errno != ESRCH);
}

/* ---- the temporary files to remove on SIGTERM / SIGINT ---------------------------------- */

#define MAX_TEMP 64
static char *temp_paths[MAX_TEMP];
static int n_temp = 0;
static int installed = 0;
static struct sigaction previous[2];
static const int signals[2] = {SIGTERM, SIGINT};

/* A temporary file, or a temporary folder and the files in it (twinnet's folders hold no folders). */
static void remove_temp(const char *path) {
  if (unlink(path) == 0 || errno == ENOENT) return;  /* async-signal-safe */
  DIR *d = opendir(path);
  if (!d) return;
  char buf[4096];
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (snprintf(buf, sizeof buf, "%s/%s", path, e->d_name) < (int) sizeof buf) unlink(buf);
  }
  closedir(d);
  rmdir(path);
}

static void on_signal(int sig, siginfo_t *info, void *ctx) {
  for (int k = 0; k < MAX_TEMP; k++) {
    if (temp_paths[k]) remove_temp(temp_paths[k]);
  }
  int i = sig == SIGTERM ? 0 : 1;
  struct sigaction *prev = &previous[i];
  if (prev->sa_flags & SA_SIGINFO) {
    if (prev->sa_sigaction) prev->sa_sigaction(sig, info, ctx);
  } else if (prev->sa_handler == SIG_DFL) {
    sigaction(sig, prev, NULL);  /* what the signal would have done: end the process */
    raise(sig);
  } else if (prev->sa_handler != SIG_IGN && prev->sa_handler) {
    prev->sa_handler(sig);  /* e.g. R's own interrupt handler, which then unwinds */
  }
}

static void install_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 2; i++) sigaction(signals[i], &sa, &previous[i]);
  installed = 1;
}

static void uninstall_handlers(void) {
  for (int i = 0; i < 2; i++) {
    struct sigaction now;
    sigaction(signals[i], NULL, &now);
    if ((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_signal) sigaction(signals[i], &previous[i], NULL);
  }
  installed = 0;
}

SEXP tw_temp_register(SEXP path) {
  const char *p = path_of(path);
  for (int k = 0; k < MAX_TEMP; k++) {
    if (!temp_paths[k]) {
      char *copy = strdup(p);
      if (!copy) return ScalarLogical(FALSE);
      temp_paths[k] = copy;
      n_temp++;
      if (!installed) install_handlers();
      return ScalarLogical(TRUE);
    }
  }
  return ScalarLogical(FALSE);
}

SEXP tw_temp_unregister(SEXP path) {
  const char *p = path_of(path);
  for (int k = 0; k < MAX_TEMP; k++) {
    if (temp_paths[k] && strcmp(temp_paths[k], p) == 0) {
      char *old = temp_paths[k];
      temp_paths[k] = NULL;
      free(old);
      n_temp--;
      break;
    }
  }
  if (n_temp == 0 && installed) uninstall_handlers();
  return ScalarLogical(TRUE);
}

/* ---- the BLAS's thread count ------------------------------------------------------------- */

/* blas_threads(n) in R/solver.R: sets the BLAS's thread count to n (when n is not NA) and returns
 * the count in force before, or NULL when the BLAS has no such call (then nothing is set). R has
 * no call for it, so OpenBLAS's own pair (openblas_get_num_threads / openblas_set_num_threads) is
 * looked up at run time in whatever BLAS this R is linked to (in the global scope: a dependency of
 * libR, also when R is embedded, as by rpy2); R's reference BLAS has none. No new system
 * dependency: dlsym is in the C library. */
typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);

SEXP tw_blas_threads(SEXP n) {
  static int looked_up = 0;
  static set_threads_fn set = NULL;
  static get_threads_fn get = NULL;
  if (!looked_up) {
    set = (set_threads_fn) dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    get = (get_threads_fn) dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
    looked_up = 1;
  }
  if (set == NULL || get == NULL) return R_NilValue;
  int before = get();
  int want = asInteger(n);
  if (want != NA_INTEGER && want >= 1 && want != before) set(want);
  return ScalarInteger(before);
}

static const R_CallMethodDef calls[] = {
  {"tw_path_kind", (DL_FUNC) &tw_path_kind, 1},
  {"tw_probe_read", (DL_FUNC) &tw_probe_read, 1},
  {"tw_reserve", (DL_FUNC) &tw_reserve, 3},
  {"tw_write_bytes", (DL_FUNC) &tw_write_bytes, 2},
  {"tw_rename", (DL_FUNC) &tw_rename, 2},
  {"tw_pid_alive", (DL_FUNC) &tw_pid_alive, 1},
  {"tw_random_bytes", (DL_FUNC) &tw_random_bytes, 1},
  {"tw_mkdir", (DL_FUNC) &tw_mkdir, 1},
  {"tw_exchange", (DL_FUNC) &tw_exchange, 2},
  {"tw_temp_register", (DL_FUNC) &tw_temp_register, 1},
  {"tw_temp_unregister", (DL_FUNC) &tw_temp_unregister, 1},
  {"tw_blas_threads", (DL_FUNC) &tw_blas_threads, 1},
  {NULL, NULL, 0}
};

void R_init_twinnet(DllInfo *dll) {
  R_registerRoutines(dll, NULL, calls, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
}
