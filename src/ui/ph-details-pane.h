/* ph-details-pane.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-kube-types.h"
#include "ph-plugin-loader.h"

G_BEGIN_DECLS

/* The selected object: a summary (metadata, labels, annotations, owners,
 * conditions, containers, its events) and its YAML, both following live
 * updates of the object. */

#define PH_TYPE_DETAILS_PANE (ph_details_pane_get_type ())
G_DECLARE_FINAL_TYPE (PhDetailsPane, ph_details_pane, PH, DETAILS_PANE, GtkWidget)

/* @hub and @cluster (both nullable) let the pane list the object's
 * events. */
void        ph_details_pane_set_object (PhDetailsPane *self,
                                        PhObject      *object,
                                        PhWatchHub    *hub,
                                        PhCluster     *cluster);
PhObject   *ph_details_pane_get_object (PhDetailsPane *self);
/* How many events of the object the summary lists. */
guint       ph_details_pane_get_n_events (PhDetailsPane *self);
/* The YAML text currently shown. */
char       *ph_details_pane_dup_yaml   (PhDetailsPane *self);
/* "summary" or "yaml". */
void        ph_details_pane_show_page  (PhDetailsPane *self,
                                        const char    *page);
/* Plugins add the detail fields of their views and the sections of their
 * native modules to the summary. */
void        ph_details_pane_set_plugin_loader (PhDetailsPane  *self,
                                               PhPluginLoader *loader);

G_END_DECLS
