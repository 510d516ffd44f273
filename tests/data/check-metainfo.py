#!/usr/bin/env python3
# check-metainfo.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What appstreamcli cannot know about our metainfo: that the current
# version has a release entry, that every screenshot the metainfo shows is
# kept in data/screenshots/ (its URLs point at that folder of the
# repository) as a PNG with a caption, and that the launchable matches the
# desktop file.
#
# Usage: check-metainfo.py SOURCE_ROOT VERSION
# Prints TAP.

import os
import struct
import sys
import xml.etree.ElementTree as ET

METAINFO = 'data/io.github.porthole.Porthole.metainfo.xml.in'
SCREENSHOT_URL = 'https://raw.githubusercontent.com/porthole/porthole/main/data/screenshots/'


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', head[16:24])


def main(root, version):
    results = []
    component = ET.parse(os.path.join(root, METAINFO)).getroot()

    releases = [r.get('version') for r in component.findall('./releases/release')]
    results.append((version in releases, f'the metainfo has a release entry for {version}',
                    [f'releases: {releases}']))
    results.append((bool(releases) and releases[0] == version,
                    f'the newest release entry is {version}', [f'first release: {releases[:1]}']))

    launchable = component.findtext('launchable')
    results.append((launchable == '@APP_ID@.desktop', 'the launchable is the desktop file of the app id',
                    [f'launchable: {launchable}']))

    shots = component.findall('./screenshots/screenshot')
    problems = [] if shots else ['no screenshots']
    defaults = [s for s in shots if s.get('type') == 'default']
    if len(defaults) != 1:
        problems.append(f'{len(defaults)} screenshots are marked type="default", not one')
    for shot in shots:
        url = shot.findtext('image') or ''
        caption = (shot.findtext('caption') or '').strip()
        if not url.startswith(SCREENSHOT_URL):
            problems.append(f'{url} is not in {SCREENSHOT_URL}')
            continue
        name = url[len(SCREENSHOT_URL):]
        path = os.path.join(root, 'data', 'screenshots', name)
        if not os.path.isfile(path):
            problems.append(f'data/screenshots/{name} does not exist')
            continue
        size = png_size(path)
        if size is None:
            problems.append(f'data/screenshots/{name} is not a PNG')
        elif size[0] < 620 or size[1] < 350:
            problems.append(f'data/screenshots/{name} is {size[0]}×{size[1]}, smaller than 620×350')
        if not caption:
            problems.append(f'data/screenshots/{name} has no caption')
    results.append((not problems, 'every screenshot is a PNG in data/screenshots/ with a caption', problems))

    for n, (ok, description, lines) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {n} {description}')
        if not ok:
            for line in lines:
                print(f'# {line}')
    print(f'1..{len(results)}')
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print('usage: check-metainfo.py SOURCE_ROOT VERSION', file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
