#!/usr/bin/env python3
# check-icons.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the app icons in data/icons: well-formed SVG, the canvas the
# icon theme expects (128 px for the full-colour icons, 16 px for the
# symbolic one), and a symbolic icon drawn in one plain colour only, which
# GTK recolours to the theme's foreground.
#
# Usage: check-icons.py SOURCE_ROOT
# Prints TAP.

import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
ICONS = [
    ('data/icons/hicolor/scalable/apps/io.github.porthole.Porthole.svg', 128, False),
    ('data/icons/hicolor/scalable/apps/io.github.porthole.Porthole.Devel.svg', 128, False),
    ('data/icons/hicolor/symbolic/apps/io.github.porthole.Porthole-symbolic.svg', 16, True),
]


def problems_of(path, size, symbolic):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        return [f'{path}: {e}']
    problems = []
    if root.tag != SVG + 'svg':
        problems.append(f'{path}: the root element is {root.tag}, not svg')
    for attr in ('width', 'height'):
        if root.get(attr) != str(size):
            problems.append(f'{path}: {attr} is {root.get(attr)!r}, not {size}')
    if root.get('viewBox') != f'0 0 {size} {size}':
        problems.append(f'{path}: viewBox is {root.get("viewBox")!r}, not "0 0 {size} {size}"')
    for element in root.iter():
        if element.tag in (SVG + 'image', SVG + 'script', SVG + 'foreignObject'):
            problems.append(f'{path}: contains {element.tag[len(SVG):]}, which icon loaders do not draw')
    if symbolic:
        colours = set()
        for element in root.iter():
            if element.tag in (SVG + 'linearGradient', SVG + 'radialGradient', SVG + 'pattern'):
                problems.append(f'{path}: a symbolic icon has a {element.tag[len(SVG):]}')
            for attr in ('fill', 'stroke'):
                value = element.get(attr)
                if value and value != 'none':
                    colours.add(value.lower())
            style = element.get('style') or ''
            colours.update(c.lower() for c in re.findall(r'(?:fill|stroke)\s*:\s*(#[0-9a-fA-F]{3,6})', style))
        if len(colours) != 1:
            problems.append(f'{path}: a symbolic icon must use exactly one colour, it uses {sorted(colours)}')
    return problems


def main(root):
    failed = 0
    for n, (rel, size, symbolic) in enumerate(ICONS, 1):
        problems = problems_of(os.path.join(root, rel), size, symbolic)
        print(f'{"not ok" if problems else "ok"} {n} {os.path.basename(rel)} is a {size} px '
              f'{"symbolic" if symbolic else "full-colour"} SVG icon')
        for p in problems:
            print(f'# {p}')
        failed += bool(problems)
    print(f'1..{len(ICONS)}')
    return 1 if failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: check-icons.py SOURCE_ROOT', file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
