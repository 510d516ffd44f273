/* ph-sort-model.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The sorted view of a list model for big, busy lists.  A change of the
 * source costs a binary search and an insertion (bursts: a sort of the
 * burst and one merge), never a pass over the whole list per change as
 * GTK 4.8's GtkSortListModel does.  Additions and removals are announced
 * at most once per interval, in as few items-changed as a view allows; the first items
 * of an empty list and a change of sorter are announced at once.
 * Objects keep their identity, so rows and the selection follow them.
 * An object whose sort key changes in place moves with the next flush
 * once the model is told (ph_sort_model_items_updated()). */

#define PH_TYPE_SORT_MODEL (ph_sort_model_get_type ())
G_DECLARE_FINAL_TYPE (PhSortModel, ph_sort_model, PH, SORT_MODEL, GObject)

/* Where a view of the model looks right now: @first and @n_rows are the
 * rows it shows, @selected its selected row or GTK_INVALID_LIST_POSITION.
 * A flush announces changes around those rows on their own and folds
 * everything else into as few ranges as it can. */
typedef void (* PhSortModelViewFunc) (guint    *first,
                                      guint    *n_rows,
                                      guint    *selected,
                                      gpointer  user_data);

PhSortModel *ph_sort_model_new         (GListModel  *model,
                                        GtkSorter   *sorter,
                                        guint        interval_ms);
GListModel  *ph_sort_model_get_model   (PhSortModel *self);
void         ph_sort_model_set_model   (PhSortModel *self,
                                        GListModel  *model);
GtkSorter   *ph_sort_model_get_sorter  (PhSortModel *self);
void         ph_sort_model_set_sorter  (PhSortModel *self,
                                        GtkSorter   *sorter);
/* Announces pending changes now. */
void         ph_sort_model_flush       (PhSortModel *self);
gboolean     ph_sort_model_get_pending (PhSortModel *self);
/* @items (of any model: those not in this one are ignored) changed in
 * place; the next flush moves those whose sort key moved them. */
void         ph_sort_model_items_updated (PhSortModel         *self,
                                          GPtrArray           *items);
void         ph_sort_model_set_view_func (PhSortModel         *self,
                                          PhSortModelViewFunc  func,
                                          gpointer             user_data,
                                          GDestroyNotify       destroy);

G_END_DECLS
