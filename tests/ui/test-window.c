/* test-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ph-application.h"
#include "ph-cluster-entry.h"
#include "ph-cluster-row.h"
#include "ph-list-cache-private.h"
#include "ph-object.h"
#include "ph-preferences-window.h"
#include "ph-quick-switcher.h"
#include "ph-sim-server.h"
#include "ph-status-cell.h"
#include "ph-watch-hub.h"
#include "ph-window.h"
#include "ui-test-util.h"

/* One application and one window for the whole program: two simulated
 * clusters ("alpha", "beta") and a kubeconfig file with a broken entry. */
static PhApplication *app;
static PhWindow *window;
static PhSimServer *alpha;
static PhSimServer *beta;
static char *tmpdir;

#define DEADLINE_SECONDS 20
#define wait_for(condition, data) ui_test_wait_for ((condition), (data), DEADLINE_SECONDS)

typedef UiTestCondition Condition;



static gboolean
is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

static void
save_widget_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("screenshot-%s.png", name);
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT), file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  int width, height;

  /* Let the last changes reach the screen first; a window that was
   * just presented may take a while to be mapped and drawn on a busy
   * machine. */
  ui_test_spin (300);
  g_assert_true (wait_for (is_drawn, widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
save_screenshot (const char *name)
{
  save_widget_screenshot (GTK_WIDGET (window), name);
}


static guint
model_n_items (void)
{
  return g_list_model_get_n_items (ph_resource_view_get_model (ph_window_get_resource_view (window)));
}

static gboolean
has_rows (gpointer data)
{
  return model_n_items () >= GPOINTER_TO_UINT (data);
}

static gboolean
has_no_rows (gpointer data)
{
  return model_n_items () == 0 && ph_resource_view_is_settled (ph_window_get_resource_view (window));
}

static gboolean
state_is_live (gpointer data)
{
  PhResourceView *view = ph_window_get_resource_view (window);

  return g_strcmp0 (ph_resource_view_get_state_text (view), "Live") == 0 && ph_resource_view_is_settled (view);
}

static gboolean
settled (gpointer data)
{
  return ph_resource_view_is_settled (ph_window_get_resource_view (window));
}

static void
show (const char         *kind,
      const char * const *clusters)
{
  ph_window_select_clusters (window, clusters);
  g_assert_true (ph_window_show_kind (window, kind));
  ph_resource_view_set_search_text (ph_window_get_resource_view (window), NULL);
  g_assert_true (wait_for (state_is_live, NULL));
}

/* Walks the widget tree for a GtkInscription showing @text. */


/* The row widget of the column view that shows the object named @name. */
static GtkWidget *
find_row (const char *name)
{
  GtkWidget *column_view = GTK_WIDGET (ph_resource_view_get_column_view (ph_window_get_resource_view (window)));
  GtkWidget *cell = ui_test_find_inscription (column_view, name);

  while (cell != NULL && gtk_widget_get_parent (cell) != NULL && !GTK_IS_LIST_VIEW (gtk_widget_get_parent (cell)))
    cell = gtk_widget_get_parent (cell);

  return cell;
}

static GtkColumnViewColumn *
column_titled (const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (ph_resource_view_get_column_view (ph_window_get_resource_view (window)));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }

  return NULL;
}

/* The integer at a top-level member of an object's @section ("spec"). */
static gint64
object_int (PhObject   *object,
            const char *section,
            const char *member)
{
  g_autoptr(JsonNode) root = ph_object_parse (object, NULL);
  JsonObject *o = json_node_get_object (root);

  o = json_object_get_object_member (o, section);
  return json_object_get_int_member (o, member);
}

/* Tests. */

static gboolean
page_is_browser (gpointer data)
{
  return g_strcmp0 (ph_window_get_page (window), "browser") == 0;
}

static void
test_window_opens_on_clusters (void)
{
  GListModel *clusters = ph_window_get_clusters (window);
  const char *both[] = { "alpha", NULL };

  g_assert_true (wait_for (page_is_browser, NULL));
  /* alpha, beta and the broken entry */
  g_assert_cmpuint (g_list_model_get_n_items (clusters), ==, 3);

  show ("pods", both);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  save_screenshot ("pods");
}

static void
test_kind_shows_rows (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(GPtrArray) truth = NULL;

  show ("deployments.apps", one);
  truth = ph_sim_server_snapshot (alpha, "deployments", NULL);
  g_assert_cmpuint (truth->len, >, 0);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_cmpuint (model_n_items (), ==, truth->len);

  show ("pods", one);
  g_ptr_array_unref (g_steal_pointer (&truth));
  truth = ph_sim_server_snapshot (alpha, "pods", NULL);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_cmpuint (model_n_items (), ==, truth->len);
  {
    g_autoptr(PhObject) first = g_list_model_get_item (ph_resource_view_get_model (ph_window_get_resource_view (window)), 0);

    ui_test_spin (200);
    g_assert_nonnull (find_row (ph_object_get_name (first)));
  }
}

typedef struct
{
  guint n_signals;
} Changes;

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Changes    *changes)
{
  changes->n_signals++;
}

typedef struct
{
  PhObject *changed;
} ChangeWatch;

static void
on_visible_field_changed (PhObject    *object,
                          GParamSpec  *pspec,
                          ChangeWatch *watch)
{
  if (watch->changed == NULL)
    watch->changed = g_object_ref (object);
}

static gboolean
something_changed (gpointer data)
{
  ChangeWatch *watch = data;

  if (watch->changed == NULL)
    ph_sim_server_churn_steps (alpha, 3);

  return watch->changed != NULL;
}

static void
test_churn_updates_row_in_place (void)
{
  const char *one[] = { "alpha", NULL };
  GListModel *model;
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) watched = g_ptr_array_new_with_free_func (g_object_unref);
  ChangeWatch watch = { NULL };
  GtkWidget *row_before, *row_after;
  PhStatusCell *status_cell;
  g_autofree char *restarts = NULL;
  guint n;

  show ("pods", one);
  model = ph_resource_view_get_model (ph_window_get_resource_view (window));
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  ui_test_spin (200);

  /* Remember the row widget of every object on screen. */
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) object = g_list_model_get_item (model, i);
      GtkWidget *row = find_row (ph_object_get_name (object));

      if (row == NULL)
        continue;
      g_hash_table_insert (rows, g_strdup (ph_object_get_name (object)), g_object_ref (row));
      g_ptr_array_add (watched, g_object_ref (object));
      g_signal_connect (object, "notify::status", G_CALLBACK (on_visible_field_changed), &watch);
      g_signal_connect (object, "notify::restarts", G_CALLBACK (on_visible_field_changed), &watch);
    }
  g_assert_cmpuint (g_hash_table_size (rows), >, 0);

  g_assert_true (wait_for (something_changed, &watch));
  ui_test_spin (300);

  row_before = g_hash_table_lookup (rows, ph_object_get_name (watch.changed));
  row_after = find_row (ph_object_get_name (watch.changed));
  g_assert_nonnull (row_before);
  /* Same widget, updated cells. */
  g_assert_true (row_after == row_before);
  status_cell = PH_STATUS_CELL (ui_test_find_descendant_of_type (row_after, PH_TYPE_STATUS_CELL));
  g_assert_cmpstr (ph_status_cell_get_status (status_cell), ==, ph_object_get_status (watch.changed));
  restarts = g_strdup_printf ("%" G_GINT64_FORMAT, ph_object_get_restarts (watch.changed));
  g_assert_nonnull (ui_test_find_inscription (row_after, restarts));

  for (guint i = 0; i < watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (watched, i), &watch);
  g_clear_object (&watch.changed);
  save_screenshot ("after-churn");

  /* The selection stays on its object while rows come and go around it. */
  {
    PhResourceView *view = ph_window_get_resource_view (window);
    g_autoptr(PhObject) chosen = g_list_model_get_item (model, g_list_model_get_n_items (model) / 2);
    g_autoptr(PhListCache) cache = NULL;

    Changes changes = { 0, };
    gulong id;

    g_assert_true (ph_resource_view_select_object (view, chosen));
    id = g_signal_connect (model, "items-changed", G_CALLBACK (count_changes), &changes);
    for (guint i = 0; i < 20 && changes.n_signals < 3; i++)
      {
        ph_sim_server_churn_steps (alpha, 5);
        ui_test_spin (150);
      }
    g_assert_true (wait_for (settled, NULL));
    g_signal_handler_disconnect (model, id);
    /* Rows did come and go. */
    g_assert_cmpuint (changes.n_signals, >, 0);
    /* Unless the churn deleted it. */
    cache = g_list_model_get_item (ph_resource_view_get_caches (view), 0);
    if (ph_list_cache_lookup (cache, ph_object_get_uid (chosen)) != NULL)
      g_assert_true (ph_resource_view_get_selected_object (view) == chosen);
  }
}

static void
test_sort_and_filter (void)
{
  const char *both[] = { "alpha", "beta", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GtkColumnView *column_view = ph_resource_view_get_column_view (view);
  GListModel *columns = gtk_column_view_get_columns (column_view);
  GListModel *model = ph_resource_view_get_model (view);
  g_autoptr(GtkColumnViewColumn) restarts_column = NULL;
  g_autoptr(PhObject) first = NULL;
  g_autofree char *label = NULL;
  guint n, n_all, n_matching = 0;

  show ("pods", both);
  {
    g_autoptr(GPtrArray) a = ph_sim_server_snapshot (alpha, "pods", NULL);
    g_autoptr(GPtrArray) b = ph_sim_server_snapshot (beta, "pods", NULL);

    g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (a->len + b->len)));
    g_assert_true (wait_for (settled, NULL));
  }

  /* Two clusters: a Cluster column appears. */
  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

    g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "Cluster");
  }

  /* By name, ascending (the default). */
  n = g_list_model_get_n_items (model);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PhObject) b = g_list_model_get_item (model, i);

      g_assert_cmpint (strcmp (ph_object_get_name (a), ph_object_get_name (b)), <=, 0);
    }

  /* Clicking "Restarts" twice: descending restarts. */
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "Restarts") == 0)
        restarts_column = g_object_ref (column);
    }
  g_assert_nonnull (restarts_column);
  gtk_column_view_sort_by_column (column_view, restarts_column, GTK_SORT_DESCENDING);
  g_assert_true (wait_for (settled, NULL));
  n = g_list_model_get_n_items (model);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PhObject) b = g_list_model_get_item (model, i);

      g_assert_cmpint (ph_object_get_restarts (a), >=, ph_object_get_restarts (b));
    }
  save_screenshot ("sorted-by-restarts");

  /* Pods crash while the list is sorted by restarts: their rows move to
   * where their new counts belong. */
  ph_sim_server_churn_steps (alpha, 60);
  ph_sim_server_churn_steps (beta, 60);
  g_assert_true (wait_for (settled, NULL));
  ui_test_spin (300);
  g_assert_true (wait_for (settled, NULL));
  n = g_list_model_get_n_items (model);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PhObject) b = g_list_model_get_item (model, i);

      g_assert_cmpint (ph_object_get_restarts (a), >=, ph_object_get_restarts (b));
    }

  /* One cluster again: the Cluster column goes, the order stays. */
  {
    const char *one[] = { "alpha", NULL };
    g_autoptr(GtkColumnViewColumn) first_column = NULL;

    ph_window_select_clusters (window, one);
    g_assert_true (wait_for (settled, NULL));
    first_column = g_list_model_get_item (columns, 0);
    g_assert_cmpstr (gtk_column_view_column_get_title (first_column), !=, "Cluster");
    n = g_list_model_get_n_items (model);
    for (guint i = 1; i < n; i++)
      {
        g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
        g_autoptr(PhObject) b = g_list_model_get_item (model, i);

        g_assert_cmpint (ph_object_get_restarts (a), >=, ph_object_get_restarts (b));
      }
    ph_window_select_clusters (window, both);
    g_assert_true (wait_for (settled, NULL));
    g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (n + 1)));
    g_assert_true (wait_for (settled, NULL));
    n = g_list_model_get_n_items (model);
  }

  /* Filter by a name fragment. */
  n_all = n;
  first = g_list_model_get_item (model, n_all / 2);
  for (guint i = 0; i < n_all; i++)
    {
      g_autoptr(PhObject) object = g_list_model_get_item (model, i);

      if (strstr (ph_object_get_name (object), ph_object_get_name (first)) != NULL)
        n_matching++;
    }
  ph_resource_view_set_search_text (view, ph_object_get_name (first));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_matching);
  g_assert_cmpuint (n_matching, <, n_all);

  /* Enter in the filter selects the first match and moves to the list. */
  {
    GtkWidget *entry = ui_test_find_descendant_of_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY);
    g_autoptr(PhObject) top = g_list_model_get_item (model, 0);
    GtkWidget *focus;

    g_assert_nonnull (entry);
    gtk_widget_grab_focus (entry);
    g_signal_emit_by_name (entry, "activate");
    ui_test_spin (100);
    g_assert_true (ph_resource_view_get_selected_object (view) == top);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (column_view)) || focus == GTK_WIDGET (column_view));
  }

  /* Filter by a label. */
  g_assert_nonnull (ph_object_get_labels (first)[0]);
  label = g_strdup (ph_object_get_labels (first)[0]);
  ph_resource_view_set_search_text (view, label);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) object = g_list_model_get_item (model, i);

      g_assert_true (g_strv_contains (ph_object_get_labels (object), label));
    }
  g_assert_false (ph_resource_view_object_matches (first, "app=surely-not-a-label"));
  save_screenshot ("filtered");

  ph_resource_view_set_search_text (view, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_all);
  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
}

typedef struct
{
  gboolean saw_reconnecting;
  gboolean saw_live_after;
} DropWatch;

static gboolean
reconnected (gpointer data)
{
  DropWatch *watch = data;
  const char *state = ph_resource_view_get_state_text (ph_window_get_resource_view (window));
  static char *last;

  if (g_strcmp0 (last, state) != 0)
    {
      g_test_message ("list state: %s", state);
      g_free (last);
      last = g_strdup (state);
    }

  if (state != NULL && g_str_has_prefix (state, "Reconnecting"))
    watch->saw_reconnecting = TRUE;
  else if (watch->saw_reconnecting && g_strcmp0 (state, "Live") == 0)
    watch->saw_live_after = TRUE;

  return watch->saw_live_after;
}

static void
test_dropped_watch_reconnects (void)
{
  const char *one[] = { "beta", NULL };
  DropWatch watch = { FALSE, FALSE };

  show ("pods", one);
  /* A drop, then refused reconnects (of the list and of the sidebar's
   * namespace watch), so the backoff is on screen. */
  ph_sim_server_fail_next (beta, 3, 503);
  ph_sim_server_drop_watches (beta);
  g_assert_true (wait_for (reconnected, &watch));
  g_assert_true (watch.saw_reconnecting);
  g_assert_true (watch.saw_live_after);
}

static void
test_broken_entry_keeps_others (void)
{
  GtkWidget *broken = ph_window_get_cluster_row (window, "broken");
  GtkWidget *good = ph_window_get_cluster_row (window, "alpha");
  PhClusterEntry *entry;
  const char *one[] = { "alpha", "broken", NULL };

  g_assert_nonnull (broken);
  g_assert_nonnull (good);
  entry = ph_cluster_row_get_entry (PH_CLUSTER_ROW (broken));
  g_assert_false (ph_cluster_entry_get_usable (entry));
  g_assert_nonnull (ph_cluster_entry_get_error (entry));
  g_test_message ("broken entry: %s", ph_cluster_entry_get_error (entry));
  g_assert_cmpstr (ph_cluster_row_get_dot_class (PH_CLUSTER_ROW (broken)), ==, "error");

  /* Selecting it does nothing; the others keep working. */
  show ("pods", one);
  g_assert_false (ph_cluster_entry_get_selected (entry));
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  g_assert_cmpstr (ph_cluster_row_get_dot_class (PH_CLUSTER_ROW (good)), ==, "success");
}

static guint
connections_opened (void)
{
  GListModel *caches = ph_resource_view_get_caches (ph_window_get_resource_view (window));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (caches); i++)
    {
      g_autoptr(PhListCache) cache = g_list_model_get_item (caches, i);

      n += ph_list_cache_get_n_lists (cache) + ph_list_cache_get_n_watches (cache);
    }

  return n;
}

static gboolean
listed_again (gpointer data)
{
  return connections_opened () > GPOINTER_TO_UINT (data) && state_is_live (NULL);
}

static void
track_min_rows (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                guint      *min_rows)
{
  *min_rows = MIN (*min_rows, g_list_model_get_n_items (model));
}

static void
test_refresh_keeps_selection (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GListModel *model = ph_resource_view_get_model (view);
  g_autoptr(PhObject) chosen = NULL;
  guint min_rows = G_MAXUINT;
  guint before;
  gulong id;

  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (3)));
  g_assert_true (wait_for (settled, NULL));
  chosen = g_list_model_get_item (model, 2);
  g_assert_true (ph_resource_view_select_object (view, chosen));

  /* F5 lists afresh and reconciles: the list never empties and the
   * selected object stays selected, the same object. */
  before = connections_opened ();
  id = g_signal_connect (model, "items-changed", G_CALLBACK (track_min_rows), &min_rows);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (wait_for (listed_again, GUINT_TO_POINTER (before)));
  g_assert_true (wait_for (settled, NULL));
  g_signal_handler_disconnect (model, id);
  g_assert_cmpuint (min_rows, >, 0);
  g_assert_true (ph_resource_view_get_selected_object (view) == chosen);
}

static gboolean
yaml_shown (gpointer data)
{
  g_autofree char *yaml = ph_details_pane_dup_yaml (ph_window_get_details_pane (window));

  return yaml != NULL && strstr (yaml, data) != NULL;
}

static gboolean
pane_lists_events (gpointer data)
{
  return ph_details_pane_get_n_events (ph_window_get_details_pane (window)) > 0;
}

static void
test_details_show_yaml (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  g_autoptr(PhObject) object = NULL;
  g_autofree char *expected = NULL;

  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  object = g_list_model_get_item (ph_resource_view_get_model (view), 0);
  g_assert_true (ph_resource_view_select_object (view, object));
  ph_window_set_details_visible (window, TRUE);

  expected = g_strdup_printf ("name: %s", ph_object_get_name (object));
  g_assert_true (wait_for (yaml_shown, expected));
  g_assert_true (yaml_shown ("kind: Pod"));
  save_screenshot ("details");

  ph_details_pane_show_page (ph_window_get_details_pane (window), "yaml");
  save_screenshot ("details-yaml");
  ph_details_pane_show_page (ph_window_get_details_pane (window), "summary");

  /* A pod that crashed has events; the summary lists them. */
  {
    GListModel *model = ph_resource_view_get_model (view);
    g_autoptr(PhObject) crashed = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (model) && crashed == NULL; i++)
      {
        g_autoptr(PhObject) pod = g_list_model_get_item (model, i);

        if (ph_object_get_restarts (pod) > 0)
          crashed = g_steal_pointer (&pod);
      }
    g_assert_nonnull (crashed);
    g_assert_true (ph_resource_view_select_object (view, crashed));
    g_assert_true (wait_for (pane_lists_events, NULL));
  }

  /* The selected object goes away with its cluster while the pane shows
   * it, opened from the keyboard with the list focused: the selection
   * empties and nothing complains (the test environment makes warnings
   * fatal). */
  {
    const char *other[] = { "beta", NULL };

    ph_window_set_details_visible (window, FALSE);
    ui_test_spin (200);
    gtk_widget_grab_focus (GTK_WIDGET (ph_resource_view_get_column_view (view)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-details", NULL));
    ui_test_spin (300);
    ph_window_select_clusters (window, other);
    g_assert_true (wait_for (state_is_live, NULL));
    ui_test_spin (300);
    g_assert_null (ph_resource_view_get_selected_object (view));
  }

  ph_window_set_details_visible (window, FALSE);
}

static gboolean
folded_is (gpointer data)
{
  return ph_window_get_folded (window) == GPOINTER_TO_INT (data);
}

static void
test_narrow_window_folds (void)
{
  const char *one[] = { "alpha", NULL };
  int width, height;

  show ("pods", one);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);

  gtk_window_set_default_size (GTK_WINDOW (window), 420, 700);
  g_assert_true (wait_for (folded_is, GINT_TO_POINTER (TRUE)));
  g_assert_cmpstr (ph_window_get_visible_pane (window), ==, "content");
  save_screenshot ("narrow");

  /* Back to the sidebar, pick a kind: the list slides in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  ui_test_spin (400);
  g_assert_cmpstr (ph_window_get_visible_pane (window), ==, "sidebar");
  save_screenshot ("narrow-sidebar");
  g_assert_true (ph_window_show_kind (window, "deployments.apps"));
  ui_test_spin (400);
  g_assert_cmpstr (ph_window_get_visible_pane (window), ==, "content");

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (wait_for (folded_is, GINT_TO_POINTER (FALSE)));
}

static gboolean
has_problems (gpointer data)
{
  g_auto(GStrv) problems = ph_resource_view_dup_problems (ph_window_get_resource_view (window));

  return g_strv_length (problems) >= GPOINTER_TO_UINT (data);
}

static void
test_errors_in_place (void)
{
  const char *both[] = { "alpha", "beta", NULL };
  const char *default_ns[] = { "default", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  g_auto(GStrv) problems = NULL;
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (beta, "configmaps", "default");

  /* A kind neither cluster serves (their lists answer 404): one line
   * per cluster, no dialog. */
  ph_window_select_clusters (window, both);
  g_assert_true (wait_for (state_is_live, NULL));
  ph_sim_server_fail_next (alpha, 1, 404);
  ph_sim_server_fail_next (beta, 1, 404);
  g_assert_true (ph_window_show_kind (window, "daemonsets.apps"));
  g_assert_true (wait_for (has_problems, GUINT_TO_POINTER (2)));
  problems = ph_resource_view_dup_problems (view);
  g_assert_cmpuint (g_strv_length (problems), ==, 2);
  g_assert_nonnull (strstr (problems[0], "Not served by this cluster"));
  g_assert_cmpstr (ph_resource_view_get_state_text (view), ==, "Not served by this cluster");
  g_assert_null (ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  save_screenshot ("not-served");
  g_clear_pointer (&problems, g_strfreev);

  /* Forbidden in one namespace of one cluster: the other list is fine. */
  ph_window_set_namespaces (window, default_ns);
  g_assert_true (ph_window_show_kind (window, "pods"));
  g_assert_true (wait_for (state_is_live, NULL));
  ph_sim_server_fail_next (alpha, 1, 403);
  g_assert_true (ph_window_show_kind (window, "configmaps"));
  g_assert_true (wait_for (has_problems, GUINT_TO_POINTER (1)));
  problems = ph_resource_view_dup_problems (view);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_cmpstr (problems[0], ==, "alpha · default: Forbidden in namespace default");
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  save_screenshot ("forbidden");

  ph_window_set_namespaces (window, NULL);
}

/* Appends every text @widget and its descendants show: labels, row
 * titles and subtitles, inscriptions, entries and text views. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  else if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL)
    g_string_append_printf (out, "%s\n", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  else if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (out, "%s\n", text);
    }

  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (out, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL)
    g_string_append_printf (out, "%s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    g_string_append_printf (out, "%s\n", gtk_widget_get_tooltip_text (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
pane_text (void)
{
  GString *out = g_string_new (NULL);

  collect_text (GTK_WIDGET (ph_window_get_details_pane (window)), out);
  return g_string_free (out, FALSE);
}

static gboolean
pane_shows (gpointer data)
{
  g_autofree char *text = pane_text ();

  return strstr (text, data) != NULL;
}

/* The toggle button labelled @label (with its mnemonic) in @widget. */
static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
toggle_shown (gpointer data)
{
  return find_toggle (GTK_WIDGET (ph_window_get_details_pane (window)), data) != NULL;
}

static char *
secret_value (PhObject   *secret,
              const char *key,
              char      **encoded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ph_object_parse (secret, &error);
  JsonObject *data;
  g_autofree guchar *raw = NULL;
  gsize length;

  g_assert_no_error (error);
  data = json_object_get_object_member (json_node_get_object (root), "data");
  g_assert_nonnull (data);
  *encoded = g_strdup (json_object_get_string_member (data, key));
  raw = g_base64_decode (*encoded, &length);

  return g_strndup ((const char *) raw, length);
}

static void
test_secret_reveal (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GListModel *model = ph_resource_view_get_model (view);
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "secrets", NULL);
  g_autoptr(PhObject) secret = NULL;
  g_autofree char *password = NULL;
  g_autofree char *password_b64 = NULL;
  g_autofree char *username = NULL;
  g_autofree char *username_b64 = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *reveal;

  show ("secrets", one);
  g_assert_cmpuint (truth->len, >, 0);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  for (guint i = 0; i < g_list_model_get_n_items (model) && secret == NULL; i++)
    {
      g_autoptr(PhObject) object = g_list_model_get_item (model, i);

      if (g_strcmp0 (ph_object_get_column (object, "type"), "Opaque") == 0)
        secret = g_steal_pointer (&object);
    }
  g_assert_nonnull (secret);
  g_assert_cmpstr (ph_object_get_column (secret, "data"), ==, "2");
  password = secret_value (secret, "password", &password_b64);
  username = secret_value (secret, "username", &username_b64);
  g_assert_cmpuint (strlen (password), >=, 16);

  g_assert_true (ph_resource_view_select_object (view, secret));
  ph_window_set_details_visible (window, TRUE);
  g_assert_true (wait_for (toggle_shown, (gpointer) "_Reveal Values"));

  /* The keys, not the values: in no widget of the pane, the YAML too. */
  hidden = pane_text ();
  g_assert_nonnull (strstr (hidden, "password"));
  g_assert_nonnull (strstr (hidden, "username"));
  g_assert_null (strstr (hidden, password));
  g_assert_null (strstr (hidden, password_b64));
  g_assert_null (strstr (hidden, username));
  g_assert_null (strstr (hidden, username_b64));
  save_screenshot ("secret-hidden");

  /* Asked for, the values appear decoded. */
  reveal = find_toggle (GTK_WIDGET (ph_window_get_details_pane (window)), "_Reveal Values");
  g_assert_true (gtk_widget_activate (reveal));
  g_assert_true (wait_for (pane_shows, password));
  g_assert_true (wait_for (toggle_shown, (gpointer) "_Hide Values"));
  shown = pane_text ();
  g_assert_nonnull (strstr (shown, username));
  save_screenshot ("secret-revealed");

  /* And hidden again. */
  g_assert_true (gtk_widget_activate (find_toggle (GTK_WIDGET (ph_window_get_details_pane (window)),
                                                   "_Hide Values")));
  g_assert_true (wait_for (toggle_shown, (gpointer) "_Reveal Values"));
  g_clear_pointer (&hidden, g_free);
  hidden = pane_text ();
  g_assert_null (strstr (hidden, password));

  ph_window_set_details_visible (window, FALSE);
}

static void
test_workload_kinds (void)
{
  const char *one[] = { "alpha", NULL };
  const struct { const char *kind; const char *resource; const char *screenshot; } kinds[] = {
    { "statefulsets.apps", "statefulsets", "statefulsets" },
    { "jobs.batch", "jobs", "jobs" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, kinds[i].resource, NULL);
      g_autoptr(PhObject) first = NULL;

      show (kinds[i].kind, one);
      g_assert_cmpuint (truth->len, >, 0);
      g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
      {
        g_auto(GStrv) problems = ph_resource_view_dup_problems (ph_window_get_resource_view (window));

        g_assert_cmpuint (g_strv_length (problems), ==, 0);
      }
      first = g_list_model_get_item (ph_resource_view_get_model (ph_window_get_resource_view (window)), 0);
      ui_test_spin (200);
      g_assert_nonnull (find_row (ph_object_get_name (first)));
      save_screenshot (kinds[i].screenshot);
    }
}

static gboolean
custom_kind_listed (gpointer data)
{
  return ph_window_show_kind (window, data);
}

static void
test_custom_resources (void)
{
  const char *one[] = { "alpha", NULL };
  GListModel *columns;
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "widgets", NULL);

  ph_window_select_clusters (window, one);
  g_assert_true (wait_for (custom_kind_listed, (gpointer) "widgets.demo.porthole.io"));
  g_assert_true (wait_for (state_is_live, NULL));

  /* The CRD's additionalPrinterColumns. */
  columns = gtk_column_view_get_columns (ph_resource_view_get_column_view (ph_window_get_resource_view (window)));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_string_append_printf (titles, "%s|", gtk_column_view_column_get_title (column));
    }
  g_assert_cmpstr (titles->str, ==, "Name|Namespace|Color|Size|Phase|Age|");
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  save_screenshot ("custom-resources");

  /* Printer columns sort too, by their value (numbers as numbers). */
  {
    GListModel *model = ph_resource_view_get_model (ph_window_get_resource_view (window));
    GtkColumnView *column_view = ph_resource_view_get_column_view (ph_window_get_resource_view (window));
    guint n = g_list_model_get_n_items (model);
    gboolean varied = FALSE;

    g_assert_nonnull (column_titled ("Size"));
    gtk_column_view_sort_by_column (column_view, column_titled ("Size"), GTK_SORT_DESCENDING);
    g_assert_true (wait_for (settled, NULL));
    for (guint i = 1; i < n; i++)
      {
        g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
        g_autoptr(PhObject) b = g_list_model_get_item (model, i);

        g_assert_cmpint (object_int (a, "spec", "size"), >=, object_int (b, "spec", "size"));
        varied |= object_int (a, "spec", "size") != object_int (b, "spec", "size");
      }
    g_assert_true (varied);
    gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  }
}

/* Pops the namespace popover up until it shows: a popup asked for while
 * its button is not mapped yet, or while it is still closing, does
 * nothing. */
static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = ph_window_get_namespace_popover (window);

  if (!gtk_widget_get_mapped (GTK_WIDGET (popover)))
    gtk_popover_popup (popover);

  return gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (ph_window_get_namespace_popover (window)));
}

static void
test_namespace_selector (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GListModel *model = ph_resource_view_get_model (view);
  g_autoptr(GPtrArray) truth = NULL;
  GtkCheckButton *check;
  guint n;

  show ("pods", one);
  truth = ph_sim_server_snapshot (alpha, "pods", "default");
  g_assert_cmpuint (truth->len, >, 0);

  gtk_popover_popup (ph_window_get_namespace_popover (window));
  g_assert_true (wait_for (popover_shown, NULL));
  check = ph_window_get_namespace_check (window, "default");
  g_assert_nonnull (check);
  save_widget_screenshot (GTK_WIDGET (ph_window_get_namespace_popover (window)), "namespaces");

  /* One namespace: one list per cluster for it alone. */
  gtk_check_button_set_active (check, TRUE);
  g_assert_true (wait_for (state_is_live, NULL));
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, truth->len);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) object = g_list_model_get_item (model, i);

      g_assert_cmpstr (ph_object_get_namespace (object), ==, "default");
    }

  /* Back to all of them. */
  gtk_check_button_set_active (check, FALSE);

  /* Escape in the search field closes the popover, and the next opening
   * starts from an empty search. */
  {
    GtkPopover *popover = ph_window_get_namespace_popover (window);
    GtkWidget *search = ui_test_find_descendant_of_type (GTK_WIDGET (popover), GTK_TYPE_SEARCH_ENTRY);

    g_assert_nonnull (search);
    gtk_editable_set_text (GTK_EDITABLE (search), "def");
    g_signal_emit_by_name (search, "stop-search");
    g_assert_true (wait_for (popover_hidden, NULL));
    gtk_popover_popup (popover);
    g_assert_true (wait_for (popover_shown, NULL));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  }

  gtk_popover_popdown (ph_window_get_namespace_popover (window));
  ph_window_set_namespaces (window, NULL);
  g_assert_true (wait_for (state_is_live, NULL));
}

static gboolean
quick_switcher_shown (gpointer data)
{
  GtkWindow *switcher = ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER);

  return switcher != NULL && gtk_widget_get_mapped (GTK_WIDGET (switcher));
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_quick_switcher (void)
{
  const char *one[] = { "alpha", NULL };
  PhQuickSwitcher *switcher;
  PhKind *kind;

  show ("pods", one);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.quick-switch", NULL));
  g_assert_true (wait_for (quick_switcher_shown, NULL));
  switcher = PH_QUICK_SWITCHER (ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER));

  /* Nothing matches: the switcher says so instead of an empty list. */
  ph_quick_switcher_set_text (switcher, "surely-nothing-is-called-this");
  g_assert_cmpuint (ph_quick_switcher_get_n_results (switcher), ==, 0);
  {
    GtkWidget *status = ui_test_find_descendant_of_type (GTK_WIDGET (switcher), ADW_TYPE_STATUS_PAGE);

    g_assert_nonnull (status);
    g_assert_true (wait_for (widget_mapped, status));
    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Matches");
  }

  ph_quick_switcher_set_text (switcher, "deploy");
  g_assert_cmpuint (ph_quick_switcher_get_n_results (switcher), >=, 1);
  g_assert_false (gtk_widget_get_mapped (ui_test_find_descendant_of_type (GTK_WIDGET (switcher),
                                                                          ADW_TYPE_STATUS_PAGE)));
  save_widget_screenshot (GTK_WIDGET (switcher), "quick-switcher");
  g_assert_true (ph_quick_switcher_activate_first (switcher));

  kind = ph_resource_view_get_kind (ph_window_get_resource_view (window));
  g_assert_nonnull (kind);
  g_assert_cmpstr (ph_kind_get_id (kind), ==, "deployments.apps");
  g_assert_null (ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER));
}

static gboolean
window_shown (gpointer data)
{
  GtkWindow *found = ui_test_find_toplevel (GPOINTER_TO_SIZE (data));

  return found != NULL && gtk_widget_get_mapped (GTK_WIDGET (found));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (wait_for (window_shown, GSIZE_TO_POINTER (PH_TYPE_PREFERENCES_WINDOW)));
  preferences = ui_test_find_toplevel (PH_TYPE_PREFERENCES_WINDOW);
  save_widget_screenshot (GTK_WIDGET (preferences), "preferences");

  /* The theme row drives the style manager through the setting. */
  g_settings_set_enum (settings, "theme", 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  save_screenshot ("dark");
  g_settings_set_enum (settings, "theme", 0);
  gtk_window_destroy (preferences);
}

static void
test_watch_strategy_switch (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "pods", NULL);
  PhWatchHub *before;

  show ("pods", one);
  before = ph_application_get_hub (app);

  /* A new hub with the other transport; the lists follow it. */
  g_settings_set_enum (settings, "watch-strategy", 1);
  g_assert_true (ph_application_get_hub (app) != before);
  g_assert_cmpint (ph_watch_hub_get_strategy (ph_application_get_hub (app)), ==, PH_WATCH_STRATEGY_WEBSOCKET);
  g_assert_true (wait_for (state_is_live, NULL));
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_cmpuint (model_n_items (), ==, truth->len);

  g_settings_set_enum (settings, "watch-strategy", 0);
  g_assert_true (wait_for (state_is_live, NULL));
}

static void
test_shortcuts_window (void)
{
  GtkWindow *overlay;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_true (wait_for (window_shown, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW)));
  overlay = ui_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  save_widget_screenshot (GTK_WIDGET (overlay), "shortcuts");
  gtk_window_close (overlay);
}

static gboolean
overview_counts_pods (gpointer data)
{
  g_autofree char *pods = ph_overview_dup_stat (ph_window_get_overview (window), "alpha", "pods");

  return g_strcmp0 (pods, data) == 0;
}

static void
test_overview (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "pods", NULL);
  g_autofree char *expected = g_strdup_printf ("%u", truth->len);

  ph_window_select_clusters (window, one);
  g_assert_true (ph_window_show_kind (window, "overview"));
  g_assert_true (wait_for (overview_counts_pods, expected));
  save_screenshot ("overview");
  g_assert_true (ph_window_show_kind (window, "pods"));
}

static void
test_welcome_without_kubeconfig (void)
{
  g_autofree char *missing = g_build_filename (tmpdir, "missing-config", NULL);
  const char *paths[] = { missing, NULL };

  ph_application_load_kubeconfig (app, paths);
  g_assert_cmpstr (ph_window_get_page (window), ==, "welcome");
  save_screenshot ("welcome");
}

static gboolean
demo_live (gpointer data)
{
  return g_list_model_get_n_items (ph_window_get_clusters (window)) == 3 && model_n_items () > 0;
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = g_build_filename (tmpdir, "cache", "porthole", "demo", "kubeconfig", NULL);

  g_assert_true (ph_application_open_demo (app, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (demo, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (ph_window_get_page (window), ==, "browser");
  g_assert_true (wait_for (demo_live, NULL));
  save_screenshot ("demo");
}

/* Setup. */

static const char broken_kubeconfig[] =
  "apiVersion: v1\n"
  "kind: Config\n"
  "contexts:\n"
  "- name: broken\n"
  "  context:\n"
  "    cluster: nowhere\n"
  "    user: nobody\n";



static void
test_events_newest_first (void)
{
  const char *one[] = { "alpha", NULL };
  GListModel *model = ph_resource_view_get_model (ph_window_get_resource_view (window));
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "events", NULL);
  guint n;

  show ("events", one);
  g_assert_cmpuint (truth->len, >, 1);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_true (wait_for (settled, NULL));
  n = g_list_model_get_n_items (model);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(PhObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(PhObject) b = g_list_model_get_item (model, i);

      g_assert_cmpstr (ph_object_get_column (a, "last-seen"), >=, ph_object_get_column (b, "last-seen"));
    }
}

/* A frame that takes longer than the frame interval: the next one is
 * due at once, so GTK's painting is always ready to run, as with a
 * spinner under software rendering. */
static gboolean
slow_frame (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  g_usleep (25 * 1000);
  return G_SOURCE_CONTINUE;
}

static void
test_slow_frames_still_load (void)
{
  const char *one[] = { "beta", NULL };
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (beta, "ingresses", NULL);
  guint tick_id;

  g_assert_cmpuint (truth->len, >, 0);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), slow_frame, NULL, NULL);
  show ("ingresses.networking.k8s.io", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_cmpuint (model_n_items (), ==, truth->len);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
}

static gboolean
row_on_screen (gpointer data)
{
  GtkWidget *column_view = GTK_WIDGET (ph_resource_view_get_column_view (ph_window_get_resource_view (window)));
  GtkWidget *scroller = gtk_widget_get_ancestor (column_view, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *row = find_row (data);
  graphene_rect_t bounds;

  return row != NULL && gtk_widget_get_mapped (row) &&
         gtk_widget_compute_bounds (row, scroller, &bounds) &&
         bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

/* Selecting an object from code (quick switcher, reselect after a
 * change) brings its row into view. */
static void
test_select_scrolls_into_view (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GListModel *model = ph_resource_view_get_model (view);
  g_autoptr(PhObject) last = NULL;
  int width, height;
  guint n;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 360);
  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (20)));
  g_assert_true (wait_for (settled, NULL));
  ui_test_spin (300);
  n = g_list_model_get_n_items (model);
  last = g_list_model_get_item (model, n - 1);
  g_assert_false (row_on_screen ((gpointer) ph_object_get_name (last)));
  g_assert_true (ph_resource_view_select_object (view, last));
  g_assert_true (wait_for (row_on_screen, (gpointer) ph_object_get_name (last)));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  ui_test_spin (300);
}

static gboolean
state_is (gpointer data)
{
  return g_strcmp0 (ph_resource_view_get_state_text (ph_window_get_resource_view (window)), data) == 0;
}

/* Before the first object of a list arrives, the state says it is
 * loading rather than counting nothing. */
static void
test_syncing_before_first_object (void)
{
  const char *one[] = { "beta", NULL };

  ph_sim_server_set_latency (beta, 1500);
  ph_window_select_clusters (window, one);
  g_assert_true (ph_window_show_kind (window, "persistentvolumeclaims"));
  g_assert_true (wait_for (state_is, (gpointer) "Syncing…"));
  ph_sim_server_set_latency (beta, 0);
  g_assert_true (wait_for (state_is_live, NULL));
}

/* A filter belongs to the list it was typed for: another kind starts
 * unfiltered. */
static void
test_filter_per_kind (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  GtkWidget *entry = ui_test_find_descendant_of_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY);
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "services", NULL);

  show ("pods", one);
  ph_resource_view_set_search_text (view, "surely-no-pod-is-called-this");
  g_assert_cmpuint (model_n_items (), ==, 0);
  g_assert_true (ph_window_show_kind (window, "services"));
  g_assert_true (wait_for (state_is_live, NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
}

/* A label set in place (kubectl label) brings its pod into a label
 * filter and takes it out again. */
static void
test_label_filter_follows (void)
{
  const char *one[] = { "alpha", NULL };
  PhResourceView *view = ph_window_get_resource_view (window);
  g_autoptr(PhObject) pod = NULL;

  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  pod = g_list_model_get_item (ph_resource_view_get_model (view), 0);
  ph_resource_view_set_search_text (view, "team=blue");
  g_assert_cmpuint (model_n_items (), ==, 0);

  g_assert_true (ph_sim_server_label_pod (alpha, ph_object_get_namespace (pod), ph_object_get_name (pod),
                                          "team", "blue"));
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  g_assert_true (wait_for (settled, NULL));
  g_assert_cmpuint (model_n_items (), ==, 1);

  g_assert_true (ph_sim_server_label_pod (alpha, ph_object_get_namespace (pod), ph_object_get_name (pod),
                                          "team", "green"));
  g_assert_true (wait_for (has_no_rows, NULL));
  ph_resource_view_set_search_text (view, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *good = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *cache = NULL;
  const char *paths[3];
  int ret;

  tmpdir = g_dir_make_tmp ("porthole-ui-XXXXXX", &error);
  g_assert_no_error (error);
  /* The demo writes under the cache dir: keep it inside the test's. */
  cache = g_build_filename (tmpdir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  /* Plugins come from the user folder: an empty one of the test's own. */
  {
    g_autofree char *data = g_build_filename (tmpdir, "data", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_unsetenv ("PORTHOLE_PLUGIN_PATH");
  }
  /* Mesa would write its shader cache there at exit, after the cleanup. */
  g_setenv ("MESA_SHADER_CACHE_DISABLE", "true", TRUE);
  g_setenv ("KUBECONFIG", "/nonexistent", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  alpha = ui_test_start_server (11);
  beta = ui_test_start_server (22);
  good = g_build_filename (tmpdir, "config", NULL);
  broken = g_build_filename (tmpdir, "broken-config", NULL);
  g_assert_true (ph_sim_server_write_kubeconfig (alpha, good, "alpha", &error));
  g_assert_true (ph_sim_server_write_kubeconfig (beta, good, "beta", &error));
  g_assert_true (g_file_set_contents (broken, broken_kubeconfig, -1, &error));

  settings = g_settings_new (APP_ID);
  paths[0] = good;
  paths[1] = broken;
  paths[2] = NULL;
  g_settings_set_strv (settings, "kubeconfig-paths", paths);
  g_settings_set_enum (settings, "namespace-mode", 1);

  app = ph_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = ph_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/porthole/ui/window/opens-on-clusters", test_window_opens_on_clusters);
  g_test_add_func ("/porthole/ui/window/narrow-folds", test_narrow_window_folds);
  g_test_add_func ("/porthole/ui/list/kind-shows-rows", test_kind_shows_rows);
  g_test_add_func ("/porthole/ui/list/churn-updates-row-in-place", test_churn_updates_row_in_place);
  g_test_add_func ("/porthole/ui/list/sort-and-filter", test_sort_and_filter);
  g_test_add_func ("/porthole/ui/list/dropped-watch-reconnects", test_dropped_watch_reconnects);
  g_test_add_func ("/porthole/ui/sidebar/broken-entry-keeps-others", test_broken_entry_keeps_others);
  g_test_add_func ("/porthole/ui/sidebar/namespace-selector", test_namespace_selector);
  g_test_add_func ("/porthole/ui/sidebar/custom-resources", test_custom_resources);
  g_test_add_func ("/porthole/ui/list/errors-in-place", test_errors_in_place);
  g_test_add_func ("/porthole/ui/list/refresh-keeps-selection", test_refresh_keeps_selection);
  g_test_add_func ("/porthole/ui/list/select-scrolls-into-view", test_select_scrolls_into_view);
  g_test_add_func ("/porthole/ui/details/yaml", test_details_show_yaml);
  g_test_add_func ("/porthole/ui/details/secret-reveal", test_secret_reveal);
  g_test_add_func ("/porthole/ui/list/workload-kinds", test_workload_kinds);
  g_test_add_func ("/porthole/ui/list/events-newest-first", test_events_newest_first);
  g_test_add_func ("/porthole/ui/list/filter-per-kind", test_filter_per_kind);
  g_test_add_func ("/porthole/ui/list/label-filter-follows", test_label_filter_follows);
  g_test_add_func ("/porthole/ui/list/slow-frames-still-load", test_slow_frames_still_load);
  g_test_add_func ("/porthole/ui/list/syncing-before-first-object", test_syncing_before_first_object);
  g_test_add_func ("/porthole/ui/overview/counts", test_overview);
  g_test_add_func ("/porthole/ui/keyboard/quick-switcher", test_quick_switcher);
  g_test_add_func ("/porthole/ui/keyboard/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/porthole/ui/preferences/theme", test_preferences);
  g_test_add_func ("/porthole/ui/preferences/watch-strategy", test_watch_strategy_switch);
  g_test_add_func ("/porthole/ui/kubeconfig/welcome-without-one", test_welcome_without_kubeconfig);
  g_test_add_func ("/porthole/ui/kubeconfig/demo", test_demo);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin (100);
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  ph_sim_server_stop (alpha);
  ph_sim_server_stop (beta);
  g_clear_object (&alpha);
  g_clear_object (&beta);
  ui_test_remove_tree (tmpdir);
  g_free (tmpdir);

  return ret;
}
