/* test-list-cache.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-kube-error.h"
#include "ph-list-cache-private.h"
#include "ph-object.h"
#include "ph-query.h"

/* The model logic of PhListCache, fed with response bytes directly:
 * minimal items-changed ranges, in-place MODIFIED, reconcile after a
 * relist.  The network side is covered by test-watch. */

static char *
pod (const char *name,
     const char *uid,
     const char *rv,
     const char *phase)
{
  return g_strdup_printf ("{\"metadata\": {\"name\": \"%s\", \"namespace\": \"ns\", \"uid\": \"%s\","
                          " \"resourceVersion\": \"%s\"}, \"spec\": {\"containers\": [{\"name\": \"c\"}]},"
                          " \"status\": {\"phase\": \"%s\"}}", name, uid, rv, phase);
}

static char *
event (const char *type,
       const char *name,
       const char *uid,
       const char *rv,
       const char *phase)
{
  g_autofree char *obj = pod (name, uid, rv, phase);
  return g_strdup_printf ("{\"type\": \"%s\", \"object\": %s}\n", type, obj);
}

typedef struct {
  PhListCache *cache;
  GString     *log;   /* "pos,removed,added;" per items-changed */
  guint        notifies;
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fx)
{
  /* The model must already be consistent when it says so. */
  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));
  g_string_append_printf (fx->log, "%u,%u,%u;", position, removed, added);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(PhQuery) query = ph_query_new (NULL, "", "v1", "pods", NULL, NULL, NULL);
  PhListCacheOptions opts = { PH_WATCH_STRATEGY_MULTIPLEXED, 500, 300, 600, FALSE };

  fx->cache = ph_list_cache_new (query, &opts);
  fx->log = g_string_new (NULL);
  g_signal_connect (fx->cache, "items-changed", G_CALLBACK (on_items_changed), fx);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fx->cache));
  g_string_free (fx->log, TRUE);
}

static void
feed_list (Fixture    *fx,
           const char *cont,
           gint64      remaining,
           gboolean    first,
           ...)
{
  g_autoptr(GString) json = g_string_new ("{\"kind\": \"PodList\", \"metadata\": {\"resourceVersion\": \"50\"");
  g_autoptr(GError) error = NULL;
  const char *item;
  gboolean sep = FALSE;
  va_list args;

  if (cont)
    g_string_append_printf (json, ", \"continue\": \"%s\"", cont);
  if (remaining >= 0)
    g_string_append_printf (json, ", \"remainingItemCount\": %" G_GINT64_FORMAT, remaining);
  g_string_append (json, "}, \"items\": [");
  va_start (args, first);
  while ((item = va_arg (args, const char *)))
    {
      g_string_append_printf (json, "%s%s", sep ? ", " : "", item);
      sep = TRUE;
    }
  va_end (args);
  g_string_append (json, "]}");

  g_assert_true (ph_list_cache_feed_list_page (fx->cache, json->str, json->len, first, &error));
  g_assert_no_error (error);
}

static void
feed_watch (Fixture    *fx,
            const char *data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ph_list_cache_feed_watch_data (fx->cache, data, strlen (data), &error));
  g_assert_no_error (error);
}

static char *
names (PhListCache *cache)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cache)); i++)
    {
      g_autoptr(PhObject) obj = g_list_model_get_item (G_LIST_MODEL (cache), i);
      g_string_append_printf (s, "%s%s", i ? " " : "", ph_object_get_name (obj));
    }
  return g_string_free (s, FALSE);
}

static void
load_abcde (Fixture *fx)
{
  g_autofree char *a = pod ("a", "ua", "1", "Running");
  g_autofree char *b = pod ("b", "ub", "2", "Running");
  g_autofree char *c = pod ("c", "uc", "3", "Running");
  g_autofree char *d = pod ("d", "ud", "4", "Running");
  g_autofree char *e = pod ("e", "ue", "5", "Running");

  feed_list (fx, "tok", 3, TRUE, a, b, NULL);
  g_assert_cmpuint (ph_list_cache_get_expected_items (fx->cache), ==, 5);
  g_assert_cmpuint (ph_list_cache_get_synced_items (fx->cache), ==, 2);
  feed_list (fx, NULL, -1, FALSE, c, d, e, NULL);
  g_assert_cmpuint (ph_list_cache_get_synced_items (fx->cache), ==, 5);
  g_assert_cmpstr (fx->log->str, ==, "0,0,2;2,0,3;");
  g_string_truncate (fx->log, 0);
}

static void
test_pages (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *n = NULL;

  load_abcde (fx);
  n = names (fx->cache);
  g_assert_cmpstr (n, ==, "a b c d e");
  g_assert_cmpint (ph_list_cache_get_state (fx->cache), ==, PH_CACHE_STATE_LIVE);
  g_assert_nonnull (ph_list_cache_lookup (fx->cache, "uc"));
  g_assert_null (ph_list_cache_lookup (fx->cache, "nope"));
}

/* One burst: removals as one signal per contiguous run (from the end),
 * additions as one signal, objects added and deleted within the burst
 * never show up. */
static void
test_burst_minimal (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GString) burst = g_string_new (NULL);
  g_autofree char *n = NULL;
  const char *ev[][4] = {
    { "ADDED", "f", "uf", "10" },
    { "DELETED", "b", "ub", "11" },
    { "ADDED", "g", "ug", "12" },
    { "DELETED", "d", "ud", "13" },
    { "DELETED", "c", "uc", "14" },
    { "DELETED", "f", "uf", "15" },
    { "MODIFIED", "a", "ua", "16" },
  };

  load_abcde (fx);
  for (guint i = 0; i < G_N_ELEMENTS (ev); i++)
    {
      g_autofree char *line = event (ev[i][0], ev[i][1], ev[i][2], ev[i][3], "Pending");
      g_string_append (burst, line);
    }
  feed_watch (fx, burst->str);

  /* b, c, d were at 1..3: one contiguous run; g appended. */
  g_assert_cmpstr (fx->log->str, ==, "1,3,0;2,0,1;");
  n = names (fx->cache);
  g_assert_cmpstr (n, ==, "a e g");

  g_string_truncate (fx->log, 0);
  {
    g_autofree char *a = event ("DELETED", "a", "ua", "20", "Pending");
    g_autofree char *g = event ("DELETED", "g", "ug", "21", "Pending");
    g_autofree char *both = g_strconcat (a, g, NULL);

    feed_watch (fx, both);
  }
  /* Two runs, the later position first. */
  g_assert_cmpstr (fx->log->str, ==, "2,1,0;0,1,0;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->cache)), ==, 1);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Fixture    *fx)
{
  fx->notifies++;
}

static void
test_modified_in_place (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(PhObject) before = NULL;
  g_autoptr(PhObject) after = NULL;
  g_autofree char *m1 = event ("MODIFIED", "c", "uc", "30", "Failed");
  g_autofree char *m2 = event ("MODIFIED", "c", "uc", "30", "Failed");

  load_abcde (fx);
  before = g_list_model_get_item (G_LIST_MODEL (fx->cache), 2);
  g_signal_connect (before, "notify", G_CALLBACK (on_notify), fx);

  feed_watch (fx, m1);
  after = g_list_model_get_item (G_LIST_MODEL (fx->cache), 2);
  g_assert_true (before == after);
  g_assert_cmpstr (ph_object_get_status (after), ==, "Failed");
  g_assert_cmpstr (fx->log->str, ==, "");
  /* status, resource-version, json */
  g_assert_cmpuint (fx->notifies, ==, 3);

  /* Same uid and resourceVersion: nothing at all. */
  fx->notifies = 0;
  feed_watch (fx, m2);
  g_assert_cmpuint (fx->notifies, ==, 0);
  g_assert_cmpstr (fx->log->str, ==, "");
}

/* A relist after 410: vanished objects go, changed ones update in place,
 * unchanged ones are untouched, new ones are appended. */
static void
test_reconcile (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *a = pod ("a", "ua", "1", "Running");
  g_autofree char *c = pod ("c", "uc", "40", "Failed");
  g_autofree char *e = pod ("e", "ue", "5", "Running");
  g_autofree char *h = pod ("h", "uh", "41", "Running");
  g_autoptr(PhObject) obj_c = NULL;
  g_autoptr(PhObject) obj_a = NULL;
  g_autofree char *n = NULL;

  load_abcde (fx);
  obj_c = g_object_ref (ph_list_cache_lookup (fx->cache, "uc"));
  obj_a = g_object_ref (ph_list_cache_lookup (fx->cache, "ua"));
  g_signal_connect (obj_a, "notify", G_CALLBACK (on_notify), fx);

  feed_list (fx, "t2", -1, TRUE, a, c, NULL);
  /* Nothing disappears before the list is complete. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->cache)), ==, 5);
  g_assert_cmpstr (ph_object_get_status (obj_c), ==, "Failed");
  feed_list (fx, NULL, -1, FALSE, e, h, NULL);

  n = names (fx->cache);
  g_assert_cmpstr (n, ==, "a c e h");
  g_assert_true (ph_list_cache_lookup (fx->cache, "uc") == obj_c);
  g_assert_cmpuint (fx->notifies, ==, 0);
  g_assert_cmpstr (fx->log->str, ==, "3,1,0;1,1,0;3,0,1;");
}

static void
test_refuses_status (Fixture       *fx,
                     gconstpointer  data)
{
  const char *status_added = "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Status\", \"apiVersion\": \"v1\","
                             " \"metadata\": {\"uid\": \"s\", \"resourceVersion\": \"9\"}, \"code\": 500}}\n";
  const char *error_event = "{\"type\": \"ERROR\", \"object\": {\"kind\": \"Status\", \"code\": 410,"
                            " \"reason\": \"Expired\", \"message\": \"too old resource version\"}}\n";
  const char *garbage = "{\"type\": \"ADDED\", \"object\": {\"metadata\": \n";
  g_autoptr(GError) error = NULL;

  load_abcde (fx);
  g_assert_false (ph_list_cache_feed_watch_data (fx->cache, status_added, strlen (status_added), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (ph_list_cache_lookup (fx->cache, "s"));

  g_assert_false (ph_list_cache_feed_watch_data (fx->cache, error_event, strlen (error_event), &error));
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_GONE);
  g_clear_error (&error);

  g_assert_false (ph_list_cache_feed_watch_data (fx->cache, garbage, strlen (garbage), &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fx->cache)), ==, 5);
  g_assert_cmpstr (fx->log->str, ==, "");
}

/* Events split at arbitrary byte boundaries and bookmarks between them. */
static void
test_split_lines (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *e1 = event ("ADDED", "x", "ux", "60", "Running");
  g_autofree char *e2 = event ("MODIFIED", "x", "ux", "61", "Failed");
  const char *bm = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"62\"}}}\n\n";
  g_autofree char *all = g_strconcat (e1, bm, e2, NULL);
  g_autoptr(PhQuery) query = ph_query_new (NULL, "", "v1", "pods", NULL, NULL, NULL);

  load_abcde (fx);
  feed_watch (fx, all);
  g_assert_cmpstr (ph_object_get_status (ph_list_cache_lookup (fx->cache, "ux")), ==, "Failed");
  g_assert_cmpstr (fx->log->str, ==, "5,0,1;");
  g_assert_true (ph_query_equal (query, ph_list_cache_get_query (fx->cache)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/porthole/list-cache/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("pages", test_pages);
  ADD ("burst-minimal", test_burst_minimal);
  ADD ("modified-in-place", test_modified_in_place);
  ADD ("reconcile", test_reconcile);
  ADD ("refuses-status", test_refuses_status);
  ADD ("split-lines", test_split_lines);
#undef ADD

  return g_test_run ();
}
