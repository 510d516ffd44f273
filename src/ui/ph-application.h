/* ph-application.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ph-kube-types.h"
#include "ph-frame-probe.h"
#include "ph-plugin-loader.h"

G_BEGIN_DECLS

#define PH_TYPE_APPLICATION (ph_application_get_type ())
G_DECLARE_FINAL_TYPE (PhApplication, ph_application, PH, APPLICATION, AdwApplication)

PhApplication *ph_application_new                  (void);
GSettings     *ph_application_get_settings         (PhApplication  *self);
/* The watch hub shared by every window; replaced (and "hub" notified)
 * when the watch-strategy setting changes. */
PhWatchHub    *ph_application_get_hub              (PhApplication  *self);
/* The loaded kubeconfig, or NULL when none was found ("kubeconfig" is
 * notified when it changes). */
PhKubeconfig  *ph_application_get_kubeconfig       (PhApplication  *self);
/* Why no kubeconfig is loaded, or NULL when one is, or none exists. */
const GError  *ph_application_get_kubeconfig_error (PhApplication  *self);
/* Starts the simulated demo clusters (once) and switches to their
 * kubeconfig. */
gboolean       ph_application_open_demo            (PhApplication  *self,
                                                    GError        **error);
/* Switches to the kubeconfig files @paths (NULL: the settings' paths,
 * else the standard loading rules). */
void           ph_application_load_kubeconfig      (PhApplication  *self,
                                                    const char * const *paths);
/* The simulated servers of --demo (PhSimServer), or NULL. */
GPtrArray     *ph_application_get_demo_servers     (PhApplication  *self);
/* --all-namespaces: windows start on all namespaces whatever the
 * namespace-mode setting says. */
gboolean       ph_application_get_all_namespaces   (PhApplication  *self);
/* The frame-timing probe of --profile-frames, or NULL. */
PhFrameProbe  *ph_application_get_frame_probe      (PhApplication  *self);
/* The plugins loaded at start-up, with each one's state ("plugin-loader"
 * is notified when they are reloaded). */
PhPluginLoader *ph_application_get_plugin_loader   (PhApplication  *self);
/* Loads the plugin folders again (after an install, update, uninstall or
 * a plugin being enabled or disabled). */
void           ph_application_reload_plugins       (PhApplication  *self);
/* The demo plugin catalog the plugin manager offers in --demo, or NULL. */
const char    *ph_application_get_demo_catalog     (PhApplication  *self);

G_END_DECLS
