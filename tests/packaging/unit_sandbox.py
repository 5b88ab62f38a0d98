#!/usr/bin/env python3
"""Reads a systemd service unit's sandbox settings so the package install
test can apply them without systemd (setpriv, mounts and unit-sandbox).

  unit_sandbox.py syscalls UNIT   the SystemCallFilter= allow list, one system
                                  call a line, @groups expanded with
                                  `systemd-analyze syscall-filter` (so the
                                  groups are exactly the installed systemd's)
  unit_sandbox.py settings UNIT   shell assignments: EXEC_START, SVC_USER,
                                  SVC_GROUP, SVC_UMASK, FAMILIES, MDWE, CAPS

Fails (exit 1) on a setting it does not know how to emulate, so the test
cannot silently drift from the unit.
"""
import functools
import shlex
import subprocess
import sys


def service_settings(path):
    settings = {}
    section = None
    with open(path) as unit:
        for raw in unit:
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            if section != "Service":
                continue
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


@functools.lru_cache(maxsize=None)
def expand(name):
    if not name.startswith("@"):
        return frozenset([name])
    out = subprocess.run(["systemd-analyze", "syscall-filter", name],
                         check=True, capture_output=True, text=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        item = line.strip()
        if item and not item.startswith("#"):
            calls |= expand(item)
    return frozenset(calls)


def allowed_syscalls(settings):
    allowed = None
    for entry in settings.get("SystemCallFilter", []):
        deny = entry.startswith("~")
        names = set()
        for item in entry.lstrip("~").split():
            names |= expand(item)
        if allowed is None:
            if deny:
                sys.exit("unit_sandbox.py: only an allow-list SystemCallFilter= is emulated")
            allowed = names
        elif deny:
            allowed -= names
        else:
            allowed |= names
    if allowed is None:
        sys.exit("unit_sandbox.py: the unit has no SystemCallFilter=")
    return sorted(allowed)


def one(settings, key, default=None):
    values = settings.get(key)
    if not values:
        if default is None:
            sys.exit(f"unit_sandbox.py: the unit has no {key}=")
        return default
    return values[-1]


def shell_settings(settings):
    families = []
    for entry in settings.get("RestrictAddressFamilies", []):
        for family in entry.split():
            if not family.startswith("AF_"):
                sys.exit(f"unit_sandbox.py: cannot emulate RestrictAddressFamilies={entry}")
            families.append(family[3:].lower())
    caps = one(settings, "AmbientCapabilities", "")
    if caps != one(settings, "CapabilityBoundingSet", ""):
        sys.exit("unit_sandbox.py: AmbientCapabilities= and CapabilityBoundingSet= differ")
    if one(settings, "NoNewPrivileges", "no") != "yes":
        sys.exit("unit_sandbox.py: the emulation needs NoNewPrivileges=yes")
    return {
        "EXEC_START": one(settings, "ExecStart"),
        "SVC_USER": one(settings, "User"),
        "SVC_GROUP": one(settings, "Group"),
        "SVC_UMASK": one(settings, "UMask", "0022"),
        "FAMILIES": ",".join(families),
        "MDWE": one(settings, "MemoryDenyWriteExecute", "no"),
        "CAPS": ",".join("+" + c[4:].lower() for c in caps.split()),
    }


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("syscalls", "settings"):
        sys.exit(__doc__)
    settings = service_settings(sys.argv[2])
    if sys.argv[1] == "syscalls":
        print("\n".join(allowed_syscalls(settings)))
    else:
        for key, value in shell_settings(settings).items():
            print(f"{key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
