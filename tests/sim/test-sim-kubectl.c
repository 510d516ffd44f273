/* test-sim-kubectl.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* Real kubectl against `porthole-cli sim`: the strongest evidence that the
 * simulated API server speaks Kubernetes. */

typedef struct {
  GSubprocess *sim;
  char        *dir;
  char        *kubeconfig;
  char        *cache_dir;
  char        *url;
} Sim;

static gboolean
have_kubectl (void)
{
  g_autofree char *path = g_find_program_in_path ("kubectl");

  if (path == NULL)
    {
      g_test_skip ("kubectl is not installed (Debian: kubernetes-client); skipping the kubectl tests");
      return FALSE;
    }
  return TRUE;
}

/* A failed assertion aborts the test: the sim must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
sim_start (Sim        *sim,
           const char *first_arg,
           ...)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_assert_nonnull (cli);
  memset (sim, 0, sizeof *sim);
  sim->dir = g_dir_make_tmp ("sim-kubectl-XXXXXX", &error);
  g_assert_no_error (error);
  sim->kubeconfig = g_build_filename (sim->dir, "kubeconfig", NULL);
  sim->cache_dir = g_build_filename (sim->dir, "cache", NULL);

  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, "sim");
  g_ptr_array_add (argv, "--port=0");
  g_ptr_array_add (argv, "--kubeconfig-out");
  g_ptr_array_add (argv, sim->kubeconfig);
  g_ptr_array_add (argv, "--context-name=sim-test");
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim->sim = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* It prints its URL once it listens and the kubeconfig is written. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->sim));
  do
    {
      g_free (sim->url);
      sim->url = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (sim->url);
    }
  while (!g_str_has_prefix (sim->url, "http"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
sim_stop (Sim *sim)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (sim->sim, SIGTERM);
  g_assert_true (g_subprocess_wait (sim->sim, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (sim->sim));
  g_assert_cmpint (g_subprocess_get_exit_status (sim->sim), ==, 0);
  g_clear_object (&sim->sim);

  remove_tree (sim->dir);
  g_free (sim->dir);
  g_free (sim->kubeconfig);
  g_free (sim->cache_dir);
  g_free (sim->url);
}

/* Runs kubectl against the sim; returns its stdout, and its exit status
 * in @status. */
static char *
kubectl (Sim        *sim,
         int        *status,
         const char *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_arg = g_strconcat ("--cache-dir=", sim->cache_dir, NULL);
  char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_subprocess_launcher_setenv (launcher, "KUBECONFIG", sim->kubeconfig, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", sim->dir, TRUE);

  g_ptr_array_add (argv, "kubectl");
  g_ptr_array_add (argv, cache_arg);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (proc);
  if (*status != 0)
    g_test_message ("kubectl failed (%d): %s", *status, err);

  return out;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* Columns of a kubectl table line. */
static char **
columns (const char *line)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (line, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static void
test_kubectl_get (void)
{
  Sim sim;
  int status;
  g_autofree char *pods = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *deploy = NULL;
  g_autofree char *names = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  guint multi = 0;

  if (!have_kubectl ())
    return;

  sim_start (&sim, "--pods=130", "--namespaces=4", "--seed=5", NULL);

  pods = kubectl (&sim, &status, "get", "pods", "-A", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (pods), ==, 131);
  lines = g_strsplit (pods, "\n", -1);
  header = columns (lines[0]);
  g_assert_cmpuint (g_strv_length (header), ==, 6);
  g_assert_cmpstr (header[0], ==, "NAMESPACE");
  g_assert_cmpstr (header[1], ==, "NAME");
  g_assert_cmpstr (header[2], ==, "READY");
  g_assert_cmpstr (header[3], ==, "STATUS");
  g_assert_cmpstr (header[4], ==, "RESTARTS");
  g_assert_cmpstr (header[5], ==, "AGE");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = columns (lines[i]);

      g_assert_cmpuint (g_strv_length (cells), ==, 6);
      /* Nothing has churned yet: every container is ready. */
      g_assert_true (g_str_equal (cells[2], "1/1") || g_str_equal (cells[2], "2/2"));
      if (g_str_equal (cells[2], "2/2"))
        multi++;
      g_assert_cmpstr (cells[3], ==, "Running");
    }
  /* Some pods run a sidecar, most do not. */
  g_assert_cmpuint (multi, >, 0);
  g_assert_cmpuint (multi, <, 130);

  /* Paged in chunks of 50 (three requests), the same table. */
  chunked = kubectl (&sim, &status, "get", "pods", "-A", "--chunk-size=50", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (chunked, ==, pods);

  names = kubectl (&sim, &status, "get", "pods", "-n", "default", "-o", "name", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (names, "pod/"));
  g_assert_cmpuint (count_lines (names), >, 0);
  g_assert_cmpuint (count_lines (names), <, 130);

  deploy = kubectl (&sim, &status, "get", "deploy", "-A", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (deploy, "NAMESPACE"));
  g_assert_nonnull (strstr (deploy, "UP-TO-DATE"));
  g_assert_nonnull (strstr (deploy, "AVAILABLE"));
  g_assert_cmpuint (count_lines (deploy), >, 20);

  sim_stop (&sim);
}

static void
test_kubectl_discovery_and_watch (void)
{
  Sim sim;
  int status;
  g_autofree char *resources = NULL;
  g_autofree char *watch = NULL;
  g_autofree char *widgets = NULL;
  g_auto(GStrv) lines = NULL;
  guint events = 0;

  if (!have_kubectl ())
    return;

  sim_start (&sim, "--pods=40", "--namespaces=2", NULL);

  resources = kubectl (&sim, &status, "api-resources", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (resources, "pods"));
  g_assert_nonnull (strstr (resources, "deployments"));
  g_assert_nonnull (strstr (resources, "widgets"));
  g_assert_nonnull (strstr (resources, "demo.porthole.io"));

  widgets = kubectl (&sim, &status, "get", "widgets", "-A", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (widgets, "COLOR"));

  /* The watch ends by itself after timeoutSeconds. */
  watch = kubectl (&sim, &status, "get", "--raw", "/api/v1/pods?watch=1&timeoutSeconds=2", NULL);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (watch, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *event;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      event = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "ADDED");
      events++;
    }
  g_assert_cmpuint (events, ==, 40);

  sim_stop (&sim);
}

/* The header of a kubectl table: columns are two or more spaces apart,
 * as some names ("ACCESS MODES") have one inside. */
static char *
header_of (const char *output)
{
  g_autofree char *first = g_strndup (output, strcspn (output, "\n"));
  g_auto(GStrv) names = g_regex_split_simple ("  +", g_strstrip (first), 0, 0);

  return g_strjoinv (",", names);
}

static void
test_kubectl_extra_kinds (void)
{
  const struct {
    const char *name;       /* as typed to kubectl */
    const char *header;
  } kinds[] = {
    { "statefulsets", "NAMESPACE,NAME,READY,AGE" },
    { "ds", "NAMESPACE,NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE" },
    { "jobs", "NAMESPACE,NAME,COMPLETIONS,DURATION,AGE" },
    { "cj", "NAMESPACE,NAME,SCHEDULE,SUSPEND,ACTIVE,LAST SCHEDULE,AGE" },
    { "ing", "NAMESPACE,NAME,CLASS,HOSTS,ADDRESS,PORTS,AGE" },
    { "endpointslices", "NAMESPACE,NAME,ADDRESSTYPE,PORTS,ENDPOINTS,AGE" },
    { "secrets", "NAMESPACE,NAME,TYPE,DATA,AGE" },
    { "pvc", "NAMESPACE,NAME,STATUS,VOLUME,CAPACITY,ACCESS MODES,STORAGECLASS,AGE" },
    { "pv", "NAME,CAPACITY,ACCESS MODES,RECLAIM POLICY,STATUS,CLAIM,STORAGECLASS,REASON,AGE" },
    { "sc", "NAME,PROVISIONER,RECLAIMPOLICY,VOLUMEBINDINGMODE,ALLOWVOLUMEEXPANSION,AGE" },
  };
  Sim sim;
  int status;
  g_autofree char *ingresses = NULL;
  g_autofree char *tls = NULL;
  g_autofree char *services = NULL;
  g_autofree char *slices = NULL;
  g_autofree char *all = NULL;
  g_autofree char *classes = NULL;
  g_auto(GStrv) lines = NULL;

  if (!have_kubectl ())
    return;

  sim_start (&sim, "--pods=130", "--namespaces=4", "--seed=5", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *table = NULL;
      g_autofree char *names = NULL;
      g_autofree char *header = NULL;

      g_test_message ("kubectl get %s -A", kinds[i].name);
      table = kubectl (&sim, &status, "get", kinds[i].name, "-A", NULL);
      g_assert_cmpint (status, ==, 0);
      header = header_of (table);
      g_assert_cmpstr (header, ==, kinds[i].header);

      /* A row per object. */
      names = kubectl (&sim, &status, "get", kinds[i].name, "-A", "-o", "name", NULL);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpuint (count_lines (names), >, 0);
      g_assert_cmpuint (count_lines (table), ==, count_lines (names) + 1);
    }

  /* A certificate per Ingress: the field selector Secrets support. */
  ingresses = kubectl (&sim, &status, "get", "ingresses", "-A", "-o", "name", NULL);
  g_assert_cmpint (status, ==, 0);
  tls = kubectl (&sim, &status, "get", "secret", "-A", "--field-selector", "type=kubernetes.io/tls", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (tls), ==, count_lines (ingresses) + 1);
  lines = g_strsplit (tls, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = columns (lines[i]);

      g_assert_cmpuint (g_strv_length (cells), ==, 5);
      g_assert_cmpstr (cells[2], ==, "kubernetes.io/tls");
      g_assert_cmpstr (cells[3], ==, "2");
    }

  /* An EndpointSlice per Service. */
  services = kubectl (&sim, &status, "get", "services", "-A", "-o", "name", NULL);
  g_assert_cmpint (status, ==, 0);
  slices = kubectl (&sim, &status, "get", "endpointslices", "-A", "-o", "name", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (slices), ==, count_lines (services));

  /* The server marks the default StorageClass. */
  classes = kubectl (&sim, &status, "get", "sc", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (classes, "standard (default)"));

  /* The workload kinds are in the "all" category. */
  all = kubectl (&sim, &status, "get", "all", "-n", "default", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (all, "statefulset.apps/"));
  g_assert_nonnull (strstr (all, "cronjob.batch/"));
  g_assert_nonnull (strstr (all, "job.batch/"));
  g_assert_null (strstr (all, "secret/"));

  sim_stop (&sim);
}

static void
test_kubectl_auth (void)
{
  Sim sim;
  int status;
  g_autofree char *ok = NULL;
  g_autofree char *denied = NULL;
  g_autofree char *tls = NULL;

  if (!have_kubectl ())
    return;

  /* kubectl applies a kubeconfig's credentials only over TLS. */
  sim_start (&sim, "--pods=10", "--namespaces=1", "--tls", "--token=letmein", NULL);
  ok = kubectl (&sim, &status, "get", "namespaces", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (ok, "default"));
  denied = kubectl (&sim, &status, "--token=wrong", "get", "namespaces", NULL);
  g_assert_cmpint (status, !=, 0);
  sim_stop (&sim);

  sim_start (&sim, "--pods=10", "--namespaces=1", "--client-cert", NULL);
  g_assert_true (g_str_has_prefix (sim.url, "https://"));
  tls = kubectl (&sim, &status, "get", "pods", "-A", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (count_lines (tls), ==, 11);
  sim_stop (&sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/sim-kubectl/get", test_kubectl_get);
  g_test_add_func ("/porthole/sim-kubectl/discovery-and-watch", test_kubectl_discovery_and_watch);
  g_test_add_func ("/porthole/sim-kubectl/extra-kinds", test_kubectl_extra_kinds);
  g_test_add_func ("/porthole/sim-kubectl/auth", test_kubectl_auth);

  return g_test_run ();
}
