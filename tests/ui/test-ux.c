/* test-ux.c
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
#include "ph-field-cell.h"
#include "ph-object.h"
#include "ph-overview.h"
#include "ph-quick-switcher.h"
#include "ph-sim-server.h"
#include "ph-window.h"
#include "ui-test-util.h"

/* How the window behaves in the hands of its users: the quick switcher,
 * the namespace selector, the cluster shortcuts, the details pane, the
 * welcome page and the sidebar's broken entries.  One window on two
 * simulated clusters ("alpha", "beta") with a broken entry between them. */
static PhApplication *app;
static PhWindow *window;
static PhSimServer *alpha;
static PhSimServer *beta;
static char *tmpdir;
static char *kubeconfigs[4];

#define DEADLINE_SECONDS 20
#define wait_for(condition, data) ui_test_wait_for ((condition), (data), DEADLINE_SECONDS)

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("screenshot-ux-%s.png", name);
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT), file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width, height;

  ui_test_spin (200);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
  g_test_message ("screenshot: %s", path);
}

static PhResourceView *
view (void)
{
  return ph_window_get_resource_view (window);
}

static gboolean
state_is_live (gpointer data)
{
  return g_strcmp0 (ph_resource_view_get_state_text (view ()), "Live") == 0 && ph_resource_view_is_settled (view ());
}

static gboolean
has_rows (gpointer data)
{
  return g_list_model_get_n_items (ph_resource_view_get_model (view ())) >= GPOINTER_TO_UINT (data);
}

static void
show (const char         *kind,
      const char * const *clusters)
{
  ph_window_select_clusters (window, clusters);
  g_assert_true (ph_window_show_kind (window, kind));
  g_assert_true (wait_for (state_is_live, NULL));
}

/* The first descendant of @widget of @type that @match accepts. */
typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *widget,
             GType          type,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && (match == NULL || match (widget, data)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
name_is (GtkWidget     *widget,
         gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
check_label_is (GtkWidget     *widget,
                gconstpointer  text)
{
  return g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), text) == 0;
}

static gboolean
status_page_titled (GtkWidget     *widget,
                    gconstpointer  title)
{
  return g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

/* 1. Enter right after typing acts on what was typed. */

static gboolean
quick_switcher_shown (gpointer data)
{
  GtkWindow *switcher = ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER);

  return switcher != NULL && gtk_widget_get_mapped (GTK_WIDGET (switcher));
}

static void
test_quick_switcher_enter_at_once (void)
{
  const char *one[] = { "alpha", NULL };
  const char * const typed[][2] = {
    { "Nodes", "nodes" },
    { "deploy", "deployments.apps" },
    { "pods", "pods" },
  };

  show ("services", one);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      GtkWidget *switcher;
      GtkWidget *entry;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.quick-switch", NULL));
      g_assert_true (wait_for (quick_switcher_shown, NULL));
      switcher = GTK_WIDGET (ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER));
      entry = ui_test_find_descendant_of_type (switcher, GTK_TYPE_SEARCH_ENTRY);
      g_assert_nonnull (entry);

      /* No main-loop turn between typing and Enter: the entry's search
       * delay has not passed. */
      gtk_editable_set_text (GTK_EDITABLE (entry), typed[i][0]);
      g_signal_emit_by_name (entry, "activate");

      g_assert_null (ui_test_find_toplevel (PH_TYPE_QUICK_SWITCHER));
      g_assert_cmpstr (ph_kind_get_id (ph_resource_view_get_kind (view ())), ==, typed[i][1]);
      ui_test_spin (50);
    }
}

/* 2. The namespace checks say what is listed. */

/* Pops the namespace popover up until it shows: a popup asked for
 * before its button is mapped (a busy machine) does nothing. */
static gboolean
popover_shown (gpointer data)
{
  GtkPopover *popover = ph_window_get_namespace_popover (window);

  if (!gtk_widget_get_mapped (GTK_WIDGET (popover)))
    gtk_popover_popup (popover);

  return gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static GtkCheckButton *
all_namespaces_check (void)
{
  return GTK_CHECK_BUTTON (find_widget (GTK_WIDGET (ph_window_get_namespace_popover (window)),
                                       GTK_TYPE_CHECK_BUTTON, check_label_is, "_All Namespaces"));
}

static gboolean
row_shown (gpointer data)
{
  GtkCheckButton *check = ph_window_get_namespace_check (window, data);

  return check != NULL && gtk_widget_get_child_visible (gtk_widget_get_parent (GTK_WIDGET (check)));
}

static gboolean
row_hidden (gpointer data)
{
  return !row_shown (data);
}

static gboolean
label_mapped (gpointer data)
{
  GtkWidget *label = find_widget (GTK_WIDGET (ph_window_get_namespace_popover (window)), GTK_TYPE_LABEL,
                                  label_is, data);

  return label != NULL && gtk_widget_get_mapped (label);
}

static void
test_namespace_checks_agree (void)
{
  const char *one[] = { "alpha", NULL };
  GtkPopover *popover = ph_window_get_namespace_popover (window);
  GtkCheckButton *all, *default_check, *system_check;
  GtkWidget *search;

  show ("pods", one);
  ph_window_set_namespaces (window, NULL);
  gtk_popover_popup (popover);
  g_assert_true (wait_for (popover_shown, NULL));
  all = all_namespaces_check ();
  default_check = ph_window_get_namespace_check (window, "default");
  system_check = ph_window_get_namespace_check (window, "kube-system");
  g_assert_nonnull (all);
  g_assert_nonnull (default_check);
  g_assert_nonnull (system_check);

  /* Everything listed: "All Namespaces" alone. */
  g_assert_true (gtk_check_button_get_active (all));
  g_assert_false (gtk_check_button_get_active (default_check));

  /* One namespace: it alone. */
  gtk_check_button_set_active (default_check, TRUE);
  g_assert_false (gtk_check_button_get_active (all));
  g_assert_true (gtk_check_button_get_active (default_check));

  /* Unticking "All Namespaces" when it is what is listed changes
   * nothing: it stays ticked, nothing else is. */
  gtk_check_button_set_active (default_check, FALSE);
  g_assert_true (gtk_check_button_get_active (all));
  gtk_check_button_set_active (all, FALSE);
  g_assert_true (gtk_check_button_get_active (all));
  g_assert_false (gtk_check_button_get_active (default_check));
  g_assert_true (ph_window_get_namespace_check (window, "default") == default_check);

  /* Ticking "All Namespaces" clears the chosen ones. */
  gtk_check_button_set_active (default_check, TRUE);
  gtk_check_button_set_active (system_check, TRUE);
  g_assert_false (gtk_check_button_get_active (all));
  gtk_check_button_set_active (all, TRUE);
  g_assert_true (gtk_check_button_get_active (all));
  g_assert_false (gtk_check_button_get_active (default_check));
  g_assert_false (gtk_check_button_get_active (system_check));

  /* Set from elsewhere, the open popover follows. */
  {
    const char *system_only[] = { "kube-system", NULL };

    ph_window_set_namespaces (window, system_only);
    g_assert_true (gtk_check_button_get_active (system_check));
    g_assert_false (gtk_check_button_get_active (all));
    ph_window_set_namespaces (window, NULL);
    g_assert_true (gtk_check_button_get_active (all));
    g_assert_false (gtk_check_button_get_active (system_check));
  }

  /* Search ignores case, and says when nothing matches. */
  search = ui_test_find_descendant_of_type (GTK_WIDGET (popover), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "DEFAULT");
  g_assert_true (wait_for (row_hidden, (gpointer) "kube-system"));
  g_assert_true (row_shown ((gpointer) "default"));
  save_screenshot (GTK_WIDGET (popover), "namespace-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "no-such-namespace");
  g_assert_true (wait_for (label_mapped, (gpointer) "No matching namespaces"));
  save_screenshot (GTK_WIDGET (popover), "namespace-none");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (wait_for (row_shown, (gpointer) "kube-system"));

  gtk_popover_popdown (popover);
  ph_window_set_namespaces (window, NULL);
}

/* 3. Ctrl+N counts the clusters as the sidebar shows them. */

static gboolean
only_selected (const char *context)
{
  GListModel *clusters = ph_window_get_clusters (window);

  for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (clusters, i);

      if (ph_cluster_entry_get_selected (entry) != g_str_equal (ph_cluster_entry_get_name (entry), context))
        return FALSE;
    }

  return TRUE;
}

static gboolean
only_selected_cb (gpointer data)
{
  return only_selected (data);
}

static void
test_cluster_numbers_follow_sidebar (void)
{
  GListModel *clusters = ph_window_get_clusters (window);
  const char * const order[] = { "alpha", "broken-ca", "beta" };

  g_assert_cmpuint (g_list_model_get_n_items (clusters), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(PhClusterEntry) entry = g_list_model_get_item (clusters, i);

      g_assert_cmpstr (ph_cluster_entry_get_name (entry), ==, order[i]);
    }

  /* Ctrl+3: the third row, beta (not the third usable one). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-cluster", "u", 3));
  g_assert_true (wait_for (only_selected_cb, (gpointer) "beta"));

  /* Ctrl+2: the broken entry; the selection stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-cluster", "u", 2));
  ui_test_spin (100);
  g_assert_true (only_selected ("beta"));
  save_screenshot (GTK_WIDGET (window), "broken-shortcut");

  /* Ctrl+9: no such row. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-cluster", "u", 9));
  ui_test_spin (50);
  g_assert_true (only_selected ("beta"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-cluster", "u", 1));
  g_assert_true (wait_for (only_selected_cb, (gpointer) "alpha"));
  g_assert_true (wait_for (state_is_live, NULL));
}

/* 4. The details pane. */

static GtkAdjustment *
pane_adjustment (const char *scroller_name)
{
  GtkWidget *scroller = find_widget (GTK_WIDGET (ph_window_get_details_pane (window)), GTK_TYPE_SCROLLED_WINDOW,
                                     name_is, scroller_name);

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static gboolean
scrollable (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 100;
}

static gboolean
yaml_names (gpointer data)
{
  g_autofree char *yaml = ph_details_pane_dup_yaml (ph_window_get_details_pane (window));

  return yaml != NULL && strstr (yaml, data) != NULL;
}

static void
select_and_wait (PhObject *object)
{
  g_autofree char *expected = g_strdup_printf ("name: %s", ph_object_get_name (object));

  g_assert_true (ph_resource_view_select_object (view (), object));
  g_assert_true (wait_for (yaml_names, expected));
}

static void
scroll_down (GtkAdjustment *adjustment)
{
  g_assert_true (wait_for (scrollable, adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  ui_test_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 100);
}

static gboolean
at_top (gpointer data)
{
  return gtk_adjustment_get_value (data) == gtk_adjustment_get_lower (data);
}

static void
test_details_scroll_resets (void)
{
  const char *one[] = { "alpha", NULL };
  PhDetailsPane *pane = ph_window_get_details_pane (window);
  GListModel *model;
  g_autoptr(PhObject) first = NULL;
  g_autoptr(PhObject) second = NULL;
  GtkAdjustment *summary, *yaml;

  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (2)));
  model = ph_resource_view_get_model (view ());
  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  ph_window_set_details_visible (window, TRUE);
  summary = pane_adjustment ("summary-scroller");
  yaml = pane_adjustment ("yaml-scroller");

  /* The summary, read down to its end, starts at the top for the next
   * object. */
  select_and_wait (first);
  ph_details_pane_show_page (pane, "summary");
  scroll_down (summary);
  select_and_wait (second);
  g_assert_true (wait_for (at_top, summary));
  ui_test_spin (200);
  g_assert_true (at_top (summary));

  /* So does the YAML. */
  ph_details_pane_show_page (pane, "yaml");
  scroll_down (yaml);
  select_and_wait (first);
  g_assert_true (wait_for (at_top, yaml));
  ui_test_spin (200);
  g_assert_true (at_top (yaml));
  ph_details_pane_show_page (pane, "summary");
  ph_window_set_details_visible (window, FALSE);
}

static void
test_details_switcher_needs_object (void)
{
  PhDetailsPane *pane = ph_window_get_details_pane (window);
  GtkWidget *switcher = ui_test_find_descendant_of_type (GTK_WIDGET (pane), GTK_TYPE_STACK_SWITCHER);
  g_autoptr(PhObject) object = g_list_model_get_item (ph_resource_view_get_model (view ()), 0);

  g_assert_nonnull (switcher);
  g_assert_nonnull (object);

  ph_details_pane_set_object (pane, NULL, NULL, NULL);
  g_assert_false (gtk_widget_get_sensitive (switcher));
  ph_details_pane_set_object (pane, object, NULL, NULL);
  g_assert_true (gtk_widget_get_sensitive (switcher));
  ph_details_pane_set_object (pane, NULL, NULL, NULL);
  g_assert_false (gtk_widget_get_sensitive (switcher));
}

/* Appends the titles, subtitles and labels under @widget. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (out, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static gboolean
pane_shows (gpointer data)
{
  g_autoptr(GString) text = g_string_new (NULL);

  collect_text (GTK_WIDGET (ph_window_get_details_pane (window)), text);
  return strstr (text->str, data) != NULL;
}

static void
test_details_deployment_summary (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(PhObject) deployment = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  show ("deployments.apps", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  deployment = g_list_model_get_item (ph_resource_view_get_model (view ()), 0);
  ph_window_set_details_visible (window, TRUE);
  select_and_wait (deployment);
  g_assert_true (wait_for (pane_shows, (gpointer) "Replicas"));

  collect_text (GTK_WIDGET (ph_window_get_details_pane (window)), text);
  g_assert_nonnull (strstr (text->str, "desired · "));
  g_assert_nonnull (strstr (text->str, " available"));
  g_assert_nonnull (strstr (text->str, "Strategy"));
  g_assert_nonnull (strstr (text->str, "Selector"));
  g_assert_nonnull (strstr (text->str, "app="));
  save_screenshot (GTK_WIDGET (window), "deployment");
  ph_window_set_details_visible (window, FALSE);
}

/* 7. Narrow: the pane covers the list only for a selected object. */

static gboolean
folded_is (gpointer data)
{
  return ph_window_get_folded (window) == GPOINTER_TO_INT (data);
}

static gboolean
flap_folded (gpointer data)
{
  AdwFlap *flap = ADW_FLAP (ui_test_find_descendant_of_type (GTK_WIDGET (window), ADW_TYPE_FLAP));

  return adw_flap_get_folded (flap);
}

static void
test_narrow_details_need_selection (void)
{
  const char *one[] = { "alpha", NULL };
  AdwFlap *flap = ADW_FLAP (ui_test_find_descendant_of_type (GTK_WIDGET (window), ADW_TYPE_FLAP));
  g_autoptr(PhObject) object = NULL;
  int width, height;

  show ("pods", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  ph_window_set_details_visible (window, TRUE);
  g_assert_true (adw_flap_get_reveal_flap (flap));

  gtk_window_set_default_size (GTK_WINDOW (window), 500, height);
  g_assert_true (wait_for (folded_is, GINT_TO_POINTER (TRUE)));
  g_assert_true (wait_for (flap_folded, NULL));

  /* Another kind: nothing selected, nothing covers the list. */
  g_assert_true (ph_window_show_kind (window, "deployments.apps"));
  g_assert_true (wait_for (state_is_live, NULL));
  g_assert_null (ph_resource_view_get_selected_object (view ()));
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_false (adw_flap_get_modal (flap));
  save_screenshot (GTK_WIDGET (window), "narrow-nothing-selected");

  /* Selected: the pane comes, over the list. */
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  object = g_list_model_get_item (ph_resource_view_get_model (view ()), 0);
  select_and_wait (object);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  save_screenshot (GTK_WIDGET (window), "narrow-selected");

  ph_window_set_details_visible (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  g_assert_true (wait_for (folded_is, GINT_TO_POINTER (FALSE)));
  g_assert_true (ph_window_show_kind (window, "pods"));
}

/* 10. Other namespaces or clusters: the list starts at its top. */

static void
test_list_scrolls_to_top (void)
{
  const char *both[] = { "alpha", "beta", NULL };
  const char *one[] = { "alpha", NULL };
  const char *default_ns[] = { "default", NULL };
  GtkScrollable *column_view = GTK_SCROLLABLE (ph_resource_view_get_column_view (view ()));
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (column_view);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 420);
  show ("pods", both);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (40)));
  scroll_down (adjustment);

  ph_window_set_namespaces (window, default_ns);
  g_assert_true (wait_for (state_is_live, NULL));
  ui_test_spin (100);

  g_assert_true (scrollable (adjustment));
  g_assert_true (at_top (adjustment));
  ph_window_set_namespaces (window, NULL);
  g_assert_true (wait_for (state_is_live, NULL));
  /* Laid out before the test scrolls it. */
  ui_test_spin (200);

  scroll_down (adjustment);
  ph_window_select_clusters (window, one);
  g_assert_true (wait_for (state_is_live, NULL));
  ui_test_spin (100);
  g_assert_true (scrollable (adjustment));
  g_assert_true (at_top (adjustment));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
}

/* 6. Broken entries: a short reason in the sidebar, all of it in the
 * tooltip. */

/* One broken entry of each kind, as its problem makes it: relative
 * paths resolve next to the file, where there is nothing. */
static const char broken_kinds_kubeconfig[] =
  "clusters:\n"
  "- name: ok\n"
  "  cluster:\n"
  "    server: https://127.0.0.1:1\n"
  "- name: lost-ca\n"
  "  cluster:\n"
  "    server: https://127.0.0.1:1\n"
  "    certificate-authority: no-such-ca.pem\n"
  "- name: serverless\n"
  "  cluster:\n"
  "    insecure-skip-tls-verify: true\n"
  "- name: ftp\n"
  "  cluster:\n"
  "    server: ftp://127.0.0.1\n"
  "- name: bad-ca-data\n"
  "  cluster:\n"
  "    server: https://127.0.0.1:1\n"
  "    certificate-authority-data: aGVsbG8=\n"
  "users:\n"
  "- name: lost-cert\n"
  "  user:\n"
  "    client-certificate: no-such-cert.pem\n"
  "    client-key: no-such-key.pem\n"
  "- name: lost-token\n"
  "  user:\n"
  "    tokenFile: no-such-token\n"
  "- name: magic\n"
  "  user:\n"
  "    auth-magic: x\n"
  "- name: old-exec\n"
  "  user:\n"
  "    exec:\n"
  "      command: x\n"
  "- name: gcp\n"
  "  user:\n"
  "    auth-provider:\n"
  "      name: gcp\n"
  "- name: both\n"
  "  user:\n"
  "    username: u\n"
  "    token: t\n"
  "contexts:\n"
  "- {name: missing-ca, context: {cluster: lost-ca}}\n"
  "- {name: missing-cert, context: {cluster: ok, user: lost-cert}}\n"
  "- {name: missing-token, context: {cluster: ok, user: lost-token}}\n"
  "- {name: no-cluster, context: {cluster: elsewhere}}\n"
  "- {name: no-user, context: {cluster: ok, user: ghost}}\n"
  "- {name: no-server, context: {cluster: serverless}}\n"
  "- {name: bad-server, context: {cluster: ftp}}\n"
  "- {name: bad-ca-data, context: {cluster: bad-ca-data}}\n"
  "- {name: unknown-field, context: {cluster: ok, user: magic}}\n"
  "- {name: bad-exec, context: {cluster: ok, user: old-exec}}\n"
  "- {name: auth-provider, context: {cluster: ok, user: gcp}}\n"
  "- {name: conflict, context: {cluster: ok, user: both}}\n";

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class) && gtk_widget_get_visible (widget);
}

/* The row of @entry shows @expected in a line of its own and the whole
 * error in that line's tooltip. */
static void
assert_short_reason (PhClusterEntry *entry,
                     const char     *expected)
{
  GtkWidget *row = g_object_ref_sink (ph_cluster_row_new (entry));
  GtkWidget *detail = find_widget (row, GTK_TYPE_LABEL, has_css_class, "error");

  g_test_message ("%s: %s", ph_cluster_entry_get_name (entry), ph_cluster_entry_get_error (entry));
  g_assert_nonnull (detail);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (detail)), ==, expected);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (detail), ==, ph_cluster_entry_get_error (entry));
  g_assert_finalize_object (row);
}

static void
assert_context_short_reason (PhKubeconfig *config,
                             const char   *name,
                             const char   *expected)
{
  PhContext *context = ph_kubeconfig_lookup_context (config, name);
  g_autoptr(PhClusterEntry) entry = NULL;

  g_assert_nonnull (context);
  g_assert_nonnull (ph_context_get_error (context));
  entry = ph_cluster_entry_new_broken (name, ph_context_get_server (context),
                                       ph_context_get_error (context)->message,
                                       ph_context_get_problem (context),
                                       ph_context_get_problem_field (context));
  assert_short_reason (entry, expected);
}

static void
test_broken_entry_short_reason (void)
{
  GtkWidget *row = ph_window_get_cluster_row (window, "broken-ca");
  g_autofree char *kinds_path = g_build_filename (tmpdir, "kinds.yaml", NULL);
  g_autofree char *garbage_path = g_build_filename (tmpdir, "garbage.yaml", NULL);
  g_autoptr(PhKubeconfig) kinds = NULL;
  g_autoptr(PhKubeconfig) with_garbage = NULL;
  g_autoptr(PhClusterEntry) unreadable = NULL;
  g_autoptr(PhClusterEntry) other = NULL;
  g_autoptr(GError) error = NULL;
  PhClusterEntry *entry;
  GtkWidget *detail;
  const char *tooltip;
  const char *label;

  /* The window's broken entry: short words, all of it in the tooltip. */
  g_assert_nonnull (row);
  entry = ph_cluster_row_get_entry (PH_CLUSTER_ROW (row));
  g_assert_false (ph_cluster_entry_get_usable (entry));
  g_test_message ("error: %s", ph_cluster_entry_get_error (entry));

  detail = find_widget (row, GTK_TYPE_LABEL, has_css_class, "error");
  g_assert_nonnull (detail);
  label = gtk_label_get_label (GTK_LABEL (detail));
  g_assert_cmpstr (label, ==, "CA certificate file not found");
  g_assert_null (strstr (label, kubeconfigs[1]));
  g_assert_false (gtk_label_get_wrap (GTK_LABEL (detail)));
  tooltip = gtk_widget_get_tooltip_text (detail);
  g_assert_cmpstr (tooltip, ==, ph_cluster_entry_get_error (entry));
  g_assert_nonnull (strstr (tooltip, kubeconfigs[1]));
  g_assert_nonnull (strstr (tooltip, "certificate-authority"));
  save_screenshot (GTK_WIDGET (window), "broken-entry");

  /* Each kind of problem in its own words. */
  kinds = ph_kubeconfig_new_from_data (broken_kinds_kubeconfig, -1, kinds_path, &error);
  g_assert_no_error (error);
  assert_context_short_reason (kinds, "missing-ca", "CA certificate file not found");
  assert_context_short_reason (kinds, "missing-cert", "Client certificate file not found");
  assert_context_short_reason (kinds, "missing-token", "Token file not found");
  assert_context_short_reason (kinds, "no-cluster", "Cluster not defined");
  assert_context_short_reason (kinds, "no-user", "User not defined");
  assert_context_short_reason (kinds, "no-server", "Server address missing");
  assert_context_short_reason (kinds, "bad-server", "Invalid server address");
  assert_context_short_reason (kinds, "bad-ca-data", "Invalid certificate");
  assert_context_short_reason (kinds, "unknown-field", "Unknown credential field");
  assert_context_short_reason (kinds, "bad-exec", "Invalid credential plugin");
  assert_context_short_reason (kinds, "auth-provider", "Auth provider not supported");
  assert_context_short_reason (kinds, "conflict", "Conflicting settings");

  /* A file that is no kubeconfig at all. */
  g_assert_true (g_file_set_contents (garbage_path, "clusters: [\n", -1, &error));
  {
    const char *paths[] = { garbage_path, kubeconfigs[0], NULL };
    const GError *file_error;
    const char *field = NULL;
    PhKubeconfigProblem problem;

    with_garbage = ph_kubeconfig_load_files (paths, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ph_kubeconfig_get_file_errors (with_garbage)->len, ==, 1);
    file_error = g_ptr_array_index (ph_kubeconfig_get_file_errors (with_garbage), 0);
    problem = ph_kubeconfig_get_file_problem (with_garbage, 0, NULL, NULL, &field);
    unreadable = ph_cluster_entry_new_broken ("Unreadable kubeconfig", NULL, file_error->message, problem, field);
  }
  assert_short_reason (unreadable, "Not a valid kubeconfig file");
  g_unlink (garbage_path);

  /* Broken for a reason that is not the kubeconfig's. */
  other = ph_cluster_entry_new ("other", NULL, NULL, "something went wrong");
  assert_short_reason (other, "Invalid entry");
}

/* 5 and 8. The welcome page says why, and leaves the browser's state
 * alone. */

static const char *
welcome_description (void)
{
  GtkWidget *page = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, status_page_titled,
                                 "Welcome to Porthole");

  g_assert_nonnull (page);
  return adw_status_page_get_description (ADW_STATUS_PAGE (page));
}

static gboolean
welcome_error_says (gpointer data)
{
  GtkWidget *page = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, status_page_titled,
                                 "Welcome to Porthole");
  g_autoptr(GString) text = g_string_new (NULL);

  collect_text (page, text);
  return strstr (text->str, data) != NULL;
}

static void
test_welcome_explains (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *missing = g_build_filename (tmpdir, "nope.yaml", NULL);
  g_autofree char *garbage = g_build_filename (tmpdir, "garbage.yaml", NULL);
  const char *missing_paths[] = { missing, NULL };
  const char *garbage_paths[] = { garbage, NULL };
  gboolean sidebar = g_settings_get_boolean (settings, "sidebar-visible");

  /* A file that is not there (--kubeconfig nope.yaml). */
  ph_application_load_kubeconfig (app, missing_paths);
  g_assert_cmpstr (ph_window_get_page (window), ==, "welcome");
  g_assert_null (strstr (welcome_description (), "Neither was found"));
  g_assert_nonnull (strstr (welcome_description (), "could not load"));
  g_assert_true (welcome_error_says (missing));
  save_screenshot (GTK_WIDGET (window), "welcome-missing");

  /* F9 and Alt+Return do nothing here. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-details", NULL);
  g_assert_cmpint (g_settings_get_boolean (settings, "sidebar-visible"), ==, sidebar);
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (ui_test_find_descendant_of_type (GTK_WIDGET (window),
                                                                                        ADW_TYPE_FLAP))));

  /* A file that is there but no kubeconfig. */
  g_assert_true (g_file_set_contents (garbage, "clusters: [ {\n  name: x\n", -1, NULL));
  ph_application_load_kubeconfig (app, garbage_paths);
  g_assert_cmpstr (ph_window_get_page (window), ==, "welcome");
  g_assert_null (strstr (welcome_description (), "Neither was found"));
  g_assert_true (welcome_error_says (garbage));
  g_assert_true (welcome_error_says ("malformed YAML"));
  save_screenshot (GTK_WIDGET (window), "welcome-garbage");

  /* Nothing where Porthole looks by default: the general words. */
  g_settings_set_strv (settings, "kubeconfig-paths", NULL);
  g_assert_cmpstr (ph_window_get_page (window), ==, "welcome");
  g_assert_nonnull (strstr (welcome_description (), "Neither was found"));

  /* Back to the clusters: the browser's actions work again. */
  g_settings_set_strv (settings, "kubeconfig-paths", (const char * const *) kubeconfigs);
  g_assert_cmpstr (ph_window_get_page (window), ==, "browser");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
  g_assert_cmpint (g_settings_get_boolean (settings, "sidebar-visible"), !=, sidebar);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
  g_assert_cmpint (g_settings_get_boolean (settings, "sidebar-visible"), ==, sidebar);
}

/* Setup. */

static const char broken_ca_kubeconfig[] =
  "apiVersion: v1\n"
  "kind: Config\n"
  "clusters:\n"
  "- name: lost-ca\n"
  "  cluster:\n"
  "    server: https://127.0.0.1:1\n"
  "    certificate-authority: no-such-ca.pem\n"
  "users:\n"
  "- name: someone\n"
  "  user:\n"
  "    token: not-a-real-token\n"
  "contexts:\n"
  "- name: broken-ca\n"
  "  context:\n"
  "    cluster: lost-ca\n"
  "    user: someone\n";

/* 11. The lists show what `kubectl get` shows. */

/* kubectl's headers, spaces and case aside. */
static char *
header_key (const char *title)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (const char *p = title; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (key, g_ascii_toupper (*p));

  return g_string_free (g_steal_pointer (&key), FALSE);
}

static void
assert_titles (const char * const *expected)
{
  GListModel *columns = gtk_column_view_get_columns (ph_resource_view_get_column_view (view ()));
  guint n = g_list_model_get_n_items (columns);

  g_assert_cmpuint (n, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_autofree char *key = header_key (gtk_column_view_column_get_title (column));

      if (!g_strv_contains (expected, key))
        g_error ("Column “%s” is not one of kubectl's", gtk_column_view_column_get_title (column));
    }
}

/* The text on screen in @object's row under @title. */
static char *
cell_text (PhObject   *object,
           const char *title)
{
  GtkWidget *column_view = GTK_WIDGET (ph_resource_view_get_column_view (view ()));
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (column_view));
  GtkWidget *row = ui_test_find_inscription (column_view, ph_object_get_name (object));
  GtkWidget *cell;
  guint index = G_MAXUINT;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        index = i;
    }
  g_assert_cmpuint (index, !=, G_MAXUINT);

  while (row != NULL && gtk_widget_get_parent (row) != NULL && !GTK_IS_LIST_VIEW (gtk_widget_get_parent (row)))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);

  cell = gtk_widget_get_first_child (row);
  for (guint i = 0; i < index && cell != NULL; i++)
    cell = gtk_widget_get_next_sibling (cell);
  g_assert_nonnull (cell);
  cell = ui_test_find_descendant_of_type (cell, PH_TYPE_FIELD_CELL);
  g_assert_nonnull (cell);

  return g_strdup (ph_field_cell_get_text (PH_FIELD_CELL (cell)));
}

/* The strings of @array (or of @member of its objects) joined with
 * commas, like kubectl prints a list. */
static char *
join_strings (JsonArray  *array,
              const char *member)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *text = NULL;

      if (member != NULL)
        node = json_object_get_member (json_node_get_object (node), member);
      if (node == NULL)
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (node));
      else
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "", text);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Shows @resource of alpha, all of it, with the first object (by name)
 * parsed into @root. */
static PhObject *
show_all (const char *kind,
          const char *resource,
          JsonNode  **root)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, resource, NULL);
  PhObject *object;

  g_assert_cmpuint (truth->len, >, 0);
  show (kind, one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (truth->len)));
  g_assert_cmpuint (g_list_model_get_n_items (ph_resource_view_get_model (view ())), ==, truth->len);
  ui_test_spin (200);

  object = g_list_model_get_item (ph_resource_view_get_model (view ()), 0);
  *root = ph_object_parse (object, NULL);
  g_assert_nonnull (*root);

  return object;
}

static void
test_kubectl_columns_pvcs (void)
{
  const char *kubectl[] = { "NAMESPACE", "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESSMODES",
                            "STORAGECLASS", "AGE", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PhObject) pvc = show_all ("persistentvolumeclaims", "persistentvolumeclaims", &root);
  JsonObject *status = json_object_get_object_member (json_node_get_object (root), "status");
  g_autofree char *modes = join_strings (json_object_get_array_member (status, "accessModes"), NULL);
  g_autofree char *capacity = cell_text (pvc, "Capacity");
  g_autofree char *access = cell_text (pvc, "Access Modes");

  assert_titles (kubectl);
  g_assert_cmpstr (capacity, ==, json_object_get_string_member (json_object_get_object_member (status, "capacity"), "storage"));
  g_assert_cmpstr (access, ==, modes);
  g_assert_cmpstr (access, !=, "");
  save_screenshot (GTK_WIDGET (window), "pvcs");
}

static void
test_kubectl_columns_ingresses (void)
{
  const char *kubectl[] = { "NAMESPACE", "NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PhObject) ingress = show_all ("ingresses.networking.k8s.io", "ingresses", &root);
  JsonObject *object = json_node_get_object (root);
  JsonObject *lb = json_object_get_object_member (json_object_get_object_member (object, "status"), "loadBalancer");
  g_autofree char *hosts = join_strings (json_object_get_array_member (json_object_get_object_member (object, "spec"), "rules"), "host");
  g_autofree char *ips = join_strings (json_object_get_array_member (lb, "ingress"), "ip");
  g_autofree char *hosts_cell = cell_text (ingress, "Hosts");
  g_autofree char *address_cell = cell_text (ingress, "Address");
  g_autofree char *ports_cell = cell_text (ingress, "Ports");
  JsonObject *spec = json_object_get_object_member (object, "spec");
  gboolean tls = json_object_has_member (spec, "tls") &&
                 json_array_get_length (json_object_get_array_member (spec, "tls")) > 0;

  assert_titles (kubectl);
  /* kubectl's PORTS: 80, and 443 too with TLS. */
  g_assert_cmpstr (ports_cell, ==, tls ? "80, 443" : "80");
  g_assert_cmpstr (hosts_cell, ==, hosts);
  g_assert_cmpstr (hosts_cell, !=, "");
  g_assert_cmpstr (address_cell, ==, ips);
  save_screenshot (GTK_WIDGET (window), "ingresses");
}

static void
test_kubectl_columns_endpointslices (void)
{
  const char *kubectl[] = { "NAMESPACE", "NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PhObject) slice = show_all ("endpointslices.discovery.k8s.io", "endpointslices", &root);
  JsonObject *object = json_node_get_object (root);
  JsonArray *endpoints = json_object_get_array_member (object, "endpoints");
  g_autofree char *ports = join_strings (json_object_get_array_member (object, "ports"), "port");
  g_autoptr(GString) addresses = g_string_new (NULL);
  g_autofree char *ports_cell = cell_text (slice, "Ports");
  g_autofree char *endpoints_cell = cell_text (slice, "Endpoints");

  for (guint i = 0; i < json_array_get_length (endpoints); i++)
    {
      JsonObject *endpoint = json_array_get_object_element (endpoints, i);
      g_autofree char *some = join_strings (json_object_get_array_member (endpoint, "addresses"), NULL);

      g_string_append_printf (addresses, "%s%s", addresses->len > 0 ? "," : "", some);
    }

  assert_titles (kubectl);
  g_assert_cmpstr (ports_cell, ==, ports);
  g_assert_cmpstr (ports_cell, !=, "");
  g_assert_cmpstr (endpoints_cell, ==, addresses->str);
  save_screenshot (GTK_WIDGET (window), "endpointslices");
}

static void
test_kubectl_columns_storageclasses (void)
{
  /* kubectl marks the default in the name column: "standard (default)". */
  const char *kubectl[] = { "NAME", "DEFAULT", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
                            "ALLOWVOLUMEEXPANSION", "AGE", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PhObject) first = show_all ("storageclasses.storage.k8s.io", "storageclasses", &root);
  GListModel *model = ph_resource_view_get_model (view ());
  g_autofree char *provisioner = cell_text (first, "Provisioner");
  g_autofree char *binding = cell_text (first, "Volume Binding Mode");
  JsonObject *object = json_node_get_object (root);
  guint defaults = 0;

  assert_titles (kubectl);
  g_assert_cmpstr (provisioner, ==, json_object_get_string_member (object, "provisioner"));
  g_assert_cmpstr (binding, ==, json_object_get_string_member (object, "volumeBindingMode"));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PhObject) class = g_list_model_get_item (model, i);
      g_autoptr(JsonNode) json = ph_object_parse (class, NULL);
      JsonObject *metadata = json_object_get_object_member (json_node_get_object (json), "metadata");
      JsonObject *annotations = json_object_has_member (metadata, "annotations") ?
        json_object_get_object_member (metadata, "annotations") : NULL;
      const char *is_default = annotations != NULL ?
        json_object_get_string_member_with_default (annotations, "storageclass.kubernetes.io/is-default-class", "") : "";
      g_autofree char *cell = cell_text (class, "Default");

      g_assert_cmpstr (cell, ==, is_default);
      if (g_str_equal (is_default, "true"))
        defaults++;
    }
  g_assert_cmpuint (defaults, ==, 1);
  save_screenshot (GTK_WIDGET (window), "storageclasses");
}

/* 12. An event's summary says what happened, in full. */

static void
test_event_summary (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(PhObject) event = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *model;
  const char *message = NULL;
  JsonObject *object = NULL;

  show ("events", one);
  g_assert_true (wait_for (has_rows, GUINT_TO_POINTER (1)));
  model = ph_resource_view_get_model (view ());

  /* The longest message tells whether it is cut. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PhObject) candidate = g_list_model_get_item (model, i);

      if (event == NULL || strlen (ph_object_get_column (candidate, "message")) > strlen (ph_object_get_column (event, "message")))
        g_set_object (&event, candidate);
    }
  root = ph_object_parse (event, NULL);
  object = json_node_get_object (root);
  message = json_object_get_string_member (object, "message");

  ph_window_set_details_visible (window, TRUE);
  g_assert_true (ph_resource_view_select_object (view (), event));
  g_assert_true (wait_for (pane_shows, (gpointer) "Involved Object"));

  collect_text (GTK_WIDGET (ph_window_get_details_pane (window)), text);
  g_assert_nonnull (strstr (text->str, json_object_get_string_member (object, "reason")));
  g_assert_nonnull (strstr (text->str, message));
  g_assert_nonnull (strstr (text->str, "First Seen"));
  g_assert_nonnull (strstr (text->str, "Last Seen"));
  g_assert_nonnull (strstr (text->str, json_object_get_string_member (json_object_get_object_member (object, "involvedObject"), "name")));
  /* Past the crossfade from whatever was shown before. */
  ui_test_spin (600);
  save_screenshot (GTK_WIDGET (window), "event");
  ph_window_set_details_visible (window, FALSE);
}

/* 13. Nothing pending, nothing failing: no alarm colours. */

static void
collect_value_labels (GtkWidget *widget,
                      GPtrArray *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "numeric"))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_value_labels (child, out);
}

static gboolean
overview_counted (gpointer data)
{
  g_autofree char *pods = ph_overview_dup_stat (ph_window_get_overview (window), "alpha", "pods");

  return g_strcmp0 (pods, data) == 0;
}

static void
test_overview_zero_plain (void)
{
  const char *one[] = { "alpha", NULL };
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (alpha, "pods", NULL);
  g_autofree char *expected = g_strdup_printf ("%u", truth->len);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint zeros = 0;

  ph_window_select_clusters (window, one);
  g_assert_true (ph_window_show_kind (window, "overview"));
  g_assert_true (wait_for (overview_counted, expected));
  ui_test_spin (1200);

  collect_value_labels (GTK_WIDGET (ph_window_get_overview (window)), labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (!g_str_equal (gtk_label_get_label (GTK_LABEL (label)), "0"))
        continue;
      zeros++;
      g_assert_false (gtk_widget_has_css_class (label, "warning"));
      g_assert_false (gtk_widget_has_css_class (label, "error"));
      g_assert_false (gtk_widget_has_css_class (label, "success"));
    }
  /* A still cluster has nothing pending, at least. */
  g_assert_cmpuint (zeros, >, 0);
  save_screenshot (GTK_WIDGET (window), "overview");
  g_assert_true (ph_window_show_kind (window, "pods"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("porthole-ux-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *cache = g_build_filename (tmpdir, "cache", NULL);
    g_autofree char *data = g_build_filename (tmpdir, "data", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    g_setenv ("XDG_DATA_HOME", data, TRUE);
  }
  g_unsetenv ("PORTHOLE_PLUGIN_PATH");
  g_setenv ("MESA_SHADER_CACHE_DISABLE", "true", TRUE);
  g_setenv ("KUBECONFIG", "/nonexistent", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  alpha = ui_test_start_server (31);
  beta = ui_test_start_server (32);
  kubeconfigs[0] = g_build_filename (tmpdir, "alpha.yaml", NULL);
  kubeconfigs[1] = g_build_filename (tmpdir, "broken.yaml", NULL);
  kubeconfigs[2] = g_build_filename (tmpdir, "beta.yaml", NULL);
  g_assert_true (ph_sim_server_write_kubeconfig (alpha, kubeconfigs[0], "alpha", &error));
  g_assert_true (g_file_set_contents (kubeconfigs[1], broken_ca_kubeconfig, -1, &error));
  g_assert_true (ph_sim_server_write_kubeconfig (beta, kubeconfigs[2], "beta", &error));

  settings = g_settings_new (APP_ID);
  g_settings_set_strv (settings, "kubeconfig-paths", (const char * const *) kubeconfigs);
  g_settings_set_enum (settings, "namespace-mode", 1);
  {
    const char *first[] = { "alpha", NULL };

    g_settings_set_strv (settings, "selected-contexts", first);
  }

  app = ph_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = ph_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/porthole/ui/ux/quick-switcher-enter-at-once", test_quick_switcher_enter_at_once);
  g_test_add_func ("/porthole/ui/ux/namespace-checks-agree", test_namespace_checks_agree);
  g_test_add_func ("/porthole/ui/ux/cluster-numbers-follow-sidebar", test_cluster_numbers_follow_sidebar);
  g_test_add_func ("/porthole/ui/ux/details-scroll-resets", test_details_scroll_resets);
  g_test_add_func ("/porthole/ui/ux/details-switcher-needs-object", test_details_switcher_needs_object);
  g_test_add_func ("/porthole/ui/ux/details-deployment-summary", test_details_deployment_summary);
  g_test_add_func ("/porthole/ui/ux/narrow-details-need-selection", test_narrow_details_need_selection);
  g_test_add_func ("/porthole/ui/ux/list-scrolls-to-top", test_list_scrolls_to_top);
  g_test_add_func ("/porthole/ui/ux/broken-entry-short-reason", test_broken_entry_short_reason);
  g_test_add_func ("/porthole/ui/ux/welcome-explains", test_welcome_explains);
  g_test_add_func ("/porthole/ui/ux/kubectl-columns/pvcs", test_kubectl_columns_pvcs);
  g_test_add_func ("/porthole/ui/ux/kubectl-columns/ingresses", test_kubectl_columns_ingresses);
  g_test_add_func ("/porthole/ui/ux/kubectl-columns/endpointslices", test_kubectl_columns_endpointslices);
  g_test_add_func ("/porthole/ui/ux/kubectl-columns/storageclasses", test_kubectl_columns_storageclasses);
  g_test_add_func ("/porthole/ui/ux/event-summary", test_event_summary);
  g_test_add_func ("/porthole/ui/ux/overview-zero-plain", test_overview_zero_plain);

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
  for (guint i = 0; i < G_N_ELEMENTS (kubeconfigs); i++)
    g_free (kubeconfigs[i]);

  return ret;
}
