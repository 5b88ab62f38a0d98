/*
 * homeca_enroll.h - the stable C API of libhomeca-enroll, the device side of
 * homeca's enrollment protocol (docs/enrollment-protocol.md): pair a device
 * with a homeca CA using a short pairing code, then renew its certificate and
 * tell the CA where the device is.
 *
 *   homeca_enroll_t* h = homeca_enroll_new("https://ca.home.arpa:8443");
 *   homeca_enroll_set_state_dir(h, "/var/lib/mydevice/tls");
 *   if (homeca_enroll_pair(h, "0735-2918-6402") != HOMECA_ENROLL_OK)
 *     fprintf(stderr, "pairing failed: %s\n", homeca_enroll_last_error(h));
 *   ... later, e.g. once homeca_enroll_renew_at(h) has passed:
 *   homeca_enroll_renew(h);
 *   ... and whenever the device's addresses change:
 *   homeca_enroll_checkin(h);
 *   homeca_enroll_free(h);
 *
 * Files (defaults under the state directory, /var/lib/homeca-enroll): key.pem
 * (the device key, mode 0600), cert.pem (the leaf), chain.pem (leaf and
 * intermediate, for a TLS server), root.pem (the CA's root), enrollment.json
 * (the library's own state). Every file is replaced atomically. Each renewal
 * makes a new key (key.pem.next until the new certificate is installed, then
 * renamed over key.pem, the same path): reload the key with the certificate.
 *
 * Errors: every call that can fail returns a homeca_enroll_error_t and keeps a
 * one-line message for it, readable with homeca_enroll_last_error(). Messages
 * never contain the pairing code or key material. No C++ exception ever
 * crosses this API.
 *
 * Thread-safety: a handle must not be used from two threads at once; distinct
 * handles are independent (but must not write the same files concurrently).
 * Ownership: the library owns handles (free with homeca_enroll_free) and every
 * string it returns; strings passed in are copied.
 *
 * ABI: error code values never change; new codes and functions may be added.
 */
#ifndef HOMECA_ENROLL_H_
#define HOMECA_ENROLL_H_

#include <stdint.h>

#if defined(__GNUC__)
#define HOMECA_ENROLL_API __attribute__((visibility("default")))
#else
#define HOMECA_ENROLL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct homeca_enroll homeca_enroll_t;

typedef enum homeca_enroll_error {
  HOMECA_ENROLL_OK = 0,
  /* Local failures. */
  HOMECA_ENROLL_ERR_INVALID_ARGUMENT = 1, /* bad URL, path, device id, NULL argument */
  HOMECA_ENROLL_ERR_INVALID_CODE = 2,     /* malformed or mistyped code: nothing was sent */
  HOMECA_ENROLL_ERR_NETWORK = 3,          /* cannot reach the CA, TLS failed, timeout */
  HOMECA_ENROLL_ERR_BAD_RESPONSE = 4,     /* the CA's answer is malformed */
  HOMECA_ENROLL_ERR_UNTRUSTED = 5,        /* answer not authenticated or chain not verified */
  HOMECA_ENROLL_ERR_IO = 6,               /* reading or writing the files failed */
  HOMECA_ENROLL_ERR_NOT_ENROLLED = 7,     /* no certificate installed yet */
  HOMECA_ENROLL_ERR_INTERNAL = 8,         /* a bug or out of memory on the device */
  /* The protocol's error codes, as sent by the CA. */
  HOMECA_ENROLL_ERR_BAD_REQUEST = 20,
  HOMECA_ENROLL_ERR_UNSUPPORTED_VERSION = 21,
  HOMECA_ENROLL_ERR_BAD_POINT = 22,
  HOMECA_ENROLL_ERR_BAD_CSR = 23,
  HOMECA_ENROLL_ERR_NO_PAIRING = 24, /* nothing armed for this code/device yet: retry */
  HOMECA_ENROLL_ERR_UNKNOWN_SESSION = 25,
  HOMECA_ENROLL_ERR_OUT_OF_ORDER = 26,
  HOMECA_ENROLL_ERR_BAD_CONFIRMATION = 27, /* wrong code or intercepted connection */
  HOMECA_ENROLL_ERR_CODE_BURNED = 28,
  HOMECA_ENROLL_ERR_NO_CLIENT_CERTIFICATE = 29,
  HOMECA_ENROLL_ERR_REVOKED = 30,
  HOMECA_ENROLL_ERR_EXPIRED = 31,
  HOMECA_ENROLL_ERR_UNKNOWN_CERTIFICATE = 32,
  HOMECA_ENROLL_ERR_RATE_LIMITED = 33, /* see homeca_enroll_retry_after() */
  HOMECA_ENROLL_ERR_CA_INTERNAL = 34,
  HOMECA_ENROLL_ERR_CA_UNKNOWN_ERROR = 35, /* an error code newer than this library */
  /* Appended (the numbers above never change): */
  HOMECA_ENROLL_ERR_SUPERSEDED = 36, /* certificate already renewed; only the newest renews */
  /* Local, for a device with its own code (homeca_enroll_set_device_id): the
   * guess limit. See homeca_enroll_reset_lockout(). */
  HOMECA_ENROLL_ERR_LOCKED_OUT = 37, /* 5 failed key confirmations: stopped until reset */
  HOMECA_ENROLL_ERR_BACKING_OFF = 38 /* wait homeca_enroll_retry_after() seconds, then retry */
} homeca_enroll_error_t;

/* A fixed description of `error` ("wrong code or intercepted connection");
 * never NULL, static storage. */
HOMECA_ENROLL_API const char* homeca_enroll_strerror(homeca_enroll_error_t error);

/* The library's version, e.g. "0.1.0". */
HOMECA_ENROLL_API const char* homeca_enroll_version(void);

/* A new handle for the CA at `ca_url`: "https://host[:port][/path]" or a bare
 * "host[:port]" (port 8443, path /enroll/v1). `ca_url` may be NULL when the
 * handle is only used to renew or check in. Returns NULL only when out of memory. An
 * invalid URL still gives a handle: homeca_enroll_last_error() says why, and
 * homeca_enroll_pair() fails with HOMECA_ENROLL_ERR_INVALID_ARGUMENT. */
HOMECA_ENROLL_API homeca_enroll_t* homeca_enroll_new(const char* ca_url);
/* Frees `h` and wipes what it held; NULL is allowed. */
HOMECA_ENROLL_API void homeca_enroll_free(homeca_enroll_t* h);

/* Replaces the CA URL (same forms as homeca_enroll_new). */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_ca_url(homeca_enroll_t* h,
                                                                 const char* ca_url);
/* Puts every file under `dir` (key.pem, cert.pem, chain.pem, root.pem,
 * enrollment.json), replacing earlier path settings. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_state_dir(homeca_enroll_t* h,
                                                                    const char* dir);
/* Individual file paths (after homeca_enroll_set_state_dir, if both are used).
 * Without a state directory, enrollment.json goes beside the certificate. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_key_path(homeca_enroll_t* h,
                                                                   const char* path);
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_cert_path(homeca_enroll_t* h,
                                                                    const char* path);
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_chain_path(homeca_enroll_t* h,
                                                                     const char* path);
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_root_path(homeca_enroll_t* h,
                                                                    const char* path);
/* For a device that brings its own code (printed on a label): identify by
 * this id (1-64 of A-Z a-z 0-9 . _ -) instead of the code's slot. NULL or ""
 * goes back to the slot. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_device_id(homeca_enroll_t* h,
                                                                    const char* device_id);
/* Network timeouts in seconds (connect, and each read or write); > 0. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_set_timeout(homeca_enroll_t* h, int seconds);

/* Pairs with `code` ("0735-2918-6402"; dashes and spaces ignored): generates
 * an EC P-256 key, runs the protocol, verifies what the CA sent and writes the
 * files. A code with a typo fails with HOMECA_ENROLL_ERR_INVALID_CODE before
 * anything is sent. Blocks for the network round trips.
 *
 * With a device id (the device's own, long-lived code), each failed key
 * confirmation (HOMECA_ENROLL_ERR_BAD_CONFIRMATION: a wrong code armed, or a
 * rogue CA guessing) is counted in the state directory, across restarts.
 * After one, calls fail with HOMECA_ENROLL_ERR_BACKING_OFF for 30 s, then
 * 60 s, 120 s, 240 s (homeca_enroll_retry_after() says how long is left);
 * after 5, with HOMECA_ENROLL_ERR_LOCKED_OUT until
 * homeca_enroll_reset_lockout(). A device that polls with
 * homeca_enroll_pair() until an admin arms it keeps this protection. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_pair(homeca_enroll_t* h, const char* code);

/* Forgets the failed key confirmations counted for the state directory
 * (see homeca_enroll_pair), e.g. from a button or a local console once the
 * owner has checked the code the admin types. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_reset_lockout(homeca_enroll_t* h);
/* The failed key confirmations counted so far (0 to 5); -1 when the count
 * cannot be read (see last error). */
HOMECA_ENROLL_API int homeca_enroll_failed_confirmations(homeca_enroll_t* h);

/* Renews the installed certificate over mutual TLS, verifying the CA against
 * the stored root, with a new key of the same kind, and replaces the
 * certificate files and then the key file (at the same paths). Applications
 * reload both after it returns HOMECA_ENROLL_OK. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_renew(homeca_enroll_t* h);

/* Tells the CA where this device is now (added in libhomeca-enroll 1.1,
 * symbol version HOMECA_ENROLL_1.1): over mutual TLS exactly as
 * homeca_enroll_renew() (the installed certificate and key; the CA verified
 * against the stored root), to the check-in endpoint beside the renew URL.
 * The CA records the address it sees the connection come from, to publish
 * the device's names there. Call it when the device's IP addresses change
 * (renewing and pairing tell the CA as well); the CA answers
 * HOMECA_ENROLL_ERR_RATE_LIMITED to a certificate that checked in a few
 * seconds ago. Writes no file. On success homeca_enroll_checkin_address()
 * and homeca_enroll_checkin_name() say what the CA saw. */
HOMECA_ENROLL_API homeca_enroll_error_t homeca_enroll_checkin(homeca_enroll_t* h);
/* After a successful homeca_enroll_checkin(): the IP address the CA saw this
 * device at ("192.168.1.20", "fd00::20"); "" otherwise. Valid until the next
 * check-in on `h`. Never NULL. */
HOMECA_ENROLL_API const char* homeca_enroll_checkin_address(const homeca_enroll_t* h);
/* After a successful homeca_enroll_checkin(): how many names the device's
 * certificate has, and each of them (index 0 to count - 1; NULL outside that
 * range). Valid until the next check-in on `h`. */
HOMECA_ENROLL_API int homeca_enroll_checkin_name_count(const homeca_enroll_t* h);
HOMECA_ENROLL_API const char* homeca_enroll_checkin_name(const homeca_enroll_t* h, int index);

/* Expiry (unix seconds) of the installed certificate, read from the files;
 * 0 when none is installed or it cannot be read (see last error). */
HOMECA_ENROLL_API int64_t homeca_enroll_not_after(homeca_enroll_t* h);
/* When the installed certificate should be renewed (unix seconds): about two
 * thirds into its lifetime, with a per-certificate jitter; 0 as above. */
HOMECA_ENROLL_API int64_t homeca_enroll_renew_at(homeca_enroll_t* h);

/* After HOMECA_ENROLL_ERR_RATE_LIMITED: seconds the CA asked to wait (0 if it
 * did not say). After HOMECA_ENROLL_ERR_BACKING_OFF: seconds left in the
 * device's own pause. */
HOMECA_ENROLL_API int homeca_enroll_retry_after(const homeca_enroll_t* h);

/* The message of the last failed call on `h` ("" after a success); valid
 * until the next call on `h`. For NULL: a fixed message. Never NULL. */
HOMECA_ENROLL_API const char* homeca_enroll_last_error(const homeca_enroll_t* h);

#ifdef __cplusplus
}
#endif

#endif /* HOMECA_ENROLL_H_ */
