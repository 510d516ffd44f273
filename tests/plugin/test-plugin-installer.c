/* test-plugin-installer.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ph-plugin-error.h"
#include "ph-plugin-installer.h"
#include "ph-plugin-loader.h"
#include "ph-plugin-test-util.h"

typedef struct {
  char              *tmp;
  char              *catalog_dir;
  char              *plugins;
  char              *index;
  PhPluginInstaller *installer;
} Fixture;

static void
load_catalog (Fixture    *f,
              const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginCatalog) catalog = ph_plugin_catalog_load (location, NULL, &error);

  g_assert_no_error (error);
  ph_plugin_installer_add_catalog (f->installer, catalog);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *versions[] = { "1.0.0", "1.1.0", "2.0.0" };
  const char *compats[] = { ">=0.1.0", "^0.1.0 || ^1.0.0", ">=99.0.0" };
  const char *archives[] = { "demo-1.0.0.tar.gz", "demo-1.1.0.tar.gz", "demo-2.0.0.tar.gz" };
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("porthole-plugin-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->catalog_dir = g_build_filename (f->tmp, "catalog", NULL);
  f->plugins = g_build_filename (f->tmp, "plugins", NULL);
  g_mkdir (f->catalog_dir, 0755);

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    g_free (ph_test_write_plugin_archive (f->catalog_dir, "demo", versions[i], compats[i], NULL));
  f->index = ph_test_write_catalog (f->catalog_dir, "demo", versions, compats, archives, 3);

  f->installer = ph_plugin_installer_new (f->plugins);
  ph_plugin_installer_set_porthole_version (f->installer, "0.1.0");
  load_catalog (f, f->index);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->installer);
  ph_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->catalog_dir);
  g_free (f->plugins);
  g_free (f->index);
}

/* The folder holds exactly one whole version: manifest and README agree. */
static char *
installed_version (Fixture    *f,
                   const char *name)
{
  g_autofree char *folder = g_build_filename (f->plugins, name, NULL);
  g_autofree char *readme_path = g_build_filename (folder, "README", NULL);
  g_autofree char *readme = NULL;
  g_autoptr(PhPluginManifest) manifest = NULL;
  g_autofree char *expected_readme = NULL;

  if (!g_file_test (folder, G_FILE_TEST_EXISTS))
    return NULL;

  manifest = ph_plugin_manifest_load (folder, NULL);
  g_assert_nonnull (manifest);
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  expected_readme = g_strdup_printf ("%s %s\n", name, manifest->version);
  g_assert_cmpstr (readme, ==, expected_readme);
  g_assert_cmpuint (ph_test_count_entries (folder), ==, 3);

  return g_strdup (manifest->version);
}

static void
assert_version (Fixture    *f,
                const char *name,
                const char *version)
{
  g_autofree char *have = installed_version (f, name);

  g_assert_cmpstr (have, ==, version);
}

static void
assert_no_staging_left (Fixture *f)
{
  g_autofree char *staging = g_build_filename (f->plugins, ".staging", NULL);

  g_assert_cmpuint (ph_test_count_entries (staging), ==, 0);
}

static void
install_ok (Fixture    *f,
            const char *name,
            const char *version)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *got = ph_plugin_installer_install (f->installer, name, version, FALSE,
                                                      NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, version);
}

static void
test_install_update_uninstall (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *again = NULL;
  g_autofree char *info_path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) list = NULL;
  JsonObject *info;

  install_ok (f, "demo", "1.0.0");
  assert_version (f, "demo", "1.0.0");
  assert_no_staging_left (f);

  info_path = g_build_filename (f->plugins, "demo", ".porthole-install.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, info_path, NULL));
  info = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (info, "version"), ==, "1.0.0");
  g_assert_cmpuint (strlen (json_object_get_string_member (info, "sha256")), ==, 64);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (info, "catalog"), "file://"));
  g_assert_nonnull (json_object_get_string_member (info, "installedAt"));

  /* Installing again is refused: that is what update is for. */
  g_assert_null (ph_plugin_installer_install (f->installer, "demo", NULL, FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_ALREADY_INSTALLED);
  g_clear_error (&error);

  /* 2.0.0 needs a newer Porthole: 1.1.0 is the newest compatible. */
  updated = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated, ==, "1.1.0");
  assert_version (f, "demo", "1.1.0");
  assert_no_staging_left (f);

  again = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UP_TO_DATE);
  g_assert_nonnull (strstr (error->message, "already up to date"));
  g_clear_error (&error);

  list = ph_plugin_installer_list (f->installer);
  {
    PhInstalledPlugin *p = ph_plugin_registry_find (list, "demo");
    g_assert_nonnull (p);
    g_assert_true (ph_installed_plugin_get_managed (p));
    g_assert_cmpstr (ph_installed_plugin_get_version (p), ==, "1.1.0");
    g_assert_null (ph_installed_plugin_get_error (p));
  }

  g_assert_true (ph_plugin_installer_uninstall (f->installer, "demo", FALSE, NULL, &error));
  g_assert_no_error (error);
  assert_version (f, "demo", NULL);
  assert_no_staging_left (f);

  g_assert_false (ph_plugin_installer_uninstall (f->installer, "demo", FALSE, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_INSTALLED);
}

static void
test_incompatible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ph_plugin_installer_install (f->installer, "demo", "2.0.0", FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, ">=99.0.0"));
  g_assert_nonnull (strstr (error->message, "0.1.0"));
  g_clear_error (&error);
  assert_version (f, "demo", NULL);

  /* A Porthole that no version accepts. */
  ph_plugin_installer_set_porthole_version (f->installer, "0.0.1");
  g_assert_null (ph_plugin_installer_install (f->installer, "demo", NULL, FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_INCOMPATIBLE);
  g_assert_nonnull (strstr (error->message, "Porthole 0.0.1"));
  g_clear_error (&error);
  assert_version (f, "demo", NULL);

  /* A newer Porthole gets 2.0.0. */
  ph_plugin_installer_set_porthole_version (f->installer, "99.1.0");
  install_ok (f, "demo", "2.0.0");
  assert_version (f, "demo", "2.0.0");

  g_assert_null (ph_plugin_installer_install (f->installer, "nope", NULL, FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_FOUND);
}

/* Rewrites the catalog so "evil" 1.0.0 is the given archive. */
static void
offer_archive (Fixture    *f,
               const char *archive_name)
{
  const char *versions[] = { "1.0.0" };
  const char *compats[] = { "*" };
  const char *archives[] = { archive_name };
  g_autoptr(PhPluginInstaller) fresh = NULL;
  g_autofree char *index = NULL;

  index = ph_test_write_catalog (f->catalog_dir, "evil", versions, compats, archives, 1);
  g_clear_object (&f->installer);
  f->installer = ph_plugin_installer_new (f->plugins);
  ph_plugin_installer_set_porthole_version (f->installer, "0.1.0");
  load_catalog (f, index);
}

typedef struct {
  const char *name;
  TestEntry   entries[6];
  guint       n;
  int         code;
} RefusalCase;

#define MANIFEST "{\"name\": \"evil\", \"version\": \"1.0.0\", \"title\": \"Evil\", \"versionCompat\": \"*\"}"

static const RefusalCase refusals[] = {
  { "absolute-path", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                       { "/tmp/porthole-evil-abs", TEST_FILE, "x" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "dotdot", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                { "evil/../../escape", TEST_FILE, "x" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "symlink-absolute", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                          { "evil/passwd", TEST_SYMLINK, NULL, 0, "/etc/passwd" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "symlink-up", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                    { "evil/up", TEST_SYMLINK, NULL, 0, "../.." } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "symlink-chain", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                       { "evil/b", TEST_SYMLINK, NULL, 0, "." },
                       { "evil/a", TEST_SYMLINK, NULL, 0, "b/../.." } }, 4, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "symlink-chain-physical", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                                { "evil/sub/", TEST_DIR },
                                { "evil/sub/b", TEST_SYMLINK, NULL, 0, ".." },
                                { "evil/sub/a", TEST_SYMLINK, NULL, 0, "b/../plugin.json" } }, 5, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "write-through-symlink", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                               { "evil/sub/", TEST_DIR },
                               { "evil/link", TEST_SYMLINK, NULL, 0, "sub" },
                               { "evil/link/file", TEST_FILE, "x" } }, 5, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "hardlink-outside", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                          { "evil/shadow", TEST_HARDLINK, NULL, 0, "/etc/passwd" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "hardlink-unknown", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                          { "evil/shadow", TEST_HARDLINK, NULL, 0, "evil/missing" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "device", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                { "evil/null", TEST_CHARDEV } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "fifo", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
              { "evil/pipe", TEST_FIFO } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "too-large-entry", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                         { "evil/big", TEST_FILE, NULL, 300 * 1024 } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "too-large-total", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                         { "evil/big1", TEST_FILE, NULL, 150 * 1024 },
                         { "evil/big2", TEST_FILE, NULL, 150 * 1024 } }, 4, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "too-many-entries", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                          { "evil/1", TEST_FILE, "1" }, { "evil/2", TEST_FILE, "2" },
                          { "evil/3", TEST_FILE, "3" }, { "evil/4", TEST_FILE, "4" } }, 6, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "two-top-level", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                       { "other/", TEST_DIR } }, 3, PH_PLUGIN_ERROR_BAD_ARCHIVE },
  { "top-level-file", { { "plugin.json", TEST_FILE, MANIFEST } }, 1, PH_PLUGIN_ERROR_BAD_ARCHIVE },
  { "no-manifest", { { "evil/", TEST_DIR }, { "evil/README", TEST_FILE, "hi" } }, 2, PH_PLUGIN_ERROR_BAD_MANIFEST },
  { "bad-manifest", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, "{\"name\": \"Evil!\"}" } }, 2,
    PH_PLUGIN_ERROR_BAD_MANIFEST },
  { "name-mismatch", { { "evil/", TEST_DIR },
                       { "evil/plugin.json", TEST_FILE,
                         "{\"name\": \"other\", \"version\": \"1.0.0\", \"title\": \"O\", \"versionCompat\": \"*\"}" } }, 2,
    PH_PLUGIN_ERROR_MANIFEST_MISMATCH },
  { "version-mismatch", { { "evil/", TEST_DIR },
                          { "evil/plugin.json", TEST_FILE,
                            "{\"name\": \"evil\", \"version\": \"6.6.6\", \"title\": \"E\", \"versionCompat\": \"*\"}" } }, 2,
    PH_PLUGIN_ERROR_MANIFEST_MISMATCH },
  { "ships-install-record", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                              { "evil/.porthole-install.json", TEST_FILE, "{}" } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
  { "duplicate-entry", { { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
                         { "evil/plugin.json", TEST_FILE, MANIFEST } }, 3, PH_PLUGIN_ERROR_UNSAFE_ARCHIVE },
};

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *outside = g_build_filename (f->tmp, "escape", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      const RefusalCase *c = &refusals[i];
      g_autofree char *archive_name = g_strdup_printf ("%s.tar.gz", c->name);
      g_autofree char *archive_path = g_build_filename (f->catalog_dir, archive_name, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      g_test_message ("archive: %s", c->name);
      ph_test_write_archive (archive_path, c->entries, c->n);
      offer_archive (f, archive_name);
      ph_plugin_installer_set_limits (f->installer, 1024 * 1024, 5, 256 * 1024);

      got = ph_plugin_installer_install (f->installer, "evil", NULL, FALSE, NULL, NULL, NULL, &error);
      g_assert_null (got);
      if (!g_error_matches (error, PH_PLUGIN_ERROR, c->code))
        g_error ("%s: expected code %d, got %s (%d)", c->name, c->code,
                 error ? error->message : "success", error ? error->code : -1);
      g_test_message ("  refused: %s", error->message);

      assert_version (f, "evil", NULL);
      assert_no_staging_left (f);
      g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test ("/tmp/porthole-evil-abs", G_FILE_TEST_EXISTS));
    }
}

static void
test_safe_links_allowed (Fixture       *f,
                         gconstpointer  data)
{
  const TestEntry entries[] = {
    { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
    { "evil/docs/", TEST_DIR }, { "evil/docs/a.txt", TEST_FILE, "text" },
    { "evil/readme", TEST_SYMLINK, NULL, 0, "docs/a.txt" },
    { "evil/docs/manifest", TEST_SYMLINK, NULL, 0, "../plugin.json" },
    { "evil/copy", TEST_HARDLINK, NULL, 0, "evil/docs/a.txt" },
  };
  g_autofree char *archive_path = g_build_filename (f->catalog_dir, "links.zip", NULL);
  g_autofree char *copy = g_build_filename (f->plugins, "evil", "copy", NULL);
  g_autofree char *contents = NULL;

  /* zip has no hard links: use tar for this one. */
  g_free (archive_path);
  archive_path = g_build_filename (f->catalog_dir, "links.tar.gz", NULL);
  ph_test_write_archive (archive_path, entries, G_N_ELEMENTS (entries));
  offer_archive (f, "links.tar.gz");
  install_ok (f, "evil", "1.0.0");

  g_assert_true (g_file_get_contents (copy, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "text");
  assert_no_staging_left (f);
}

static void
test_formats (Fixture       *f,
              gconstpointer  data)
{
  const char *names[] = { "p.zip", "p.tar.xz" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const TestEntry entries[] = {
        { "evil/", TEST_DIR }, { "evil/plugin.json", TEST_FILE, MANIFEST },
      };
      g_autofree char *archive_path = g_build_filename (f->catalog_dir, names[i], NULL);
      g_autoptr(GError) error = NULL;

      ph_test_write_archive (archive_path, entries, G_N_ELEMENTS (entries));
      offer_archive (f, names[i]);
      install_ok (f, "evil", "1.0.0");
      g_assert_true (ph_plugin_installer_uninstall (f->installer, "evil", FALSE, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_checksum_mismatch (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *archive = g_build_filename (f->catalog_dir, "demo-1.0.0.tar.gz", NULL);
  g_autofree char *other = g_build_filename (f->catalog_dir, "demo-1.1.0.tar.gz", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  /* Serve 1.1.0's bytes where the catalog promises 1.0.0's. */
  g_assert_true (g_file_get_contents (other, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (archive, contents, len, NULL));

  g_assert_null (ph_plugin_installer_install (f->installer, "demo", "1.0.0", FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CHECKSUM_MISMATCH);
  assert_version (f, "demo", NULL);
  assert_no_staging_left (f);
}

static void
test_download_cap (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  ph_plugin_installer_set_limits (f->installer, 64, 100, 1024 * 1024);
  g_assert_null (ph_plugin_installer_install (f->installer, "demo", "1.0.0", FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_TOO_LARGE);
  assert_version (f, "demo", NULL);
  assert_no_staging_left (f);
}

typedef struct {
  PhPluginPhase  phase;
  GCancellable  *cancellable;
  gboolean       seen;
} CancelAt;

static void
cancel_at_phase (PhPluginPhase phase,
                 guint64       done,
                 guint64       total,
                 gpointer      user_data)
{
  CancelAt *c = user_data;

  if (phase == c->phase)
    {
      c->seen = TRUE;
      g_cancellable_cancel (c->cancellable);
    }
}

static void
test_cancel_each_phase (Fixture       *f,
                        gconstpointer  data)
{
  const PhPluginPhase phases[] = {
    PH_PLUGIN_PHASE_RESOLVING, PH_PLUGIN_PHASE_DOWNLOADING, PH_PLUGIN_PHASE_VERIFYING,
    PH_PLUGIN_PHASE_EXTRACTING, PH_PLUGIN_PHASE_CHECKING, PH_PLUGIN_PHASE_SWAPPING,
  };

  install_ok (f, "demo", "1.0.0");

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CancelAt c = { phases[i], cancellable, FALSE };
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      g_test_message ("cancel in %s", ph_plugin_phase_to_string (phases[i]));
      got = ph_plugin_installer_update (f->installer, "demo", cancel_at_phase, &c, cancellable, &error);
      g_assert_true (c.seen);
      g_assert_null (got);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      assert_version (f, "demo", "1.0.0");
      assert_no_staging_left (f);
    }
}

/* Runs an update in a child process with a test hook set; returns the
 * wait status. */
static int
run_child_update (Fixture    *f,
                  const char *crash_at,
                  gboolean    no_exchange)
{
  pid_t pid = fork ();
  int status = 0;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      g_setenv ("PORTHOLE_PLUGIN_TEST_CRASH_AT", crash_at, TRUE);
      if (no_exchange)
        g_setenv ("PORTHOLE_PLUGIN_TEST_NO_EXCHANGE", "1", TRUE);
      got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
      _exit (got != NULL ? 0 : 1);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

static void
test_crash_mid_update (Fixture       *f,
                       gconstpointer  data)
{
  const struct {
    const char *point;
    gboolean    no_exchange;
    const char *after_recovery;
  } cases[] = {
    { "after-download", FALSE, "1.0.0" },
    { "after-extract", FALSE, "1.0.0" },
    { "before-swap", FALSE, "1.0.0" },
    { "after-swap", FALSE, "1.1.0" },
    { "before-cleanup", FALSE, "1.1.0" },
    { "before-swap", TRUE, "1.0.0" },
    { "after-first-rename", TRUE, "1.1.0" },
    { "after-second-rename", TRUE, "1.1.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *before = NULL;
      int status;

      g_test_message ("SIGKILL at %s%s", cases[i].point, cases[i].no_exchange ? " (two renames)" : "");
      ph_test_rm_rf (f->plugins);
      install_ok (f, "demo", "1.0.0");

      status = run_child_update (f, cases[i].point, cases[i].no_exchange);
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      /* Right after the crash the folder is one whole version, or (only
       * between the two fallback renames) absent until recovery. */
      before = installed_version (f, "demo");
      if (g_strcmp0 (cases[i].point, "after-first-rename") == 0)
        g_assert_null (before);
      else
        g_assert_true (g_strcmp0 (before, "1.0.0") == 0 || g_strcmp0 (before, "1.1.0") == 0);

      g_assert_true (ph_plugin_installer_recover (f->installer, NULL, &error));
      g_assert_no_error (error);
      assert_version (f, "demo", cases[i].after_recovery);
      assert_no_staging_left (f);
    }
}

/* The staged folder is named by the archive; a name that needs escaping
 * in JSON, or that holds "..", must not make recovery lose the plugin. */
static void
test_crash_odd_folder_name (Fixture       *f,
                            gconstpointer  data)
{
  const char *tops[] = { "we\"ird\\name", "a..b" };

  for (guint i = 0; i < G_N_ELEMENTS (tops); i++)
    {
      g_autofree char *top = g_strdup_printf ("%s/", tops[i]);
      g_autofree char *manifest_path = g_strdup_printf ("%s/plugin.json", tops[i]);
      g_autofree char *readme_path = g_strdup_printf ("%s/README", tops[i]);
      g_autofree char *manifest = ph_test_manifest ("demo", "1.1.0", "^0.1.0");
      g_autofree char *archive = g_build_filename (f->catalog_dir, "demo-1.1.0.tar.gz", NULL);
      const TestEntry entries[] = {
        { top, TEST_DIR },
        { manifest_path, TEST_FILE, manifest },
        { readme_path, TEST_FILE, "demo 1.1.0\n" },
      };
      const char *versions[] = { "1.0.0", "1.1.0" };
      const char *compats[] = { "*", "^0.1.0" };
      const char *archives[] = { "demo-1.0.0.tar.gz", "demo-1.1.0.tar.gz" };
      g_autofree char *index = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_test_message ("top-level folder %s", tops[i]);
      ph_test_write_archive (archive, entries, G_N_ELEMENTS (entries));
      index = ph_test_write_catalog (f->catalog_dir, "demo", versions, compats, archives, 2);
      g_clear_object (&f->installer);
      f->installer = ph_plugin_installer_new (f->plugins);
      ph_plugin_installer_set_porthole_version (f->installer, "0.1.0");
      load_catalog (f, index);

      ph_test_rm_rf (f->plugins);
      install_ok (f, "demo", "1.0.0");

      status = run_child_update (f, "after-first-rename", TRUE);
      g_assert_true (WIFSIGNALED (status));
      g_assert_null (installed_version (f, "demo"));

      g_assert_true (ph_plugin_installer_recover (f->installer, NULL, &error));
      g_assert_no_error (error);
      assert_version (f, "demo", "1.1.0");
      assert_no_staging_left (f);
    }
}

/* A two-rename swap whose second rename fails puts the old plugin back;
 * when even that fails, nothing is deleted and recovery completes it. */
static void
test_swap_fails_half_way (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *staging = g_build_filename (f->plugins, ".staging", NULL);

  install_ok (f, "demo", "1.0.0");
  g_setenv ("PORTHOLE_PLUGIN_TEST_NO_EXCHANGE", "1", TRUE);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = NULL;

    g_setenv ("PORTHOLE_PLUGIN_TEST_FAIL_AT", "move-into-place", TRUE);
    got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
    g_assert_null (got);
    g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO);
    g_assert_nonnull (strstr (error->message, g_strerror (EIO)));
    assert_version (f, "demo", "1.0.0");
    assert_no_staging_left (f);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *got = NULL;

    g_setenv ("PORTHOLE_PLUGIN_TEST_FAIL_AT", "move-into-place,restore", TRUE);
    got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
    g_assert_null (got);
    g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO);
    g_assert_null (installed_version (f, "demo"));
    g_assert_cmpuint (ph_test_count_entries (staging), ==, 1);
  }

  g_unsetenv ("PORTHOLE_PLUGIN_TEST_FAIL_AT");
  g_unsetenv ("PORTHOLE_PLUGIN_TEST_NO_EXCHANGE");

  {
    g_autoptr(GError) error = NULL;

    g_assert_true (ph_plugin_installer_recover (f->installer, NULL, &error));
    g_assert_no_error (error);
    assert_version (f, "demo", "1.1.0");
    assert_no_staging_left (f);
  }
}

/* A fresh install and an uninstall killed at any point leave the plugin
 * absent or whole, and recovery leaves no staging behind. */
static void
test_crash_install_uninstall (Fixture       *f,
                              gconstpointer  data)
{
  const char *install_points[] = { "after-download", "after-extract", "before-swap", "after-swap", "before-cleanup" };

  for (guint i = 0; i < G_N_ELEMENTS (install_points); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *before = NULL;
      gboolean swapped = i >= 3;
      pid_t pid;
      int status;

      g_test_message ("install: SIGKILL at %s", install_points[i]);
      ph_test_rm_rf (f->plugins);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          g_setenv ("PORTHOLE_PLUGIN_TEST_CRASH_AT", install_points[i], TRUE);
          ph_plugin_installer_install (f->installer, "demo", "1.0.0", FALSE, NULL, NULL, NULL, NULL);
          _exit (1);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));

      before = installed_version (f, "demo");
      g_assert_cmpstr (before, ==, swapped ? "1.0.0" : NULL);
      g_assert_true (ph_plugin_installer_recover (f->installer, NULL, &error));
      g_assert_no_error (error);
      assert_version (f, "demo", swapped ? "1.0.0" : NULL);
      assert_no_staging_left (f);
    }

  {
    g_autoptr(GError) error = NULL;
    pid_t pid;
    int status;

    g_test_message ("uninstall: SIGKILL after the rename");
    pid = fork ();
    g_assert_cmpint (pid, >=, 0);
    if (pid == 0)
      {
        g_setenv ("PORTHOLE_PLUGIN_TEST_CRASH_AT", "after-uninstall-rename", TRUE);
        ph_plugin_installer_uninstall (f->installer, "demo", FALSE, NULL, NULL);
        _exit (1);
      }
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_assert_true (WIFSIGNALED (status));

    assert_version (f, "demo", NULL);
    g_assert_true (ph_plugin_installer_recover (f->installer, NULL, &error));
    g_assert_no_error (error);
    assert_no_staging_left (f);
  }
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *big = g_malloc0 (512 * 1024 + 1);
  const char *versions[] = { "1.0.0", "1.5.0" };
  const char *compats[] = { "*", "*" };
  const char *archives[] = { "demo-1.0.0.tar.gz", "demo-1.5.0.tar.gz" };
  g_autofree char *index = NULL;
  pid_t pid;
  int status;

  memset (big, 'z', 512 * 1024);
  g_hash_table_insert (extra, "data.bin", big);
  g_free (ph_test_write_plugin_archive (f->catalog_dir, "demo", "1.5.0", "*", extra));
  index = ph_test_write_catalog (f->catalog_dir, "demo", versions, compats, archives, 2);
  g_clear_object (&f->installer);
  f->installer = ph_plugin_installer_new (f->plugins);
  load_catalog (f, index);

  install_ok (f, "demo", "1.0.0");

  /* A child whose writes fail past 256 KiB, as on a full disk. */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      struct rlimit limit = { 256 * 1024, 256 * 1024 };
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
      got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error);
      _exit (got == NULL && g_error_matches (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_IO) ? 42 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 42);

  assert_version (f, "demo", "1.0.0");
  assert_no_staging_left (f);
}

static void
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
}

static void
mark_waiting (PhPluginPhase phase,
              guint64       done,
              guint64       total,
              gpointer      user_data)
{
  if (phase == PH_PLUGIN_PHASE_WAITING)
    g_file_set_contents (user_data, "waiting", -1, NULL);
}

static void
test_two_processes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *pause_file = g_build_filename (f->tmp, "paused", NULL);
  g_autofree char *waiting_file = g_build_filename (f->tmp, "waiting", NULL);
  pid_t a, b;
  int status;

  install_ok (f, "demo", "1.0.0");

  /* A updates and stops, holding the lock, right after extracting. */
  a = fork ();
  g_assert_cmpint (a, >=, 0);
  if (a == 0)
    {
      g_autofree char *got = NULL;

      g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "after-extract", TRUE);
      g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
      got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, NULL);
      _exit (g_strcmp0 (got, "1.1.0") == 0 ? 0 : 1);
    }
  wait_for_file (pause_file);

  /* B tries the same update meanwhile: it must wait for A, then find
   * nothing left to do. */
  b = fork ();
  g_assert_cmpint (b, >=, 0);
  if (b == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = ph_plugin_installer_update (f->installer, "demo", mark_waiting, waiting_file,
                                                         NULL, &error);

      _exit (got == NULL && g_error_matches (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UP_TO_DATE) ? 0 : 1);
    }
  wait_for_file (waiting_file);

  /* While A holds the lock, nothing has changed yet. */
  assert_version (f, "demo", "1.0.0");
  g_assert_cmpint (waitpid (b, &status, WNOHANG), ==, 0);

  /* A third operation gives up waiting when cancelled. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    CancelAt c = { PH_PLUGIN_PHASE_WAITING, cancellable, FALSE };
    g_autoptr(GError) error = NULL;
    g_autofree char *got = ph_plugin_installer_update (f->installer, "demo", cancel_at_phase, &c,
                                                       cancellable, &error);

    g_assert_true (c.seen);
    g_assert_null (got);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    assert_version (f, "demo", "1.0.0");
  }

  g_unlink (pause_file);
  g_assert_cmpint (waitpid (a, &status, 0), ==, a);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_cmpint (waitpid (b, &status, 0), ==, b);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  assert_version (f, "demo", "1.1.0");
  assert_no_staging_left (f);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plugins = ph_plugin_installer_list_finish (PH_PLUGIN_INSTALLER (source), result, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ph_installed_plugin_get_version (ph_plugin_registry_find (plugins, "demo")), ==, "1.0.0");
  *(gboolean *) user_data = TRUE;
}

/* Start-up: loading plugins first finishes an update killed between its
 * two renames, so the plugin is there; but it leaves alone the staging of
 * an operation another process is still running. */
static void
test_startup_recovery (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *pause_file = g_build_filename (f->tmp, "paused", NULL);
  g_autofree char *staging = g_build_filename (f->plugins, ".staging", NULL);
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_plugin_dir_free);
  PhPluginDir *dir = g_new0 (PhPluginDir, 1);
  int status;
  pid_t pid;

  dir->path = g_strdup (f->plugins);
  dir->source = PH_PLUGIN_SOURCE_USER;
  g_ptr_array_add (dirs, dir);

  install_ok (f, "demo", "1.0.0");
  status = run_child_update (f, "after-first-rename", TRUE);
  g_assert_true (WIFSIGNALED (status));
  g_assert_null (installed_version (f, "demo"));

  {
    g_autoptr(PhPluginLoader) loader = ph_plugin_loader_new (dirs);
    PhInstalledPlugin *plugin;

    ph_plugin_loader_load (loader);
    plugin = ph_plugin_registry_find (ph_plugin_loader_get_plugins (loader), "demo");
    g_assert_nonnull (plugin);
    g_assert_cmpstr (ph_installed_plugin_get_version (plugin), ==, "1.1.0");
    assert_version (f, "demo", "1.1.0");
    assert_no_staging_left (f);
  }

  /* Another process mid-update holds the lock: start-up neither waits
   * nor touches its staging folder. */
  ph_test_rm_rf (f->plugins);
  install_ok (f, "demo", "1.0.0");
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *got = NULL;

      g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "after-extract", TRUE);
      g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
      got = ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, NULL);
      _exit (g_strcmp0 (got, "1.1.0") == 0 ? 0 : 1);
    }
  wait_for_file (pause_file);

  {
    g_autoptr(GError) error = NULL;
    gboolean done = FALSE;

    g_assert_true (ph_plugin_installer_recover_if_idle (f->installer, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (ph_test_count_entries (staging), ==, 1);
    assert_version (f, "demo", "1.0.0");

    /* Listing does not wait for the other process either. */
    ph_plugin_installer_list_async (f->installer, NULL, on_listed, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (ph_test_count_entries (staging), ==, 1);
  }

  g_unlink (pause_file);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  assert_version (f, "demo", "1.1.0");
  assert_no_staging_left (f);
}

static void
test_unmanaged (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->plugins, "demo", NULL);
  g_autofree char *manifest_path = g_build_filename (folder, "plugin.json", NULL);
  g_autofree char *manifest = ph_test_manifest ("demo", "0.5.0", "*");
  g_autoptr(GError) error = NULL;

  /* Placed by hand: neither replaced nor removed without force. */
  g_mkdir_with_parents (folder, 0755);
  g_assert_true (g_file_set_contents (manifest_path, manifest, -1, NULL));

  g_assert_null (ph_plugin_installer_install (f->installer, "demo", "1.0.0", FALSE, NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED);
  g_clear_error (&error);
  g_assert_null (ph_plugin_installer_update (f->installer, "demo", NULL, NULL, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED);
  g_clear_error (&error);
  g_assert_false (ph_plugin_installer_uninstall (f->installer, "demo", FALSE, NULL, &error));
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_MANAGED);
  g_clear_error (&error);
  g_assert_true (g_file_test (manifest_path, G_FILE_TEST_EXISTS));

  /* Forced, an install replaces it whole and manages it from then on. */
  {
    g_autofree char *got = ph_plugin_installer_install (f->installer, "demo", "1.0.0", TRUE,
                                                        NULL, NULL, NULL, &error);
    g_autoptr(GPtrArray) list = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (got, ==, "1.0.0");
    assert_version (f, "demo", "1.0.0");
    assert_no_staging_left (f);
    list = ph_plugin_installer_list (f->installer);
    g_assert_true (ph_installed_plugin_get_managed (ph_plugin_registry_find (list, "demo")));
  }

  /* A hand-placed plugin with a read-only folder is replaced, and its old
   * copy still leaves .staging (else every later recovery would fail). */
  {
    g_autofree char *locked = g_build_filename (folder, "locked", NULL);
    g_autofree char *inner = g_build_filename (locked, "file", NULL);
    g_autofree char *got = NULL;

    ph_test_rm_rf (folder);
    g_mkdir_with_parents (locked, 0755);
    g_assert_true (g_file_set_contents (manifest_path, manifest, -1, NULL));
    g_assert_true (g_file_set_contents (inner, "x", -1, NULL));
    g_chmod (locked, 0555);

    got = ph_plugin_installer_install (f->installer, "demo", "1.0.0", TRUE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (got, ==, "1.0.0");
    assert_version (f, "demo", "1.0.0");
    assert_no_staging_left (f);
    g_assert_true (ph_plugin_installer_uninstall (f->installer, "demo", FALSE, NULL, &error));
    g_assert_no_error (error);
  }

  /* And a hand-placed one is removed only when forced. */
  ph_test_rm_rf (folder);
  g_mkdir_with_parents (folder, 0755);
  g_assert_true (g_file_set_contents (manifest_path, manifest, -1, NULL));
  g_assert_true (ph_plugin_installer_uninstall (f->installer, "demo", TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

/* Serves the catalog folder over HTTP from a thread of its own. */
typedef struct {
  GMainContext    *context;
  GMainLoop       *loop;
  GTlsCertificate *certificate;  /* serves https when set */
  SoupServer      *server;
  char         *root;
  char         *base;
  GThread      *thread;
  GMutex        mutex;
  GCond         cond;
} HttpServer;

static void
serve_file (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  HttpServer *s = user_data;
  g_autofree char *file = g_build_filename (s->root, path, NULL);
  char *contents = NULL;
  gsize len;

  if (strstr (path, "..") != NULL || !g_file_get_contents (file, &contents, &len, NULL))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_TAKE, contents, len);
}

static gpointer
http_thread (gpointer data)
{
  HttpServer *s = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  g_main_context_push_thread_default (s->context);
  s->server = soup_server_new ("tls-certificate", s->certificate, NULL);
  soup_server_add_handler (s->server, NULL, serve_file, s, NULL);
  g_assert_true (soup_server_listen (s->server, address, s->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);

  g_mutex_lock (&s->mutex);
  s->base = g_uri_to_string (uris->data);
  g_cond_signal (&s->cond);
  g_mutex_unlock (&s->mutex);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_main_loop_run (s->loop);

  soup_server_disconnect (s->server);
  g_clear_object (&s->server);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

static void
http_server_start (HttpServer      *s,
                   const char      *root,
                   GTlsCertificate *certificate)
{
  s->context = g_main_context_new ();
  s->loop = g_main_loop_new (s->context, FALSE);
  s->root = (char *) root;
  s->certificate = certificate;
  g_mutex_init (&s->mutex);
  g_cond_init (&s->cond);
  s->thread = g_thread_new ("http", http_thread, s);
  g_mutex_lock (&s->mutex);
  while (s->base == NULL)
    g_cond_wait (&s->cond, &s->mutex);
  g_mutex_unlock (&s->mutex);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
http_server_stop (HttpServer *s)
{
  g_main_context_invoke (s->context, quit_loop, s->loop);
  g_thread_join (s->thread);
  g_main_loop_unref (s->loop);
  g_main_context_unref (s->context);
  g_free (s->base);
  g_mutex_clear (&s->mutex);
  g_cond_clear (&s->cond);
}

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = ph_plugin_installer_install_finish (PH_PLUGIN_INSTALLER (source), result, &error);
  g_assert_no_error (error);
}

static void
count_progress (PhPluginPhase phase,
                guint64       done,
                guint64       total,
                gpointer      user_data)
{
  guint *bits = user_data;

  *bits |= 1u << phase;
}

static void
test_http_async (Fixture       *f,
                 gconstpointer  data)
{
  HttpServer s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginCatalog) catalog = NULL;
  g_autofree char *index_url = NULL;
  g_autofree char *installed = NULL;
  guint phases = 0;

  http_server_start (&s, f->catalog_dir, NULL);

  index_url = g_strconcat (s.base, "index.json", NULL);
  catalog = ph_plugin_catalog_load (index_url, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ph_catalog_plugin_get_version (ph_plugin_catalog_lookup (catalog, "demo"), 0)->url,
                                   s.base));

  g_clear_object (&f->installer);
  f->installer = ph_plugin_installer_new (f->plugins);
  ph_plugin_installer_add_catalog (f->installer, catalog);

  ph_plugin_installer_install_async (f->installer, "demo", NULL, count_progress, &phases, NULL,
                                     NULL, on_installed, &installed);
  while (installed == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (installed, ==, "1.1.0");
  assert_version (f, "demo", "1.1.0");
  g_assert_true (phases & (1u << PH_PLUGIN_PHASE_DOWNLOADING));
  g_assert_true (phases & (1u << PH_PLUGIN_PHASE_SWAPPING));

  /* A missing file over HTTP is "unreachable", not malformed. */
  {
    g_autofree char *missing = g_strconcat (s.base, "nope.json", NULL);
    g_autoptr(PhPluginCatalog) none = ph_plugin_catalog_load (missing, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
    g_assert_nonnull (strstr (error->message, "404"));
    g_clear_error (&error);
  }

  /* Credentials in a catalog URL are used, but stay out of messages and
   * of the install record. */
  {
    g_autoptr(GUri) base = g_uri_parse (s.base, G_URI_FLAGS_NONE, NULL);
    g_autofree char *secret_index = g_strdup_printf ("http://t0ken:s3cret@127.0.0.1:%d/index.json?private_token=s3cret",
                                                     g_uri_get_port (base));
    g_autofree char *secret_missing = g_strdup_printf ("http://t0ken:s3cret@127.0.0.1:%d/nope.json?private_token=s3cret",
                                                       g_uri_get_port (base));
    g_autofree char *dir = g_build_filename (f->tmp, "secret-plugins", NULL);
    g_autofree char *record_path = g_build_filename (dir, "demo", ".porthole-install.json", NULL);
    g_autofree char *record = NULL;
    g_autoptr(PhPluginCatalog) secret = NULL;
    g_autoptr(PhPluginCatalog) none = NULL;
    g_autoptr(PhPluginInstaller) installer = NULL;
    g_autofree char *got = NULL;

    none = ph_plugin_catalog_load (secret_missing, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
    g_assert_null (strstr (error->message, "s3cret"));
    g_assert_null (strstr (error->message, "t0ken"));
    g_clear_error (&error);

    secret = ph_plugin_catalog_load (secret_index, NULL, &error);
    g_assert_no_error (error);
    installer = ph_plugin_installer_new (dir);
    ph_plugin_installer_add_catalog (installer, secret);
    got = ph_plugin_installer_install (installer, "demo", NULL, FALSE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (got, ==, "1.1.0");

    g_assert_true (g_file_get_contents (record_path, &record, NULL, NULL));
    g_assert_nonnull (strstr (record, "127.0.0.1"));
    g_assert_null (strstr (record, "s3cret"));
    g_assert_null (strstr (record, "t0ken"));
  }

  http_server_stop (&s);
}

typedef struct {
  gboolean  done;
  char     *version;
  GError   *error;
} UpdateResult;

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  UpdateResult *r = user_data;

  r->version = ph_plugin_installer_update_finish (PH_PLUGIN_INSTALLER (source), result, &r->error);
  r->done = TRUE;
}

/* A cancel that arrives after the swap cannot undo it, so the caller must
 * hear that the update happened, not "cancelled". */
static void
test_async_cancel_after_swap (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *pause_file = g_build_filename (f->tmp, "paused", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  UpdateResult r = { 0 };

  install_ok (f, "demo", "1.0.0");

  g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "before-cleanup", TRUE);
  g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
  ph_plugin_installer_update_async (f->installer, "demo", NULL, NULL, NULL, cancellable, on_updated, &r);
  wait_for_file (pause_file);
  g_cancellable_cancel (cancellable);
  g_unlink (pause_file);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT");
  g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE");

  g_assert_no_error (r.error);
  g_assert_cmpstr (r.version, ==, "1.1.0");
  assert_version (f, "demo", "1.1.0");
  assert_no_staging_left (f);
  g_free (r.version);

  /* Cancelled before the swap, the async update changes nothing. */
  {
    g_autoptr(GCancellable) early = g_cancellable_new ();
    UpdateResult e = { 0 };

    ph_test_rm_rf (f->plugins);
    install_ok (f, "demo", "1.0.0");
    g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT", "after-extract", TRUE);
    g_setenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
    ph_plugin_installer_update_async (f->installer, "demo", NULL, NULL, NULL, early, on_updated, &e);
    wait_for_file (pause_file);
    g_cancellable_cancel (early);
    g_unlink (pause_file);
    while (!e.done)
      g_main_context_iteration (NULL, TRUE);
    g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_AT");
    g_unsetenv ("PORTHOLE_PLUGIN_TEST_PAUSE_FILE");

    g_assert_null (e.version);
    g_assert_error (e.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&e.error);
    assert_version (f, "demo", "1.0.0");
    assert_no_staging_left (f);
  }
}

/* https keeps certificate verification: a server whose CA the system does
 * not trust is refused. */
static void
test_https_verifies (Fixture       *f,
                     gconstpointer  data)
{
  HttpServer s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(PhPluginCatalog) catalog = NULL;
  g_autofree char *index_url = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  certificate = g_tls_certificate_new_from_files (
    g_test_get_filename (G_TEST_DIST, "..", "src", "sim", "certs", "server.pem", NULL),
    g_test_get_filename (G_TEST_DIST, "..", "src", "sim", "certs", "server-key.pem", NULL),
    &error);
  g_assert_no_error (error);

  http_server_start (&s, f->catalog_dir, certificate);
  g_assert_true (g_str_has_prefix (s.base, "https://"));
  index_url = g_strconcat (s.base, "index.json", NULL);

  catalog = ph_plugin_catalog_load (index_url, NULL, &error);
  g_assert_null (catalog);
  g_assert_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE);
  g_test_message ("refused: %s", error->message);

  http_server_stop (&s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/porthole/plugin-installer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("install-update-uninstall", test_install_update_uninstall);
  ADD ("incompatible", test_incompatible);
  ADD ("refusals", test_refusals);
  ADD ("safe-links-allowed", test_safe_links_allowed);
  ADD ("formats", test_formats);
  ADD ("checksum-mismatch", test_checksum_mismatch);
  ADD ("download-cap", test_download_cap);
  ADD ("cancel-each-phase", test_cancel_each_phase);
  ADD ("crash-mid-update", test_crash_mid_update);
  ADD ("crash-odd-folder-name", test_crash_odd_folder_name);
  ADD ("swap-fails-half-way", test_swap_fails_half_way);
  ADD ("crash-install-uninstall", test_crash_install_uninstall);
  ADD ("startup-recovery", test_startup_recovery);
  ADD ("disk-full", test_disk_full);
  ADD ("two-processes", test_two_processes);
  ADD ("unmanaged", test_unmanaged);
  ADD ("http-async", test_http_async);
  ADD ("async-cancel-after-swap", test_async_cancel_after_swap);
  ADD ("https-verifies", test_https_verifies);

  return g_test_run ();
}
