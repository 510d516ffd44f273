/* test-sim-store.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "ph-sim-selector.h"
#include "ph-sim-store.h"
#include "ph-sim-world.h"

static PhSimObj *
make_obj (PhSimResId  res,
          const char *namespace_,
          const char *name,
          guint64     rv,
          const char *const *labels,
          const char *phase)
{
  PhSimObj *obj = g_new0 (PhSimObj, 1);
  g_autofree char *json = NULL;

  obj->ref_count = 1;
  obj->res = res;
  obj->namespace_ = g_strdup (namespace_);
  obj->name = g_strdup (name);
  obj->key = namespace_ ? g_strconcat (namespace_, "/", name, NULL) : g_strdup (name);
  obj->uid = g_strdup_printf ("uid-%s", name);
  obj->rv = rv;
  json = g_strdup_printf ("{\"metadata\":{\"name\":\"%s\",\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"}}",
                          name, rv);
  obj->meta_offset = strlen ("{\"metadata\":");
  obj->meta_length = strlen (json) - obj->meta_offset - 1;
  obj->json = g_bytes_new (json, strlen (json));
  obj->cells_before_age = g_strdup ("");
  obj->cells_after_age = g_strdup ("");
  obj->labels = g_strdupv ((char **) labels);
  obj->fields = g_new0 (char *, 3);
  obj->fields[0] = g_strdup ("status.phase");
  obj->fields[1] = g_strdup (phase ? phase : "Running");
  return obj;
}

typedef struct {
  GPtrArray *types;
  GPtrArray *keys;
} Recorder;

static void
record (const PhSimEvent *event,
        gpointer          user_data)
{
  Recorder *rec = user_data;

  g_ptr_array_add (rec->types, (gpointer) ph_sim_event_type_to_string (event->type));
  g_ptr_array_add (rec->keys, g_strdup_printf ("%s@%" G_GUINT64_FORMAT, event->obj->key, event->rv));
}

static void
recorder_init (Recorder *rec)
{
  rec->types = g_ptr_array_new ();
  rec->keys = g_ptr_array_new_with_free_func (g_free);
}

static void
recorder_clear (Recorder *rec)
{
  g_ptr_array_unref (rec->types);
  g_ptr_array_unref (rec->keys);
}

static void
commit_new (PhSimStore     *store,
            PhSimEventType  type,
            const char     *namespace_,
            const char     *name)
{
  PhSimObj *obj = make_obj (PH_SIM_RES_PODS, namespace_, name, ph_sim_store_next_rv (store), NULL, NULL);

  g_assert_true (ph_sim_store_commit (store, type, obj));
  ph_sim_obj_unref (obj);
}

static void
test_store_commit (void)
{
  PhSimStore *store = ph_sim_store_new (100);
  Recorder rec;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(PhSimObj) dup = NULL;
  guint64 start = ph_sim_store_get_rv (store);

  recorder_init (&rec);
  ph_sim_store_set_listener (store, record, &rec);

  commit_new (store, PH_SIM_EVENT_ADDED, "b", "x");
  commit_new (store, PH_SIM_EVENT_ADDED, "a", "y");
  commit_new (store, PH_SIM_EVENT_ADDED, "a", "x");
  commit_new (store, PH_SIM_EVENT_MODIFIED, "b", "x");
  g_assert_cmpuint (ph_sim_store_get_rv (store), ==, start + 4);
  g_assert_cmpuint (rec.types->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (rec.types, 3), ==, "MODIFIED");

  /* Adding an existing key or modifying a missing one is refused. */
  dup = make_obj (PH_SIM_RES_PODS, "a", "x", ph_sim_store_next_rv (store), NULL, NULL);
  g_assert_false (ph_sim_store_commit (store, PH_SIM_EVENT_ADDED, dup));
  g_clear_pointer (&dup, ph_sim_obj_unref);
  dup = make_obj (PH_SIM_RES_PODS, "a", "missing", ph_sim_store_next_rv (store), NULL, NULL);
  g_assert_false (ph_sim_store_commit (store, PH_SIM_EVENT_MODIFIED, dup));
  g_assert_cmpuint (ph_sim_store_get_rv (store), ==, start + 4);

  /* Lists come in key order, per namespace or all. */
  items = ph_sim_store_list (store, PH_SIM_RES_PODS, NULL);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((PhSimObj *) items->pdata[0])->key, ==, "a/x");
  g_assert_cmpstr (((PhSimObj *) items->pdata[1])->key, ==, "a/y");
  g_assert_cmpstr (((PhSimObj *) items->pdata[2])->key, ==, "b/x");
  g_assert_cmpuint (((PhSimObj *) items->pdata[2])->rv, ==, start + 4);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = ph_sim_store_list (store, PH_SIM_RES_PODS, "a");
  g_assert_cmpuint (items->len, ==, 2);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = ph_sim_store_list (store, PH_SIM_RES_PODS, "zzz");
  g_assert_cmpuint (items->len, ==, 0);

  commit_new (store, PH_SIM_EVENT_DELETED, "a", "y");
  g_assert_null (ph_sim_store_lookup (store, PH_SIM_RES_PODS, "a/y"));
  g_assert_cmpuint (ph_sim_store_count (store, PH_SIM_RES_PODS), ==, 2);

  recorder_clear (&rec);
  ph_sim_store_free (store);
}

static void
test_store_history (void)
{
  PhSimStore *store = ph_sim_store_new (5);
  Recorder rec;
  guint64 start = ph_sim_store_get_rv (store);

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);
      commit_new (store, PH_SIM_EVENT_ADDED, "ns", name);
    }

  /* Only the last 5 of 8 events are kept: replay from start+3 works, from
   * start+2 (which needs event start+3, forgotten) does not. */
  g_assert_cmpuint (ph_sim_store_get_history_length (store), ==, 5);
  g_assert_cmpuint (ph_sim_store_get_compacted_rv (store), ==, start + 3);

  recorder_init (&rec);
  g_assert_true (ph_sim_store_replay (store, start + 3, record, &rec));
  g_assert_cmpuint (rec.keys->len, ==, 5);
  {
    g_autofree char *expected = g_strdup_printf ("ns/p3@%" G_GUINT64_FORMAT, start + 4);
    g_assert_cmpstr (g_ptr_array_index (rec.keys, 0), ==, expected);
  }
  recorder_clear (&rec);

  recorder_init (&rec);
  g_assert_true (ph_sim_store_replay (store, start + 6, record, &rec));
  g_assert_cmpuint (rec.keys->len, ==, 2);
  recorder_clear (&rec);

  recorder_init (&rec);
  g_assert_false (ph_sim_store_replay (store, start + 2, record, &rec));
  g_assert_cmpuint (rec.keys->len, ==, 0);
  recorder_clear (&rec);

  /* Compaction forgets everything up to now. */
  ph_sim_store_compact (store);
  recorder_init (&rec);
  g_assert_false (ph_sim_store_replay (store, start + 7, record, &rec));
  g_assert_true (ph_sim_store_replay (store, start + 8, record, &rec));
  g_assert_cmpuint (rec.keys->len, ==, 0);
  recorder_clear (&rec);

  ph_sim_store_free (store);
}

static void
test_store_list_at (void)
{
  PhSimStore *store = ph_sim_store_new (100);
  g_autoptr(GPtrArray) then = NULL;
  g_autoptr(GPtrArray) now = NULL;
  guint64 rv;

  commit_new (store, PH_SIM_EVENT_ADDED, "ns", "a");
  commit_new (store, PH_SIM_EVENT_ADDED, "ns", "b");
  rv = ph_sim_store_get_rv (store);
  commit_new (store, PH_SIM_EVENT_MODIFIED, "ns", "a");
  commit_new (store, PH_SIM_EVENT_DELETED, "ns", "b");
  commit_new (store, PH_SIM_EVENT_ADDED, "ns", "c");

  then = ph_sim_store_list_at (store, PH_SIM_RES_PODS, "ns", rv);
  g_assert_nonnull (then);
  g_assert_cmpuint (then->len, ==, 2);
  g_assert_cmpstr (((PhSimObj *) then->pdata[0])->key, ==, "ns/a");
  g_assert_cmpuint (((PhSimObj *) then->pdata[0])->rv, ==, rv - 1);
  g_assert_cmpstr (((PhSimObj *) then->pdata[1])->key, ==, "ns/b");

  now = ph_sim_store_list_at (store, PH_SIM_RES_PODS, NULL, ph_sim_store_get_rv (store));
  g_assert_cmpuint (now->len, ==, 2);
  g_assert_cmpstr (((PhSimObj *) now->pdata[1])->key, ==, "ns/c");

  /* The future and the forgotten past have no list. */
  g_assert_null (ph_sim_store_list_at (store, PH_SIM_RES_PODS, NULL, ph_sim_store_get_rv (store) + 1));
  ph_sim_store_compact (store);
  g_assert_null (ph_sim_store_list_at (store, PH_SIM_RES_PODS, NULL, rv));

  ph_sim_store_free (store);
}

static gboolean
labels_match (const char        *selector,
              const char *const *labels)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhSimSelector) sel = ph_sim_selector_parse_labels (selector, &error);
  g_autoptr(PhSimObj) obj = make_obj (PH_SIM_RES_PODS, "ns", "p", 1001, labels, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (sel);
  return ph_sim_selector_matches (sel, obj);
}

static void
test_selector_labels (void)
{
  const char *const web[] = { "app", "web", "tier", "front", NULL };
  const char *const db[] = { "app", "db", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (labels_match ("", web));
  g_assert_true (labels_match ("app=web", web));
  g_assert_true (labels_match ("app==web", web));
  g_assert_false (labels_match ("app=web", db));
  g_assert_true (labels_match ("app!=web", db));
  g_assert_true (labels_match ("app in (db, web)", web));
  g_assert_true (labels_match ("app in (db,web),tier", web));
  g_assert_false (labels_match ("app in (db,web),tier", db));
  g_assert_true (labels_match ("app notin (web)", db));
  g_assert_false (labels_match ("app notin (web)", web));
  g_assert_true (labels_match ("!tier", db));
  g_assert_false (labels_match ("!tier", web));
  g_assert_true (labels_match ("tier!=back", db));
  g_assert_true (labels_match (" app = web , tier = front ", web));

  g_assert_null (ph_sim_selector_parse_labels ("app in web", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ph_sim_selector_parse_labels ("app=web)", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_selector_fields (void)
{
  const PhSimResource *pods = &ph_sim_resources[PH_SIM_RES_PODS];
  g_autoptr(PhSimObj) running = make_obj (PH_SIM_RES_PODS, "ns", "p", 1001, NULL, "Running");
  g_autoptr(PhSimObj) pending = make_obj (PH_SIM_RES_PODS, "other", "q", 1002, NULL, "Pending");
  g_autoptr(PhSimSelector) phase = NULL;
  g_autoptr(PhSimSelector) not_ns = NULL;
  g_autoptr(PhSimSelector) name = NULL;
  g_autoptr(GError) error = NULL;

  phase = ph_sim_selector_parse_fields ("status.phase=Running", pods, &error);
  g_assert_no_error (error);
  g_assert_true (ph_sim_selector_matches (phase, running));
  g_assert_false (ph_sim_selector_matches (phase, pending));

  not_ns = ph_sim_selector_parse_fields ("metadata.namespace!=ns", pods, &error);
  g_assert_no_error (error);
  g_assert_false (ph_sim_selector_matches (not_ns, running));
  g_assert_true (ph_sim_selector_matches (not_ns, pending));

  name = ph_sim_selector_parse_fields ("metadata.name==q,status.phase=Pending", pods, &error);
  g_assert_no_error (error);
  g_assert_true (ph_sim_selector_matches (name, pending));
  g_assert_false (ph_sim_selector_matches (name, running));

  g_assert_null (ph_sim_selector_parse_fields ("spec.color=red", pods, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_world_generate (void)
{
  PhSimStore *store = ph_sim_store_new (0);
  PhSimStore *again = ph_sim_store_new (0);
  PhSimWorld *world = ph_sim_world_new (store, 42, 500, 5);
  PhSimWorld *world2 = ph_sim_world_new (again, 42, 500, 5);
  g_autoptr(GPtrArray) pods = ph_sim_store_list (store, PH_SIM_RES_PODS, NULL);
  g_autoptr(GPtrArray) pods2 = ph_sim_store_list (again, PH_SIM_RES_PODS, NULL);
  g_autoptr(GPtrArray) namespaces = ph_sim_store_list (store, PH_SIM_RES_NAMESPACES, NULL);
  gsize total = 0;
  guint64 rv;

  g_assert_cmpuint (pods->len, ==, 500);
  g_assert_cmpuint (namespaces->len, ==, 5);
  g_assert_cmpuint (ph_sim_store_count (store, PH_SIM_RES_DEPLOYMENTS), >, 0);
  g_assert_cmpuint (ph_sim_store_count (store, PH_SIM_RES_REPLICASETS), >=,
                    ph_sim_store_count (store, PH_SIM_RES_DEPLOYMENTS));
  g_assert_cmpuint (ph_sim_store_count (store, PH_SIM_RES_CRDS), ==, 1);

  /* Same seed, same cluster. */
  g_assert_cmpuint (pods2->len, ==, pods->len);
  for (guint i = 0; i < pods->len; i++)
    {
      PhSimObj *a = pods->pdata[i], *b = pods2->pdata[i];

      g_assert_cmpstr (a->key, ==, b->key);
      g_assert_cmpstr (a->uid, ==, b->uid);
      total += g_bytes_get_size (a->json);
    }

  /* The kinds beyond the workloads, the same for the same seed too. */
  for (PhSimResId res = PH_SIM_RES_STATEFULSETS; res < PH_SIM_N_RES; res++)
    {
      g_autoptr(GPtrArray) objs = ph_sim_store_list (store, res, NULL);
      g_autoptr(GPtrArray) objs2 = ph_sim_store_list (again, res, NULL);

      g_assert_cmpuint (objs->len, >, 0);
      g_assert_cmpuint (objs2->len, ==, objs->len);
      for (guint i = 0; i < objs->len; i++)
        {
          PhSimObj *a = objs->pdata[i], *b = objs2->pdata[i];

          g_assert_cmpstr (a->uid, ==, b->uid);
          /* Jobs are named by the minute they were scheduled. */
          if (res != PH_SIM_RES_JOBS)
            g_assert_cmpstr (a->key, ==, b->key);
        }
    }

  /* Realistic pods are several KB. */
  g_assert_cmpuint (total / pods->len, >, 3000);

  /* Churn changes things and keeps the history in step. */
  rv = ph_sim_store_get_rv (store);
  for (guint i = 0; i < 300; i++)
    ph_sim_world_churn_step (world);
  g_assert_cmpuint (ph_sim_store_get_rv (store), >, rv + 300);
  g_assert_cmpuint (ph_sim_store_get_history_length (store), ==, ph_sim_store_get_rv (store) - rv);

  /* Deleting a pod gets it replaced by its ReplicaSet. */
  {
    g_autoptr(GPtrArray) now = ph_sim_store_list (store, PH_SIM_RES_PODS, NULL);
    PhSimObj *victim = now->pdata[0];
    guint count = now->len;

    g_assert_true (ph_sim_world_delete_pod (world, victim->namespace_, victim->name));
    g_assert_null (ph_sim_store_lookup (store, PH_SIM_RES_PODS, victim->key));
    g_assert_cmpuint (ph_sim_store_count (store, PH_SIM_RES_PODS), ==, count);
    g_assert_false (ph_sim_world_delete_pod (world, "nope", "nothing"));
  }

  ph_sim_world_free (world);
  ph_sim_world_free (world2);
  ph_sim_store_free (store);
  ph_sim_store_free (again);
}

static void
test_format_age (void)
{
  const struct { gint64 seconds; const char *text; } cases[] = {
    { 5, "5s" }, { 119, "119s" }, { 150, "2m30s" }, { 600, "10m" }, { 3 * 3600 + 5, "3h" },
    { 5 * 3600 + 60 * 7, "5h7m" }, { 30 * 3600, "30h" }, { 3 * 86400 + 3600 * 4, "3d4h" },
    { 50 * 86400, "50d" }, { 800 * 86400, "2y70d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ph_sim_format_age (cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/sim-store/commit", test_store_commit);
  g_test_add_func ("/porthole/sim-store/history", test_store_history);
  g_test_add_func ("/porthole/sim-store/list-at", test_store_list_at);
  g_test_add_func ("/porthole/sim-selector/labels", test_selector_labels);
  g_test_add_func ("/porthole/sim-selector/fields", test_selector_fields);
  g_test_add_func ("/porthole/sim-world/generate", test_world_generate);
  g_test_add_func ("/porthole/sim-world/format-age", test_format_age);

  return g_test_run ();
}
