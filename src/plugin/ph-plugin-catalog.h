/* ph-plugin-catalog.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PH_CATALOG_API_VERSION "porthole.catalog/v1"

/* One version of a plugin offered by a catalog. */
typedef struct {
  char *version;         /* normalised semver */
  char *version_compat;  /* node-semver range */
  char *url;             /* absolute: relative URLs are resolved against the index */
  char *sha256;          /* lower-case hex */
  char *display_url;     /* url without credentials, for messages and records */
} PhCatalogVersion;

#define PH_TYPE_CATALOG_PLUGIN (ph_catalog_plugin_get_type ())
G_DECLARE_FINAL_TYPE (PhCatalogPlugin, ph_catalog_plugin, PH, CATALOG_PLUGIN, GObject)

const char             *ph_catalog_plugin_get_name         (PhCatalogPlugin *self);
const char             *ph_catalog_plugin_get_title        (PhCatalogPlugin *self);
const char             *ph_catalog_plugin_get_description  (PhCatalogPlugin *self);
/* The catalog's URI without credentials. */
const char             *ph_catalog_plugin_get_catalog      (PhCatalogPlugin *self);
/* Newest first. */
guint                   ph_catalog_plugin_get_n_versions   (PhCatalogPlugin *self);
const PhCatalogVersion *ph_catalog_plugin_get_version      (PhCatalogPlugin *self,
                                                            guint            index);
const PhCatalogVersion *ph_catalog_plugin_find_version     (PhCatalogPlugin *self,
                                                            const char      *version);
const PhCatalogVersion *ph_catalog_plugin_find_compatible  (PhCatalogPlugin *self,
                                                            const char      *porthole_version);
gboolean                ph_catalog_plugin_matches          (PhCatalogPlugin *self,
                                                            const char      *term);

#define PH_TYPE_PLUGIN_CATALOG (ph_plugin_catalog_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginCatalog, ph_plugin_catalog, PH, PLUGIN_CATALOG, GObject)

PhPluginCatalog *ph_plugin_catalog_new_from_data    (const char           *uri,
                                                     const char           *data,
                                                     gsize                 length,
                                                     GError              **error);
PhPluginCatalog *ph_plugin_catalog_load             (const char           *location,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void             ph_plugin_catalog_load_async       (const char           *location,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PhPluginCatalog *ph_plugin_catalog_load_finish      (GAsyncResult         *result,
                                                     GError              **error);
const char      *ph_plugin_catalog_get_uri          (PhPluginCatalog      *self);
guint            ph_plugin_catalog_get_n_plugins    (PhPluginCatalog      *self);
PhCatalogPlugin *ph_plugin_catalog_get_plugin       (PhPluginCatalog      *self,
                                                     guint                 index);
PhCatalogPlugin *ph_plugin_catalog_lookup           (PhPluginCatalog      *self,
                                                     const char           *name);

G_END_DECLS
