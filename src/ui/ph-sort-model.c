/* ph-sort-model.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ph-sort-model.h"

/* Above this many items in one change, sort the batch and merge (or
 * compact once) instead of one binary search per item. */
#define BULK_THRESHOLD 16

/* Up to this many rows (GTK keeps 200 row widgets), changes are
 * announced with the next frame. */
#define EAGER_ROWS 256

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

  /* What moved since the last flush: the items in "removed" and those
   * added to "sorted" (no references).  Everything else kept its
   * relative order, which is what lets a flush find the changed ranges
   * in one pass.  After a new sorter or model nothing did. */
  GHashTable *removed_set;
  GHashTable *added_set;
  gboolean    reordered;

  /* Items whose sort key may have changed in place (references). */
  GHashTable *updated;

  PhSortModelViewFunc view_func;
  gpointer            view_data;
  GDestroyNotify      view_destroy;
};

typedef struct
{
  guint old_pos;
  guint n_removed;
  guint new_pos;
  guint n_added;
} Change;

static void ph_sort_model_list_model_init (GListModelInterface *iface);
static void queue_flush (PhSortModel *self);

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

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
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
            {
              g_ptr_array_add (self->removed, g_ptr_array_steal_index (self->sorted, pos));
              g_hash_table_add (self->removed_set, items[i]);
            }
        }
    }
  else if (n <= self->sorted->len / 8)
    {
      /* Find each, then close the gaps in one pass of block moves. */
      g_autofree guint *positions = g_new (guint, n);
      gpointer *data = self->sorted->pdata;
      guint n_found = 0, kept;

      for (guint i = 0; i < n; i++)
        {
          guint pos = find_sorted (self, items[i]);

          if (pos != G_MAXUINT)
            positions[n_found++] = pos;
        }
      qsort (positions, n_found, sizeof (guint), compare_positions);

      kept = n_found > 0 ? positions[0] : self->sorted->len;
      for (guint k = 0; k < n_found; k++)
        {
          guint from = positions[k] + 1;
          guint next = k + 1 < n_found ? positions[k + 1] : self->sorted->len;

          g_ptr_array_add (self->removed, data[positions[k]]);
          g_hash_table_add (self->removed_set, data[positions[k]]);
          memmove (data + kept, data + from, (next - from) * sizeof (gpointer));
          kept += next - from;
        }
      self->sorted->len = kept;
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
            {
              g_ptr_array_add (self->removed, item);
              g_hash_table_add (self->removed_set, item);
            }
          else
            self->sorted->pdata[kept++] = item;
        }
      self->sorted->len = kept;
    }
}

/* The first position in [lo, hi) of @old whose item sorts after @item. */
static guint
upper_bound_in (PhSortModel *self,
                gpointer    *old,
                guint        lo,
                guint        hi,
                gpointer     item)
{
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare (self, old[mid], item) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Takes the references of @items. */
static void
add_items (PhSortModel *self,
           gpointer    *items,
           guint        n)
{
  for (guint i = 0; i < n; i++)
    g_hash_table_add (self->added_set, items[i]);

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

      /* Merge: existing items first among equals.  A batch that is small
       * next to the list finds its places by binary search and copies the
       * stretches between them; a big one walks both. */
      g_ptr_array_set_size (self->sorted, n_old + n);
      if (n <= n_old / 16)
        {
          for (; j < n; j++)
            {
              guint pos = upper_bound_in (self, old, i, n_old, batch[j]);

              memcpy (self->sorted->pdata + k, old + i, (pos - i) * sizeof (gpointer));
              k += pos - i;
              i = pos;
              self->sorted->pdata[k++] = batch[j];
            }
        }
      while (i < n_old && j < n)
        {
          if (compare (self, old[i], batch[j]) <= 0)
            self->sorted->pdata[k++] = old[i++];
          else
            self->sorted->pdata[k++] = batch[j++];
        }
      memcpy (self->sorted->pdata + k, old + i, (n_old - i) * sizeof (gpointer));
      k += n_old - i;
      while (j < n)
        self->sorted->pdata[k++] = batch[j++];
    }
}

/* Replaces what consumers were told of one range by its new contents,
 * and tells them. */
static void
announce (PhSortModel  *self,
          const Change *c)
{
  guint old_len = self->shown->len;
  guint new_len = old_len - c->n_removed + c->n_added;
  guint tail = old_len - c->old_pos - c->n_removed;

  if (c->n_added != c->n_removed)
    {
      g_ptr_array_set_size (self->shown, MAX (old_len, new_len));
      memmove (self->shown->pdata + c->old_pos + c->n_added, self->shown->pdata + c->old_pos + c->n_removed,
               tail * sizeof (gpointer));
      g_ptr_array_set_size (self->shown, new_len);
    }
  memcpy (self->shown->pdata + c->old_pos, self->sorted->pdata + c->new_pos, c->n_added * sizeof (gpointer));

  g_list_model_items_changed (G_LIST_MODEL (self), c->old_pos, c->n_removed, c->n_added);
}

/* The ranges that changed, in one pass: every item that stayed kept its
 * relative order, so walking both lists pairs them up.  (An item that
 * moved and landed where it was pairs up too, which is just as true.)
 * Returns FALSE when they do not pair up (after a new sorter or model). */
static gboolean
find_changes (PhSortModel *self,
              GArray      *changes)
{
  gpointer *old = self->shown->pdata, *new = self->sorted->pdata;
  guint old_len = self->shown->len, new_len = self->sorted->len;
  guint i = 0, j = 0;

  if (self->reordered)
    return FALSE;

  while (i < old_len || j < new_len)
    {
      Change c = { i, 0, j, 0 };

      /* Most items stayed where they were: no lookups for those. */
      if (i < old_len && j < new_len && old[i] == new[j])
        {
          i++, j++;
          continue;
        }

      while (i < old_len && g_hash_table_contains (self->removed_set, old[i]))
        i++;
      while (j < new_len && g_hash_table_contains (self->added_set, new[j]))
        j++;
      c.n_removed = i - c.old_pos;
      c.n_added = j - c.new_pos;

      if (c.n_removed == 0 && c.n_added == 0)
        return FALSE;
      g_array_append_val (changes, c);
    }

  return TRUE;
}

static gboolean
protects (const guint *rows,
          guint        n_rows,
          guint        from,
          guint        to)
{
  for (guint k = 0; k < n_rows; k += 2)
    if (rows[k] < to && from < rows[k] + rows[k + 1])
      return TRUE;

  return FALSE;
}

/* Items changed in place since the last flush may no longer be where
 * their sort key says.  Take them all out and put them back in by
 * binary search: the others are still in order among themselves, and an
 * item that lands where it was pairs up again in find_changes(). */
static void
reposition_updated (PhSortModel *self)
{
  g_autoptr(GPtrArray) found = NULL;
  gpointer *data = self->sorted->pdata;
  guint kept = 0;

  if (g_hash_table_size (self->updated) == 0)
    return;
  if (self->sorter == NULL || self->reordered)
    {
      g_hash_table_remove_all (self->updated);
      return;
    }

  found = g_ptr_array_new ();
  for (guint i = 0; i < self->sorted->len; i++)
    {
      gpointer item = data[i];

      if (g_hash_table_contains (self->updated, item))
        {
          g_ptr_array_add (found, item);
          g_ptr_array_add (self->removed, item);
          g_hash_table_add (self->removed_set, item);
        }
      else
        data[kept++] = item;
    }
  self->sorted->len = kept;
  g_hash_table_remove_all (self->updated);

  /* "removed" holds the references "sorted" had; add_items takes new ones. */
  for (guint i = 0; i < found->len; i++)
    g_object_ref (found->pdata[i]);
  add_items (self, found->pdata, found->len);
}

void
ph_sort_model_items_updated (PhSortModel *self,
                             GPtrArray   *items)
{
  g_return_if_fail (PH_IS_SORT_MODEL (self));

  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (self->updated, g_object_ref (items->pdata[i]));
  if (items->len > 0)
    queue_flush (self);
}

/* When the item at @selected (of what consumers were told) moved, the
 * indexes of the changes that take it out and put it back in. */
static void
find_moved (PhSortModel *self,
            GArray      *changes,
            guint        selected,
            guint       *lo,
            guint       *hi)
{
  gpointer item;
  guint out = G_MAXUINT, in = G_MAXUINT;

  if (selected >= self->shown->len)
    return;
  item = self->shown->pdata[selected];
  if (!g_hash_table_contains (self->removed_set, item) || !g_hash_table_contains (self->added_set, item))
    return;

  for (guint k = 0; k < changes->len; k++)
    {
      const Change *c = &g_array_index (changes, Change, k);

      if (selected >= c->old_pos && selected < c->old_pos + c->n_removed)
        out = k;
      for (guint i = c->new_pos; i < c->new_pos + c->n_added && in == G_MAXUINT; i++)
        if (self->sorted->pdata[i] == item)
          in = k;
    }
  if (out == G_MAXUINT || in == G_MAXUINT)
    return;

  *lo = MIN (out, in);
  *hi = MAX (out, in);
}

void
ph_sort_model_flush (PhSortModel *self)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Change));
  guint old_len, new_len;
  guint rows[4] = { 0, };
  guint n_rows = 0;
  guint keep_lo = G_MAXUINT, keep_hi = 0;

  g_return_if_fail (PH_IS_SORT_MODEL (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);

  reposition_updated (self);
  old_len = self->shown->len;
  new_len = self->sorted->len;

  if (!find_changes (self, changes))
    {
      Change all = { 0, old_len, 0, new_len };
      guint suffix = 0;

      g_array_set_size (changes, 0);
      while (all.n_removed > 0 && all.n_added > 0 &&
             self->shown->pdata[all.old_pos] == self->sorted->pdata[all.new_pos])
        all.old_pos++, all.new_pos++, all.n_removed--, all.n_added--;
      while (suffix < all.n_removed && suffix < all.n_added &&
             self->shown->pdata[old_len - 1 - suffix] == self->sorted->pdata[new_len - 1 - suffix])
        suffix++;
      all.n_removed -= suffix;
      all.n_added -= suffix;
      if (all.n_removed > 0 || all.n_added > 0)
        g_array_append_val (changes, all);
    }

  /* GTK 4.8's list views search every added item for a row they track
   * (the anchor of what is shown, the selection) whenever that row falls
   * inside a removed range: fold changes into as few ranges as possible,
   * but never over the rows a view shows. */
  if (self->view_func != NULL && changes->len > 1)
    {
      guint first = 0, n = 0, selected = GTK_INVALID_LIST_POSITION;

      self->view_func (&first, &n, &selected, self->view_data);
      rows[n_rows++] = first;
      rows[n_rows++] = n;
      if (selected != GTK_INVALID_LIST_POSITION)
        {
          rows[n_rows++] = selected;
          rows[n_rows++] = 1;
          find_moved (self, changes, selected, &keep_lo, &keep_hi);
        }
    }
  for (guint k = 0; k < changes->len; k++)
    {
      const Change *c = &g_array_index (changes, Change, k);
      Change *last = groups->len > 0 ? &g_array_index (groups, Change, groups->len - 1) : NULL;

      /* The selected item that moved goes out and back in within one
       * change, or the selection would see it go and drop it. */
      if (last != NULL && ((k > keep_lo && k <= keep_hi) ||
                           !protects (rows, n_rows, last->old_pos, c->old_pos + c->n_removed)))
        {
          last->n_removed = c->old_pos + c->n_removed - last->old_pos;
          last->n_added = c->new_pos + c->n_added - last->new_pos;
        }
      else
        g_array_append_val (groups, *c);
    }

  /* From the end, so that the positions of the earlier ranges still hold. */
  for (guint k = groups->len; k > 0; k--)
    announce (self, &g_array_index (groups, Change, k - 1));

  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  /* Nobody can ask for what was removed any more. */
  g_ptr_array_set_size (self->removed, 0);
  g_hash_table_remove_all (self->removed_set);
  g_hash_table_remove_all (self->added_set);
  self->reordered = FALSE;
}

void
ph_sort_model_set_view_func (PhSortModel         *self,
                             PhSortModelViewFunc  func,
                             gpointer             user_data,
                             GDestroyNotify       destroy)
{
  g_return_if_fail (PH_IS_SORT_MODEL (self));

  if (self->view_destroy != NULL)
    self->view_destroy (self->view_data);
  self->view_func = func;
  self->view_data = user_data;
  self->view_destroy = destroy;
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
  /* A list that is loading must not look empty for an interval, nor
   * short: until it fills the view, changes show with the next frame
   * (an idle above layout), after that at most once per interval. */
  if (self->shown->len == 0)
    ph_sort_model_flush (self);
  else if (self->flush_id == 0 && self->shown->len < EAGER_ROWS)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_cb, self, NULL);
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
  self->reordered = TRUE;
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
  ph_sort_model_set_view_func (self, NULL, NULL, NULL);
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
  g_hash_table_unref (self->removed_set);
  g_hash_table_unref (self->added_set);
  g_hash_table_unref (self->updated);

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
  self->removed_set = g_hash_table_new (NULL, NULL);
  self->added_set = g_hash_table_new (NULL, NULL);
  self->updated = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
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
