#!/usr/bin/env python3
# check-cli-i18n.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs `porthole-cli --help` and `porthole --help` in German and Spanish
# with the build tree's catalogs (PORTHOLE_LOCALEDIR) and checks that
# their help is translated. glibc honours LANGUAGE under C.UTF-8, so no
# locale needs to be generated.
#
# Usage: check-cli-i18n.py LOCALEDIR   (PORTHOLE_CLI and PORTHOLE_BIN from the environment)
# Prints TAP.

import os
import subprocess
import sys

CASES = [
    # program variable, language, a line that must appear, English it replaces
    ('PORTHOLE_CLI', 'de', 'Befehle:', 'Commands:'),
    ('PORTHOLE_CLI', 'es', 'Órdenes:', 'Commands:'),
    ('PORTHOLE_BIN', 'de', 'Simulierte Demo-Cluster starten und anzeigen',
     'Start simulated demo clusters and show them'),
    ('PORTHOLE_BIN', 'es', 'Iniciar clústeres de demostración simulados y mostrarlos',
     'Start simulated demo clusters and show them'),
]


def main(localedir):
    failed = 0
    for n, (var, lang, expected, english) in enumerate(CASES, 1):
        program = os.environ.get(var)
        name = f'{os.path.basename(program or var)} --help in {lang}'
        if not program:
            print(f'not ok {n} {name}\n# {var} is not set')
            failed += 1
            continue
        env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE=lang, PORTHOLE_LOCALEDIR=localedir)
        # The GUI's --help needs no display; keep it from finding one anyway.
        env.pop('DISPLAY', None)
        env.pop('WAYLAND_DISPLAY', None)
        proc = subprocess.run([program, '--help'], env=env, capture_output=True,
                              text=True, timeout=60)
        out = proc.stdout
        problems = []
        if proc.returncode != 0:
            problems.append(f'exited with {proc.returncode}: {proc.stderr.strip()}')
        if expected not in out:
            problems.append(f'“{expected}” is missing from the help')
        if english in out:
            problems.append(f'the help still says “{english}”')
        print(f'{"not ok" if problems else "ok"} {n} {name}')
        for p in problems:
            print(f'# {p}')
        if problems:
            for line in out.splitlines():
                print(f'#   | {line}')
            failed += 1
    print(f'1..{len(CASES)}')
    return 1 if failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: check-cli-i18n.py LOCALEDIR', file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
