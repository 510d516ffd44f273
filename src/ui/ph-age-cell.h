/* ph-age-cell.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows how long ago "timestamp" (Unix seconds) was, like kubectl's AGE,
 * and keeps ticking while mapped.  All mapped cells share one timer. */

#define PH_TYPE_AGE_CELL (ph_age_cell_get_type ())
G_DECLARE_FINAL_TYPE (PhAgeCell, ph_age_cell, PH, AGE_CELL, GtkWidget)

GtkWidget *ph_age_cell_new           (void);
gint64     ph_age_cell_get_timestamp (PhAgeCell *self);
void       ph_age_cell_set_timestamp (PhAgeCell *self,
                                      gint64     timestamp);
const char *ph_age_cell_get_text     (PhAgeCell *self);
/* kubectl's human duration: "45s", "3m12s", "5h", "12d" ... */
char      *ph_format_age             (gint64     seconds);

/* The one timer of every age on screen: @func runs for @widget once a
 * second (with the current Unix time) until it is removed. */
typedef void (* PhAgeTickFunc) (GtkWidget *widget,
                                gint64     now);
void       ph_age_tick_add           (GtkWidget     *widget,
                                      PhAgeTickFunc  func);
void       ph_age_tick_remove        (GtkWidget     *widget);

G_END_DECLS
