/* ph-status-cell.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A status word ("Running", "CrashLoopBackOff", "NotReady"...) coloured by
 * what it means for the person looking: fine, in progress, or broken. */

#define PH_TYPE_STATUS_CELL (ph_status_cell_get_type ())
G_DECLARE_FINAL_TYPE (PhStatusCell, ph_status_cell, PH, STATUS_CELL, GtkWidget)

typedef enum {
  PH_STATUS_KIND_NEUTRAL,
  PH_STATUS_KIND_GOOD,
  PH_STATUS_KIND_PROGRESS,
  PH_STATUS_KIND_BAD,
} PhStatusKind;

GtkWidget    *ph_status_cell_new        (void);
const char   *ph_status_cell_get_status (PhStatusCell *self);
void          ph_status_cell_set_status (PhStatusCell *self,
                                         const char   *status);
PhStatusKind  ph_status_kind_classify   (const char   *status);

G_END_DECLS
