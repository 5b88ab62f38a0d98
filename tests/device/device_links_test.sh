#!/bin/sh
# libhomeca-enroll links only what a device needs: no SQLite, no libarchive,
# no Avahi, and nothing of the CA engine (homeca_ca) or the CA side of
# enrollment (homeca_enroll_core). Two views, because --as-needed hides one:
#   - readelf -d: the shared libraries the built library NEEDs at run time
#     (what dpkg-shlibdeps turns into the Debian package's Depends);
#   - the link graph CMake computed for the library (LINKS_FILE, written at
#     configure time by tests/device/CMakeLists.txt): every target and
#     library on its link line, so CA-engine objects cannot come in through
#     a static library that --as-needed would not report.
# usage: device_links_test.sh LIBRARY LINKS_FILE
set -u
lib="$1"
links="$2"
status=0

needed="$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
if [ -z "$needed" ]; then
  echo "FAIL: readelf -d $lib lists no NEEDED entry"
  exit 1
fi
for bad in sqlite3 archive avahi; do
  if printf '%s\n' "$needed" | grep -q "$bad"; then
    echo "FAIL: $lib needs $(printf '%s\n' "$needed" | grep "$bad" | tr '\n' ' ')"
    status=1
  fi
done

if [ ! -s "$links" ]; then
  echo "FAIL: no link graph in $links"
  exit 1
fi
# Targets by name; SQLite, libarchive and Avahi in any spelling (an imported
# target, or a library's path).
for bad in '^homeca_ca$' '^homeca_enroll_core$' '^homeca_mdns' 'sqlite' 'archive' 'avahi'; do
  if grep -qiE "$bad" "$links"; then
    echo "FAIL: libhomeca-enroll links $(grep -iE "$bad" "$links" | tr '\n' ' ')(all: $(tr '\n' ' ' <"$links"))"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ok: NEEDED: $(printf '%s\n' "$needed" | tr '\n' ' ')"
exit "$status"
