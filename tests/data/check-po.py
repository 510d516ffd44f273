#!/usr/bin/env python3
# check-po.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the translations in po/: every language of LINGUAS has a catalog
# that msgfmt accepts with --check (format strings, plural forms, header),
# and says how complete it is against the strings the sources hold now
# (extracted afresh with xgettext, as `porthole-pot` does). Missing
# translations are reported as TODO: strings land in the sources before
# their translations do.
#
# Usage: check-po.py SOURCE_ROOT
# Prints TAP.

import os
import re
import subprocess
import sys
import tempfile

XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--keyword=ngettext:1,2',
]


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, description, lines=(), todo=None):
        self.n += 1
        directive = f' # TODO {todo}' if todo and not ok else ''
        print(f'{"ok" if ok else "not ok"} {self.n} {description}{directive}')
        for line in lines:
            print(f'# {line}')
        if not ok and not todo:
            self.failed += 1


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


def entries(po_text):
    """(msgctxt, msgid) of every message of a po file, the header excepted."""
    found = []
    ctx = None
    current = None  # [keyword, text] being read
    for line in po_text.splitlines() + ['']:
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            if current is not None and current[0] == 'msgid' and current[1]:
                found.append((ctx, current[1]))
                ctx = None
            elif current is not None and current[0] == 'msgctxt':
                ctx = current[1]
            current = [m.group(1), m.group(2)]
            continue
        m = re.match(r'^"(.*)"$', line)
        if m and current is not None:
            current[1] += m.group(1)
            continue
        if current is not None and current[0] == 'msgid' and current[1]:
            found.append((ctx, current[1]))
            ctx = None
        current = None
    return found


def truncated_strings(pot_text):
    """(locations, msgid) of strings that end in a lone "%": the rest of
    the C string came from a macro xgettext cannot expand."""
    found = []
    where = []
    for line in pot_text.splitlines():
        if line.startswith('#: '):
            where += line[3:].split()
            continue
        m = re.match(r'^msgid(?:_plural)? "(.*)"$', line)
        if m:
            text = m.group(1)
            trailing = len(text) - len(text.rstrip('%'))
            if trailing % 2 == 1:
                found.append((' '.join(where), text))
        elif not line.startswith('#'):
            if not line.startswith('msg'):
                where = []
    return found


def main(root):
    tap = Tap()
    po_dir = os.path.join(root, 'po')
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        languages = [w for line in f for w in line.split('#')[0].split()]
    tap.result(len(languages) >= 2, 'po/LINGUAS lists at least two languages', [f'LINGUAS: {languages}'])

    with tempfile.TemporaryDirectory(prefix='porthole-po-') as tmp:
        pot = os.path.join(tmp, 'porthole.pot')
        proc = run(['xgettext', '--package-name=porthole', '--directory', root,
                    '--files-from', os.path.join(po_dir, 'POTFILES.in'), '--output', pot] + XGETTEXT_ARGS)
        tap.result(proc.returncode == 0, 'xgettext extracts the strings of po/POTFILES.in',
                   proc.stderr.strip().splitlines())
        if proc.returncode != 0:
            print(f'1..{tap.n}')
            return 1
        pot_text = run(['msgcat', '--no-wrap', pot]).stdout
        total = len(entries(pot_text))
        truncated = truncated_strings(pot_text)
        tap.result(not truncated, 'no translatable string is cut short by a macro',
                   [f'{where}: "{msgid}" (xgettext cannot see past a macro such as G_GINT64_FORMAT; '
                    'use a plain conversion with a cast, or <inttypes.h> PRI* macros, which it knows)'
                    for where, msgid in truncated])

        for lang in languages:
            po = os.path.join(po_dir, f'{lang}.po')
            if not os.path.isfile(po):
                tap.result(False, f'po/{lang}.po exists')
                continue
            proc = run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po])
            tap.result(proc.returncode == 0, f'po/{lang}.po passes msgfmt --check',
                       proc.stderr.strip().splitlines())

            with open(po, encoding='utf-8') as f:
                text = f.read()
            header_problems = []
            if not re.search(r'^"Plural-Forms: nplurals=\d+; plural=[^"]+;\\n"$', text, re.M):
                header_problems.append('no Plural-Forms header')
            if not re.search(rf'^"Language: {re.escape(lang)}\\n"$', text, re.M):
                header_problems.append(f'no "Language: {lang}" header')
            tap.result(not header_problems, f'po/{lang}.po has its Language and Plural-Forms headers',
                       header_problems)

            merged = os.path.join(tmp, f'{lang}.po')
            proc = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
            if proc.returncode != 0:
                tap.result(False, f'po/{lang}.po merges with the current strings', proc.stderr.strip().splitlines())
                continue
            missing = entries(run(['msgattrib', '--untranslated', '--no-obsolete', '--no-wrap', merged]).stdout)
            fuzzy = entries(run(['msgattrib', '--only-fuzzy', '--no-obsolete', '--no-wrap', merged]).stdout)
            lines = [f'untranslated: {m}' for _, m in missing] + [f'fuzzy: {m}' for _, m in fuzzy]
            tap.result(not lines, f'po/{lang}.po translates all {total} strings of the sources',
                       lines, todo=f'{len(missing) + len(fuzzy)} of {total} strings are not translated yet')

    print(f'1..{tap.n}')
    return 1 if tap.failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: check-po.py SOURCE_ROOT', file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
