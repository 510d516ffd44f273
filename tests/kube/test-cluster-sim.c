/* test-cluster-sim.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ph-cluster.h"
#include "ph-kube-error.h"
#include "ph-kubeconfig.h"
#include "ph-sim-server.h"

/* PhCluster against the simulated API server, whose code it shares none
 * of: kubeconfigs the sim writes, token and client-certificate auth,
 * discovery of core, apps and a CRD. */

typedef struct {
  PhSimServer  *sim;
  char         *dir;
  char         *kubeconfig;
  PhKubeconfig *config;
  PhCluster    *cluster;
} Fixture;

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_for (gpointer *result)
{
  gint64 deadline = g_get_monotonic_time () + 50 * G_USEC_PER_SEC;
  /* so that a hang fails here, not at the harness's timeout */
  guint ticker = g_timeout_add_seconds (1, wake_up, NULL);

  while (*result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
}

static GBytes *
do_request (PhCluster   *cluster,
            const char  *path,
            guint       *status,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ph_cluster_request_async (cluster, "GET", path, NULL, NULL, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  return ph_cluster_request_finish (cluster, result, status, error);
}

static void
fixture_start (Fixture    *f,
               gboolean    tls,
               gboolean    client_cert,
               const char *token)
{
  PhSimOptions options;
  g_autoptr(GError) error = NULL;

  ph_sim_options_init (&options);
  options.tls = tls;
  options.require_client_cert = client_cert;
  options.token = token;
  options.pods = 20;
  options.namespaces = 2;
  options.seed = 7;

  f->sim = ph_sim_server_new (&options);
  ph_sim_server_start (f->sim, &error);
  g_assert_no_error (error);

  f->dir = g_dir_make_tmp ("ph-cluster-sim-XXXXXX", &error);
  g_assert_no_error (error);
  f->kubeconfig = g_build_filename (f->dir, "config", NULL);
  ph_sim_server_write_kubeconfig (f->sim, f->kubeconfig, "sim", &error);
  g_assert_no_error (error);

  f->config = ph_kubeconfig_load (f->kubeconfig, &error);
  g_assert_no_error (error);
  f->cluster = ph_cluster_new (f->config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ph_cluster_get_context_name (f->cluster), ==, "sim");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* nothing (a discovery step, a request) keeps the cluster alive */
  if (f->cluster != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->cluster));
  g_clear_object (&f->config);
  if (f->sim != NULL)
    ph_sim_server_stop (f->sim);
  g_clear_object (&f->sim);
  if (f->kubeconfig != NULL)
    g_unlink (f->kubeconfig);
  if (f->dir != NULL)
    g_rmdir (f->dir);
  g_free (f->kubeconfig);
  g_free (f->dir);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
}

static PhResourceInfo *
resolve (PhCluster   *cluster,
         const char  *name,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ph_cluster_resolve_resource_async (cluster, name, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  return ph_cluster_resolve_resource_finish (cluster, result, error);
}

static void
check_list (PhCluster  *cluster,
            const char *path,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  guint status = 0;
  JsonObject *root;

  body = do_request (cluster, path, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, kind);
  g_assert_true (json_object_has_member (root, "items"));
}

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PhCluster) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  guint status = 0;
  struct {
    const char *name;
    const char *group;
    const char *resource;
  } cases[] = {
    { "pods", "", "pods" },
    { "po", "", "pods" },
    { "Pod", "", "pods" },
    { "ns", "", "namespaces" },
    { "deploy", "apps", "deployments" },
    { "deployments.apps", "apps", "deployments" },
    { "widgets.demo.porthole.io", "demo.porthole.io", "widgets" },
    { "widget", "demo.porthole.io", "widgets" },
    { "widgets.v1.demo.porthole.io", "demo.porthole.io", "widgets" },
    { "deploy.v1.apps", "apps", "deployments" },
  };

  fixture_start (f, FALSE, FALSE, "sim-token");

  check_list (f->cluster, "/api/v1/pods?limit=5", "PodList");
  check_list (f->cluster, "/apis/apps/v1/deployments", "DeploymentList");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhResourceInfo) info = resolve (f->cluster, cases[i].name, &error);

      if (info == NULL)
        g_error ("%s: %s", cases[i].name, error->message);
      g_assert_cmpstr (info->group, ==, cases[i].group);
      g_assert_cmpstr (info->resource, ==, cases[i].resource);
    }

  /* a version the sim does not serve */
  {
    g_autoptr(PhResourceInfo) info = resolve (f->cluster, "widgets.v2.demo.porthole.io", &error);

    g_assert_null (info);
    g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "\"sim\""));
    g_clear_error (&error);
  }

  url = ph_sim_server_get_url (f->sim);
  wrong = ph_cluster_new_for_server ("sim-wrong", url, "not-it", NULL, &error);
  g_assert_no_error (error);
  body = do_request (wrong, "/api/v1/pods", &status, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (error->message, "sim-wrong"));
}

static void
test_client_certificate (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PhCluster) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;

  fixture_start (f, TRUE, TRUE, NULL);
  g_assert_nonnull (ph_context_get_client_certificate_data (ph_cluster_get_context (f->cluster)));

  check_list (f->cluster, "/api/v1/namespaces", "NamespaceList");

  /* watches over a WebSocket get the certificate too */
  ph_cluster_websocket_connect_async (f->cluster, "/api/v1/pods?watch=true&allowWatchBookmarks=true",
                                      NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  ws = ph_cluster_websocket_connect_finish (f->cluster, result, &error);
  g_assert_no_error (error);
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);

  /* the right CA but no certificate: refused */
  url = ph_sim_server_get_url (f->sim);
  ca = ph_sim_server_get_ca_pem (f->sim);
  without = ph_cluster_new_for_server ("sim-nocert", url, NULL, ca, &error);
  g_assert_no_error (error);
  body = do_request (without, "/api/v1/namespaces", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "sim-nocert"));
  g_assert_nonnull (strstr (error->message, "requires a client certificate"));
}

static void
test_tls_wrong_ca (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PhCluster) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *other_ca = NULL;

  fixture_start (f, TRUE, FALSE, "t");
  check_list (f->cluster, "/api/v1/pods", "PodList");

  /* a CA that did not sign the sim's certificate */
  g_file_get_contents (g_test_get_filename (G_TEST_DIST, "kube", "fixtures", "kubeconfig", "certs",
                                            "other-ca.pem", NULL),
                       &other_ca, NULL, &error);
  g_assert_no_error (error);
  url = ph_sim_server_get_url (f->sim);
  other = ph_cluster_new_for_server ("sim-other-ca", url, "t", other_ca, &error);
  g_assert_no_error (error);
  body = do_request (other, "/api/v1/pods", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "unknown authority"));
}

/* libsoup's server warns when a client hangs up before it looked at the
 * connection (our refused TLS handshakes do exactly that): not a fault of
 * the code under test. */
static gboolean
ignore_server_hangups (const char     *log_domain,
                       GLogLevelFlags  log_level,
                       const char     *message,
                       gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "libsoup") == 0 && strstr (message, "could not get remote address") != NULL)
    return FALSE;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_server_hangups, NULL);

  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("http_proxy");

  g_test_add ("/porthole/cluster-sim/token-and-discovery", Fixture, NULL,
              fixture_setup, test_token, fixture_teardown);
  g_test_add ("/porthole/cluster-sim/client-certificate", Fixture, NULL,
              fixture_setup, test_client_certificate, fixture_teardown);
  g_test_add ("/porthole/cluster-sim/tls-wrong-ca", Fixture, NULL,
              fixture_setup, test_tls_wrong_ca, fixture_teardown);

  return g_test_run ();
}
