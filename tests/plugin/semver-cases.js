// semver-cases.js
//
// Copyright 2026 The Porthole Authors
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Computes what node-semver answers for a large list of versions and
// ranges and writes tests/plugin/fixtures/semver-expected.json, which
// test-semver.c checks Porthole's implementation against.
//
// Usage (semver installed in a scratch directory, not in the tree):
//   npm install --prefix "$TMP" semver
//   NODE_PATH="$TMP/node_modules" node tests/plugin/semver-cases.js

'use strict'

const fs = require('fs')
const path = require('path')
const semver = require('semver')

// Versions: valid ones across the interesting boundaries, and invalid ones.
const versions = [
  '0.0.0', '0.0.0-0', '0.0.1', '0.0.1-alpha', '0.0.2', '0.0.2-0', '0.0.3',
  '0.1.0', '0.1.0-beta', '0.1.1', '0.1.9', '0.2.0', '0.2.0-0', '0.2.1',
  '0.7.2', '0.7.9', '0.8.0', '0.9.9',
  '1.0.0', '1.0.0-0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta',
  '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0+build.1',
  '1.0.1', '1.1.0', '1.1.0-0', '1.1.9',
  '1.2.0', '1.2.0-0', '1.2.0-rc.1', '1.2.2', '1.2.3', '1.2.3-0', '1.2.3-alpha',
  '1.2.3-alpha.7', '1.2.3-beta', '1.2.3-beta.2', '1.2.3-pr.2', '1.2.3+b.7',
  '1.2.3-alpha.7+meta', '1.2.4', '1.2.4-0', '1.2.4-beta', '1.2.5', '1.2.9',
  '1.3.0', '1.3.0-0', '1.3.0-alpha', '1.3.1', '1.9.9',
  '2.0.0', '2.0.0-0', '2.0.0-alpha', '2.0.1', '2.1.0', '2.3.4', '2.4.0',
  '2.9.9', '3.0.0', '3.0.0-0', '3.4.5', '3.4.6', '3.5.0', '3.5.0-0',
  '4.0.0', '10.0.0', '10.2.3', '1000.0.0',
  'v1.2.3', 'v2.0.0', ' 1.2.3 ', '\t1.2.4\n', '=1.2.3', 'v=1.2.3',
  '9007199254740991.0.0', '9007199254740992.0.0',
  '1.2', '1', '', 'x', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03',
  '1.2.3-01', '1.2.3-0a', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3+a..b',
  '1.2.3 beta', 'a.b.c', '1.2.x', '~1.2.3', '>1.2.3', '1.2.3-alpha_beta',
  '1.2.3-' + 'a'.repeat(250), '1.2.3-' + 'a'.repeat(251),
  '0.0.0-foo', '1.0.0-x.7.z.92', '1.0.0-x-y-z.--', '1.2.3-beta.11', '1.2.3-beta.2',
]

// Ranges: everything node-semver documents (comparators, hyphen ranges,
// X-ranges, tilde, caret, || sets, prerelease tags) plus odd spacing and
// invalid input.
const ranges = [
  // primitives
  '1.2.3', '=1.2.3', 'v1.2.3', '=v1.2.3', '==1.2.3', '>1.2.3', '<1.2.3',
  '>=1.2.3', '<=1.2.3', '>=1.2.7', '<1.3.0', '>=1.2.7 <1.3.0',
  '>= 1.2.3', '> 1.2.3', '<  1.2.3', '<= 1.2.3 >= 1.0.0', '>=1.2.3 <=1.2.3',
  '>1.2.3 <1.2.3', '>=v1.2.3', '>=1.2.3+build', '<=1.2.3+build.5',
  '>1.2.3-alpha.3', '>=1.2.3-alpha.3 <1.3.0', '1.2.3-alpha.3', '<1.2.3-beta',
  '>=1.0.0-0', '>=0.0.0', '>=0.0.0-0', '<0.0.0-0', '<0.0.0', '>=0.0.0 <0.0.0-0',
  '>1.0.0 <1.0.0', '=1.2.3 || >2.0.0',
  // || sets
  '1.2.7 || >=1.2.9 <2.0.0', '<1.0.0 || >=2.0.0', '1.x || >=2.5.0 || 5.0.0 - 7.2.3',
  '>=1.2.3 || *', '<0.0.0-0 || 1.2.3', '1.2.3 ||', '|| 1.2.3', '||', '1.2.3 || ',
  '>1 || <0', '1.0.0 || 2.0.0 || 3.0.0', '^1.2.3 || ^2.0.0-0',
  // hyphen ranges
  '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1 - 2', '1.x - 2.x',
  '* - 2.3.4', '1.2.3 - *', '1.2.3-alpha - 2.3.4', '1.2.3 - 2.3.4-beta',
  '1.2.3-pr.1 - 1.2.3-pr.5', 'v1.2.3 - v2.3.4', '=1.2.3 - =2.3.4', '1.2.3 -2.3.4',
  '1.2.3- 2.3.4', '1.2.3 - 2.3.4 - 3.4.5', '0.1.0 - 0.2.0', '1.0.0 - 1.0.0',
  '1.2.3+build - 2.3.4+build', '1.2.3 - 2.3.4 || 3.0.0', '1.2.3  -  2.3.4',
  // X-ranges
  '*', '', 'x', 'X', '1.x', '1.X', '1.*', '1.2.x', '1.2.*', '1.x.x', '1.*.*',
  '1', '1.2', '2.x.x', '0.x', '0.0.x', '0.0', '0', 'x.x.x', '*.*.*', '1.x.3',
  '*.1', 'x.2.3', '1.2.x-alpha', '>1', '>1.2', '>=1', '>=1.2', '<1', '<1.2',
  '<=1', '<=1.2', '<=0.7.x', '>0.x', '>x', '<x', '>=x', '<=*', '=*', '=1.x',
  '>1.x', '<1.x', '>=1.x', '<=1.x', '>*', '<*', '>=*', '1.2.x || 2.x',
  '1.x.x-beta', '~1.x', '^1.x', '*.x', '1.x.*', 'v1.x', '=v1.2',
  // tilde
  '~1.2.3', '~1.2', '~1', '~0.2.3', '~0.2', '~0', '~1.2.3-beta.2', '~0.0.1',
  '~>1.2.3', '~> 1.2.3', '~ 1.2.3', '~1.2.x', '~1.x.x', '~*', '~', '~>',
  '~v1.2.3', '~=1.2.3', '~1.2.3 || ~2.0', '~2.4', '~>3.2.1', '~1.0', '~ 1',
  '~1.2.3-alpha', '~0.0.0-0', '~1.2.3+b',
  // caret
  '^1.2.3', '^0.2.3', '^0.0.3', '^1.2.3-beta.2', '^0.0.3-beta', '^0.0.3-beta.1',
  '^1.2.x', '^0.0.x', '^0.0', '^1.x', '^0.x', '^0', '^1', '^1.2', '^0.1',
  '^0.1.x', '^*', '^', '^ 1.2.3', '^v1.2.3', '^=1.2.3', '^0.0.0', '^0.0.1',
  '^0.1.0', '^1.0.0', '^2.0.0-0', '^1.2.3 || ^2', '^0.0.0-0', '^1.2.3+build',
  '^ 1', '^1.0.0-alpha', '^0.2.0-rc.1', '^0.0.1-0',
  // combinations and spacing
  '>=1.2.3 <2.0.0', '  >=1.2.3   <2.0.0  ', '>=1.2.3\t<2.0.0', '> 1 < 3',
  '1.2.3 1.2.3', '>=1.0.0 >=1.0.0 <2.0.0', '* >=1.2.3', '>=1.2.3 *', '* *',
  '^1.2.3 ~1.2.5', '^1 <1.5', '>=0.1.97', '0.1.20 || 1.2.4', '>=0.2.3 || <0.0.1',
  '>= 1.0.0 <= 2.0.0', '<=2.0.0 >=1.0.0', '>=1.2.3-beta <1.2.3', '>1.2.3-alpha <1.2.4',
  '>=1.2.3-alpha.1 <1.2.3-alpha.5', '>=1.0.0-rc.1 <2.0.0', '<2.0.0-0',
  '>=1.2.3 <1.2.4 || >=2.0.0-beta <2.0.0', '^1.2.3-pr.1', '~1.2.3-pr.1 || ^2',
  '>=9007199254740991.0.0', '^9007199254740991.0.0', '~9007199254740990.0',
  // invalid
  'blerg', 'git+https://user:password0123@github.com/foo', '>=1.2.3 blerg',
  '1.2.3.4', '>=01.2.3', '>>1.2.3', '<>1.2.3', '=>1.2.3', '!1.2.3', '1.2.3-',
  '1.2.3 - ', ' - 1.2.3', '- 1.2.3', '^1.2.3-', '~1.2.3.4', 'a.b.c', '1.2.3-01',
  '>=1.2.3 || blerg', '1 2 3 x', '^~1.2.3', '~^1.2.3', '>=^1.2.3', '>= ^1.2.3',
  '>1.2.3 <', '< 1.2.3 >', '1.2.3 >=', 'v', '=', '>', '>=', '<', '<=', 'vv1.2.3',
  '1..2', '.1.2', '1.2.', '^1.2.', '~1.', '1.2.3 || || 2.0.0', '1.2.3||2.0.0',
]

// Pairs for compare(): ordered by semver precedence including the spec's
// own example chain.
const compareVersions = [
  '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta',
  '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.0+build',
  '1.0.0+other', '0.0.0', '0.0.0-0', '0.0.0-foo', '1.2.3', 'v1.2.3',
  '1.2.3-4', '1.2.3-4-foo', '1.2.3-5', '1.2.3-5-foo', '1.2.3-a.10', '1.2.3-a.5',
  '1.2.3-a.b', '1.2.3-a', '1.2.3-a.b.c.10.d.5', '1.2.3-a.b.c.5.d.100',
  '1.2.3-r2', '1.2.3-r100', '1.2.3-R2', '1.2.3-asdf', '1.2.3-9', '1.2.3-9a',
  '2.0.0', '2.7.2+asdf', '3.0.0', '10.0.0', '1.10.0', '1.9.0', '1.2.10',
  '1.2.9', '1.2.3-alpha.10', '1.2.3-alpha.9', '1.2.3-alpha.-1',
  '=1.2.3', '1.2', 'x', '', '01.0.0',
]

const out = {
  generator: 'semver ' + require('semver/package.json').version,
  versions: versions.map(v => {
    const parsed = semver.valid(v)
    return { version: v, valid: parsed }
  }),
  ranges: ranges.map(r => {
    let normalized = null
    let normalizedPre = null
    try {
      normalized = new semver.Range(r).range
    } catch (e) {}
    try {
      normalizedPre = new semver.Range(r, { includePrerelease: true }).range
    } catch (e) {}
    const strict = versions.map(v => semver.satisfies(v, r) ? '1' : '0').join('')
    const pre = versions.map(v =>
      semver.satisfies(v, r, { includePrerelease: true }) ? '1' : '0').join('')
    return { range: r, normalized, normalizedPre, strict, pre }
  }),
  compare: [],
}

for (const a of compareVersions) {
  for (const b of compareVersions) {
    let result = null
    try {
      result = semver.compare(a, b)
    } catch (e) {}
    out.compare.push([a, b, result])
  }
}

const target = path.join(__dirname, 'fixtures', 'semver-expected.json')
fs.writeFileSync(target, JSON.stringify(out, null, 1) + '\n')
console.log(`wrote ${target}: ${out.ranges.length} ranges × ${versions.length} versions × 2, ` +
            `${out.compare.length} comparisons`)
