/* ph-field-cell.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-json-path.h"
#include "ph-kube-types.h"

G_BEGIN_DECLS

/* A cell showing one kind-specific field of an object: "@ID" names a
 * column PhObject extracts itself (ph_object_get_column), anything else is
 * a dotted path into the object's JSON ("status.numberReady") or a
 * kubectl JSONPath (".spec.ports[*].port"), re-read when the object's
 * resourceVersion changes. */

#define PH_TYPE_FIELD_CELL (ph_field_cell_get_type ())
G_DECLARE_FINAL_TYPE (PhFieldCell, ph_field_cell, PH, FIELD_CELL, GtkWidget)

GtkWidget  *ph_field_cell_new        (const char *field);
void        ph_field_cell_set_object (PhFieldCell *self,
                                     PhObject   *object);
const char *ph_field_cell_get_text   (PhFieldCell *self);
/* What shows when the field is missing (kubectl's "<none>"). */
void        ph_field_cell_set_placeholder (PhFieldCell *self,
                                          const char  *placeholder);

/* A GtkWidget::query-tooltip handler for a GtkInscription (the widget,
 * or @user_data): the whole text, when it does not fit. */
gboolean    ph_inscription_query_tooltip (GtkWidget  *widget,
                                          int         x,
                                          int         y,
                                          gboolean    keyboard_mode,
                                          GtkTooltip *tooltip,
                                          gpointer    user_data);

/* What a cell for @path (a field as ph_field_cell_new() takes it, with
 * @json_path parsed from it when it is a JSONPath) shows of @object,
 * before times read as ages: the value such a column sorts by. */
char       *ph_field_value           (PhObject   *object,
                                      const char *path,
                                      PhJsonPath *json_path,
                                      const char *placeholder);

G_END_DECLS
