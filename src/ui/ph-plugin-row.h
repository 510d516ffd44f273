/* ph-plugin-row.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PH_TYPE_PLUGIN_ROW (ph_plugin_row_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginRow, ph_plugin_row, PH, PLUGIN_ROW, AdwActionRow)

/* One plugin in the plugin manager.  Its buttons activate the window's
 * plugin.install, plugin.update and plugin.uninstall actions with the
 * plugin's name as target. */
GtkWidget  *ph_plugin_row_new                   (const char  *plugin_name);
const char *ph_plugin_row_get_plugin_name       (PhPluginRow *self);
const char *ph_plugin_row_get_update_version    (PhPluginRow *self);
void        ph_plugin_row_set_update_version    (PhPluginRow *self,
                                                 const char  *version);
const char *ph_plugin_row_get_installed_version (PhPluginRow *self);
void        ph_plugin_row_set_installed_version (PhPluginRow *self,
                                                 const char  *version);
gboolean    ph_plugin_row_get_installable       (PhPluginRow *self);
void        ph_plugin_row_set_installable       (PhPluginRow *self,
                                                 gboolean     installable);
gboolean    ph_plugin_row_get_removable         (PhPluginRow *self);
void        ph_plugin_row_set_removable         (PhPluginRow *self,
                                                 gboolean     removable);
gboolean    ph_plugin_row_get_show_switch       (PhPluginRow *self);
void        ph_plugin_row_set_show_switch       (PhPluginRow *self,
                                                 gboolean     show_switch);
/* Older versions a user may install instead of the newest (for trying an
 * update, or going back). */
void        ph_plugin_row_set_other_versions    (PhPluginRow *self,
                                                 const char * const *versions);
gboolean    ph_plugin_row_get_enabled           (PhPluginRow *self);
void        ph_plugin_row_set_enabled           (PhPluginRow *self,
                                                 gboolean     enabled);

G_END_DECLS
