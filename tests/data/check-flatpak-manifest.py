#!/usr/bin/env python3
# check-flatpak-manifest.py
#
# Copyright 2026 The Porthole Authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks a Flatpak manifest without the runtime (which cannot be downloaded
# where the tests run): required keys, a GNOME runtime new enough for the
# GTK and libadwaita we build against, the sandbox holes Porthole needs, and
# a checksum or a pinned commit for every source that is fetched.
#
# Usage: check-flatpak-manifest.py [--flatpak-builder] MANIFEST...
#        check-flatpak-manifest.py --self-test FIXTURE_DIR
# Prints TAP.

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# GNOME 43 is the first runtime with GTK 4.8 and libadwaita 1.2, our minimum.
MIN_GNOME_RUNTIME = 43

REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--filesystem=~/.kube:ro',
    '--talk-name=org.freedesktop.Flatpak',
]

# Sources that never leave the machine need no checksum.
LOCAL_SOURCE_TYPES = {'dir', 'script', 'inline', 'shell'}
CHECKSUM_KEYS = ('sha256', 'sha512')
APP_ID_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_-]*){2,}$')


def source_problems(module_path, index, source):
    where = f'{module_path}: source {index}'
    if isinstance(source, str):
        # A path to a JSON file of sources, relative to the manifest: its
        # own sources are checked where the file is read.
        return []
    if not isinstance(source, dict):
        return [f'{where} is neither an object nor a file name']
    kind = source.get('type')
    if kind is None:
        return [f'{where} has no "type"']
    if kind in LOCAL_SOURCE_TYPES:
        return []
    if kind in ('git', 'bzr', 'svn'):
        if kind == 'git' and not re.fullmatch(r'[0-9a-f]{40}', str(source.get('commit', ''))):
            return [f'{where} ({kind} {source.get("url", "?")}) is not pinned to a full commit id']
        if kind != 'git' and 'revision' not in source:
            return [f'{where} ({kind}) is not pinned to a revision']
        return []
    if kind in ('archive', 'file', 'patch', 'extra-data'):
        if 'url' not in source and 'path' in source:
            return []  # a file of the checkout
        if not any(re.fullmatch(r'[0-9a-f]{64}|[0-9a-f]{128}', str(source.get(k, '')))
                   for k in CHECKSUM_KEYS):
            return [f'{where} ({kind} {source.get("url", "?")}) has no sha256']
        return []
    return [f'{where} has an unknown type "{kind}"']


def module_problems(module, path, base_dir):
    if isinstance(module, str):
        # A module in its own file, relative to the manifest.
        file = os.path.join(base_dir, module)
        try:
            with open(file, encoding='utf-8') as f:
                module = json.load(f)
        except (OSError, ValueError) as e:
            return [f'{path}: cannot read module file {module}: {e}']
        base_dir = os.path.dirname(file)
    if not isinstance(module, dict):
        return [f'{path} is not an object']
    name = module.get('name')
    if not name:
        return [f'{path} has no "name"']
    path = f'{path} "{name}"'
    problems = []
    sources = module.get('sources')
    if not isinstance(sources, list) or not sources:
        problems.append(f'{path} has no sources')
    else:
        for i, source in enumerate(sources):
            problems += source_problems(path, i, source)
    for j, sub in enumerate(module.get('modules', [])):
        problems += module_problems(sub, f'{path}: module {j}', base_dir)
    return problems


def check_manifest(file):
    """Returns a list of (description, [problems]) pairs, one per check."""
    try:
        with open(file, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [('parses as JSON', [f'{file}: {e}'])]
    if not isinstance(manifest, dict):
        return [('parses as JSON', [f'{file}: the top level is not an object'])]
    results = [('parses as JSON', [])]

    problems = []
    app_id = manifest.get('id', manifest.get('app-id'))
    if not isinstance(app_id, str) or not APP_ID_RE.match(app_id):
        problems.append(f'"id" is missing or not an application id: {app_id!r}')
    elif not app_id.startswith('io.github.porthole.Porthole'):
        problems.append(f'"id" {app_id} is not Porthole\'s')
    if manifest.get('command') != 'porthole':
        problems.append(f'"command" is {manifest.get("command")!r}, not "porthole"')
    results.append(('has an id and the command porthole', problems))

    problems = []
    if manifest.get('runtime') != 'org.gnome.Platform':
        problems.append(f'"runtime" is {manifest.get("runtime")!r}, not org.gnome.Platform')
    if manifest.get('sdk') != 'org.gnome.Sdk':
        problems.append(f'"sdk" is {manifest.get("sdk")!r}, not org.gnome.Sdk')
    version = str(manifest.get('runtime-version', ''))
    if not re.fullmatch(r'\d+', version):
        problems.append(f'"runtime-version" {version!r} is not a stable GNOME release')
    elif int(version) < MIN_GNOME_RUNTIME:
        problems.append(f'"runtime-version" {version} is older than GNOME {MIN_GNOME_RUNTIME} '
                        '(GTK 4.8, libadwaita 1.2)')
    results.append(('uses a GNOME runtime and SDK new enough', problems))

    args = manifest.get('finish-args')
    problems = []
    if not isinstance(args, list):
        problems.append('"finish-args" is missing')
    else:
        for arg in REQUIRED_FINISH_ARGS:
            if arg not in args:
                problems.append(f'"finish-args" lacks {arg}')
        for arg in args:
            # Kubeconfigs and credentials are read, never written.
            if re.match(r'--filesystem=(~/\.kube|xdg-config/kube)(/|$)', arg) and not arg.endswith(':ro'):
                problems.append(f'"finish-args" {arg} is not read-only')
            if arg in ('--filesystem=home', '--filesystem=host'):
                problems.append(f'"finish-args" {arg} opens far more than kubeconfigs')
    results.append(('has the finish-args Porthole needs, and no wider ones', problems))

    modules = manifest.get('modules')
    problems = []
    if not isinstance(modules, list) or not modules:
        problems.append('"modules" is missing or empty')
    else:
        base_dir = os.path.dirname(os.path.abspath(file))
        for i, module in enumerate(modules):
            problems += module_problems(module, f'module {i}', base_dir)
        last = modules[-1]
        if not isinstance(last, dict) or last.get('name') != 'porthole':
            problems.append('the last module is not porthole')
        elif last.get('buildsystem') != 'meson':
            problems.append('porthole is not built with meson')
        elif '-Dui_tests=false' not in last.get('config-opts', []):
            problems.append('porthole is built without -Dui_tests=false')
    results.append(('every module is named and every fetched source is pinned by a checksum or commit', problems))
    return results


def flatpak_builder_check(file):
    """(skip reason, problems) for flatpak-builder --show-manifest."""
    builder = shutil.which('flatpak-builder')
    if builder is None:
        return 'flatpak-builder is not installed', []
    # It keeps a state folder (.flatpak-builder/) in the working directory.
    with tempfile.TemporaryDirectory(prefix='porthole-flatpak-') as state:
        proc = subprocess.run([builder, '--show-manifest', os.path.abspath(file)],
                              capture_output=True, text=True, timeout=120, cwd=state)
    problems = []
    if proc.returncode != 0:
        problems.append(f'flatpak-builder --show-manifest exited with {proc.returncode}')
    if proc.stderr.strip():
        problems.append('flatpak-builder --show-manifest wrote to stderr: ' + proc.stderr.strip())
    return None, problems


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, description, problems=(), skip=None):
        self.n += 1
        if skip is not None:
            print(f'ok {self.n} {description} # SKIP {skip}')
            return
        print(f'{"ok" if ok else "not ok"} {self.n} {description}')
        for p in problems:
            print(f'# {p}')
        if not ok:
            self.failed += 1

    def finish(self):
        print(f'1..{self.n}')
        return 1 if self.failed else 0


def run_manifests(files, with_builder):
    tap = Tap()
    for file in files:
        name = os.path.basename(file)
        for description, problems in check_manifest(file):
            tap.result(not problems, f'{name} {description}', problems)
        if with_builder:
            skip, problems = flatpak_builder_check(file)
            tap.result(not problems, f'{name} is accepted by flatpak-builder --show-manifest',
                       problems, skip=skip)
    return tap.finish()


# Each broken fixture must fail exactly the check named here, with a message
# naming what is wrong.
SELF_TESTS = {
    'no-sha256.json': ('pinned by a checksum', 'has no sha256'),
    'unpinned-git.json': ('pinned by a checksum', 'not pinned to a full commit id'),
    'old-runtime.json': ('runtime and SDK', 'older than GNOME 43'),
    'writable-kube.json': ('finish-args', 'is not read-only'),
    'no-flatpak-talk.json': ('finish-args', 'lacks --talk-name=org.freedesktop.Flatpak'),
    'no-command.json': ('command porthole', '"command" is None'),
}


def self_test(fixture_dir):
    tap = Tap()
    for name, (check, message) in sorted(SELF_TESTS.items()):
        results = check_manifest(os.path.join(fixture_dir, name))
        failing = [(d, p) for d, p in results if p]
        ok = (len(failing) == 1 and check in failing[0][0]
              and any(message in p for p in failing[0][1]))
        tap.result(ok, f'{name} fails only "{check}" with "{message}"',
                   [f'{d}: {p}' for d, p in failing] if not ok else ())
    # flatpak-builder only warns about a misspelt key, on stderr.
    skip, problems = flatpak_builder_check(os.path.join(fixture_dir, 'unknown-key.json'))
    ok = skip is not None or any('buildsytem' in p for p in problems)
    tap.result(ok, 'unknown-key.json is refused because flatpak-builder warns about "buildsytem"',
               problems if not ok else (), skip=skip)
    return tap.finish()


def main(argv):
    if len(argv) == 3 and argv[1] == '--self-test':
        return self_test(argv[2])
    with_builder = '--flatpak-builder' in argv
    files = [a for a in argv[1:] if not a.startswith('--')]
    if not files:
        print(__doc__ or 'usage: check-flatpak-manifest.py [--flatpak-builder] MANIFEST...', file=sys.stderr)
        return 2
    return run_manifests(files, with_builder)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
