/* test-plugin-loader.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ph-json-path.h"
#include "ph-plugin-error.h"
#include "ph-plugin-installer.h"
#include "ph-plugin-loader.h"
#include "ph-plugin-test-util.h"

static const char *widget_json =
  "{\"apiVersion\":\"demo.porthole.io/v1\",\"kind\":\"Widget\","
  "\"metadata\":{\"name\":\"widget-a1\",\"namespace\":\"default\",\"generation\":1,"
  "\"labels\":{\"color\":\"teal\",\"app.kubernetes.io/name\":\"shop\"},"
  "\"annotations\":{\"kubernetes.io/change-cause\":\"rollout\"}},"
  "\"spec\":{\"color\":\"teal\",\"size\":3,\"parts\":[{\"id\":\"x\"},{\"id\":\"y\"},{\"id\":\"z\"}]},"
  "\"status\":{\"phase\":\"Ready\"}}";

static const char *deployment_json =
  "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
  "\"spec\":{\"template\":{\"spec\":{"
  "\"initContainers\":[{\"name\":\"migrate\",\"image\":\"registry.example/migrate:2\"}],"
  "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\"},{\"name\":\"sidecar\",\"image\":\"envoy:1.29\"}]}}}}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
eval (JsonNode   *root,
      const char *expression)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhJsonPath) path = ph_json_path_parse (expression, &error);

  g_assert_no_error (error);
  return ph_json_path_format (path, root);
}

static void
test_json_path (void)
{
  g_autoptr(JsonNode) root = parse (widget_json);
  const struct {
    const char *expression;
    const char *expected;
  } cases[] = {
    { ".metadata.name", "widget-a1" },
    { "{.metadata.name}", "widget-a1" },
    { "$.metadata.name", "widget-a1" },
    { "metadata.namespace", "default" },
    { ".spec.size", "3" },
    { ".spec.parts[0].id", "x" },
    { ".spec.parts[-1].id", "z" },
    { ".spec.parts[*].id", "x,y,z" },
    { ".spec.parts[3].id", NULL },
    { ".metadata.labels['app.kubernetes.io/name']", "shop" },
    { ".metadata.annotations[\"kubernetes.io/change-cause\"]", "rollout" },
    { ".metadata.labels.*", NULL },  /* order of members is not fixed: checked below */
    { ".status.missing", NULL },
    { ".spec.parts[0]", "{\"id\":\"x\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = eval (root, cases[i].expression);

      if (strcmp (cases[i].expression, ".metadata.labels.*") == 0)
        {
          g_assert_nonnull (got);
          g_assert_nonnull (strstr (got, "teal"));
          g_assert_nonnull (strstr (got, "shop"));
          continue;
        }
      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  {
    const char *bad[] = { ".items[?(@.x==1)]", "..name", ".a[", ".a['b", ".a b", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PhJsonPath) path = ph_json_path_parse (bad[i], &error);

        g_assert_null (path);
        g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW);
        g_assert_nonnull (strstr (error->message, "offset"));
      }
  }
}

static void
test_view_errors (void)
{
  const struct {
    const char *yaml;
    const char *message;
  } cases[] = {
    { "kind: [", "w.yaml:2: not valid YAML" },
    { "- a\n- b\n", "w.yaml:1: $: expected a mapping" },
    { "kind: Widget\nversion: v1\n", "$.resource: missing" },
    { "kind: Widget\nversion: v1\nresource: widgets\nnamespaced: maybe\n", "w.yaml:4: $.namespaced: expected true or false" },
    { "kind: Widget\nversion: v1\nresource: widgets\ncolumns:\n  - name: A\n    jsonPath: .a\n  - name: B\n    jsonPath: .b[?(@.c)]\n",
      "w.yaml:8: $.columns[1].jsonPath: Invalid JSONPath" },
    { "kind: Widget\nversion: v1\nresource: widgets\ncolumns:\n  - name: A\n", "$.columns[0].jsonPath: missing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhPluginView) view = ph_plugin_view_new_from_data ("t", "w.yaml", cases[i].yaml,
                                                                  strlen (cases[i].yaml), &error);

      g_assert_null (view);
      g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_BAD_VIEW);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].message);
    }
}

static GPtrArray *
dirs_of (const char *user,
         const char *shipped)
{
  GPtrArray *dirs = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_plugin_dir_free);
  PhPluginDir *d;

  if (user != NULL)
    {
      d = g_new0 (PhPluginDir, 1);
      d->path = g_strdup (user);
      d->source = PH_PLUGIN_SOURCE_USER;
      g_ptr_array_add (dirs, d);
    }
  d = g_new0 (PhPluginDir, 1);
  d->path = g_strdup (shipped);
  d->source = PH_PLUGIN_SOURCE_SHIPPED;
  g_ptr_array_add (dirs, d);

  return dirs;
}

static PhPluginView *
find_view (PhPluginLoader *loader,
           const char     *resource)
{
  GPtrArray *views = ph_plugin_loader_get_views (loader);

  for (guint i = 0; i < views->len; i++)
    if (strcmp (ph_plugin_view_get_resource (g_ptr_array_index (views, i)), resource) == 0)
      return g_ptr_array_index (views, i);

  return NULL;
}

static void
test_shipped (void)
{
  g_autoptr(GPtrArray) dirs = dirs_of (NULL, PH_TEST_SHIPPED_DIR);
  g_autoptr(PhPluginLoader) loader = ph_plugin_loader_new (dirs);
  g_autoptr(JsonNode) widget = parse (widget_json);
  g_auto(GStrv) row = NULL;
  g_auto(GStrv) rows = NULL;
  PhPluginView *view;
  const PhPluginDetailSection *section;
  const char *message = NULL;

  ph_plugin_loader_set_porthole_version (loader, "0.1.0");
  ph_plugin_loader_load (loader);

  g_assert_cmpint (ph_plugin_loader_get_state (loader, "crd-views", &message), ==, PH_PLUGIN_STATE_LOADED);
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "container-images", &message), ==, PH_PLUGIN_STATE_LOADED);

  view = find_view (loader, "widgets");
  g_assert_nonnull (view);
  g_assert_cmpstr (ph_plugin_view_get_group (view), ==, "demo.porthole.io");
  g_assert_cmpstr (ph_plugin_view_get_sidebar_group (view), ==, "Demo");
  row = ph_plugin_view_format_row (view, widget);
  g_assert_cmpuint (g_strv_length (row), ==, 3);
  g_assert_cmpstr (row[0], ==, "teal");
  g_assert_cmpstr (row[1], ==, "3");
  g_assert_cmpstr (row[2], ==, "Ready");
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (widget_json, strlen (widget_json));
    g_auto(GStrv) again = ph_plugin_view_format_row_json (view, bytes);
    g_auto(GStrv) details = ph_plugin_view_format_details (view, widget);

    g_assert_true (g_strv_equal ((const char * const *) again, (const char * const *) row));
    g_assert_cmpuint (g_strv_length (details), ==, 4);
    g_assert_cmpstr (details[0], ==, "Color label");
    g_assert_cmpstr (details[1], ==, "teal");
    g_assert_cmpstr (details[3], ==, "1");
  }

  view = find_view (loader, "certificates");
  g_assert_nonnull (view);
  g_assert_cmpstr (ph_plugin_view_get_group (view), ==, "cert-manager.io");
  g_assert_cmpuint (ph_plugin_view_get_columns (view)->len, ==, 5);

  g_assert_cmpuint (ph_plugin_loader_get_detail_sections (loader)->len, ==, 1);
  section = g_ptr_array_index (ph_plugin_loader_get_detail_sections (loader), 0);
  g_assert_cmpstr (ph_plugin_detail_section_get_title (section), ==, "Container images");
  g_assert_true (ph_plugin_detail_section_applies_to (section, "apps", "Deployment"));
  rows = ph_plugin_detail_section_render (section, deployment_json, strlen (deployment_json));
  g_assert_nonnull (rows);
  g_assert_cmpuint (g_strv_length (rows), ==, 6);
  g_assert_cmpstr (rows[0], ==, "migrate (init)");
  g_assert_cmpstr (rows[1], ==, "registry.example/migrate:2");
  g_assert_cmpstr (rows[2], ==, "web");
  g_assert_cmpstr (rows[3], ==, "nginx:1.25");
  /* Not a workload: the section stays away. */
  g_assert_null (ph_plugin_detail_section_render (section, widget_json, strlen (widget_json)));
}

static void
write_plugin (const char *dir,
              const char *name,
              const char *json_extra,
              const char *compat)
{
  g_autofree char *folder = g_build_filename (dir, name, NULL);
  g_autofree char *path = g_build_filename (folder, "plugin.json", NULL);
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"version\": \"2.0.0\", \"title\": \"T\", "
                                           "\"versionCompat\": \"%s\"%s}", name, compat, json_extra);

  g_mkdir_with_parents (folder, 0755);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, len, NULL));
}

static void
test_failures_are_per_plugin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user = g_dir_make_tmp ("porthole-loader-test-XXXXXX", &error);
  g_autoptr(GPtrArray) dirs = NULL;
  g_autoptr(PhPluginLoader) loader = NULL;
  const char *disabled[] = { "off", NULL };
  const char *message = NULL;

  g_assert_no_error (error);

  /* A user copy of a shipped plugin wins; this one has no views. */
  write_plugin (user, "crd-views", "", "*");
  /* Broken in several ways. */
  {
    g_autofree char *folder = g_build_filename (user, "broken", NULL);
    g_autofree char *path = g_build_filename (folder, "plugin.json", NULL);
    g_mkdir_with_parents (folder, 0755);
    g_assert_true (g_file_set_contents (path, "{\"name\": ", -1, NULL));
  }
  write_plugin (user, "too-new", "", ">=5.0.0");
  write_plugin (user, "off", "", "*");
  write_plugin (user, "bad-view", ", \"contributes\": {\"views\": [\"v.yaml\"]}", "*");
  {
    g_autofree char *view = g_build_filename (user, "bad-view", "v.yaml", NULL);
    g_assert_true (g_file_set_contents (view, "kind: X\n", -1, NULL));
  }
  write_plugin (user, "bad-api", ", \"contributes\": {\"module\": \"libm.so\"}", "*");
  {
    g_autofree char *to = g_build_filename (user, "bad-api", "libm.so", NULL);
    copy_file (PH_TEST_BAD_API_MODULE, to);
  }
  write_plugin (user, "failing", ", \"contributes\": {\"module\": \"libm.so\"}", "*");
  {
    g_autofree char *to = g_build_filename (user, "failing", "libm.so", NULL);
    copy_file (PH_TEST_FAILING_MODULE, to);
  }
  write_plugin (user, "missing-module", ", \"contributes\": {\"module\": \"nope.so\"}", "*");

  dirs = dirs_of (user, PH_TEST_SHIPPED_DIR);
  loader = ph_plugin_loader_new (dirs);
  ph_plugin_loader_set_porthole_version (loader, "0.1.0");
  ph_plugin_loader_set_disabled (loader, disabled);
  ph_plugin_loader_load (loader);

  g_assert_cmpint (ph_plugin_loader_get_state (loader, "crd-views", NULL), ==, PH_PLUGIN_STATE_LOADED);
  g_assert_null (find_view (loader, "certificates"));
  {
    PhInstalledPlugin *p = ph_plugin_registry_find (ph_plugin_loader_get_plugins (loader), "crd-views");
    g_assert_cmpint (ph_installed_plugin_get_source (p), ==, PH_PLUGIN_SOURCE_USER);
    g_assert_nonnull (ph_installed_plugin_get_shadows (p));
  }

  g_assert_cmpint (ph_plugin_loader_get_state (loader, "broken", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "not valid JSON"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "too-new", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, ">=5.0.0"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "off", NULL), ==, PH_PLUGIN_STATE_DISABLED);
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "bad-view", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "$.version: missing"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "bad-api", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "plugin API 99"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "failing", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "refuses to start"));
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "missing-module", &message), ==, PH_PLUGIN_STATE_FAILED);
  g_assert_nonnull (strstr (message, "cannot open"));

  /* The healthy shipped plugin still loaded. */
  g_assert_cmpint (ph_plugin_loader_get_state (loader, "container-images", NULL), ==, PH_PLUGIN_STATE_LOADED);
  g_assert_cmpuint (ph_plugin_loader_get_detail_sections (loader)->len, ==, 1);

  ph_test_rm_rf (user);
}

static void
test_demo_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("porthole-demo-catalog-test-XXXXXX", &error);
  g_autoptr(PhPluginCatalog) catalog = ph_plugin_catalog_load (PH_TEST_DEMO_CATALOG, NULL, &error);
  g_autoptr(PhPluginInstaller) installer = NULL;
  g_autoptr(GPtrArray) dirs = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;

  g_assert_no_error (error);
  installer = ph_plugin_installer_new (tmp);
  ph_plugin_installer_set_porthole_version (installer, PACKAGE_VERSION);
  ph_plugin_installer_add_catalog (installer, catalog);

  /* What a newcomer does in the demo: install, update, uninstall. */
  v1 = ph_plugin_installer_install (installer, "widget-columns", "1.0.0", FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ph_plugin_installer_find_update (installer, "widget-columns", v1, NULL));
  v2 = ph_plugin_installer_update (installer, "widget-columns", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v2, ==, "1.1.0");
  g_assert_null (ph_plugin_installer_find_update (installer, "widget-columns", v2, NULL));

  dirs = dirs_of (tmp, PH_TEST_SHIPPED_DIR);
  {
    g_autoptr(PhPluginLoader) loader = ph_plugin_loader_new (dirs);
    PhPluginView *view = NULL;
    GPtrArray *views;

    ph_plugin_loader_load (loader);
    g_assert_cmpint (ph_plugin_loader_get_state (loader, "widget-columns", NULL), ==, PH_PLUGIN_STATE_LOADED);
    views = ph_plugin_loader_get_views (loader);
    for (guint i = 0; i < views->len; i++)
      if (strcmp (ph_plugin_view_get_plugin (g_ptr_array_index (views, i)), "widget-columns") == 0)
        view = g_ptr_array_index (views, i);
    g_assert_nonnull (view);
    g_assert_cmpuint (ph_plugin_view_get_columns (view)->len, ==, 4);
  }

  g_assert_true (ph_plugin_installer_uninstall (installer, "widget-columns", FALSE, NULL, &error));
  g_assert_no_error (error);

  ph_test_rm_rf (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/plugin-loader/json-path", test_json_path);
  g_test_add_func ("/porthole/plugin-loader/view-errors", test_view_errors);
  g_test_add_func ("/porthole/plugin-loader/shipped", test_shipped);
  g_test_add_func ("/porthole/plugin-loader/failures-are-per-plugin", test_failures_are_per_plugin);
  g_test_add_func ("/porthole/plugin-loader/demo-catalog", test_demo_catalog);

  return g_test_run ();
}
