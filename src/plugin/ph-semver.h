/* ph-semver.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PH_SEMVER_ERROR (ph_semver_error_quark ())

typedef enum {
  PH_SEMVER_ERROR_INVALID_VERSION,
  PH_SEMVER_ERROR_INVALID_RANGE,
} PhSemverError;

/* A semver 2.0.0 version.  Build metadata is kept for display but never
 * takes part in comparisons. */
typedef struct {
  guint64   major;
  guint64   minor;
  guint64   patch;
  char    **prerelease;  /* NULL-terminated, empty when none */
  char    **build;       /* NULL-terminated, empty when none */
} PhSemver;

/* A node-semver range: sets of comparators joined by "||". */
typedef struct _PhSemverRange PhSemverRange;

GQuark         ph_semver_error_quark        (void);

PhSemver      *ph_semver_parse              (const char          *text,
                                             GError             **error);
PhSemver      *ph_semver_copy               (const PhSemver      *self);
void           ph_semver_free               (PhSemver            *self);
int            ph_semver_version_compare    (const PhSemver      *a,
                                             const PhSemver      *b);
char          *ph_semver_to_string          (const PhSemver      *self);

PhSemverRange *ph_semver_range_parse        (const char          *text,
                                             gboolean             include_prerelease,
                                             GError             **error);
void           ph_semver_range_free         (PhSemverRange       *self);
gboolean       ph_semver_range_test         (const PhSemverRange *self,
                                             const PhSemver      *version);
char          *ph_semver_range_to_string    (const PhSemverRange *self);

gboolean       ph_semver_satisfies          (const char          *version,
                                             const char          *range,
                                             gboolean             include_prerelease);
int            ph_semver_compare            (const char          *a,
                                             const char          *b,
                                             GError             **error);
gboolean       ph_semver_valid              (const char          *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhSemver, ph_semver_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhSemverRange, ph_semver_range_free)

G_END_DECLS
