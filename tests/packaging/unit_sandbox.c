/* unit-sandbox: applies the system call side of a systemd unit's sandbox to a
 * program, for the package install test, which runs homecad in a chroot
 * without systemd. What it emulates, as systemd.exec(5) describes it:
 *
 *   SystemCallFilter=      an allow list (one syscall name per line in FILE,
 *                          already expanded from @groups by unit_sandbox.py);
 *                          anything else fails with EPERM
 *   SystemCallArchitectures=native   libseccomp's default: native ABI only
 *   RestrictAddressFamilies=         socket() only for the listed families
 *   MemoryDenyWriteExecute=yes       no writable+executable mappings, no
 *                                    mprotect() to executable
 *
 * libseccomp's header is not installed on CI machines (only the library, a
 * dependency of apt), so the few declarations it needs are spelled out here;
 * they are libseccomp's stable ABI (seccomp.h, version 2).
 *
 * usage: unit-sandbox --syscalls FILE [--families unix,inet,inet6] [--mdwe]
 *                     -- PROGRAM [ARGS...]
 * It must run with no_new_privs set (setpriv --no-new-privs).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

typedef void* scmp_filter_ctx;
typedef uint64_t scmp_datum_t;
enum scmp_compare { SCMP_CMP_EQ = 4, SCMP_CMP_MASKED_EQ = 7 };
struct scmp_arg_cmp {
  unsigned int arg;
  enum scmp_compare op;
  scmp_datum_t datum_a;
  scmp_datum_t datum_b;
};
#define SCMP_ACT_ALLOW 0x7fff0000U
#define SCMP_ACT_ERRNO(x) (0x00050000U | ((x)&0x0000ffffU))
scmp_filter_ctx seccomp_init(uint32_t def_action);
int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...);
int seccomp_syscall_resolve_name(const char* name);
int seccomp_load(const scmp_filter_ctx ctx);

static void die(const char* what, int err) {
  fprintf(stderr, "unit-sandbox: %s: %s\n", what, strerror(err < 0 ? -err : err));
  exit(126);
}

static int resolve(const char* name) {
  int nr = seccomp_syscall_resolve_name(name);
  if (nr < 0) {
    fprintf(stderr, "unit-sandbox: unknown system call %s\n", name);
    exit(126);
  }
  return nr;
}

static struct scmp_arg_cmp masked(unsigned int arg, scmp_datum_t mask, scmp_datum_t value) {
  struct scmp_arg_cmp cmp = {arg, SCMP_CMP_MASKED_EQ, mask, value};
  return cmp;
}

/* Calls that get conditional rules instead of a plain allow. */
static int conditional(const char* name, int families, int mdwe) {
  if (families && strcmp(name, "socket") == 0) return 1;
  if (mdwe && (strcmp(name, "mmap") == 0 || strcmp(name, "mprotect") == 0 ||
               strcmp(name, "pkey_mprotect") == 0)) {
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  const char* syscalls = NULL;
  char* families = NULL;
  int mdwe = 0;
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; ++i) {
    if (strcmp(argv[i], "--syscalls") == 0 && i + 1 < argc) {
      syscalls = argv[++i];
    } else if (strcmp(argv[i], "--families") == 0 && i + 1 < argc) {
      families = argv[++i];
    } else if (strcmp(argv[i], "--mdwe") == 0) {
      mdwe = 1;
    } else {
      fprintf(stderr, "unit-sandbox: bad argument %s\n", argv[i]);
      return 2;
    }
  }
  if (syscalls == NULL || i + 1 >= argc) {
    fprintf(stderr,
            "usage: unit-sandbox --syscalls FILE [--families LIST] [--mdwe] -- PROGRAM...\n");
    return 2;
  }
  char** program = argv + i + 1;

  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
  if (ctx == NULL) die("seccomp_init", ENOMEM);
  FILE* list = fopen(syscalls, "r");
  if (list == NULL) die(syscalls, errno);
  char line[128];
  int allowed = 0;
  while (fgets(line, sizeof line, list) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#') continue;
    if (conditional(line, families != NULL, mdwe)) continue;
    int nr = seccomp_syscall_resolve_name(line);
    if (nr < 0) continue; /* not a system call on this architecture */
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
    if (rc != 0) die(line, rc);
    ++allowed;
  }
  fclose(list);

  if (families != NULL) {
    for (char* f = strtok(families, ","); f != NULL; f = strtok(NULL, ",")) {
      int family = strcmp(f, "unix") == 0      ? AF_UNIX
                   : strcmp(f, "inet") == 0    ? AF_INET
                   : strcmp(f, "inet6") == 0   ? AF_INET6
                   : strcmp(f, "netlink") == 0 ? AF_NETLINK
                                               : -1;
      if (family < 0) die(f, EINVAL);
      struct scmp_arg_cmp eq = {0, SCMP_CMP_EQ, (scmp_datum_t)family, 0};
      int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, resolve("socket"), 1, eq);
      if (rc != 0) die("socket rule", rc);
    }
  }
  if (mdwe) {
    /* mmap: anything but PROT_WRITE and PROT_EXEC together. */
    const scmp_datum_t wx = PROT_WRITE | PROT_EXEC;
    const scmp_datum_t ok[] = {0, PROT_WRITE, PROT_EXEC};
    for (int k = 0; k < 3; ++k) {
      int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, resolve("mmap"), 1, masked(2, wx, ok[k]));
      if (rc != 0) die("mmap rule", rc);
    }
    /* mprotect, pkey_mprotect: never to executable. */
    int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, resolve("mprotect"), 1, masked(2, PROT_EXEC, 0));
    if (rc != 0) die("mprotect rule", rc);
    rc =
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, resolve("pkey_mprotect"), 1, masked(2, PROT_EXEC, 0));
    if (rc != 0) die("pkey_mprotect rule", rc);
  }
  if (allowed < 50) die("too few system calls in the allow list", EINVAL);
  int rc = seccomp_load(ctx);
  if (rc != 0) die("seccomp_load", rc);
  execv(program[0], program);
  die(program[0], errno);
  return 126;
}
