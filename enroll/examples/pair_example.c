/* pair_example: pair this device with a homeca CA through libhomeca-enroll.
 *
 *   cc pair_example.c $(pkg-config --cflags --libs homeca-enroll) -o pair_example
 *   ./pair_example --ca https://ca.home.arpa:8443 --dir ./tls 0735-2918-6402
 *
 * Exit status: 0 paired, 1 pairing failed, 2 usage. */
#include <homeca_enroll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int usage(FILE* out, int status) {
  fprintf(out,
          "usage: pair_example --ca URL [--dir DIR] CODE\n"
          "Pairs this device with the homeca CA at URL using the pairing code CODE\n"
          "and writes key.pem, cert.pem, chain.pem and root.pem to DIR (default .).\n"
          "libhomeca-enroll %s\n",
          homeca_enroll_version());
  return status;
}

int main(int argc, char** argv) {
  const char* ca_url = NULL;
  const char* dir = ".";
  const char* code = NULL;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--help") == 0) return usage(stdout, 0);
    if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc) {
      ca_url = argv[++i];
    } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (code == NULL && argv[i][0] != '-') {
      code = argv[i];
    } else {
      return usage(stderr, 2);
    }
  }
  if (ca_url == NULL || code == NULL) return usage(stderr, 2);

  homeca_enroll_t* h = homeca_enroll_new(ca_url);
  if (h == NULL) {
    fprintf(stderr, "pair_example: out of memory\n");
    return 1;
  }
  homeca_enroll_error_t err = homeca_enroll_set_state_dir(h, dir);
  if (err == HOMECA_ENROLL_OK) err = homeca_enroll_pair(h, code);
  if (err != HOMECA_ENROLL_OK) {
    /* strerror gives the category, last_error the specific message. */
    fprintf(stderr, "pair_example: %s (%s)\n", homeca_enroll_last_error(h),
            homeca_enroll_strerror(err));
    homeca_enroll_free(h);
    return 1;
  }
  time_t not_after = (time_t)homeca_enroll_not_after(h);
  printf("paired; certificate valid until %s", ctime(&not_after));
  homeca_enroll_free(h);
  return 0;
}
