/* ph-resource-view.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-kinds.h"
#include "ph-kube-types.h"

G_BEGIN_DECLS

/* The list of one kind over the caches of several clusters × namespaces,
 * with search, sortable kind-specific columns and the state of every
 * underlying cache ("Live", "Syncing 12,000 / 50,000", "Reconnecting in
 * 4 s", "Stale since 10:42", errors per cluster). */

#define PH_TYPE_RESOURCE_VIEW (ph_resource_view_get_type ())
G_DECLARE_FINAL_TYPE (PhResourceView, ph_resource_view, PH, RESOURCE_VIEW, GtkWidget)

/* Shows @kind of @clusters (PhCluster) in @namespaces (NULL or empty:
 * all).  Caches that stay wanted are kept, so adding a cluster or a
 * namespace does not reload the others. */
void            ph_resource_view_set_target          (PhResourceView      *self,
                                                      PhWatchHub          *hub,
                                                      GPtrArray           *clusters,
                                                      const char * const  *namespaces,
                                                      PhKind              *kind);
PhKind         *ph_resource_view_get_kind            (PhResourceView      *self);
/* The selected object, or NULL ("selected-object" is notified). */
PhObject       *ph_resource_view_get_selected_object (PhResourceView      *self);
gboolean        ph_resource_view_select_object       (PhResourceView      *self,
                                                      PhObject            *object);
/* What the list shows, after filtering and sorting. */
GListModel     *ph_resource_view_get_model           (PhResourceView      *self);
GtkColumnView  *ph_resource_view_get_column_view     (PhResourceView      *self);
void            ph_resource_view_set_search_text     (PhResourceView      *self,
                                                      const char          *text);
void            ph_resource_view_focus_search        (PhResourceView      *self);
/* Whether the list shows everything its caches hold (no change waiting
 * to be announced). */
gboolean        ph_resource_view_is_settled          (PhResourceView      *self);
/* The overall state line ("Live", "Reconnecting in 3 s"…). */
const char     *ph_resource_view_get_state_text      (PhResourceView      *self);
/* The per-list problems shown above the list, one line each. */
GStrv           ph_resource_view_dup_problems        (PhResourceView      *self);
/* Retries every cache that is not live now. */
void            ph_resource_view_retry               (PhResourceView      *self);
/* Drops and re-acquires every cache (a fresh list). */
void            ph_resource_view_reload              (PhResourceView      *self);
/* The caches currently shown (PhListCache). */
GListModel     *ph_resource_view_get_caches          (PhResourceView      *self);

/* The label filter syntax, exposed for tests: does @object match the
 * search @text ("name", "namespace", "key=value" terms, all must match)? */
gboolean        ph_resource_view_object_matches      (PhObject            *object,
                                                      const char          *text);

G_END_DECLS
