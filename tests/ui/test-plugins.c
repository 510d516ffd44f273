/* test-plugins.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ph-application.h"
#include "ph-cluster.h"
#include "ph-cluster-entry.h"
#include "ph-kinds.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-plugin-loader.h"
#include "ph-plugin-manager-window.h"
#include "ph-plugin-registry.h"
#include "ph-plugin-row.h"
#include "ph-resource-view.h"
#include "ph-sim-server.h"
#include "ph-watch-hub.h"
#include "ph-window.h"
#include "ui-test-util.h"

/* The application with the shipped plugins (from the build tree, through
 * PORTHOLE_PLUGIN_PATH), a folder of broken plugins before them, and one
 * simulated cluster ("alpha") with pods and widgets. */
static PhApplication *app;
static PhWindow *window;
static PhSimServer *alpha;
static char *tmpdir;

#define DEADLINE_SECONDS 30
#define wait_for(condition, data) ui_test_wait_for ((condition), (data), DEADLINE_SECONDS)
#define WIDGETS_VIEW "plugin:crd-views/widgets.demo.porthole.io"
#define CERTIFICATES_VIEW "plugin:crd-views/certificates.cert-manager.io"
#define EXTRA_VIEW "plugin:widget-columns/widgets.demo.porthole.io"

typedef UiTestCondition Condition;



static gboolean
drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0 && gtk_widget_get_height (data) > 0;
}

static void
save_widget_screenshot (GtkWidget  *widget,
                        const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("screenshot-%s.png", name);
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT), file, NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GskRenderer *renderer;
  int width, height;

  /* A window just presented may not be on screen yet. */
  g_assert_true (wait_for (drawn, widget));
  ui_test_spin (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  while (node == NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        ui_test_spin (100);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Widget tree walks. */


/* A visible label whose text contains @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;

  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The sidebar row that lists @kind_id, or NULL. */
static GtkWidget *
find_kind_row (const char *kind_id)
{
  GtkWidget *list = GTK_WIDGET (ph_window_get_kind_list (window));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      PhKind *kind = g_object_get_data (G_OBJECT (row), "ph-kind");

      if (kind != NULL && g_str_equal (ph_kind_get_id (kind), kind_id))
        return row;
    }

  return NULL;
}



/* Conditions. */

static PhResourceView *
resource_view (void)
{
  return ph_window_get_resource_view (window);
}

static gboolean
list_is_live (gpointer data)
{
  PhResourceView *view = data != NULL ? data : resource_view ();

  return g_strcmp0 (ph_resource_view_get_state_text (view), "Live") == 0 &&
         ph_resource_view_is_settled (view) &&
         g_list_model_get_n_items (ph_resource_view_get_model (view)) > 0;
}

static gboolean
kind_row_present (gpointer data)
{
  return find_kind_row (data) != NULL;
}

static gboolean
kind_row_absent (gpointer data)
{
  return find_kind_row (data) == NULL;
}

static gboolean
label_shown (gpointer data)
{
  GtkWidget **args = data;

  return find_label (args[0], (const char *) args[1]) != NULL;
}

static gboolean
manager_idle (gpointer data)
{
  return !ph_plugin_manager_window_get_busy (data);
}

static void
show (const char *kind_id)
{
  const char *one[] = { "alpha", NULL };

  ph_window_select_clusters (window, one);
  g_assert_true (ph_window_show_kind (window, kind_id));
  ph_resource_view_set_search_text (resource_view (), NULL);
  g_assert_true (wait_for (list_is_live, NULL));
}

/* The text a kubectl JSONPath would print for @path in @object. */
static char *
json_text (PhObject   *object,
           const char *member,
           const char *field)
{
  g_autoptr(JsonNode) root = ph_object_parse (object, NULL);
  JsonObject *parent = json_object_get_object_member (json_node_get_object (root), member);
  JsonNode *node = json_object_get_member (parent, field);

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
}

/* Tests. */

static void
test_broken_plugins_reported (void)
{
  PhPluginLoader *loader = ph_application_get_plugin_loader (app);
  const char *message = NULL;

  g_assert_nonnull (loader);

  /* The shipped plugins load from the build tree. */
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "crd-views", &message), ==, PH_PLUGIN_STATE_LOADED);
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "container-images", &message), ==, PH_PLUGIN_STATE_LOADED);

  /* The broken ones are kept with the reason, and skipped. */
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "bad-json", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (message);
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "old-api", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "plugin API 999"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "bad-view", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "broken.yaml"));

  /* The application works all the same. */
  show ("pods");
  g_assert_null (find_kind_row ("plugin:bad-view/things.example.org"));
}

static void
test_manager_shows_failures (void)
{
  GtkWidget *manager;
  GtkWidget *args[2];

  g_action_group_activate_action (G_ACTION_GROUP (app), "plugins", NULL);
  manager = GTK_WIDGET (ui_test_find_toplevel (PH_TYPE_PLUGIN_MANAGER_WINDOW));
  g_assert_nonnull (manager);

  args[0] = manager;
  args[1] = (GtkWidget *) "plugin API 999";
  g_assert_true (wait_for (label_shown, args));
  args[1] = (GtkWidget *) "Cannot be loaded";
  g_assert_true (wait_for (label_shown, args));
  /* A plugin that loaded says nothing of the kind. */
  args[1] = (GtkWidget *) "Container images";
  g_assert_true (wait_for (label_shown, args));

  gtk_window_set_default_size (GTK_WINDOW (manager), 720, 760);
  save_widget_screenshot (manager, "plugins-failures");
  gtk_window_destroy (GTK_WINDOW (manager));
  ui_test_spin (50);
}

static void
test_view_lists_widgets (void)
{
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "widgets", NULL);
  GListModel *columns;
  GListModel *model;
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(PhObject) first = NULL;
  g_autofree char *color = NULL;
  g_autofree char *size = NULL;
  GtkWidget *row;
  GtkWidget *args[2];

  /* In the sidebar under the view's own placement group. */
  row = find_kind_row (WIDGETS_VIEW);
  g_assert_nonnull (row);
  g_assert_nonnull (gtk_list_box_row_get_header (GTK_LIST_BOX_ROW (row)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_header (GTK_LIST_BOX_ROW (row)))), ==, "Demo");

  show (WIDGETS_VIEW);
  g_assert_cmpuint (truth->len, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (ph_resource_view_get_model (resource_view ())), ==, truth->len);

  /* Its JSONPath columns. */
  columns = gtk_column_view_get_columns (ph_resource_view_get_column_view (resource_view ()));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_string_append_printf (titles, "%s|", gtk_column_view_column_get_title (column));
    }
  g_assert_cmpstr (titles->str, ==, "Name|Namespace|Color|Size|Phase|Age|");

  model = ph_resource_view_get_model (resource_view ());
  first = g_list_model_get_item (model, 0);
  color = json_text (first, "spec", "color");
  size = json_text (first, "spec", "size");
  g_assert_nonnull (ui_test_find_inscription (GTK_WIDGET (resource_view ()), color));
  g_assert_nonnull (ui_test_find_inscription (GTK_WIDGET (resource_view ()), size));

  /* Its detail fields. */
  g_assert_true (ph_resource_view_select_object (resource_view (), first));
  ph_window_set_details_visible (window, TRUE);
  args[0] = GTK_WIDGET (ph_window_get_details_pane (window));
  args[1] = (GtkWidget *) "Color label";
  g_assert_true (wait_for (label_shown, args));
  args[1] = (GtkWidget *) "Generation";
  g_assert_true (wait_for (label_shown, args));

  save_widget_screenshot (GTK_WIDGET (window), "plugin-view-widgets");
}

typedef struct {
  PhDetailsPane *details;
  PhObject      *object;
  char          *rv;
} SectionWatch;

static void
section_watch_start (SectionWatch *watch)
{
  g_clear_pointer (&watch->rv, g_free);
  watch->object = ph_details_pane_get_object (watch->details);
  if (watch->object == NULL || find_label (GTK_WIDGET (watch->details), "Container images") == NULL)
    return;
  watch->rv = g_strdup (ph_object_get_resource_version (watch->object));
}

/* The summary is rebuilt as a whole: when it shows the new resource
 * version, the section beside it was rendered from that version too. */
static gboolean
section_watch_done (SectionWatch *watch)
{
  const char *rv;

  if (watch->rv == NULL || ph_details_pane_get_object (watch->details) != watch->object)
    return FALSE;
  rv = ph_object_get_resource_version (watch->object);

  return g_strcmp0 (rv, watch->rv) != 0 &&
         find_label (GTK_WIDGET (watch->details), rv) != NULL &&
         find_label (GTK_WIDGET (watch->details), "Container images") != NULL;
}

static gboolean
watch_section_rerendered (PhDetailsPane *details)
{
  SectionWatch watch = { details, NULL, NULL };
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;
  gboolean done = FALSE;

  section_watch_start (&watch);
  while (!done && g_get_monotonic_time () < deadline)
    {
      if (ph_details_pane_get_object (details) != watch.object || watch.rv == NULL)
        {
          /* The pod went away: watch the first one now. */
          g_autoptr(PhObject) pod = g_list_model_get_item (ph_resource_view_get_model (resource_view ()), 0);

          if (pod != NULL)
            ph_resource_view_select_object (resource_view (), pod);
          ui_test_spin (300);
          section_watch_start (&watch);
          continue;
        }
      ph_sim_server_churn_steps (alpha, 3);
      ui_test_spin (400);
      done = section_watch_done (&watch);
    }

  g_free (watch.rv);
  return done;
}

static void
test_native_section_on_pod (void)
{
  PhDetailsPane *details = ph_window_get_details_pane (window);
  g_autoptr(PhObject) pod = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *containers;
  const char *image;
  GtkWidget *args[2];

  show ("pods");
  pod = g_list_model_get_item (ph_resource_view_get_model (resource_view ()), 0);
  root = ph_object_parse (pod, NULL);
  containers = json_object_get_array_member (json_object_get_object_member (json_node_get_object (root), "spec"),
                                             "containers");
  image = json_object_get_string_member (json_array_get_object_element (containers, 0), "image");

  g_assert_true (ph_resource_view_select_object (resource_view (), pod));
  ph_window_set_details_visible (window, TRUE);
  args[0] = GTK_WIDGET (details);
  args[1] = (GtkWidget *) "Container images";
  g_assert_true (wait_for (label_shown, args));
  args[1] = (GtkWidget *) image;
  g_assert_true (wait_for (label_shown, args));
  save_widget_screenshot (GTK_WIDGET (window), "plugin-section-pod");

  /* A new version of the pod renders the section again.  Churn also
   * deletes pods: then another one is watched. */
  g_assert_true (watch_section_rerendered (details));
}

static void
test_printer_columns_json_path (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(PhKind) kind = ph_kind_new_custom ("demo.porthole.io", "v1", "widgets", "Widget", TRUE);
  g_autoptr(JsonNode) columns = json_from_string ("["
    "{\"name\":\"Spec\",\"type\":\"string\",\"jsonPath\":\".spec.*\"},"
    "{\"name\":\"Label\",\"type\":\"string\",\"jsonPath\":\"{.metadata.labels['color']}\"},"
    "{\"name\":\"Plain\",\"type\":\"string\",\"jsonPath\":\"status.phase\"}"
    "]", NULL);
  GtkWidget *toplevel = gtk_window_new ();
  PhResourceView *view = g_object_new (PH_TYPE_RESOURCE_VIEW, NULL);
  g_autoptr(GPtrArray) clusters = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *entries = ph_window_get_clusters (window);
  g_autoptr(PhObject) first = NULL;
  g_autofree char *color = NULL;
  g_autofree char *size = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *spec = NULL;
  guint n = g_list_model_get_n_items (entries);

  ph_window_select_clusters (window, one);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (entries, i);
      PhCluster *cluster = ph_cluster_entry_get_cluster (entry);

      if (cluster != NULL && g_str_equal (ph_cluster_get_context_name (cluster), "alpha"))
        g_ptr_array_add (clusters, g_object_ref (cluster));
    }
  g_assert_cmpuint (clusters->len, ==, 1);

  ph_kind_set_printer_columns (kind, json_node_get_array (columns));
  gtk_window_set_child (GTK_WINDOW (toplevel), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (toplevel), 900, 500);
  gtk_window_present (GTK_WINDOW (toplevel));
  ph_resource_view_set_target (view, ph_application_get_hub (app), clusters, NULL, kind);
  g_assert_true (wait_for (list_is_live, view));

  first = g_list_model_get_item (ph_resource_view_get_model (view), 0);
  color = json_text (first, "spec", "color");
  size = json_text (first, "spec", "size");
  phase = json_text (first, "status", "phase");
  /* ".spec.*" prints every member, joined as kubectl joins them. */
  spec = g_strdup_printf ("%s,%s", color, size);
  ui_test_spin (200);
  g_assert_nonnull (ui_test_find_inscription (GTK_WIDGET (view), spec));
  g_assert_nonnull (ui_test_find_inscription (GTK_WIDGET (view), color));
  /* A path written without its leading dot still reads. */
  g_assert_nonnull (ui_test_find_inscription (GTK_WIDGET (view), phase));
  save_widget_screenshot (toplevel, "printer-columns-jsonpath");

  ph_resource_view_set_target (view, NULL, NULL, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (toplevel));
  ui_test_spin (50);
}

static PhPluginRow *
find_plugin_row (GtkWidget  *widget,
                 const char *name)
{
  if (PH_IS_PLUGIN_ROW (widget) && g_str_equal (ph_plugin_row_get_plugin_name (PH_PLUGIN_ROW (widget)), name))
    return PH_PLUGIN_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      PhPluginRow *found = find_plugin_row (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
plugin_row_shown (gpointer data)
{
  GtkWidget **args = data;

  return find_plugin_row (args[0], (const char *) args[1]) != NULL;
}

static void
set_plugin_enabled (GtkWidget  *manager,
                    const char *name,
                    gboolean    enabled)
{
  GtkWidget *args[2] = { manager, (GtkWidget *) name };

  g_assert_true (wait_for (plugin_row_shown, args));
  ph_plugin_row_set_enabled (find_plugin_row (manager, name), enabled);
}

static void
test_disable_hides_view (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) disabled = NULL;
  GtkWidget *manager;
  GtkWidget *restart;

  show (WIDGETS_VIEW);
  g_action_group_activate_action (G_ACTION_GROUP (app), "plugins", NULL);
  manager = GTK_WIDGET (ui_test_find_toplevel (PH_TYPE_PLUGIN_MANAGER_WINDOW));
  g_assert_nonnull (manager);

  /* Off: the view goes at once, with the list it showed. */
  set_plugin_enabled (manager, "crd-views", FALSE);
  disabled = g_settings_get_strv (settings, "disabled-plugins");
  g_assert_true (g_strv_contains ((const char * const *) disabled, "crd-views"));
  g_assert_true (wait_for (kind_row_absent, (gpointer) WIDGETS_VIEW));
  g_assert_cmpint (ph_plugin_loader_get_state (ph_application_get_plugin_loader (app), "crd-views", NULL),
                   ==, PH_PLUGIN_STATE_DISABLED);
  g_assert_null (g_object_get_data (G_OBJECT (gtk_list_box_get_selected_row (ph_window_get_kind_list (window))), "ph-kind"));
  restart = gtk_widget_get_ancestor (find_label (manager, "Restart Porthole"), GTK_TYPE_REVEALER);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (restart)));

  /* A native module only changes at the next start, and says so. */
  set_plugin_enabled (manager, "container-images", FALSE);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (restart)));

  /* On again. */
  set_plugin_enabled (manager, "crd-views", TRUE);
  set_plugin_enabled (manager, "container-images", TRUE);
  g_assert_true (wait_for (kind_row_present, (gpointer) WIDGETS_VIEW));
  g_assert_cmpint (ph_plugin_loader_get_state (ph_application_get_plugin_loader (app), "crd-views", NULL),
                   ==, PH_PLUGIN_STATE_LOADED);

  gtk_window_destroy (GTK_WINDOW (manager));
  ui_test_spin (50);
}

static char *
column_titles (void)
{
  GListModel *columns = gtk_column_view_get_columns (ph_resource_view_get_column_view (resource_view ()));
  GString *titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_string_append_printf (titles, "%s|", gtk_column_view_column_get_title (column));
    }

  return g_string_free (titles, FALSE);
}

static gboolean
extra_view_updated (gpointer data)
{
  PhKind *kind = ph_resource_view_get_kind (resource_view ());
  g_autofree char *titles = NULL;

  if (kind == NULL || !g_str_equal (ph_kind_get_id (kind), EXTRA_VIEW))
    return FALSE;
  titles = column_titles ();
  return strstr (titles, "Generation") != NULL;
}

static gboolean
catalog_offers (gpointer data)
{
  GtkWidget **args = data;

  return find_label (args[0], "Widget columns") != NULL && !ph_plugin_manager_window_get_busy (PH_PLUGIN_MANAGER_WINDOW (args[0]));
}

static void
test_demo_catalog_install_uninstall (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_dir = ph_plugin_user_dir ();
  g_autofree char *installed = g_build_filename (user_dir, "widget-columns", "plugin.json", NULL);
  GtkWidget *manager;
  GtkWidget *args[2];
  GtkWidget *row;
  GtkWidget *restart;
  char *columns = NULL;

  g_assert_null (find_kind_row (EXTRA_VIEW));

  g_assert_true (ph_application_open_demo (app, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ph_application_get_demo_catalog (app));
  g_assert_true (g_file_test (ph_application_get_demo_catalog (app), G_FILE_TEST_IS_REGULAR));

  g_action_group_activate_action (G_ACTION_GROUP (app), "plugins", NULL);
  manager = GTK_WIDGET (ui_test_find_toplevel (PH_TYPE_PLUGIN_MANAGER_WINDOW));
  g_assert_nonnull (manager);
  gtk_window_set_default_size (GTK_WINDOW (manager), 720, 760);
  args[0] = manager;
  g_assert_true (wait_for (catalog_offers, args));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (ui_test_find_descendant_of_type (manager, ADW_TYPE_VIEW_STACK)), "catalog");
  save_widget_screenshot (manager, "plugins-demo-catalog");
  {
    /* The older version is offered beside "Install". */
    GtkWidget *menu_button = ui_test_find_descendant_of_type (GTK_WIDGET (find_plugin_row (manager, "widget-columns")),
                                                      GTK_TYPE_MENU_BUTTON);
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
    g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET,
                                                                        G_VARIANT_TYPE_STRING);

    g_assert_true (gtk_widget_get_visible (menu_button));
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "widget-columns@1.0.0");
  }

  /* Install the older version first: the view appears without a restart,
   * and no restart is asked for a declarative plugin. */
  g_assert_true (gtk_widget_activate_action (manager, "plugin.install", "s", "widget-columns@1.0.0"));
  g_assert_true (ph_plugin_manager_window_get_busy (PH_PLUGIN_MANAGER_WINDOW (manager)));
  g_assert_true (wait_for (manager_idle, manager));
  g_assert_true (g_file_test (installed, G_FILE_TEST_IS_REGULAR));
  g_assert_true (wait_for (kind_row_present, (gpointer) EXTRA_VIEW));
  ui_test_spin (200);
  restart = gtk_widget_get_ancestor (find_label (manager, "Restart Porthole"), GTK_TYPE_REVEALER);
  g_assert_nonnull (restart);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (restart)));

  row = find_kind_row (EXTRA_VIEW);
  g_assert_nonnull (row);
  g_assert_true (ph_window_show_kind (window, EXTRA_VIEW));
  g_assert_true (wait_for (list_is_live, NULL));
  columns = column_titles ();
  g_assert_cmpstr (columns, ==, "Name|Namespace|Color|Size|Age|");
  g_clear_pointer (&columns, g_free);

  /* The manager offers the update; after it the open list shows the new
   * version's columns. */
  args[1] = (GtkWidget *) "widget-columns";
  g_assert_true (wait_for (plugin_row_shown, args));
  g_assert_cmpstr (ph_plugin_row_get_update_version (find_plugin_row (manager, "widget-columns")), ==, "1.1.0");
  save_widget_screenshot (manager, "plugins-demo-installed");
  g_assert_true (gtk_widget_activate_action (manager, "plugin.update", "s", "widget-columns"));
  g_assert_true (wait_for (manager_idle, manager));
  g_assert_true (wait_for (extra_view_updated, NULL));
  g_assert_true (wait_for (list_is_live, NULL));
  columns = column_titles ();
  g_assert_cmpstr (columns, ==, "Name|Namespace|Color|Size|Phase|Generation|Age|");
  g_clear_pointer (&columns, g_free);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (restart)));
  save_widget_screenshot (GTK_WIDGET (window), "plugins-demo-view");

  /* Uninstall: the view goes, and the list it showed with it. */
  g_assert_true (gtk_widget_activate_action (manager, "plugin.uninstall", "s", "widget-columns"));
  g_assert_true (wait_for (manager_idle, manager));
  g_assert_false (g_file_test (installed, G_FILE_TEST_EXISTS));
  g_assert_true (wait_for (kind_row_absent, (gpointer) EXTRA_VIEW));
  g_assert_nonnull (find_kind_row (WIDGETS_VIEW));
  g_assert_cmpstr (ph_window_get_page (window), ==, "browser");

  gtk_window_destroy (GTK_WINDOW (manager));
  ui_test_spin (50);
}

/* Setup. */



static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

/* Plugins that must not load: a plugin.json that is no JSON, a module
 * built for another API version, and a view that is no view. */
static void
write_broken_plugins (const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_json = g_build_filename (extra, "bad-json", NULL);
  g_autofree char *old_api = g_build_filename (extra, "old-api", NULL);
  g_autofree char *bad_view = g_build_filename (extra, "bad-view", NULL);
  g_autofree char *module = NULL;
  gsize length = 0;

  write_file (bad_json, "plugin.json", "{ \"name\": \"bad-json\", ", -1);

  write_file (old_api, "plugin.json",
              "{\"name\":\"old-api\",\"version\":\"1.0.0\",\"title\":\"Old API\","
              "\"description\":\"Built for another plugin API\",\"versionCompat\":\">=0.1.0\","
              "\"contributes\":{\"module\":\"libold-api-plugin.so\"}}", -1);
  g_assert_true (g_file_get_contents (PH_TEST_OLD_API_MODULE, &module, &length, &error));
  g_assert_no_error (error);
  write_file (old_api, "libold-api-plugin.so", module, length);

  write_file (bad_view, "plugin.json",
              "{\"name\":\"bad-view\",\"version\":\"1.0.0\",\"title\":\"Bad view\","
              "\"description\":\"A view that does not parse\",\"versionCompat\":\">=0.1.0\","
              "\"contributes\":{\"views\":[\"broken.yaml\"]}}", -1);
  write_file (bad_view, "broken.yaml", "kind: Thing\ncolumns: [ { name: X, jsonPath: .a[ } ]\n", -1);
}

static gboolean
row_dimmed (gpointer data)
{
  GtkWidget *row = find_kind_row (data);

  return row != NULL && gtk_widget_has_css_class (row, "dim-label");
}

/* A view of a resource the selected cluster does not serve stays in the
 * sidebar, dimmed; what it serves is not. */
static void
test_unserved_view_dimmed (void)
{
  g_assert_true (wait_for (row_dimmed, (gpointer) CERTIFICATES_VIEW));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_kind_row (CERTIFICATES_VIEW)), ==,
                   "Not served by the selected clusters");
  g_assert_false (row_dimmed ((gpointer) WIDGETS_VIEW));
  g_assert_false (row_dimmed ((gpointer) "pods"));
  g_assert_false (row_dimmed ((gpointer) "statefulsets.apps"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *config = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *plugin_path = NULL;
  const char *paths[2];
  int ret;

  tmpdir = g_dir_make_tmp ("porthole-plugins-ui-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);
    g_autofree char *data = g_build_filename (tmpdir, "data", NULL);

    /* The user plugin folder and the demo's kubeconfig stay in here. */
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
  }
  g_setenv ("MESA_SHADER_CACHE_DISABLE", "true", TRUE);
  g_setenv ("KUBECONFIG", "/nonexistent", TRUE);

  extra = g_build_filename (tmpdir, "extra", NULL);
  write_broken_plugins (extra);
  plugin_path = g_strjoin (G_SEARCHPATH_SEPARATOR_S, extra, PH_TEST_SHIPPED_PLUGINS, NULL);
  g_setenv ("PORTHOLE_PLUGIN_PATH", plugin_path, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  alpha = ui_test_start_server (11);
  config = g_build_filename (tmpdir, "config", NULL);
  g_assert_true (ph_sim_server_write_kubeconfig (alpha, config, "alpha", &error));
  g_assert_no_error (error);

  settings = g_settings_new (APP_ID);
  paths[0] = config;
  paths[1] = NULL;
  g_settings_set_strv (settings, "kubeconfig-paths", paths);
  g_settings_set_enum (settings, "namespace-mode", 1);

  app = ph_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = ph_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/porthole/ui/plugins/broken-plugins-reported", test_broken_plugins_reported);
  g_test_add_func ("/porthole/ui/plugins/manager-shows-failures", test_manager_shows_failures);
  g_test_add_func ("/porthole/ui/plugins/view-lists-widgets", test_view_lists_widgets);
  g_test_add_func ("/porthole/ui/plugins/unserved-view-dimmed", test_unserved_view_dimmed);
  g_test_add_func ("/porthole/ui/plugins/native-section-on-pod", test_native_section_on_pod);
  g_test_add_func ("/porthole/ui/plugins/printer-columns-json-path", test_printer_columns_json_path);
  g_test_add_func ("/porthole/ui/plugins/disable-hides-view", test_disable_hides_view);
  g_test_add_func ("/porthole/ui/plugins/demo-catalog-install-uninstall", test_demo_catalog_install_uninstall);

  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin (100);
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  ph_sim_server_stop (alpha);
  g_clear_object (&alpha);
  ui_test_remove_tree (tmpdir);
  g_free (tmpdir);

  return ret;
}
