/* test-plugin-manager.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "ph-plugin-installer.h"
#include "ph-plugin-manager-window.h"
#include "ph-plugin-row.h"

#define DEADLINE_SECONDS 20

static const char *future_catalog =
  "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"future\", \"title\": \"From the future\","
  " \"description\": \"Needs a newer Porthole\", \"versions\": [{\"version\": \"1.0.0\", \"versionCompat\": \">=99.0.0\","
  " \"archive\": {\"url\": \"future.tar.gz\", \"sha256\": \"0000000000000000000000000000000000000000000000000000000000000000\"}}]}]}";

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_SECONDS * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Only what the user can see counts: rows keep hidden buttons. */
static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget  *window;
  const char *name;
  const char *label;
} Lookup;

static gboolean
row_present (gpointer data)
{
  Lookup *l = data;
  return find_named (l->window, l->name) != NULL;
}

static gboolean
button_present (gpointer data)
{
  Lookup *l = data;
  GtkWidget *row = find_named (l->window, l->name);
  return row != NULL && find_button_with_label (row, l->label) != NULL;
}

static PhPluginRow *
find_catalog_row (GtkWidget  *root,
                  const char *name)
{
  if (PH_IS_PLUGIN_ROW (root) && g_strcmp0 (gtk_widget_get_name (root), name) == 0 &&
      !ph_plugin_row_get_show_switch (PH_PLUGIN_ROW (root)))
    return PH_PLUGIN_ROW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      PhPluginRow *found = find_catalog_row (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The catalog row says "Installed (VERSION)" and offers no Install. */
static gboolean
catalog_says_installed (gpointer data)
{
  Lookup *l = data;
  PhPluginRow *row = find_catalog_row (l->window, l->name);

  return row != NULL && g_strcmp0 (ph_plugin_row_get_installed_version (row), l->label) == 0 &&
         find_button_with_label (GTK_WIDGET (row), "Install") == NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !ph_plugin_manager_window_get_busy (data);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
cancel_disabled (gpointer data)
{
  GtkWidget *cancel = find_button_with_label (data, "_Cancel");

  return cancel != NULL && !gtk_widget_get_sensitive (cancel);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static char *
version_on_disk (const char *dir)
{
  g_autofree char *folder = g_build_filename (dir, "widget-columns", NULL);
  g_autoptr(PhPluginManifest) manifest = NULL;

  if (!g_file_test (folder, G_FILE_TEST_EXISTS))
    return NULL;
  manifest = ph_plugin_manifest_load (folder, NULL);
  g_assert_nonnull (manifest);
  return g_strdup (manifest->version);
}

static gboolean
staging_is_empty (const char *plugins)
{
  g_autofree char *staging = g_build_filename (plugins, ".staging", NULL);
  g_autoptr(GDir) dir = g_dir_open (staging, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
test_install_update_uninstall (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("porthole-manager-test-XXXXXX", &error);
  g_autofree char *plugins = g_build_filename (tmp, "plugins", NULL);
  g_autofree char *future = g_build_filename (tmp, "future.json", NULL);
  g_autofree char *pause_file = g_build_filename (tmp, "paused", NULL);
  g_autoptr(PhPluginInstaller) installer = NULL;
  g_autoptr(PhPluginCatalog) catalog = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *v = NULL;
  g_auto(GStrv) disabled = NULL;
  GtkWidget *window;
  GtkWidget *row;
  GtkWidget *sw;
  Lookup lookup;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (future, future_catalog, -1, NULL));

  /* 1.0.0 is already there: the manager must offer 1.1.0. */
  catalog = ph_plugin_catalog_load (PH_TEST_DEMO_CATALOG, NULL, &error);
  g_assert_no_error (error);
  installer = ph_plugin_installer_new (plugins);
  ph_plugin_installer_add_catalog (installer, catalog);
  v = ph_plugin_installer_install (installer, "widget-columns", "1.0.0", FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  window = ph_plugin_manager_window_new_for_dir (NULL, plugins);
  g_object_ref_sink (window);
  ph_plugin_manager_window_add_catalog (PH_PLUGIN_MANAGER_WINDOW (window), PH_TEST_DEMO_CATALOG);
  ph_plugin_manager_window_add_catalog (PH_PLUGIN_MANAGER_WINDOW (window), future);
  gtk_window_present (GTK_WINDOW (window));

  lookup = (Lookup) { window, "widget-columns", "Update to 1.1.0" };
  g_assert_true (wait_for (button_present, &lookup));

  /* Incompatibility is explained, and there is nothing to click. */
  lookup = (Lookup) { window, "future", NULL };
  g_assert_true (wait_for (row_present, &lookup));
  row = find_named (window, "future");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "needs Porthole “>=99.0.0”"));
  g_assert_null (find_button_with_label (row, "Install"));

  gtk_widget_activate_action (window, "plugin.update", "s", "widget-columns");
  g_assert_true (ph_plugin_manager_window_get_busy (PH_PLUGIN_MANAGER_WINDOW (window)));
  g_assert_true (wait_for (not_busy, window));
  g_clear_pointer (&v, g_free);
  v = version_on_disk (plugins);
  g_assert_cmpstr (v, ==, "1.1.0");

  /* The enabled switch writes the disabled-plugins setting. */
  lookup = (Lookup) { window, "widget-columns", NULL };
  g_assert_true (wait_for (row_present, &lookup));
  row = find_named (window, "widget-columns");
  sw = find_type (row, GTK_TYPE_SWITCH);
  g_assert_nonnull (sw);
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  disabled = g_settings_get_strv (settings, "disabled-plugins");
  g_assert_true (g_strv_contains ((const char * const *) disabled, "widget-columns"));
  g_clear_pointer (&disabled, g_strfreev);
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  disabled = g_settings_get_strv (settings, "disabled-plugins");
  g_assert_false (g_strv_contains ((const char * const *) disabled, "widget-columns"));

  gtk_widget_activate_action (window, "plugin.uninstall", "s", "widget-columns");
  g_assert_true (wait_for (not_busy, window));
  g_clear_pointer (&v, g_free);
  v = version_on_disk (plugins);
  g_assert_null (v);

  /* Install again, held right after extracting: Cancel then leaves
   * nothing behind. */
  g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
  g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "after-extract", TRUE);
  gtk_widget_activate_action (window, "plugin.install", "s", "widget-columns");
  g_assert_true (wait_for (file_exists, pause_file));
  g_assert_true (gtk_widget_get_sensitive (find_button_with_label (window, "_Cancel")));
  g_signal_emit_by_name (find_button_with_label (window, "_Cancel"), "clicked");
  g_unlink (pause_file);
  g_assert_true (wait_for (not_busy, window));
  g_clear_pointer (&v, g_free);
  v = version_on_disk (plugins);
  g_assert_null (v);
  g_assert_true (staging_is_empty (plugins));

  /* Held after the swap, Cancel is no longer offered, and the install
   * completes and shows up. */
  g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "before-cleanup", TRUE);
  gtk_widget_activate_action (window, "plugin.install", "s", "widget-columns");
  g_assert_true (wait_for (file_exists, pause_file));
  g_assert_true (wait_for (cancel_disabled, window));
  g_unlink (pause_file);
  g_assert_true (wait_for (not_busy, window));
  g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT");
  g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE");
  g_clear_pointer (&v, g_free);
  v = version_on_disk (plugins);
  g_assert_cmpstr (v, ==, "1.1.0");
  g_assert_true (staging_is_empty (plugins));
  lookup = (Lookup) { window, "widget-columns", "1.1.0" };
  g_assert_true (wait_for (catalog_says_installed, &lookup));

  /* Callbacks in flight hold the window until they have run. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  g_assert_true (wait_for (is_null, &window));
  rm_rf (tmp);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The row's setters notify once per real change, and the switch and the
 * buttons follow them. */
static void
test_row (void)
{
  PhPluginRow *row = PH_PLUGIN_ROW (g_object_ref_sink (ph_plugin_row_new ("demo")));
  guint update_notifies = 0;
  guint enabled_notifies = 0;
  GtkWidget *sw;

  g_signal_connect (row, "notify::update-version", G_CALLBACK (count_notify), &update_notifies);
  g_signal_connect (row, "notify::enabled", G_CALLBACK (count_notify), &enabled_notifies);

  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, "demo");
  g_assert_null (find_button_with_label (GTK_WIDGET (row), "Update to 2.0.0"));

  ph_plugin_row_set_update_version (row, "2.0.0");
  ph_plugin_row_set_update_version (row, "2.0.0");
  g_assert_cmpuint (update_notifies, ==, 1);
  g_assert_nonnull (find_button_with_label (GTK_WIDGET (row), "Update to 2.0.0"));
  ph_plugin_row_set_update_version (row, NULL);
  g_assert_cmpuint (update_notifies, ==, 2);
  g_assert_null (find_button_with_label (GTK_WIDGET (row), "Update to 2.0.0"));

  ph_plugin_row_set_installable (row, TRUE);
  g_assert_nonnull (find_button_with_label (GTK_WIDGET (row), "Install"));

  g_assert_null (find_type (GTK_WIDGET (row), GTK_TYPE_SWITCH));
  ph_plugin_row_set_show_switch (row, TRUE);
  sw = find_type (GTK_WIDGET (row), GTK_TYPE_SWITCH);
  g_assert_nonnull (sw);
  ph_plugin_row_set_enabled (row, TRUE);
  ph_plugin_row_set_enabled (row, TRUE);
  g_assert_cmpuint (enabled_notifies, ==, 1);
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_cmpuint (enabled_notifies, ==, 2);
  g_assert_false (ph_plugin_row_get_enabled (row));

  g_assert_finalize_object (row);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/porthole/plugin-manager/row", test_row);
  g_test_add_func ("/porthole/plugin-manager/install-update-uninstall", test_install_update_uninstall);

  return g_test_run ();
}
