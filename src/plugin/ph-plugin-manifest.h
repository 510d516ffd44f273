/* ph-plugin-manifest.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The parsed plugin.json of one plugin folder. */
typedef struct {
  char  *name;
  char  *version;         /* normalised semver */
  char  *title;
  char  *description;
  char  *version_compat;  /* a node-semver range */
  char **views;           /* YAML files relative to the folder; NULL-terminated */
  char  *module;          /* native module relative to the folder, or NULL */
} PhPluginManifest;

gboolean          ph_plugin_name_is_valid        (const char        *name);

PhPluginManifest *ph_plugin_manifest_parse       (const char        *data,
                                                  gssize             length,
                                                  const char        *where,
                                                  GError           **error);
PhPluginManifest *ph_plugin_manifest_load        (const char        *folder,
                                                  GError           **error);
void              ph_plugin_manifest_free        (PhPluginManifest  *self);
gboolean          ph_plugin_manifest_is_compatible (const PhPluginManifest *self,
                                                  const char        *porthole_version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhPluginManifest, ph_plugin_manifest_free)

G_END_DECLS
