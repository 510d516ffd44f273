/* ph-overview.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* A page per selected cluster: object counts per kind, pods by phase,
 * warning events and ready nodes.  It watches only while it is shown. */

#define PH_TYPE_OVERVIEW (ph_overview_get_type ())
G_DECLARE_FINAL_TYPE (PhOverview, ph_overview, PH, OVERVIEW, GtkWidget)

void  ph_overview_set_target    (PhOverview *self,
                                 PhWatchHub *hub,
                                 GPtrArray  *clusters);
/* The figure shown for @stat ("pods", "running", "nodes-ready"…) of the
 * cluster @context, or NULL. */
char *ph_overview_dup_stat      (PhOverview *self,
                                 const char *context,
                                 const char *stat);

G_END_DECLS
