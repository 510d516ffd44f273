/* ph-plugin-manager-window.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ph-plugin-loader.h"

G_BEGIN_DECLS

#define PH_TYPE_PLUGIN_MANAGER_WINDOW (ph_plugin_manager_window_get_type ())
G_DECLARE_FINAL_TYPE (PhPluginManagerWindow, ph_plugin_manager_window, PH, PLUGIN_MANAGER_WINDOW, AdwWindow)

/* Browses the catalogs of the "plugin-catalogs" setting and manages the
 * plugins in the user plugin folder. */
GtkWidget  *ph_plugin_manager_window_new           (GtkWindow             *parent);
/* Same, on another folder (tests). */
GtkWidget  *ph_plugin_manager_window_new_for_dir   (GtkWindow             *parent,
                                                    const char            *directory);
/* Offers one more catalog, e.g. the demo catalog in “porthole --demo”. */
void        ph_plugin_manager_window_add_catalog   (PhPluginManagerWindow *self,
                                                    const char            *location);
gboolean    ph_plugin_manager_window_get_busy      (PhPluginManagerWindow *self);
/* The plugins as the application loaded them: the list shows why one
 * failed to load. */
void        ph_plugin_manager_window_set_loader    (PhPluginManagerWindow *self,
                                                    PhPluginLoader        *loader);

G_END_DECLS
