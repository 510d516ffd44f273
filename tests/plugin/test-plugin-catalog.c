/* test-plugin-catalog.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ph-plugin-catalog.h"
#include "ph-plugin-error.h"
#include "ph-plugin-installer.h"
#include "ph-plugin-test-util.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const char *good_catalog =
  "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": ["
  " {\"name\": \"images\", \"title\": \"Container images\", \"description\": \"Lists the images of a pod\","
  "  \"versions\": ["
  "   {\"version\": \"1.0.0\", \"versionCompat\": \">=0.1.0\", \"archive\": {\"url\": \"archives/images-1.0.0.tar.gz\", \"sha256\": \"" SHA_A "\"}},"
  "   {\"version\": \"1.2.0\", \"versionCompat\": \"^0.1.0\", \"archive\": {\"url\": \"../elsewhere/images-1.2.0.tar.gz\", \"sha256\": \"" SHA_A "\"}},"
  "   {\"version\": \"2.0.0-beta.1\", \"versionCompat\": \">=0.2.0\", \"archive\": {\"url\": \"https://example.com/i.tgz\", \"sha256\": \"" SHA_A "\"}}"
  "  ]},"
  " {\"name\": \"certs\", \"title\": \"Certificates\", \"versions\": []}"
  "]}";

static void
test_parse_and_resolve (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginCatalog) catalog = NULL;
  PhCatalogPlugin *images;
  const PhCatalogVersion *v;

  catalog = ph_plugin_catalog_new_from_data ("https://plugins.example.org/porthole/index.json",
                                             good_catalog, strlen (good_catalog), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ph_plugin_catalog_get_n_plugins (catalog), ==, 2);

  images = ph_plugin_catalog_lookup (catalog, "images");
  g_assert_nonnull (images);
  g_assert_cmpstr (ph_catalog_plugin_get_title (images), ==, "Container images");
  g_assert_cmpuint (ph_catalog_plugin_get_n_versions (images), ==, 3);

  /* Newest first, relative URLs resolved against the index. */
  v = ph_catalog_plugin_get_version (images, 0);
  g_assert_cmpstr (v->version, ==, "2.0.0-beta.1");
  g_assert_cmpstr (v->url, ==, "https://example.com/i.tgz");
  v = ph_catalog_plugin_get_version (images, 1);
  g_assert_cmpstr (v->version, ==, "1.2.0");
  g_assert_cmpstr (v->url, ==, "https://plugins.example.org/elsewhere/images-1.2.0.tar.gz");
  v = ph_catalog_plugin_get_version (images, 2);
  g_assert_cmpstr (v->url, ==, "https://plugins.example.org/porthole/archives/images-1.0.0.tar.gz");

  /* The newest version this Porthole accepts. */
  g_assert_cmpstr (ph_catalog_plugin_find_compatible (images, "0.1.5")->version, ==, "1.2.0");
  g_assert_cmpstr (ph_catalog_plugin_find_compatible (images, "0.2.0")->version, ==, "2.0.0-beta.1");
  g_assert_null (ph_catalog_plugin_find_compatible (images, "0.0.9"));

  g_assert_true (ph_catalog_plugin_matches (images, "IMAGE"));
  g_assert_true (ph_catalog_plugin_matches (images, "pod"));
  g_assert_false (ph_catalog_plugin_matches (images, "certificate"));
}

static void
test_malformed (void)
{
  const struct {
    const char *json;
    int         code;
    const char *message;
  } cases[] = {
    { "{", PH_PLUGIN_ERROR_CATALOG_MALFORMED, "not valid JSON" },
    { "[]", PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$: expected an object" },
    { "{\"plugins\": []}", PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.apiVersion: missing" },
    { "{\"apiVersion\": \"porthole.catalog/v2\", \"plugins\": []}", PH_PLUGIN_ERROR_CATALOG_UNSUPPORTED,
      "apiVersion “porthole.catalog/v2”" },
    { "{\"apiVersion\": \"porthole.catalog/v1\"}", PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins: missing" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"Bad Name\", \"versions\": []}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].name: “Bad Name” does not match" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"a\", \"versions\": []},"
      " {\"name\": \"b\", \"versions\": [{\"version\": \"1.0\", \"versionCompat\": \"*\","
      " \"archive\": {\"url\": \"x\", \"sha256\": \"" SHA_A "\"}}]}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[1].versions[0].version: Invalid version “1.0”" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": ["
      "{\"version\": \"1.0.0\", \"versionCompat\": \">=blerg\", \"archive\": {\"url\": \"x\", \"sha256\": \"" SHA_A "\"}}]}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].versions[0].versionCompat: Invalid range" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": ["
      "{\"version\": \"1.0.0\", \"versionCompat\": \"*\", \"archive\": {\"url\": \"x\", \"sha256\": \"abc\"}}]}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].versions[0].archive.sha256: expected 64 hexadecimal digits" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": ["
      "{\"version\": \"1.0.0\", \"versionCompat\": \"*\", \"archive\": {\"sha256\": \"" SHA_A "\"}}]}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].versions[0].archive.url: missing" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": ["
      "{\"version\": \"1.0.0\", \"versionCompat\": 3, \"archive\": {\"url\": \"x\", \"sha256\": \"" SHA_A "\"}}]}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].versions[0].versionCompat: expected a string" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": {}}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[0].versions: expected an array" },
    { "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", \"versions\": []},"
      " {\"name\": \"b\", \"versions\": []}]}",
      PH_PLUGIN_ERROR_CATALOG_MALFORMED, "$.plugins[1]: plugin “b” is listed twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhPluginCatalog) catalog = NULL;

      catalog = ph_plugin_catalog_new_from_data ("file:///srv/catalog/index.json", cases[i].json,
                                                 strlen (cases[i].json), &error);
      g_assert_null (catalog);
      g_assert_error (error, PH_PLUGIN_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message);
      g_assert_nonnull (strstr (error->message, "file:///srv/catalog/index.json"));
    }
}

/* A catalog from the network cannot send Porthole to local files; a local
 * one may use any file or network URL; no catalog may use another scheme. */
static void
test_archive_schemes (void)
{
  const struct {
    const char *catalog;
    const char *url;
    gboolean    allowed;
  } cases[] = {
    { "https://example.org/c/index.json", "a.tar.gz", TRUE },
    { "https://example.org/c/index.json", "http://mirror.example.org/a.tar.gz", TRUE },
    { "https://example.org/c/index.json", "file:///dev/zero", FALSE },
    { "http://example.org/c/index.json", "file:///etc/passwd", FALSE },
    { "https://example.org/c/index.json", "ftp://example.org/a.tar.gz", FALSE },
    { "file:///srv/c/index.json", "a.tar.gz", TRUE },
    { "file:///srv/c/index.json", "https://example.org/a.tar.gz", TRUE },
    { "file:///srv/c/index.json", "sftp://example.org/a.tar.gz", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": [{\"name\": \"b\", "
                                               "\"versions\": [{\"version\": \"1.0.0\", \"versionCompat\": \"*\", "
                                               "\"archive\": {\"url\": \"%s\", \"sha256\": \"" SHA_A "\"}}]}]}",
                                               cases[i].url);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhPluginCatalog) catalog = ph_plugin_catalog_new_from_data (cases[i].catalog, json, strlen (json), &error);

      g_test_message ("%s in %s", cases[i].url, cases[i].catalog);
      if (cases[i].allowed)
        {
          g_assert_no_error (error);
          g_assert_nonnull (catalog);
        }
      else
        {
          g_assert_null (catalog);
          g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_MALFORMED);
          g_assert_nonnull (strstr (error->message, "archive.url"));
        }
    }
}

static void
test_locations (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("porthole-catalog-test-XXXXXX", &error);
  g_autofree char *index = g_build_filename (tmp, "index.json", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *missing = g_build_filename (tmp, "missing.json", NULL);
  g_autoptr(PhPluginCatalog) by_path = NULL;
  g_autoptr(PhPluginCatalog) by_uri = NULL;
  g_autoptr(PhPluginCatalog) none = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (index, good_catalog, -1, NULL));

  /* A plain path and a file:// URL read the same, and relative archive
   * URLs land beside the index. */
  by_path = ph_plugin_catalog_load (index, NULL, &error);
  g_assert_no_error (error);
  uri = g_filename_to_uri (index, NULL, NULL);
  by_uri = ph_plugin_catalog_load (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ph_plugin_catalog_get_uri (by_path), ==, ph_plugin_catalog_get_uri (by_uri));
  {
    PhCatalogPlugin *images = ph_plugin_catalog_lookup (by_path, "images");
    g_autofree char *expected = g_strconcat ("file://", tmp, "/archives/images-1.0.0.tar.gz", NULL);

    g_assert_cmpstr (ph_catalog_plugin_get_version (images, 2)->url, ==, expected);
  }

  none = ph_plugin_catalog_load (missing, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "missing.json"));
  g_clear_error (&error);

  g_assert_null (ph_plugin_catalog_load ("ftp://example.com/index.json", NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
  g_clear_error (&error);

  /* Nothing listens on port 9 of the loopback. */
  g_assert_null (ph_plugin_catalog_load ("http://127.0.0.1:9/index.json", NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
  g_clear_error (&error);

  ph_test_rm_rf (tmp);
}

static void
test_several_catalogs (void)
{
  const char *second =
    "{\"apiVersion\": \"porthole.catalog/v1\", \"plugins\": ["
    " {\"name\": \"images\", \"title\": \"Other images\", \"versions\": []},"
    " {\"name\": \"widgets\", \"title\": \"Widgets\", \"description\": \"Demo CRD views\", \"versions\": []}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginCatalog) a = ph_plugin_catalog_new_from_data ("file:///a/index.json", good_catalog, strlen (good_catalog), &error);
  g_autoptr(PhPluginCatalog) b = ph_plugin_catalog_new_from_data ("file:///b/index.json", second, strlen (second), &error);
  g_autoptr(PhPluginInstaller) installer = ph_plugin_installer_new ("/nonexistent");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) some = NULL;

  g_assert_no_error (error);
  ph_plugin_installer_add_catalog (installer, a);
  ph_plugin_installer_add_catalog (installer, b);

  all = ph_plugin_installer_search (installer, NULL);
  g_assert_cmpuint (all->len, ==, 3);
  /* The first catalog that lists a name wins. */
  g_assert_cmpstr (ph_catalog_plugin_get_title (ph_plugin_installer_lookup (installer, "images")), ==, "Container images");

  some = ph_plugin_installer_search (installer, "crd");
  g_assert_cmpuint (some->len, ==, 1);
  g_assert_cmpstr (ph_catalog_plugin_get_name (g_ptr_array_index (some, 0)), ==, "widgets");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/plugin-catalog/parse-and-resolve", test_parse_and_resolve);
  g_test_add_func ("/porthole/plugin-catalog/malformed", test_malformed);
  g_test_add_func ("/porthole/plugin-catalog/archive-schemes", test_archive_schemes);
  g_test_add_func ("/porthole/plugin-catalog/locations", test_locations);
  g_test_add_func ("/porthole/plugin-catalog/several-catalogs", test_several_catalogs);

  return g_test_run ();
}
