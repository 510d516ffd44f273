/* ph-cluster-row.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-cluster-entry.h"

G_BEGIN_DECLS

#define PH_TYPE_CLUSTER_ROW (ph_cluster_row_get_type ())
G_DECLARE_FINAL_TYPE (PhClusterRow, ph_cluster_row, PH, CLUSTER_ROW, GtkListBoxRow)

GtkWidget      *ph_cluster_row_new       (PhClusterEntry *entry);
PhClusterEntry *ph_cluster_row_get_entry (PhClusterRow   *self);
/* The style class of the status dot ("success", "warning"…), for tests. */
const char     *ph_cluster_row_get_dot_class (PhClusterRow *self);

G_END_DECLS
