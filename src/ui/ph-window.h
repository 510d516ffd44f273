/* ph-window.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ph-application.h"
#include "ph-details-pane.h"
#include "ph-kinds.h"
#include "ph-overview.h"
#include "ph-resource-view.h"

G_BEGIN_DECLS

#define PH_TYPE_WINDOW (ph_window_get_type ())
G_DECLARE_FINAL_TYPE (PhWindow, ph_window, PH, WINDOW, AdwApplicationWindow)

PhWindow       *ph_window_new                (PhApplication *application);

/* The clusters of the kubeconfig (PhClusterEntry). */
GListModel     *ph_window_get_clusters       (PhWindow      *self);
/* Selects exactly the clusters named in @contexts. */
void            ph_window_select_clusters    (PhWindow      *self,
                                              const char * const *contexts);
/* Shows @kind ("pods", "deployments.apps"…, or "overview"). */
gboolean        ph_window_show_kind          (PhWindow      *self,
                                              const char    *kind_id);
/* NULL for all namespaces. */
void            ph_window_set_namespaces     (PhWindow      *self,
                                              const char * const *namespaces);
/* "welcome" or "browser". */
const char     *ph_window_get_page           (PhWindow      *self);
PhResourceView *ph_window_get_resource_view  (PhWindow      *self);
PhDetailsPane  *ph_window_get_details_pane   (PhWindow      *self);
PhOverview     *ph_window_get_overview       (PhWindow      *self);
/* The sidebar's kinds: each row carries its PhKind as "ph-kind" data
 * (none for the overview). */
GtkListBox     *ph_window_get_kind_list      (PhWindow      *self);
GtkWidget      *ph_window_get_cluster_row    (PhWindow      *self,
                                              const char    *context);
void            ph_window_set_details_visible (PhWindow     *self,
                                              gboolean       visible);
/* Whether the window is narrow: sidebar and list one at a time. */
gboolean        ph_window_get_folded         (PhWindow      *self);
/* Which of the two shows when folded: "sidebar" or "content". */
const char     *ph_window_get_visible_pane   (PhWindow      *self);
/* The namespace selector's popover, and its check button for @name. */
GtkPopover     *ph_window_get_namespace_popover (PhWindow   *self);
GtkCheckButton *ph_window_get_namespace_check (PhWindow     *self,
                                              const char    *name);

G_END_DECLS
