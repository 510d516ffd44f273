/* ph-plugin-registry.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-plugin-manifest.h"

G_BEGIN_DECLS

#define PH_PLUGIN_INSTALL_INFO ".porthole-install.json"

typedef enum {
  PH_PLUGIN_SOURCE_USER,
  PH_PLUGIN_SOURCE_EXTRA,
  PH_PLUGIN_SOURCE_SHIPPED,
} PhPluginSource;

typedef struct {
  char           *path;
  PhPluginSource  source;
} PhPluginDir;

#define PH_TYPE_INSTALLED_PLUGIN (ph_installed_plugin_get_type ())
G_DECLARE_FINAL_TYPE (PhInstalledPlugin, ph_installed_plugin, PH, INSTALLED_PLUGIN, GObject)

const char             *ph_installed_plugin_get_name         (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_version      (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_title        (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_description  (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_path         (PhInstalledPlugin *self);
PhPluginSource          ph_installed_plugin_get_source       (PhInstalledPlugin *self);
/* TRUE when the plugin manager installed it (.porthole-install.json). */
gboolean                ph_installed_plugin_get_managed      (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_catalog      (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_sha256       (PhInstalledPlugin *self);
const char             *ph_installed_plugin_get_installed_at (PhInstalledPlugin *self);
/* Why the plugin cannot be used, or NULL. */
const char             *ph_installed_plugin_get_error        (PhInstalledPlugin *self);
const PhPluginManifest *ph_installed_plugin_get_manifest     (PhInstalledPlugin *self);
/* Path of a copy this one hides (a user copy wins over a shipped one). */
const char             *ph_installed_plugin_get_shadows      (PhInstalledPlugin *self);

const char        *ph_plugin_source_to_string     (PhPluginSource     source);
char              *ph_plugin_user_dir             (void);
GPtrArray         *ph_plugin_default_dirs         (void);
void               ph_plugin_dir_free             (PhPluginDir       *dir);
PhInstalledPlugin *ph_installed_plugin_load       (const char        *folder,
                                                   PhPluginSource     source);
GPtrArray         *ph_plugin_registry_scan        (GPtrArray         *dirs);
PhInstalledPlugin *ph_plugin_registry_find        (GPtrArray         *plugins,
                                                   const char        *name);

G_END_DECLS
