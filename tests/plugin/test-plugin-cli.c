/* test-plugin-cli.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ph-plugin-manifest.h"
#include "ph-plugin-test-util.h"

typedef struct {
  char *tmp;
  char *catalog_dir;
  char *index;
  char *plugins;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *versions[] = { "1.0.0", "1.1.0", "3.0.0" };
  const char *compats[] = { "*", ">=0.1.0", ">=99.0.0" };
  const char *archives[] = { "demo-1.0.0.tar.gz", "demo-1.1.0.tar.gz", "demo-3.0.0.tar.gz" };
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("porthole-cli-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->catalog_dir = g_build_filename (f->tmp, "catalog", NULL);
  f->plugins = g_build_filename (f->tmp, "plugins", NULL);
  g_mkdir (f->catalog_dir, 0755);
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    g_free (ph_test_write_plugin_archive (f->catalog_dir, "demo", versions[i], compats[i], NULL));
  f->index = ph_test_write_catalog (f->catalog_dir, "demo", versions, compats, archives, 3);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ph_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->catalog_dir);
  g_free (f->index);
  g_free (f->plugins);
}

/* Runs porthole-cli plugin ARGS… --dir <plugins>; returns the exit code. */
static int
run (Fixture     *f,
     char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL;
  g_autofree char *e = NULL;
  const char *cli = g_getenv ("PORTHOLE_CLI");
  int status;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, "plugin");
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, "--dir");
  g_ptr_array_add (argv, f->plugins);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &o, &e, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", o, e);

  if (out != NULL)
    *out = g_steal_pointer (&o);
  if (err != NULL)
    *err = g_steal_pointer (&e);

  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
version_on_disk (Fixture *f)
{
  g_autofree char *folder = g_build_filename (f->plugins, "demo", NULL);
  g_autoptr(PhPluginManifest) manifest = NULL;

  if (!g_file_test (folder, G_FILE_TEST_EXISTS))
    return NULL;
  manifest = ph_plugin_manifest_load (folder, NULL);
  return manifest ? g_strdup (manifest->version) : g_strdup ("broken");
}

static void
assert_on_disk (Fixture    *f,
                const char *version)
{
  g_autofree char *have = version_on_disk (f);
  g_assert_cmpstr (have, ==, version);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;
  return n;
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_cmpint (run (f, &out, NULL, "search", "demo", "--catalog", f->index, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "demo"));
  g_assert_nonnull (strstr (out, "1.1.0"));
  g_assert_nonnull (strstr (out, "3.0.0 needs Porthole >=99.0.0"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (f, &out, &err, "install", "demo@1.0.0", "--catalog", f->index, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Installed demo 1.0.0"));
  g_assert_nonnull (strstr (err, "Downloading"));
  assert_on_disk (f, "1.0.0");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, NULL, "list", "-o", "json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), >=, 1);
  {
    JsonObject *p = json_array_get_object_element (array, 0);
    g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, "demo");
    g_assert_cmpstr (json_object_get_string_member (p, "version"), ==, "1.0.0");
    g_assert_cmpstr (json_object_get_string_member (p, "source"), ==, "user");
    g_assert_true (json_object_get_boolean_member (p, "managed"));
  }
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (f, &out, NULL, "update", "--all", "--catalog", f->index, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Updated demo to 1.1.0"));
  assert_on_disk (f, "1.1.0");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (f, &out, NULL, "update", "demo", "--catalog", f->index, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "already up to date"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run (f, &out, NULL, "uninstall", "demo", NULL), ==, 0);
  assert_on_disk (f, NULL);
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *archive = g_build_filename (f->catalog_dir, "demo-1.1.0.tar.gz", NULL);
  g_autofree char *missing = g_build_filename (f->tmp, "nope.json", NULL);
  g_autofree char *err = NULL;

  /* No catalog anywhere: the setting is empty in the test environment. */
  g_assert_cmpint (run (f, NULL, &err, "install", "demo", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no plugin catalog"));
  g_assert_cmpuint (count_lines (err), ==, 1);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, NULL, &err, "install", "demo", "--catalog", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "nope.json"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, NULL, &err, "install", "demo@3.0.0", "--catalog", f->index, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "requires Porthole “>=99.0.0”"));
  g_assert_nonnull (strstr (err, "this is Porthole " PACKAGE_VERSION));
  g_clear_pointer (&err, g_free);
  assert_on_disk (f, NULL);

  /* A corrupted download: refused, nothing on disk but the lock. */
  g_assert_true (g_file_set_contents (archive, "not an archive", -1, NULL));
  g_assert_cmpint (run (f, NULL, &err, "install", "demo", "--catalog", f->index, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "porthole-cli plugin install: Checksum mismatch"));
  assert_on_disk (f, NULL);
  {
    g_autofree char *staging = g_build_filename (f->plugins, ".staging", NULL);
    g_assert_cmpuint (ph_test_count_entries (staging), ==, 0);
  }
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, NULL, &err, "uninstall", "demo", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not installed"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, NULL, &err, "update", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--all"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, NULL, &err, "frobnicate", NULL), ==, 2);
}

/* Ctrl+C during an update cancels it: the old version stays, the
 * staging folder goes, and the exit says so in one line. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *pause_file = g_build_filename (f->tmp, "paused", NULL);
  g_autofree char *staging = g_build_filename (f->plugins, ".staging", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  const char *argv[] = { g_getenv ("PORTHOLE_CLI"), "plugin", "update", "demo", "--catalog", f->index,
                         "--dir", f->plugins, NULL };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GPid pid;
  int err_fd;
  int status;

  g_assert_cmpint (run (f, NULL, NULL, "install", "demo@1.0.0", "--catalog", f->index, NULL), ==, 0);

  env = g_get_environ ();
  env = g_environ_setenv (env, "PORTHOLE_PLUGIN_TEST_PAUSE_AT", "after-download", TRUE);
  env = g_environ_setenv (env, "PORTHOLE_PLUGIN_TEST_PAUSE_FILE", pause_file, TRUE);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, NULL, &err_fd, &error));
  g_assert_no_error (error);

  while (!g_file_test (pause_file, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  g_unlink (pause_file);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  {
    g_autoptr(GInputStream) in = g_unix_input_stream_new (err_fd, TRUE);
    g_autoptr(GOutputStream) buffer = g_memory_output_stream_new_resizable ();

    g_output_stream_splice (buffer, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
    g_assert_no_error (error);
    err = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (buffer)),
                     g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (buffer)));
  }
  g_test_message ("stderr: %s", err);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "porthole-cli plugin update: Operation was cancelled"));
  assert_on_disk (f, "1.0.0");
  g_assert_cmpuint (ph_test_count_entries (staging), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/porthole/plugin-cli/lifecycle", Fixture, NULL, fixture_set_up, test_lifecycle, fixture_tear_down);
  g_test_add ("/porthole/plugin-cli/failures", Fixture, NULL, fixture_set_up, test_failures, fixture_tear_down);
  g_test_add ("/porthole/plugin-cli/interrupt", Fixture, NULL, fixture_set_up, test_interrupt, fixture_tear_down);

  return g_test_run ();
}
