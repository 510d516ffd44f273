/* ph-sort-model.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-sort-model.h"

/* Above this many items in one change, sort the batch and merge (or
 * compact once) instead of one binary search per item. */
#define BULK_THRESHOLD 16

struct _PhSortModel
{
  GObject     parent_instance;

  GListModel *model;
  GtkSorter  *sorter;
  gulong      items_changed_id;
  gulong      sorter_changed_id;
  guint       interval_ms;
  guint       flush_id;

  /* The source's items in source order (no references: "sorted" holds
   * them), the same sorted, and what our consumers were told (no
   * references either: items removed from "sorted" wait in "removed"
   * until the next flush told everyone). */
  GPtrArray  *source;
  GPtrArray  *sorted;
  GPtrArray  *shown;
  GPtrArray  *removed;
};

static void ph_sort_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhSortModel, ph_sort_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ph_sort_model_list_model_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SORTER,
  PROP_INTERVAL,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
ph_sort_model_get_item_type (GListModel *list)
{
  PhSortModel *self = PH_SORT_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
ph_sort_model_get_n_items (GListModel *list)
{
  return PH_SORT_MODEL (list)->shown->len;
}

static gpointer
ph_sort_model_get_item (GListModel *list,
                        guint       position)
{
  PhSortModel *self = PH_SORT_MODEL (list);

  if (position >= self->shown->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->shown, position));
}

static void
ph_sort_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ph_sort_model_get_item_type;
  iface->get_n_items = ph_sort_model_get_n_items;
  iface->get_item = ph_sort_model_get_item;
}

static inline int
compare (PhSortModel *self,
         gpointer     a,
         gpointer     b)
{
  return self->sorter != NULL ? gtk_sorter_compare (self->sorter, a, b) : 0;
}

static int
compare_indirect (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return compare (user_data, *(gpointer *) a, *(gpointer *) b);
}

/* The first position whose item sorts after @item: equal items keep the
 * order they came in. */
static guint
upper_bound (PhSortModel *self,
             gpointer     item)
{
  guint lo = 0, hi = self->sorted->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare (self, self->sorted->pdata[mid], item) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static guint
find_sorted (PhSortModel *self,
             gpointer     item)
{
  guint lo = 0, hi = self->sorted->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare (self, self->sorted->pdata[mid], item) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < self->sorted->len && compare (self, self->sorted->pdata[i], item) == 0; i++)
    if (self->sorted->pdata[i] == item)
      return i;

  /* Its sort key changed since it was placed: look everywhere. */
  for (guint i = 0; i < self->sorted->len; i++)
    if (self->sorted->pdata[i] == item)
      return i;

  g_return_val_if_reached (G_MAXUINT);
}

static void
remove_items (PhSortModel *self,
              gpointer    *items,
              guint        n)
{
  if (n <= BULK_THRESHOLD)
    {
      for (guint i = 0; i < n; i++)
        {
          guint pos = find_sorted (self, items[i]);

          if (pos != G_MAXUINT)
            g_ptr_array_add (self->removed, g_ptr_array_steal_index (self->sorted, pos));
        }
    }
  else
    {
      g_autoptr(GHashTable) gone = g_hash_table_new (NULL, NULL);
      guint kept = 0;

      for (guint i = 0; i < n; i++)
        g_hash_table_add (gone, items[i]);

      /* One compacting pass over the whole list. */
      for (guint i = 0; i < self->sorted->len; i++)
        {
          gpointer item = self->sorted->pdata[i];

          if (g_hash_table_contains (gone, item))
            g_ptr_array_add (self->removed, item);
          else
            self->sorted->pdata[kept++] = item;
        }
      self->sorted->len = kept;
    }
}

/* Takes the references of @items. */
static void
add_items (PhSortModel *self,
           gpointer    *items,
           guint        n)
{
  if (n <= BULK_THRESHOLD)
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_insert (self->sorted, upper_bound (self, items[i]), items[i]);
    }
  else
    {
      g_autofree gpointer *batch = g_memdup2 (items, n * sizeof (gpointer));
      g_autofree gpointer *old = g_memdup2 (self->sorted->pdata, self->sorted->len * sizeof (gpointer));
      guint n_old = self->sorted->len;
      guint i = 0, j = 0, k = 0;

      g_qsort_with_data (batch, n, sizeof (gpointer), compare_indirect, self);

      /* Merge: existing items first among equals. */
      g_ptr_array_set_size (self->sorted, n_old + n);
      while (i < n_old && j < n)
        {
          if (compare (self, old[i], batch[j]) <= 0)
            self->sorted->pdata[k++] = old[i++];
          else
            self->sorted->pdata[k++] = batch[j++];
        }
      while (i < n_old)
        self->sorted->pdata[k++] = old[i++];
      while (j < n)
        self->sorted->pdata[k++] = batch[j++];
    }
}

void
ph_sort_model_flush (PhSortModel *self)
{
  guint old_len, new_len, prefix, suffix, removed, added;

  g_return_if_fail (PH_IS_SORT_MODEL (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);

  old_len = self->shown->len;
  new_len = self->sorted->len;

  prefix = 0;
  while (prefix < old_len && prefix < new_len &&
         self->shown->pdata[prefix] == self->sorted->pdata[prefix])
    prefix++;

  suffix = 0;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         self->shown->pdata[old_len - 1 - suffix] == self->sorted->pdata[new_len - 1 - suffix])
    suffix++;

  removed = old_len - prefix - suffix;
  added = new_len - prefix - suffix;
  if (removed == 0 && added == 0)
    {
      g_ptr_array_set_size (self->removed, 0);
      return;
    }

  /* Only the middle changes: plain pointers, no reference counting over
   * 50,000 items per flush. */
  if (added != removed)
    {
      g_ptr_array_set_size (self->shown, MAX (old_len, new_len));
      memmove (self->shown->pdata + prefix + added, self->shown->pdata + prefix + removed,
               suffix * sizeof (gpointer));
      g_ptr_array_set_size (self->shown, new_len);
    }
  memcpy (self->shown->pdata + prefix, self->sorted->pdata + prefix, added * sizeof (gpointer));

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  /* Nobody can ask for what was removed any more. */
  g_ptr_array_set_size (self->removed, 0);
}

static gboolean
flush_cb (gpointer user_data)
{
  PhSortModel *self = user_data;

  self->flush_id = 0;
  ph_sort_model_flush (self);

  return G_SOURCE_REMOVE;
}

static void
queue_flush (PhSortModel *self)
{
  /* A list that is loading must not look empty for an interval. */
  if (self->shown->len == 0)
    ph_sort_model_flush (self);
  else if (self->flush_id == 0)
    self->flush_id = g_timeout_add (self->interval_ms, flush_cb, self);
}

static void
on_items_changed (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  PhSortModel *self)
{
  guint tail = self->source->len - position - removed;
  g_autofree gpointer *new_items = NULL;

  if (removed > 0)
    {
      remove_items (self, self->source->pdata + position, removed);
      g_ptr_array_remove_range (self->source, position, removed);
    }

  if (added > 0)
    {
      new_items = g_new (gpointer, added);
      g_ptr_array_set_size (self->source, self->source->len + added);
      memmove (self->source->pdata + position + added, self->source->pdata + position, tail * sizeof (gpointer));
      for (guint i = 0; i < added; i++)
        {
          new_items[i] = g_list_model_get_item (model, position + i);
          self->source->pdata[position + i] = new_items[i];
        }
      add_items (self, new_items, added);
    }

  queue_flush (self);
}

static void
resort (PhSortModel *self)
{
  g_assert (self->sorted->len == self->source->len);

  /* Without a sorter, the source's order; otherwise a stable sort. */
  if (self->sorter == NULL)
    memcpy (self->sorted->pdata, self->source->pdata, self->source->len * sizeof (gpointer));
  else
    g_ptr_array_sort_with_data (self->sorted, compare_indirect, self);
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   PhSortModel     *self)
{
  resort (self);
  ph_sort_model_flush (self);
}

static void
reload (PhSortModel *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  g_ptr_array_set_size (self->source, 0);
  for (guint i = 0; i < self->sorted->len; i++)
    g_ptr_array_add (self->removed, self->sorted->pdata[i]);
  self->sorted->len = 0;
  for (guint i = 0; i < n; i++)
    {
      gpointer item = g_list_model_get_item (self->model, i);

      g_ptr_array_add (self->source, item);
      g_ptr_array_add (self->sorted, item);
    }
  resort (self);
}

void
ph_sort_model_set_model (PhSortModel *self,
                         GListModel  *model)
{
  g_return_if_fail (PH_IS_SORT_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->items_changed_id = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);

  reload (self);
  ph_sort_model_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
ph_sort_model_get_model (PhSortModel *self)
{
  g_return_val_if_fail (PH_IS_SORT_MODEL (self), NULL);

  return self->model;
}

void
ph_sort_model_set_sorter (PhSortModel *self,
                          GtkSorter   *sorter)
{
  g_return_if_fail (PH_IS_SORT_MODEL (self));
  g_return_if_fail (sorter == NULL || GTK_IS_SORTER (sorter));

  if (self->sorter == sorter)
    return;

  if (self->sorter != NULL)
    g_clear_signal_handler (&self->sorter_changed_id, self->sorter);
  g_set_object (&self->sorter, sorter);
  if (sorter != NULL)
    self->sorter_changed_id = g_signal_connect (sorter, "changed", G_CALLBACK (on_sorter_changed), self);

  resort (self);
  ph_sort_model_flush (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORTER]);
}

GtkSorter *
ph_sort_model_get_sorter (PhSortModel *self)
{
  g_return_val_if_fail (PH_IS_SORT_MODEL (self), NULL);

  return self->sorter;
}

gboolean
ph_sort_model_get_pending (PhSortModel *self)
{
  g_return_val_if_fail (PH_IS_SORT_MODEL (self), FALSE);

  return self->flush_id != 0;
}

static void
ph_sort_model_dispose (GObject *object)
{
  PhSortModel *self = PH_SORT_MODEL (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  if (self->sorter != NULL)
    g_clear_signal_handler (&self->sorter_changed_id, self->sorter);
  g_clear_object (&self->model);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (ph_sort_model_parent_class)->dispose (object);
}

static void
ph_sort_model_finalize (GObject *object)
{
  PhSortModel *self = PH_SORT_MODEL (object);

  g_ptr_array_unref (self->source);
  g_ptr_array_unref (self->shown);
  g_ptr_array_unref (self->sorted);
  g_ptr_array_unref (self->removed);

  G_OBJECT_CLASS (ph_sort_model_parent_class)->finalize (object);
}

static void
ph_sort_model_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PhSortModel *self = PH_SORT_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_SORTER:
      g_value_set_object (value, self->sorter);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;

    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, ph_sort_model_get_item_type (G_LIST_MODEL (self)));
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->shown->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_sort_model_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PhSortModel *self = PH_SORT_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      ph_sort_model_set_model (self, g_value_get_object (value));
      break;

    case PROP_SORTER:
      ph_sort_model_set_sorter (self, g_value_get_object (value));
      break;

    case PROP_INTERVAL:
      self->interval_ms = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_sort_model_class_init (PhSortModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ph_sort_model_dispose;
  object_class->finalize = ph_sort_model_finalize;
  object_class->get_property = ph_sort_model_get_property;
  object_class->set_property = ph_sort_model_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORTER] =
    g_param_spec_object ("sorter", NULL, NULL, GTK_TYPE_SORTER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 3600000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_sort_model_init (PhSortModel *self)
{
  self->source = g_ptr_array_new ();
  self->sorted = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_new ();
  self->removed = g_ptr_array_new_with_free_func (g_object_unref);
}

PhSortModel *
ph_sort_model_new (GListModel *model,
                   GtkSorter  *sorter,
                   guint       interval_ms)
{
  return g_object_new (PH_TYPE_SORT_MODEL,
                       "interval", interval_ms,
                       "sorter", sorter,
                       "model", model,
                       NULL);
}
