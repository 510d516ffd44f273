/* test-cli-kube.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ph-sim-server.h"
#include "test-watch-util.h"

/* `porthole-cli get` and `watch` as scripts use them: output formats,
 * sorting, several contexts and namespaces, exit codes and errors that
 * name the context.  Two simulated clusters run in this process; the
 * CLI runs as a child. */

static PhSimServer *sim_a;
static PhSimServer *sim_b;
static char *tmpdir;
static char *kubeconfig;
static char *dead_kubeconfig;

typedef struct {
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_free (CliResult *r)
{
  g_free (r->out);
  g_free (r->err);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

/* Runs porthole-cli with @args (NULL-terminated); @kubeconfig_env, if set,
 * goes into KUBECONFIG.  While it runs, @during is called once after
 * @during_after_ms (to churn the server under a watch). */
static CliResult *
run_cli_full (const char  *kubeconfig_env,
              void       (*during) (void),
              guint        during_after_ms,
              const char  *first,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  CliResult *r = g_new0 (CliResult, 1);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PORTHOLE_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (kubeconfig_env != NULL)
    g_subprocess_launcher_setenv (launcher, "KUBECONFIG", kubeconfig_env, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  if (during != NULL)
    {
      g_usleep (during_after_ms * 1000);
      during ();
    }
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d; stderr: %s", r->status, r->err);
  return r;
}

#define run_cli(...) run_cli_full (NULL, NULL, 0, __VA_ARGS__, NULL)

static GPtrArray *
lines_of (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *arr = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i]; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (arr, g_strdup (lines[i]));
  return arr;
}

static guint
snapshot_count (PhSimServer *sim,
                const char  *namespace_)
{
  g_autoptr(GPtrArray) snap = ph_sim_server_snapshot (sim, "pods", namespace_);
  return snap->len;
}

static void
test_get_name (void)
{
  g_autoptr(CliResult) r = run_cli ("get", "pods", "--kubeconfig", kubeconfig,
                                    "--context", "alpha", "--context", "beta", "-A", "-o", "name");
  g_autoptr(GPtrArray) lines = lines_of (r->out);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpuint (lines->len, ==, snapshot_count (sim_a, NULL) + snapshot_count (sim_b, NULL));
  for (guint i = 0; i < lines->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, i), "pod/"));
}

static void
test_get_json (void)
{
  g_autoptr(CliResult) r = run_cli ("get", "pods", "--kubeconfig", kubeconfig, "--context", "alpha",
                                    "-n", "kube-system", "-o", "json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) snap = ph_sim_server_snapshot (sim_a, "pods", "kube-system");
  JsonArray *items;

  g_assert_cmpint (r->status, ==, 0);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "kind"), ==, "List");
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, snap->len);
  g_assert_cmpuint (snap->len, >, 0);
  for (guint i = 0; i < snap->len; i++)
    {
      JsonObject *meta = json_object_get_object_member (json_array_get_object_element (items, i), "metadata");
      g_autofree char *line = g_strdup_printf ("%s/%s %s %s",
                                               json_object_get_string_member (meta, "namespace"),
                                               json_object_get_string_member (meta, "name"),
                                               json_object_get_string_member (meta, "uid"),
                                               json_object_get_string_member (meta, "resourceVersion"));
      /* Sorted by name, like the snapshot. */
      g_assert_cmpstr (line, ==, g_ptr_array_index (snap, i));
    }
}

static void
test_get_table (void)
{
  g_autoptr(CliResult) r = run_cli ("get", "pods", "--kubeconfig", kubeconfig, "--context", "alpha",
                                    "-n", "default");
  g_autoptr(GPtrArray) lines = lines_of (r->out);
  g_autoptr(CliResult) r2 = run_cli ("get", "pods", "--kubeconfig", kubeconfig, "--context", "alpha",
                                     "--context", "beta", "-n", "default", "-n", "kube-system");
  g_autoptr(GPtrArray) lines2 = lines_of (r2->out);
  g_auto(GStrv) header = NULL;
  char *prev = NULL;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpuint (lines->len, ==, snapshot_count (sim_a, "default") + 1);
  header = g_regex_split_simple ("\\s+", g_ptr_array_index (lines, 0), 0, 0);
  g_assert_cmpstr (header[0], ==, "NAME");
  g_assert_cmpstr (header[1], ==, "READY");
  g_assert_cmpstr (header[2], ==, "STATUS");
  g_assert_cmpstr (header[3], ==, "RESTARTS");
  g_assert_cmpstr (header[4], ==, "AGE");
  for (guint i = 1; i < lines->len; i++)
    {
      char *row = g_ptr_array_index (lines, i);
      g_assert_true (g_regex_match_simple ("^\\S+ +\\d+/\\d+ +\\S+ +\\d+ +\\S+$", row, 0, 0));
      if (prev != NULL)
        g_assert_cmpint (strcmp (prev, row), <, 0);
      prev = row;
    }

  g_assert_cmpint (r2->status, ==, 0);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines2, 0), "CONTEXT"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines2, 0), "NAMESPACE"));
  g_assert_cmpuint (lines2->len, ==, 1 + snapshot_count (sim_a, "default") + snapshot_count (sim_a, "kube-system")
                                     + snapshot_count (sim_b, "default") + snapshot_count (sim_b, "kube-system"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines2, 1), "alpha"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines2, lines2->len - 1), "beta"));
}

/* The final contents, sorted by context, namespace and name, must be the
 * servers' truth. */
static void
snapshot_matches (const char *strategy)
{
  g_autoptr(CliResult) r = run_cli ("watch", "pods", "--kubeconfig", kubeconfig, "--context", "alpha",
                                    "--context", "beta", "-A", "--strategy", strategy,
                                    "--for", "1.5", "--snapshot");
  g_autoptr(GPtrArray) lines = lines_of (r->out);
  g_autoptr(GPtrArray) want_a = ph_sim_server_snapshot (sim_a, "pods", NULL);
  g_autoptr(GPtrArray) want_b = ph_sim_server_snapshot (sim_b, "pods", NULL);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpuint (lines->len, ==, want_a->len + want_b->len);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *o;
      g_autofree char *line = NULL;
      gboolean is_a = i < want_a->len;

      json_parser_load_from_data (parser, g_ptr_array_index (lines, i), -1, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpuint (json_object_get_size (o), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (o, "context"), ==, is_a ? "alpha" : "beta");
      line = g_strdup_printf ("%s/%s %s %s", json_object_get_string_member (o, "namespace"),
                              json_object_get_string_member (o, "name"),
                              json_object_get_string_member (o, "uid"),
                              json_object_get_string_member (o, "resourceVersion"));
      g_assert_cmpstr (line, ==, g_ptr_array_index (is_a ? want_a : want_b, is_a ? i : i - want_a->len));
    }
}

static void
test_watch_snapshot_multiplexed (void)
{
  snapshot_matches ("multiplexed");
}

static void
test_watch_snapshot_websocket (void)
{
  snapshot_matches ("websocket");
}

static void
churn_a (void)
{
  ph_sim_server_churn_steps (sim_a, 150);
}

/* Replaying the printed changes gives the server's final state. */
static void
test_watch_changes (void)
{
  g_autoptr(CliResult) r = run_cli_full (NULL, churn_a, 1500, "watch", "pods", "--kubeconfig", kubeconfig,
                                         "--context", "alpha", "-A", "--for", "3.5", NULL);
  g_autoptr(GPtrArray) lines = lines_of (r->out);
  g_autoptr(GHashTable) state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) want = ph_sim_server_snapshot (sim_a, "pods", NULL);
  guint added = 0, modified = 0, deleted = 0, states = 0;

  g_assert_cmpint (r->status, ==, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *o;
      const char *type;
      char *key;

      json_parser_load_from_data (parser, g_ptr_array_index (lines, i), -1, &error);
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (o, "context"), ==, "alpha");
      if (json_object_has_member (o, "state"))
        {
          states++;
          continue;
        }
      g_assert_cmpuint (json_object_get_size (o), ==, 5);
      type = json_object_get_string_member (o, "type");
      key = g_strdup_printf ("%s/%s", json_object_get_string_member (o, "namespace"),
                             json_object_get_string_member (o, "name"));
      if (strcmp (type, "DELETED") == 0)
        {
          deleted++;
          g_assert_true (g_hash_table_remove (state, key));
          g_free (key);
        }
      else
        {
          if (strcmp (type, "ADDED") == 0)
            added++;
          else
            {
              g_assert_cmpstr (type, ==, "MODIFIED");
              modified++;
              g_assert_true (g_hash_table_contains (state, key));
            }
          g_hash_table_replace (state, key,
                                g_strdup (json_object_get_string_member (o, "resourceVersion")));
        }
    }

  g_test_message ("%u added, %u modified, %u deleted, %u state lines", added, modified, deleted, states);
  g_assert_cmpuint (states, >=, 2); /* syncing, live */
  g_assert_cmpuint (modified, >, 0);
  g_assert_cmpuint (g_hash_table_size (state), ==, want->len);
  for (guint i = 0; i < want->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (want, i), " ", 3);
      g_assert_cmpstr (g_hash_table_lookup (state, parts[0]), ==, parts[2]);
    }
}

static void
test_errors_name_context (void)
{
  g_autofree char *both = g_strconcat (kubeconfig, ":", dead_kubeconfig, NULL);
  g_autoptr(CliResult) r = run_cli_full (both, NULL, 0, "get", "pods", "--context", "alpha",
                                         "--context", "dead", "-n", "default", "-o", "name", NULL);
  g_autoptr(GPtrArray) lines = lines_of (r->out);
  g_autoptr(CliResult) w = run_cli_full (both, NULL, 0, "watch", "pods", "--context", "dead",
                                         "--for", "1", "--snapshot", NULL);
  g_autoptr(CliResult) bad = run_cli ("get", "pods", "--kubeconfig", kubeconfig, "-o", "yaml-ish");

  /* The other context still lists; the broken one is named. */
  g_assert_cmpint (r->status, !=, 0);
  g_assert_cmpuint (lines->len, ==, snapshot_count (sim_a, "default"));
  g_assert_nonnull (strstr (r->err, "dead"));
  g_assert_null (strstr (r->err, "alpha"));

  g_assert_cmpint (w->status, !=, 0);
  g_assert_nonnull (strstr (w->err, "dead"));
  g_assert_cmpstr (w->out, ==, "");

  g_assert_cmpint (bad->status, ==, 2);
  g_assert_nonnull (strstr (bad->err, "yaml-ish"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *dead =
    "apiVersion: v1\nkind: Config\ncurrent-context: dead\n"
    "clusters:\n- name: dead\n  cluster:\n    server: http://127.0.0.1:9\n"
    "users:\n- name: dead\n  user: {}\n"
    "contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: dead\n";
  int status;

  g_test_init (&argc, &argv, NULL);
  wt_init_logging ();

  sim_a = wt_sim_start (400, 3, 5, 0);
  sim_b = wt_sim_start (250, 2, 6, 0);
  tmpdir = g_dir_make_tmp ("porthole-cli-XXXXXX", &error);
  g_assert_no_error (error);
  kubeconfig = g_build_filename (tmpdir, "config", NULL);
  dead_kubeconfig = g_build_filename (tmpdir, "dead", NULL);
  ph_sim_server_write_kubeconfig (sim_a, kubeconfig, "alpha", &error);
  g_assert_no_error (error);
  ph_sim_server_write_kubeconfig (sim_b, kubeconfig, "beta", &error);
  g_assert_no_error (error);
  g_file_set_contents (dead_kubeconfig, dead, -1, &error);
  g_assert_no_error (error);

  g_test_add_func ("/porthole/cli/get-name", test_get_name);
  g_test_add_func ("/porthole/cli/get-json", test_get_json);
  g_test_add_func ("/porthole/cli/get-table", test_get_table);
  g_test_add_func ("/porthole/cli/watch-snapshot-multiplexed", test_watch_snapshot_multiplexed);
  g_test_add_func ("/porthole/cli/watch-snapshot-websocket", test_watch_snapshot_websocket);
  g_test_add_func ("/porthole/cli/watch-changes", test_watch_changes);
  g_test_add_func ("/porthole/cli/errors-name-context", test_errors_name_context);

  status = g_test_run ();

  ph_sim_server_stop (sim_a);
  ph_sim_server_stop (sim_b);
  g_clear_object (&sim_a);
  g_clear_object (&sim_b);
  g_unlink (kubeconfig);
  g_unlink (dead_kubeconfig);
  g_rmdir (tmpdir);
  g_free (kubeconfig);
  g_free (dead_kubeconfig);
  g_free (tmpdir);
  return status;
}
