#!/usr/bin/env python3
# check-potfiles.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a file with translatable strings is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist:
# C sources under src/ and plugins/ that call _(), N_(), C_(), NC_(), Q_()
# or one of the ngettext family, GtkBuilder files with translatable="yes",
# and the desktop file, metainfo and GSettings schema templates under data/.
#
# Usage: check-potfiles.py SOURCE_ROOT
#        check-potfiles.py --self-test FIXTURE_ROOT
# Prints TAP.

import os
import re
import sys

C_CALL_RE = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2|ngettext|dngettext)\s*\(')
UI_RE = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.IGNORECASE)
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.gschema.xml.in')
SKIP_DIRS = {'.git', 'node_modules', 'subprojects'}


def strip_c(text):
    """The code of a C file without comments and with string and character
    literals emptied, so that neither can fake or hide a call."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def wants_translation(path):
    name = os.path.basename(path)
    if name.endswith(('.c', '.h')):
        with open(path, encoding='utf-8', errors='replace') as f:
            return C_CALL_RE.search(strip_c(f.read())) is not None
    if name.endswith('.ui'):
        with open(path, encoding='utf-8', errors='replace') as f:
            return UI_RE.search(f.read()) is not None
    return name.endswith(DATA_SUFFIXES)


def candidates(root):
    for top, exts in (('src', ('.c', '.h', '.ui')), ('plugins', ('.c', '.h', '.ui')),
                      ('data', DATA_SUFFIXES)):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith('_build'))
            for name in sorted(filenames):
                if name.endswith(exts):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def read_potfiles(root):
    listed = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                listed.append(line)
    return listed


def check(root):
    """Returns (missing, nonexistent, needless)."""
    listed = read_potfiles(root)
    listed_set = set(listed)
    skipped = set()
    skip_file = os.path.join(root, 'po', 'POTFILES.skip')
    if os.path.exists(skip_file):
        with open(skip_file, encoding='utf-8') as f:
            skipped = {l.strip() for l in f if l.strip() and not l.startswith('#')}
    missing = [p for p in candidates(root)
               if p not in listed_set and p not in skipped
               and wants_translation(os.path.join(root, p))]
    nonexistent = [p for p in listed if not os.path.isfile(os.path.join(root, p))]
    return missing, nonexistent


def print_result(n, ok, description, lines):
    print(f'{"ok" if ok else "not ok"} {n} {description}')
    for line in lines:
        print(f'# {line}')


def run(root):
    missing, nonexistent = check(root)
    print_result(1, not missing, 'every file with translatable strings is in po/POTFILES.in',
                 [f'{p} has translatable strings but is missing from po/POTFILES.in' for p in missing])
    print_result(2, not nonexistent, 'every file in po/POTFILES.in exists',
                 [f'po/POTFILES.in names {p}, which does not exist' for p in nonexistent])
    print('1..2')
    return 1 if missing or nonexistent else 0


def self_test(root):
    # The fixture tree lists listed.c and names gone.c; it holds one file of
    # each kind that needs listing and decoys that must not be reported.
    missing, nonexistent = check(root)
    expected_missing = ['data/x.desktop.in', 'data/x.gschema.xml.in', 'data/x.metainfo.xml.in',
                        'plugins/p/plugin.c', 'src/ngettext.c', 'src/plain.c', 'src/window.ui']
    ok1 = sorted(missing) == expected_missing
    print_result(1, ok1, 'a fixture tree reports exactly the unlisted files',
                 [] if ok1 else [f'reported {sorted(missing)}', f'expected {expected_missing}'])
    ok2 = nonexistent == ['src/gone.c']
    print_result(2, ok2, 'a fixture tree reports the listed file that does not exist',
                 [] if ok2 else [f'reported {nonexistent}'])
    print('1..2')
    return 0 if ok1 and ok2 else 1


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--self-test':
        sys.exit(self_test(sys.argv[2]))
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT | --self-test FIXTURE_ROOT', file=sys.stderr)
        sys.exit(2)
    sys.exit(run(sys.argv[1]))
