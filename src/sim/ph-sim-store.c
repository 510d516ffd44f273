/* ph-sim-store.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-sim-store.h"

#define DEFAULT_HISTORY_SIZE 10000

struct _PhSimStore {
  GTree             *trees[PH_SIM_N_RES];   /* key → PhSimObj */
  guint64            rv;
  guint64            compacted_rv;

  /* The watch history, a ring of the most recent events. */
  PhSimEvent        *ring;
  guint              ring_size;
  guint              ring_head;             /* index of the oldest event */
  guint              ring_length;

  PhSimStoreListener listener;
  gpointer           listener_data;
};

PhSimObj *
ph_sim_obj_ref (PhSimObj *obj)
{
  g_atomic_int_inc (&obj->ref_count);
  return obj;
}

void
ph_sim_obj_unref (PhSimObj *obj)
{
  if (!g_atomic_int_dec_and_test (&obj->ref_count))
    return;

  g_free (obj->namespace_);
  g_free (obj->name);
  g_free (obj->key);
  g_free (obj->uid);
  g_clear_pointer (&obj->json, g_bytes_unref);
  g_free (obj->cells_before_age);
  g_free (obj->cells_after_age);
  g_strfreev (obj->labels);
  g_strfreev (obj->fields);
  g_free (obj);
}

const char *
ph_sim_obj_get_json (PhSimObj *obj,
                     gsize    *length)
{
  return g_bytes_get_data (obj->json, length);
}

const char *
ph_sim_obj_get_meta (PhSimObj *obj,
                     gsize    *length)
{
  const char *data = g_bytes_get_data (obj->json, NULL);

  *length = obj->meta_length;
  return data + obj->meta_offset;
}

const char *
ph_sim_obj_lookup_field (PhSimObj   *obj,
                         const char *label)
{
  if (strcmp (label, "metadata.name") == 0)
    return obj->name;
  if (strcmp (label, "metadata.namespace") == 0)
    return obj->namespace_ ? obj->namespace_ : "";

  for (guint i = 0; obj->fields != NULL && obj->fields[i] != NULL; i += 2)
    if (strcmp (obj->fields[i], label) == 0)
      return obj->fields[i + 1];

  return NULL;
}

const char *
ph_sim_event_type_to_string (PhSimEventType type)
{
  switch (type)
    {
    case PH_SIM_EVENT_ADDED: return "ADDED";
    case PH_SIM_EVENT_MODIFIED: return "MODIFIED";
    case PH_SIM_EVENT_DELETED: return "DELETED";
    default: g_assert_not_reached ();
    }
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (a, b);
}

PhSimStore *
ph_sim_store_new (guint history_size)
{
  PhSimStore *self = g_new0 (PhSimStore, 1);

  for (guint i = 0; i < PH_SIM_N_RES; i++)
    self->trees[i] = g_tree_new_full (compare_keys, NULL, NULL,
                                      (GDestroyNotify) ph_sim_obj_unref);

  self->ring_size = history_size > 0 ? history_size : DEFAULT_HISTORY_SIZE;
  self->ring = g_new0 (PhSimEvent, self->ring_size);
  /* resourceVersions start somewhere that does not look like an index. */
  self->rv = 1000;
  self->compacted_rv = self->rv;

  return self;
}

static void
event_clear (PhSimEvent *event)
{
  g_clear_pointer (&event->obj, ph_sim_obj_unref);
  g_clear_pointer (&event->old, ph_sim_obj_unref);
}

void
ph_sim_store_free (PhSimStore *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->ring_length; i++)
    event_clear (&self->ring[(self->ring_head + i) % self->ring_size]);
  g_free (self->ring);

  for (guint i = 0; i < PH_SIM_N_RES; i++)
    g_tree_destroy (self->trees[i]);

  g_free (self);
}

void
ph_sim_store_set_listener (PhSimStore         *self,
                           PhSimStoreListener  listener,
                           gpointer            user_data)
{
  self->listener = listener;
  self->listener_data = user_data;
}

guint64
ph_sim_store_get_rv (PhSimStore *self)
{
  return self->rv;
}

guint64
ph_sim_store_next_rv (PhSimStore *self)
{
  return self->rv + 1;
}

guint64
ph_sim_store_get_compacted_rv (PhSimStore *self)
{
  return self->compacted_rv;
}

guint
ph_sim_store_get_history_length (PhSimStore *self)
{
  return self->ring_length;
}

static void
history_push (PhSimStore       *self,
              const PhSimEvent *event)
{
  PhSimEvent *slot;

  if (self->ring_length == self->ring_size)
    {
      PhSimEvent *oldest = &self->ring[self->ring_head];

      self->compacted_rv = oldest->rv;
      event_clear (oldest);
      self->ring_head = (self->ring_head + 1) % self->ring_size;
      self->ring_length--;
    }

  slot = &self->ring[(self->ring_head + self->ring_length) % self->ring_size];
  *slot = *event;
  self->ring_length++;
}

gboolean
ph_sim_store_commit (PhSimStore     *self,
                     PhSimEventType  type,
                     PhSimObj       *obj)
{
  GTree *tree;
  PhSimObj *old;
  PhSimEvent event;

  g_return_val_if_fail (obj->rv == self->rv + 1, FALSE);

  tree = self->trees[obj->res];
  old = g_tree_lookup (tree, obj->key);

  if ((type == PH_SIM_EVENT_ADDED) != (old == NULL))
    return FALSE;

  event.type = type;
  event.rv = obj->rv;
  event.obj = ph_sim_obj_ref (obj);
  event.old = old ? ph_sim_obj_ref (old) : NULL;

  if (type == PH_SIM_EVENT_DELETED)
    g_tree_remove (tree, obj->key);
  else
    g_tree_replace (tree, obj->key, ph_sim_obj_ref (obj));

  self->rv = obj->rv;
  history_push (self, &event);

  if (self->listener != NULL)
    self->listener (&event, self->listener_data);

  return TRUE;
}

void
ph_sim_store_populate (PhSimStore *self,
                       PhSimObj   *obj)
{
  g_return_if_fail (obj->rv == self->rv + 1);

  g_tree_replace (self->trees[obj->res], obj->key, ph_sim_obj_ref (obj));
  self->rv = obj->rv;
  /* Nothing before this point can be replayed. */
  if (self->ring_length == 0)
    self->compacted_rv = self->rv;
}

PhSimObj *
ph_sim_store_lookup (PhSimStore *self,
                     PhSimResId  res,
                     const char *key)
{
  return g_tree_lookup (self->trees[res], key);
}

guint
ph_sim_store_count (PhSimStore *self,
                    PhSimResId  res)
{
  return g_tree_nnodes (self->trees[res]);
}

static gboolean
append_obj (gpointer key,
            gpointer value,
            gpointer user_data)
{
  g_ptr_array_add (user_data, ph_sim_obj_ref (value));
  return FALSE;
}

GPtrArray *
ph_sim_store_list (PhSimStore *self,
                   PhSimResId  res,
                   const char *namespace_)
{
  GTree *tree = self->trees[res];
  GPtrArray *items;
  g_autofree char *prefix = NULL;
  gsize prefix_len;

  if (namespace_ == NULL || !ph_sim_resources[res].namespaced)
    {
      items = g_ptr_array_new_full (g_tree_nnodes (tree),
                                    (GDestroyNotify) ph_sim_obj_unref);
      g_tree_foreach (tree, append_obj, items);
      return items;
    }

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_sim_obj_unref);
  prefix = g_strconcat (namespace_, "/", NULL);
  prefix_len = strlen (prefix);

  for (GTreeNode *node = g_tree_lower_bound (tree, prefix);
       node != NULL;
       node = g_tree_node_next (node))
    {
      const char *key = g_tree_node_key (node);

      if (strncmp (key, prefix, prefix_len) != 0)
        break;
      g_ptr_array_add (items, ph_sim_obj_ref (g_tree_node_value (node)));
    }

  return items;
}

static int
compare_obj_keys (gconstpointer a,
                  gconstpointer b)
{
  const PhSimObj *oa = *(PhSimObj * const *) a;
  const PhSimObj *ob = *(PhSimObj * const *) b;

  return strcmp (oa->key, ob->key);
}

GPtrArray *
ph_sim_store_list_at (PhSimStore *self,
                      PhSimResId  res,
                      const char *namespace_,
                      guint64     rv)
{
  g_autoptr(GHashTable) state = NULL;
  g_autoptr(GPtrArray) current = NULL;
  GPtrArray *items;
  GHashTableIter iter;
  gpointer value;

  if (rv == self->rv)
    return ph_sim_store_list (self, res, namespace_);
  if (rv > self->rv || rv < self->compacted_rv)
    return NULL;

  /* Undo the events after @rv, newest first. */
  state = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) ph_sim_obj_unref);
  current = ph_sim_store_list (self, res, namespace_);
  for (guint i = 0; i < current->len; i++)
    {
      PhSimObj *obj = g_ptr_array_index (current, i);
      g_hash_table_replace (state, obj->key, ph_sim_obj_ref (obj));
    }

  for (guint i = self->ring_length; i > 0; i--)
    {
      PhSimEvent *event = &self->ring[(self->ring_head + i - 1) % self->ring_size];

      if (event->rv <= rv)
        break;
      if (event->obj->res != res)
        continue;
      if (namespace_ != NULL && ph_sim_resources[res].namespaced &&
          g_strcmp0 (event->obj->namespace_, namespace_) != 0)
        continue;

      if (event->type == PH_SIM_EVENT_ADDED)
        g_hash_table_remove (state, event->obj->key);
      else
        g_hash_table_replace (state, event->old->key, ph_sim_obj_ref (event->old));
    }

  items = g_ptr_array_new_full (g_hash_table_size (state),
                                (GDestroyNotify) ph_sim_obj_unref);
  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (items, ph_sim_obj_ref (value));
  g_ptr_array_sort (items, compare_obj_keys);

  return items;
}

void
ph_sim_store_compact (PhSimStore *self)
{
  for (guint i = 0; i < self->ring_length; i++)
    event_clear (&self->ring[(self->ring_head + i) % self->ring_size]);
  self->ring_head = 0;
  self->ring_length = 0;
  self->compacted_rv = self->rv;
}

gboolean
ph_sim_store_replay (PhSimStore         *self,
                     guint64             from_rv,
                     PhSimStoreListener  func,
                     gpointer            user_data)
{
  if (from_rv < self->compacted_rv)
    return FALSE;

  for (guint i = 0; i < self->ring_length; i++)
    {
      PhSimEvent *event = &self->ring[(self->ring_head + i) % self->ring_size];

      if (event->rv > from_rv)
        func (event, user_data);
    }

  return TRUE;
}
