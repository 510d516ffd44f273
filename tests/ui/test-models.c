/* test-models.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "ph-age-cell.h"
#include "ph-field-cell.h"
#include "ph-object-private.h"
#include "ui-test-util.h"
#include "ph-json-util.h"
#include "ph-status-cell.h"
#include "ph-sort-model.h"

typedef struct
{
  guint n_signals;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_signals++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static GtkStringObject *
item_at (GListModel *model,
         guint       i)
{
  return g_list_model_get_item (model, i);
}

static void
assert_order (GListModel *model,
              const char *expected)
{
  g_autoptr(GString) order = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = item_at (model, i);

      g_string_append (order, gtk_string_object_get_string (item));
    }

  g_assert_cmpstr (order->str, ==, expected);
}

static GtkSorter *
string_sorter (void)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string")));
}

static void
test_sort_coalesces (void)
{
  const char *initial[] = { "f", "b", "d", "a", "e", "c", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (initial);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  g_autoptr(GtkStringObject) kept = NULL;
  Changes changes = { 0, };

  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_items_changed), &changes);
  assert_order (G_LIST_MODEL (sorted), "abcdef");
  kept = item_at (G_LIST_MODEL (sorted), 3);

  /* Remove "b", add "x" and "bb", remove "e": nothing announced until the
   * flush.  Source: f d x bb a e c → f d x bb a c. */
  gtk_string_list_remove (source, 1);
  gtk_string_list_splice (source, 2, 0, (const char *[]) { "x", "bb", NULL });
  gtk_string_list_remove (source, 5);
  g_assert_cmpuint (changes.n_signals, ==, 0);
  g_assert_true (ph_sort_model_get_pending (sorted));
  assert_order (G_LIST_MODEL (sorted), "abcdef");

  ph_sort_model_flush (sorted);
  g_assert_false (ph_sort_model_get_pending (sorted));
  assert_order (G_LIST_MODEL (sorted), "abbcdfx");
  /* a [b c d e f] → a [bb c d f x]: one signal for the middle. */
  g_assert_cmpuint (changes.n_signals, ==, 1);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 5);
  g_assert_cmpuint (changes.added, ==, 5);

  /* Objects keep their identity. */
  {
    g_autoptr(GtkStringObject) d = item_at (G_LIST_MODEL (sorted), 3);

    g_assert_true (d == kept);
  }

  /* Nothing pending: a flush says nothing. */
  ph_sort_model_flush (sorted);
  g_assert_cmpuint (changes.n_signals, ==, 1);
}

static void
test_sort_bulk (void)
{
  g_autoptr(GtkStringList) source = gtk_string_list_new (NULL);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);
  guint n;

  gtk_string_list_append (source, "m");
  /* Big bursts take the sort-and-merge and compacting paths. */
  for (guint i = 0; i < 500; i++)
    g_ptr_array_add (batch, g_strdup_printf ("k%03u", (i * 7919) % 500));
  g_ptr_array_add (batch, NULL);
  gtk_string_list_splice (source, 0, 0, (const char * const *) batch->pdata);
  gtk_string_list_splice (source, 100, 300, NULL);
  ph_sort_model_flush (sorted);

  n = g_list_model_get_n_items (G_LIST_MODEL (sorted));
  g_assert_cmpuint (n, ==, 201);
  g_assert_cmpuint (n, ==, g_list_model_get_n_items (G_LIST_MODEL (source)));
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GtkStringObject) a = item_at (G_LIST_MODEL (sorted), i - 1);
      g_autoptr(GtkStringObject) b = item_at (G_LIST_MODEL (sorted), i);

      g_assert_cmpint (strcmp (gtk_string_object_get_string (a), gtk_string_object_get_string (b)), <, 0);
    }
}

static void
test_sort_sorter_change (void)
{
  const char *initial[] = { "b", "c", "a", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (initial);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  g_autoptr(GtkMultiSorter) multi = gtk_multi_sorter_new ();

  assert_order (G_LIST_MODEL (sorted), "abc");
  /* No sorter: the source's order. */
  ph_sort_model_set_sorter (sorted, NULL);
  assert_order (G_LIST_MODEL (sorted), "bca");
  /* A sorter that changes re-sorts at once. */
  ph_sort_model_set_sorter (sorted, GTK_SORTER (multi));
  assert_order (G_LIST_MODEL (sorted), "bca");
  gtk_multi_sorter_append (multi, g_object_ref (sorter));
  assert_order (G_LIST_MODEL (sorted), "abc");
}

static void
test_sort_first_items_at_once (void)
{
  g_autoptr(GtkStringList) source = gtk_string_list_new (NULL);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 0);
  gtk_string_list_append (source, "first");
  /* An empty list shows its first items without waiting. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 1);
  gtk_string_list_append (source, "second");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (sorted), 1));
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_sort_flushes_by_itself (void)
{
  const char *initial[] = { "b", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (initial);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 10);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint timeout;

  gtk_string_list_append (source, "a");
  g_assert_true (ph_sort_model_get_pending (sorted));
  g_signal_connect_swapped (sorted, "items-changed", G_CALLBACK (g_main_loop_quit), loop);
  timeout = g_timeout_add_seconds (20, quit_loop, loop);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_false (ph_sort_model_get_pending (sorted));
  assert_order (G_LIST_MODEL (sorted), "ab");
}

static void
test_yaml (void)
{
  static const char json[] =
    "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\",\"labels\":{\"app\":\"web\",\"tier\":\"true\"}},"
    "\"spec\":{\"replicas\":3,\"ports\":[80,443],\"empty\":[],\"command\":\"line one\\nline two\"},"
    "\"status\":{\"ready\":true,\"version\":\"1.10\",\"at\":null}}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *yaml = ph_json_to_yaml (node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (yaml, "kind: Pod\n"));
  g_assert_nonnull (strstr (yaml, "metadata:\n  name: web-1\n  labels:\n    app: web\n"));
  /* Strings that would read back as something else are quoted. */
  g_assert_nonnull (strstr (yaml, "tier: \"true\"\n"));
  g_assert_nonnull (strstr (yaml, "version: \"1.10\"\n"));
  /* Real numbers, booleans and null are not. */
  g_assert_nonnull (strstr (yaml, "replicas: 3\n"));
  g_assert_nonnull (strstr (yaml, "ready: true\n"));
  g_assert_nonnull (strstr (yaml, "at: null\n"));
  g_assert_nonnull (strstr (yaml, "- 80\n"));
  g_assert_nonnull (strstr (yaml, "empty: []\n"));
  g_assert_nonnull (strstr (yaml, "command: |-\n    line one\n    line two\n"));
}

static void
test_json_lookup (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"a\":{\"b\":{\"c\":7,\"s\":\"x\",\"l\":[\"p\",\"q\"]}}}", NULL);
  g_autofree char *c = ph_json_lookup_display (node, "a.b.c");
  g_autofree char *s = ph_json_lookup_display (node, "a.b.s");
  g_autofree char *l = ph_json_lookup_display (node, "a.b.l");
  g_autofree char *missing = ph_json_lookup_display (node, "a.z.c");

  g_assert_cmpstr (c, ==, "7");
  g_assert_cmpstr (s, ==, "x");
  g_assert_cmpstr (l, ==, "p, q");
  g_assert_cmpstr (missing, ==, "");
}

static void
test_age_format (void)
{
  static const struct {
    gint64 seconds;
    const char *text;
  } cases[] = {
    { 0, "0s" }, { 45, "45s" }, { 119, "119s" }, { 120, "2m" }, { 192, "3m12s" },
    { 600, "10m" }, { 3 * 3600, "3h" }, { 3 * 3600 + 5 * 60, "3h5m" }, { 30 * 3600, "30h" },
    { 3 * 86400, "3d" }, { 3 * 86400 + 4 * 3600, "3d4h" }, { 40 * 86400, "40d" },
    { 3 * 365 * 86400, "3y" }, { -5, "0s" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ph_format_age (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_status_kinds (void)
{
  g_assert_cmpint (ph_status_kind_classify ("Running"), ==, PH_STATUS_KIND_GOOD);
  g_assert_cmpint (ph_status_kind_classify ("Pending"), ==, PH_STATUS_KIND_PROGRESS);
  g_assert_cmpint (ph_status_kind_classify ("Init:0/1"), ==, PH_STATUS_KIND_PROGRESS);
  g_assert_cmpint (ph_status_kind_classify ("CrashLoopBackOff"), ==, PH_STATUS_KIND_BAD);
  g_assert_cmpint (ph_status_kind_classify (""), ==, PH_STATUS_KIND_NEUTRAL);
}

/* A view's rows: 1000..1019 shown, row 1500 selected. */
static void
window_rows (guint    *first,
             guint    *n_rows,
             guint    *selected,
             gpointer  user_data)
{
  *first = 1000;
  *n_rows = 20;
  *selected = 1500;
}

typedef struct
{
  GPtrArray *mirror;   /* what a consumer believes the model holds */
  guint      n_signals;
  guint      folded_in_view;
} Mirror;

static void
on_mirror_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Mirror     *m)
{
  g_autoptr(GHashTable) gone = g_hash_table_new (NULL, NULL);

  m->n_signals++;
  for (guint i = position; i < position + removed; i++)
    g_hash_table_add (gone, g_ptr_array_index (m->mirror, i));
  g_ptr_array_remove_range (m->mirror, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, position + i);

      /* An item that was removed and added back unchanged in the same
       * signal is a row GTK had to go looking for. */
      if (g_hash_table_contains (gone, item))
        {
          if (position + i >= 1000 - 5 && position + i < 1020 + 5)
            m->folded_in_view++;
        }
      g_ptr_array_insert (m->mirror, position + i, item);
    }

  /* After every signal the model is what the consumer was told. */
  g_assert_cmpuint (m->mirror->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < m->mirror->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (m->mirror, i));
    }
}

static void
test_sort_view_window (void)
{
  g_autoptr(GListStore) source = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = NULL;
  g_autoptr(GPtrArray) mirror = g_ptr_array_new ();
  Mirror m = { mirror, 0, 0 };
  const char *added[] = { "k0250x", "k1010x", "k1900x", "k0000x" };
  const guint removed[] = { 1500, 1005, 500, 10 };   /* source positions, from the end */

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *name = g_strdup_printf ("k%04u", i);
      g_autoptr(GtkStringObject) item = gtk_string_object_new (name);

      g_list_store_append (source, item);
    }
  sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (sorted), i);

      g_ptr_array_add (mirror, item);
    }
  ph_sort_model_set_view_func (sorted, window_rows, NULL, NULL);
  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_mirror_changed), &m);

  /* Changes before, inside and after the shown rows, and around the
   * selected one. */
  for (guint i = 0; i < G_N_ELEMENTS (removed); i++)
    g_list_store_remove (source, removed[i]);
  for (guint i = 0; i < G_N_ELEMENTS (added); i++)
    {
      g_autoptr(GtkStringObject) item = gtk_string_object_new (added[i]);

      g_list_store_append (source, item);
    }
  ph_sort_model_flush (sorted);

  /* 0000x..500 folds into one range; 1005 and 1010x are changes of their
   * own inside the view; 1500 is the selected row, removed: on its own
   * and 1900x after it. */
  g_assert_cmpuint (m.n_signals, ==, 5);
  g_assert_cmpuint (m.folded_in_view, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 2000);
  for (guint i = 1; i < 2000; i++)
    {
      g_autoptr(GtkStringObject) a = item_at (G_LIST_MODEL (sorted), i - 1);
      g_autoptr(GtkStringObject) b = item_at (G_LIST_MODEL (sorted), i);

      g_assert_cmpstr (gtk_string_object_get_string (a), <, gtk_string_object_get_string (b));
    }

  /* Without a view, everything is one change as before. */
  ph_sort_model_set_view_func (sorted, NULL, NULL, NULL);
  m.n_signals = 0;
  g_list_store_remove (source, 3);
  g_list_store_remove (source, 1800);
  ph_sort_model_flush (sorted);
  g_assert_cmpuint (m.n_signals, ==, 1);
  g_assert_cmpuint (mirror->len, ==, 1998);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Batches of every size against a reference: binary insertions, the
 * search-and-copy merge, the walking merge and all three removals. */
static void
test_sort_random_batches (void)
{
  g_autoptr(GListStore) source = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  g_autoptr(GPtrArray) mirror = g_ptr_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  Mirror m = { mirror, 0, 0 };
  const guint sizes[] = { 3000, 1, 40, 300, 17, 2500, 5, 120, 900, 60 };
  guint serial = 0;

  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_mirror_changed), &m);

  for (guint round = 0; round < 40; round++)
    {
      guint n_add = sizes[round % G_N_ELEMENTS (sizes)];
      guint n_remove = MIN (sizes[(round + 3) % G_N_ELEMENTS (sizes)], g_list_model_get_n_items (G_LIST_MODEL (source)) / 2);
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) expected = g_ptr_array_new ();
      guint n;

      /* Removals as one contiguous splice and a few single ones. */
      if (n_remove > 0)
        {
          guint at = g_rand_int_range (rand, 0, g_list_model_get_n_items (G_LIST_MODEL (source)) - n_remove + 1);

          g_list_store_splice (source, at, n_remove, NULL, 0);
        }
      for (guint k = 0; k < 3 && g_list_model_get_n_items (G_LIST_MODEL (source)) > 0; k++)
        g_list_store_remove (source, g_rand_int_range (rand, 0, g_list_model_get_n_items (G_LIST_MODEL (source))));

      /* Additions in random order, with duplicates of existing keys. */
      for (guint k = 0; k < n_add; k++)
        {
          g_autofree char *name = g_strdup_printf ("%08x-%u", g_rand_int (rand) % 100000, serial++ % 3);

          g_ptr_array_add (batch, gtk_string_object_new (name));
        }
      g_list_store_splice (source, g_list_model_get_n_items (G_LIST_MODEL (source)), 0, batch->pdata, batch->len);
      if (round % 3 == 0)
        ph_sort_model_flush (sorted);
      if (round % 3 != 2)
        continue;
      ph_sort_model_flush (sorted);

      n = g_list_model_get_n_items (G_LIST_MODEL (source));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GtkStringObject) item = item_at (G_LIST_MODEL (source), i);

          g_ptr_array_add (expected, (gpointer) gtk_string_object_get_string (item));
        }
      g_ptr_array_sort (expected, compare_strings);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, n);
      g_assert_cmpuint (mirror->len, ==, n);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GtkStringObject) item = item_at (G_LIST_MODEL (sorted), i);

          g_assert_cmpstr (gtk_string_object_get_string (item), ==, g_ptr_array_index (expected, i));
        }
    }
}

/* A short list shows changes with the next main-loop turn; a long one
 * waits for its interval. */
static void
test_sort_eager_when_short (void)
{
  const char *initial[] = { "b", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (initial);
  g_autoptr(GtkSorter) sorter = string_sorter ();
  g_autoptr(PhSortModel) sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);

  gtk_string_list_append (source, "a");
  g_assert_true (ph_sort_model_get_pending (sorted));
  for (guint i = 0; i < 100 && ph_sort_model_get_pending (sorted); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (ph_sort_model_get_pending (sorted));
  assert_order (G_LIST_MODEL (sorted), "ab");

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%03u", i);

      gtk_string_list_append (source, name);
    }
  ph_sort_model_flush (sorted);
  gtk_string_list_append (source, "d");
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (ph_sort_model_get_pending (sorted));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 302);
  ph_sort_model_flush (sorted);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sorted)), ==, 303);
}

static gboolean
text_is_not (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (ph_field_cell_get_text (args[0]), args[1]) != 0;
}

/* A time shown as an age (an event's Last Seen) moves on while it is on
 * screen, like the Age column. */
static void
test_field_cell_ages (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, -3);
  g_autofree char *stamp = g_date_time_format_iso8601 (then);
  g_autofree char *json = g_strdup_printf ("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\","
                                           "\"namespace\":\"default\",\"uid\":\"u1\",\"resourceVersion\":\"7\"},"
                                           "\"lastTimestamp\":\"%s\",\"reason\":\"BackOff\"}", stamp);
  g_autoptr(GError) error = NULL;
  PhObjectFields *fields = ph_object_fields_new (json, strlen (json), ph_kind_id_from_resource ("events"), &error);
  g_autoptr(PhObject) event = NULL;
  GtkWidget *window, *cell;
  g_autofree char *first = NULL;
  gpointer args[2];

  if (gdk_display_get_default () == NULL)
    {
      ph_object_fields_free (fields);
      g_test_skip ("no display");
      return;
    }
  g_assert_no_error (error);
  window = gtk_window_new ();
  cell = ph_field_cell_new ("lastTimestamp");
  event = ph_object_new_take_fields (fields, "ctx");
  ph_field_cell_set_object (PH_FIELD_CELL (cell), event);
  gtk_window_set_child (GTK_WINDOW (window), cell);
  gtk_window_present (GTK_WINDOW (window));

  first = g_strdup (ph_field_cell_get_text (PH_FIELD_CELL (cell)));
  g_assert_true (g_str_has_suffix (first, "s"));
  args[0] = cell;
  args[1] = first;
  g_assert_true (ui_test_wait_for (text_is_not, args, 10));

  gtk_window_destroy (GTK_WINDOW (window));
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  int ka = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "key"));
  int kb = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "key"));

  return ka < kb ? GTK_ORDERING_SMALLER : ka > kb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* An item whose sort key changes in place moves once the model is told,
 * and only the items that moved are announced. */
static void
test_sort_updated_in_place (void)
{
  g_autoptr(GListStore) source = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_keys, NULL, NULL));
  g_autoptr(PhSortModel) sorted = NULL;
  g_autoptr(GPtrArray) mirror = g_ptr_array_new ();
  g_autoptr(GPtrArray) updated = g_ptr_array_new ();
  Mirror m = { mirror, 0, 0 };
  GtkStringObject *moving, *staying;

  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("item-%d", i);
      g_autoptr(GtkStringObject) item = gtk_string_object_new (name);

      g_object_set_data (G_OBJECT (item), "key", GINT_TO_POINTER (i * 10));
      g_list_store_append (source, item);
    }
  sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (sorted), i);

      g_ptr_array_add (mirror, item);
    }
  g_signal_connect (sorted, "items-changed", G_CALLBACK (on_mirror_changed), &m);

  /* One key jumps from near the start to near the end; another changes
   * without leaving its place. */
  moving = g_list_model_get_item (G_LIST_MODEL (source), 5);
  staying = g_list_model_get_item (G_LIST_MODEL (source), 500);
  g_object_set_data (G_OBJECT (moving), "key", GINT_TO_POINTER (99999));
  g_object_set_data (G_OBJECT (staying), "key", GINT_TO_POINTER (5001));
  g_ptr_array_add (updated, moving);
  g_ptr_array_add (updated, staying);
  ph_sort_model_items_updated (sorted, updated);
  g_assert_true (ph_sort_model_get_pending (sorted));
  ph_sort_model_flush (sorted);

  for (guint i = 1; i < 1000; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (G_LIST_MODEL (sorted), i - 1);
      g_autoptr(GObject) b = g_list_model_get_item (G_LIST_MODEL (sorted), i);

      g_assert_cmpint (compare_keys (a, b, NULL), !=, GTK_ORDERING_LARGER);
    }
  {
    g_autoptr(GObject) at = g_list_model_get_item (G_LIST_MODEL (sorted), 999);

    g_assert_true (at == (GObject *) moving);
  }
  /* The item that stayed is in no announced change of its own: the
   * moving one's removal and insertion, as one range. */
  g_assert_cmpuint (m.n_signals, ==, 1);

  g_object_unref (moving);
  g_object_unref (staying);
}

static void
selection_rows (guint    *first,
                guint    *n_rows,
                guint    *selected,
                gpointer  user_data)
{
  *first = 0;
  *n_rows = 20;
  *selected = gtk_single_selection_get_selected (user_data);
}

/* The selected item moves far (its sort key changed) while other items
 * change around the shown rows: it stays selected. */
static void
test_sort_selected_moves (void)
{
  g_autoptr(GListStore) source = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_keys, NULL, NULL));
  g_autoptr(PhSortModel) sorted = NULL;
  g_autoptr(GtkSingleSelection) selection = NULL;
  g_autoptr(GPtrArray) updated = g_ptr_array_new ();
  g_autoptr(GtkStringObject) chosen = NULL;
  g_autoptr(GtkStringObject) other = NULL;

  for (int i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("item-%d", i);
      g_autoptr(GtkStringObject) item = gtk_string_object_new (name);

      g_object_set_data (G_OBJECT (item), "key", GINT_TO_POINTER (i * 10));
      g_list_store_append (source, item);
    }
  sorted = ph_sort_model_new (G_LIST_MODEL (source), sorter, 60000);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (sorted)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  ph_sort_model_set_view_func (sorted, selection_rows, selection, NULL);

  chosen = g_list_model_get_item (G_LIST_MODEL (source), 10);
  other = g_list_model_get_item (G_LIST_MODEL (source), 500);
  gtk_single_selection_set_selected (selection, 10);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer) chosen);

  /* The selected one to the far end, another one elsewhere in between. */
  g_object_set_data (G_OBJECT (chosen), "key", GINT_TO_POINTER (99999));
  g_object_set_data (G_OBJECT (other), "key", GINT_TO_POINTER (3));
  g_ptr_array_add (updated, chosen);
  g_ptr_array_add (updated, other);
  ph_sort_model_items_updated (sorted, updated);
  ph_sort_model_flush (sorted);

  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer) chosen);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 999);
  ph_sort_model_set_view_func (sorted, NULL, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Only the cell test needs a display. */
  gtk_init_check ();

  g_test_add_func ("/porthole/sort-model/coalesces", test_sort_coalesces);
  g_test_add_func ("/porthole/sort-model/bulk", test_sort_bulk);
  g_test_add_func ("/porthole/sort-model/sorter-change", test_sort_sorter_change);
  g_test_add_func ("/porthole/sort-model/first-items-at-once", test_sort_first_items_at_once);
  g_test_add_func ("/porthole/sort-model/flushes-by-itself", test_sort_flushes_by_itself);
  g_test_add_func ("/porthole/sort-model/eager-when-short", test_sort_eager_when_short);
  g_test_add_func ("/porthole/sort-model/view-window", test_sort_view_window);
  g_test_add_func ("/porthole/sort-model/random-batches", test_sort_random_batches);
  g_test_add_func ("/porthole/sort-model/updated-in-place", test_sort_updated_in_place);
  g_test_add_func ("/porthole/sort-model/selected-moves", test_sort_selected_moves);
  g_test_add_func ("/porthole/json-util/yaml", test_yaml);
  g_test_add_func ("/porthole/json-util/lookup", test_json_lookup);
  g_test_add_func ("/porthole/age-cell/format", test_age_format);
  g_test_add_func ("/porthole/status-cell/kinds", test_status_kinds);
  g_test_add_func ("/porthole/field-cell/ages", test_field_cell_ages);

  return g_test_run ();
}
