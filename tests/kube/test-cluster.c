/* test-cluster.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ph-cluster.h"
#include "ph-exec-credential.h"
#include "ph-kube-error.h"
#include "ph-kubeconfig.h"

/* A small API server of our own on loopback: enough discovery, a list, a
 * stream, a WebSocket and auth checks to exercise PhCluster over real
 * sockets, plain and TLS. */

typedef struct {
  SoupServer *server;
  GSocketService *tls_service;  /* when client certificates are required */
  GTlsCertificate *client_ca;
  char       *url;
  char       *expected_token;    /* NULL: any */
  char       *last_authorization;
  char       *last_origin;
  char       *last_impersonation;
  guint       hits;
  gboolean    saw_client_cert;
  gboolean    aggregated;        /* answer apidiscovery.k8s.io/v2 when asked */
  gboolean    hold_next_slow;    /* hold the next GET /slow until released */
  SoupServerMessage *held;
  char       *held_authorization;
} TestServer;

static const char *
cert_path (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "kube", "fixtures", "kubeconfig", "certs", name, NULL);
}

static char *
read_fixture (const char *name)
{
  char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (cert_path (name), &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
send_json (SoupServerMessage *msg,
           guint              status,
           const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static gboolean
check_auth (TestServer        *ts,
            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;

  ts->hits++;
  g_free (ts->last_authorization);
  ts->last_authorization = g_strdup (auth);
  {
    SoupMessageHeadersIter iter;
    const char *name, *value;
    g_autoptr(GString) imp = g_string_new (NULL);

    soup_message_headers_iter_init (&iter, headers);
    while (soup_message_headers_iter_next (&iter, &name, &value))
      if (g_ascii_strncasecmp (name, "Impersonate-", 12) == 0)
        g_string_append_printf (imp, "%s: %s\n", name, value);
    g_free (ts->last_impersonation);
    ts->last_impersonation = g_string_free (g_steal_pointer (&imp), FALSE);
  }
  if (soup_server_message_get_tls_peer_certificate (msg) != NULL)
    ts->saw_client_cert = TRUE;

  if (ts->expected_token == NULL)
    return TRUE;
  expected = g_strdup_printf ("Bearer %s", ts->expected_token);
  if (g_strcmp0 (auth, expected) == 0)
    return TRUE;

  send_json (msg, 401, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                       "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
  return FALSE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TestServer *ts = user_data;

  if (ts->hold_next_slow && g_str_equal (path, "/slow"))
    {
      /* answered by release_held, as if the server had been slow */
      ts->hold_next_slow = FALSE;
      ts->held = g_object_ref (msg);
      ts->held_authorization =
        g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"));
      soup_server_message_pause (msg);
      return;
    }

  if (!check_auth (ts, msg))
    return;

  if (ts->aggregated &&
      strstr (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept") ?: "",
              "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList") != NULL &&
      (g_str_equal (path, "/api") || g_str_equal (path, "/apis")))
    {
      if (g_str_equal (path, "/api"))
        send_json (msg, 200,
                   "{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"apidiscovery.k8s.io/v2\",\"items\":["
                   "{\"metadata\":{\"creationTimestamp\":null},\"versions\":[{\"version\":\"v1\",\"resources\":["
                   "{\"resource\":\"pods\",\"responseKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
                   "\"scope\":\"Namespaced\",\"singularResource\":\"pod\",\"verbs\":[\"get\",\"list\",\"watch\"],"
                   "\"shortNames\":[\"po\"],\"subresources\":[{\"subresource\":\"log\",\"verbs\":[\"get\"]}]},"
                   "{\"resource\":\"namespaces\",\"responseKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Namespace\"},"
                   "\"scope\":\"Cluster\",\"singularResource\":\"namespace\",\"verbs\":[\"get\",\"list\",\"watch\"],"
                   "\"shortNames\":[\"ns\"]},"
                   "{\"resource\":\"events\",\"responseKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Event\"},"
                   "\"scope\":\"Namespaced\",\"singularResource\":\"event\",\"verbs\":[\"list\",\"watch\"],"
                   "\"shortNames\":[\"ev\"]}],\"freshness\":\"Current\"}]}]}");
      else
        send_json (msg, 200,
                   "{\"kind\":\"APIGroupDiscoveryList\",\"apiVersion\":\"apidiscovery.k8s.io/v2\",\"items\":["
                   "{\"metadata\":{\"name\":\"apps\"},\"versions\":[{\"version\":\"v1\",\"resources\":["
                   "{\"resource\":\"deployments\",\"responseKind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},"
                   "\"scope\":\"Namespaced\",\"singularResource\":\"deployment\",\"verbs\":[\"get\",\"list\",\"watch\"],"
                   "\"shortNames\":[\"deploy\"]}]}]},"
                   "{\"metadata\":{\"name\":\"events.k8s.io\"},\"versions\":[{\"version\":\"v1\",\"resources\":["
                   "{\"resource\":\"events\",\"responseKind\":{\"group\":\"events.k8s.io\",\"version\":\"v1\",\"kind\":\"Event\"},"
                   "\"scope\":\"Namespaced\",\"singularResource\":\"event\",\"verbs\":[\"list\",\"watch\"],"
                   "\"shortNames\":[\"ev\"]}]}]},"
                   "{\"metadata\":{\"name\":\"demo.porthole.io\"},\"versions\":["
                   "{\"version\":\"v1\",\"resources\":["
                   "{\"resource\":\"widgets\",\"responseKind\":{\"group\":\"demo.porthole.io\",\"version\":\"v1\",\"kind\":\"Widget\"},"
                   "\"scope\":\"Namespaced\",\"singularResource\":\"widget\",\"verbs\":[\"get\",\"list\",\"watch\"]}]},"
                   "{\"version\":\"v1alpha1\",\"resources\":[]}]}]}");
      return;
    }

  if (g_str_equal (path, "/api"))
    send_json (msg, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"]}");
  else if (g_str_equal (path, "/api/v1"))
    send_json (msg, 200,
               "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":["
               "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
               "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"po\"]},"
               "{\"name\":\"pods/log\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\"]},"
               "{\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,\"kind\":\"Namespace\","
               "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"ns\"]},"
               "{\"name\":\"events\",\"singularName\":\"event\",\"namespaced\":true,\"kind\":\"Event\","
               "\"verbs\":[\"list\",\"watch\"],\"shortNames\":[\"ev\"]}]}");
  else if (g_str_equal (path, "/apis"))
    send_json (msg, 200,
               "{\"kind\":\"APIGroupList\",\"groups\":["
               "{\"name\":\"apps\",\"versions\":[{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}],"
               "\"preferredVersion\":{\"groupVersion\":\"apps/v1\",\"version\":\"v1\"}},"
               "{\"name\":\"events.k8s.io\",\"versions\":[{\"groupVersion\":\"events.k8s.io/v1\",\"version\":\"v1\"}],"
               "\"preferredVersion\":{\"groupVersion\":\"events.k8s.io/v1\",\"version\":\"v1\"}},"
               "{\"name\":\"broken.example.com\",\"versions\":[{\"groupVersion\":\"broken.example.com/v1\",\"version\":\"v1\"}],"
               "\"preferredVersion\":{\"groupVersion\":\"broken.example.com/v1\",\"version\":\"v1\"}},"
               "{\"name\":\"demo.porthole.io\",\"versions\":["
               "{\"groupVersion\":\"demo.porthole.io/v1\",\"version\":\"v1\"},"
               "{\"groupVersion\":\"demo.porthole.io/v1alpha1\",\"version\":\"v1alpha1\"}],"
               "\"preferredVersion\":{\"groupVersion\":\"demo.porthole.io/v1\",\"version\":\"v1\"}}]}");
  else if (g_str_equal (path, "/apis/apps/v1"))
    send_json (msg, 200,
               "{\"kind\":\"APIResourceList\",\"groupVersion\":\"apps/v1\",\"resources\":["
               "{\"name\":\"deployments\",\"singularName\":\"deployment\",\"namespaced\":true,\"kind\":\"Deployment\","
               "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"deploy\"]},"
               "{\"name\":\"deployments/scale\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Scale\",\"verbs\":[\"get\"]}]}");
  else if (g_str_equal (path, "/apis/events.k8s.io/v1"))
    send_json (msg, 200,
               "{\"kind\":\"APIResourceList\",\"groupVersion\":\"events.k8s.io/v1\",\"resources\":["
               "{\"name\":\"events\",\"singularName\":\"event\",\"namespaced\":true,\"kind\":\"Event\","
               "\"verbs\":[\"list\",\"watch\"],\"shortNames\":[\"ev\"]}]}");
  else if (g_str_equal (path, "/apis/demo.porthole.io/v1"))
    send_json (msg, 200,
               "{\"kind\":\"APIResourceList\",\"groupVersion\":\"demo.porthole.io/v1\",\"resources\":["
               "{\"name\":\"widgets\",\"singularName\":\"widget\",\"namespaced\":true,\"kind\":\"Widget\","
               "\"verbs\":[\"get\",\"list\",\"watch\"]}]}");
  else if (g_str_equal (path, "/apis/demo.porthole.io/v1alpha1"))
    send_json (msg, 200,
               "{\"kind\":\"APIResourceList\",\"groupVersion\":\"demo.porthole.io/v1alpha1\",\"resources\":["
               "{\"name\":\"widgets\",\"singularName\":\"widget\",\"namespaced\":true,\"kind\":\"Widget\","
               "\"verbs\":[\"get\",\"list\",\"watch\"],\"shortNames\":[\"wd\"]},"
               "{\"name\":\"widgets/status\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"Widget\",\"verbs\":[\"get\"]}]}");
  else if (g_str_equal (path, "/apis/broken.example.com/v1"))
    send_json (msg, 503, "{\"kind\":\"Status\",\"message\":\"service unavailable\",\"code\":503}");
  else if (g_str_equal (path, "/slow"))
    send_json (msg, 200, "{\"kind\":\"Slow\"}");
  else if (g_str_equal (path, "/api/v1/namespaces"))
    send_json (msg, 200, "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}");
  else if (g_str_equal (path, "/api/v1/namespaces/secret"))
    send_json (msg, 403,
               "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
               "\"namespaces \\\"secret\\\" is forbidden: User \\\"bob\\\" cannot get resource\","
               "\"reason\":\"Forbidden\",\"code\":403}");
  else if (g_str_equal (path, "/stream"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);

      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                         SOUP_ENCODING_CHUNKED);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"type\":\"ADDED\"}\n", 17);
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "{\"type\":\"DELETED\"}\n", 19);
      soup_message_body_complete (body);
    }
  else
    send_json (msg, 404, "{\"kind\":\"Status\",\"message\":\"the server could not find the requested resource\",\"code\":404}");
}

static void
handle_websocket (SoupServer              *server,
                  SoupServerMessage       *msg,
                  const char              *path,
                  SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  TestServer *ts = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_free (ts->last_origin);
  ts->last_origin = g_strdup (soup_message_headers_get_one (headers, "Origin"));
  g_free (ts->last_authorization);
  ts->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  soup_websocket_connection_send_text (connection, "{\"type\":\"ADDED\"}");
  /* keep the connection alive until the client has read the message */
  g_object_set_data_full (G_OBJECT (server), "ws", g_object_ref (connection), g_object_unref);
}

/* SoupServer cannot verify client certificates against a CA of its own,
 * so TLS with a required client certificate is terminated here and the
 * decrypted stream handed to the server. */
static gboolean
on_client_certificate (GTlsConnection       *conn,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TestServer *ts = user_data;

  if (g_tls_certificate_verify (peer, NULL, ts->client_ca) != 0)
    return FALSE;
  ts->saw_client_cert = TRUE;
  return TRUE;
}

static gboolean
on_tls_incoming (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  TestServer *ts = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  tls = g_tls_server_connection_new (G_IO_STREAM (connection),
                                     soup_server_get_tls_certificate (ts->server), &error);
  g_assert_no_error (error);
  g_object_set (tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), NULL);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_client_certificate), ts);
  soup_server_accept_iostream (ts->server, tls, local, remote, &error);
  g_assert_no_error (error);
  return TRUE;
}

static TestServer *
test_server_new (gboolean    tls,
                 gboolean    require_client_cert,
                 const char *token)
{
  TestServer *ts = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  if (tls)
    {
      g_autoptr(GTlsCertificate) cert =
        g_tls_certificate_new_from_files (cert_path ("server.pem"), cert_path ("server-key.pem"), &error);
      g_assert_no_error (error);
      ts->server = soup_server_new ("tls-certificate", cert, NULL);
    }
  else
    ts->server = soup_server_new (NULL, NULL);

  ts->expected_token = g_strdup (token);
  soup_server_add_handler (ts->server, NULL, handle_request, ts, NULL);
  soup_server_add_websocket_handler (ts->server, "/ws", NULL, NULL, handle_websocket, ts, NULL);

  if (require_client_cert)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) effective = NULL;

      ts->client_ca = g_tls_certificate_new_from_file (cert_path ("client-ca.pem"), &error);
      g_assert_no_error (error);
      ts->tls_service = g_socket_service_new ();
      g_socket_listener_add_address (G_SOCKET_LISTENER (ts->tls_service), any, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
      g_assert_no_error (error);
      g_signal_connect (ts->tls_service, "incoming", G_CALLBACK (on_tls_incoming), ts);
      g_socket_service_start (ts->tls_service);
      ts->url = g_strdup_printf ("https://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
      return ts;
    }

  soup_server_listen_local (ts->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | (tls ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (ts->server);
  g_assert_nonnull (uris);
  ts->url = g_strdup_printf ("%s://127.0.0.1:%d", tls ? "https" : "http", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return ts;
}

/* Answers the held request now, judging the credential it came with
 * against what the server takes by now. */
static void
release_held (TestServer *ts)
{
  g_autofree char *expected = g_strdup_printf ("Bearer %s", ts->expected_token);

  g_assert_nonnull (ts->held);
  if (g_strcmp0 (ts->held_authorization, expected) == 0)
    send_json (ts->held, 200, "{\"kind\":\"Slow\"}");
  else
    send_json (ts->held, 401, "{\"kind\":\"Status\",\"message\":\"Unauthorized\",\"code\":401}");
  soup_server_message_unpause (ts->held);
  g_clear_object (&ts->held);
  g_clear_pointer (&ts->held_authorization, g_free);
}

static void
test_server_free (TestServer *ts)
{
  if (ts->tls_service != NULL)
    {
      g_socket_service_stop (ts->tls_service);
      g_socket_listener_close (G_SOCKET_LISTENER (ts->tls_service));
      g_clear_object (&ts->tls_service);
    }
  g_clear_object (&ts->client_ca);
  soup_server_disconnect (ts->server);
  g_assert_finalize_object (ts->server);
  g_free (ts->url);
  g_free (ts->expected_token);
  g_free (ts->last_authorization);
  g_free (ts->last_origin);
  g_free (ts->last_impersonation);
  g_free (ts->held_authorization);
  g_free (ts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

/* Runs the main loop until *@result is set (by the callbacks below). */
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

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* GET @path and wait; returns the body or sets @error. */
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

typedef struct {
  char *dir;
  char *kubeconfig;
} TempDir;

static TempDir *
temp_dir_new (void)
{
  TempDir *td = g_new0 (TempDir, 1);
  g_autoptr(GError) error = NULL;

  td->dir = g_dir_make_tmp ("ph-cluster-XXXXXX", &error);
  g_assert_no_error (error);
  td->kubeconfig = g_build_filename (td->dir, "config", NULL);
  return td;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
temp_dir_free (TempDir *td)
{
  remove_tree (td->dir);
  g_free (td->dir);
  g_free (td->kubeconfig);
  g_free (td);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TempDir, temp_dir_free)

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A kubeconfig with one context "test" for @server, the given extra
 * cluster lines and user lines (already indented by four spaces). */
static PhCluster *
cluster_from_yaml (TempDir    *td,
                   const char *server,
                   const char *cluster_lines,
                   const char *user_lines)
{
  g_autofree char *yaml = NULL;
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  PhCluster *cluster;

  yaml = g_strdup_printf ("apiVersion: v1\nkind: Config\n"
                          "clusters:\n- name: c\n  cluster:\n    server: %s\n%s"
                          "users:\n- name: u\n  user:\n%s"
                          "contexts:\n- name: test\n  context:\n    cluster: c\n    user: u\n"
                          "current-context: test\n",
                          server, cluster_lines ? cluster_lines : "", user_lines ? user_lines : "    {}\n");
  write_file (td->kubeconfig, yaml);
  config = ph_kubeconfig_load (td->kubeconfig, &error);
  g_assert_no_error (error);
  cluster = ph_cluster_new (config, "test", &error);
  g_assert_no_error (error);
  return cluster;
}

static void
test_token (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "s3cret-token");
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(PhCluster) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  cluster = ph_cluster_new_for_server ("plain", ts->url, "s3cret-token", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ph_cluster_get_context_name (cluster), ==, "plain");
  g_assert_cmpstr (ph_cluster_get_default_namespace (cluster), ==, "default");

  body = do_request (cluster, "/api/v1/namespaces?limit=500", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "NamespaceList"));
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer s3cret-token");
  g_assert_cmpint (soup_session_get_timeout (ph_cluster_get_session (cluster)), ==, 0);
  g_assert_cmpint (soup_session_get_max_conns_per_host (ph_cluster_get_session (cluster)), >=, 100);

  wrong = ph_cluster_new_for_server ("plain-wrong", ts->url, "not-the-token", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (wrong, "/api/v1/namespaces", &status, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (error->message, "plain-wrong"));
  g_assert_nonnull (strstr (error->message, "Unauthorized"));
  /* secrets never reach messages */
  g_assert_null (strstr (error->message, "not-the-token"));

  g_assert_finalize_object (g_steal_pointer (&wrong));
  g_assert_finalize_object (g_steal_pointer (&cluster));
}

static void
test_impersonation (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "tok");
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  cluster = cluster_from_yaml (td, ts->url, NULL,
                               "    token: tok\n"
                               "    as: alice\n"
                               "    as-uid: \"42\"\n"
                               "    as-groups: [devs, ops]\n"
                               "    as-user-extra:\n"
                               "      acme.com/project: [p1, p2]\n");
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ts->last_impersonation, ==,
                   "Impersonate-User: alice\n"
                   "Impersonate-Uid: 42\n"
                   "Impersonate-Group: devs\n"
                   "Impersonate-Group: ops\n"
                   "Impersonate-Extra-acme.com%2Fproject: p1\n"
                   "Impersonate-Extra-acme.com%2Fproject: p2\n");
}

static void
test_build_uri (void)
{
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *str = NULL;

  cluster = ph_cluster_new_for_server ("prefixed “ü” \"q\"", "https://example.com:8443/k8s/clusters/c-1/", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ph_cluster_get_context_name (cluster), ==, "prefixed “ü” \"q\"");
  uri = ph_cluster_build_uri (cluster, "/api/v1/pods?labelSelector=app%3Dweb&limit=500");
  str = g_uri_to_string (uri);
  g_assert_cmpstr (str, ==, "https://example.com:8443/k8s/clusters/c-1/api/v1/pods?labelSelector=app%3Dweb&limit=500");
}

static void
test_forbidden (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("ctx-403", ts->url, "t", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = do_request (cluster, "/api/v1/namespaces/secret", &status, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_FORBIDDEN);
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (error->message, "ctx-403"));
  g_assert_nonnull (strstr (error->message, "cannot get resource"));

  g_clear_error (&error);
  body = do_request (cluster, "/api/v1/nothing-here", &status, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND);
  g_assert_cmpuint (status, ==, 404);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  guint status = 99;

  /* A port that was free a moment ago and has no listener. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  cluster = ph_cluster_new_for_server ("gone", url, "t", NULL, &error);
  g_assert_no_error (error);
  body = do_request (cluster, "/api", &status, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT);
  g_assert_cmpuint (status, ==, 0);
  g_assert_nonnull (strstr (error->message, "gone"));
  g_assert_nonnull (strstr (error->message, url));
}

/* Accepts TCP connections and says nothing, so a TLS handshake hangs. */
static gboolean
on_silent_incoming (GSocketService     *service,
                    GSocketConnection  *connection,
                    GObject            *source,
                    gpointer            user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static void
test_connect_timeout (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_silent_incoming), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("https://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  cluster = ph_cluster_new_for_server ("silent", url, "t", NULL, &error);
  g_assert_no_error (error);
  ph_cluster_set_connect_timeout (cluster, 1);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "timed out"));

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_cancel (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("c", ts->url, NULL, NULL, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  ph_cluster_request_async (cluster, "GET", "/api", NULL, NULL, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  wait_for ((gpointer *) &result);
  body = ph_cluster_request_finish (cluster, result, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_stream (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "tok");
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("s", ts->url, "tok", NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  guint status = 0;

  ph_cluster_open_stream_async (cluster, "/stream?watch=1", NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  stream = ph_cluster_open_stream_finish (cluster, result, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);

  data = g_data_input_stream_new (stream);
  line1 = g_data_input_stream_read_line (data, NULL, NULL, &error);
  g_assert_no_error (error);
  line2 = g_data_input_stream_read_line (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line1, ==, "{\"type\":\"ADDED\"}");
  g_assert_cmpstr (line2, ==, "{\"type\":\"DELETED\"}");

  /* errors on a stream carry the server's Status message */
  g_clear_object (&result);
  ph_cluster_open_stream_async (cluster, "/api/v1/namespaces/secret?watch=1", NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  g_assert_null (ph_cluster_open_stream_finish (cluster, result, &status, &error));
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_FORBIDDEN);
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (error->message, "cannot get resource"));
}

static void
on_ws_message (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  *(char **) user_data = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
}

static void
test_websocket (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, FALSE, "ws-token");
  g_autofree char *ca = read_fixture ("ca.pem");
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("w", ts->url, "ws-token", ca, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *origin = NULL;

  ph_cluster_websocket_connect_async (cluster, "/ws?watch=true", NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  conn = ph_cluster_websocket_connect_finish (cluster, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (conn);
  g_assert_cmpuint (soup_websocket_connection_get_max_incoming_payload_size (conn), >, 128 * 1024);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer ws-token");
  origin = g_strdup (ts->url);
  g_assert_cmpstr (ts->last_origin, ==, origin);

  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), &text);
  wait_for ((gpointer *) &text);
  g_assert_cmpstr (text, ==, "{\"type\":\"ADDED\"}");
  soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_tls_ca (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) good = NULL;
  g_autoptr(PhCluster) bad = NULL;
  g_autoptr(PhCluster) system = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *good_lines = g_strdup_printf ("    certificate-authority: %s\n", cert_path ("ca.pem"));
  g_autofree char *bad_lines = g_strdup_printf ("    certificate-authority: %s\n", cert_path ("other-ca.pem"));

  good = cluster_from_yaml (td, ts->url, good_lines, NULL);
  body = do_request (good, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);

  bad = cluster_from_yaml (td, ts->url, bad_lines, NULL);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (bad, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "unknown authority"));
  g_assert_nonnull (strstr (error->message, "test"));
  g_clear_error (&error);

  /* no CA in the kubeconfig: the system store, which does not know ours */
  system = cluster_from_yaml (td, ts->url, NULL, NULL);
  body = do_request (system, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
}

/* Makes the system store trust the CA that signed the test server, so
 * that a kubeconfig naming another CA is only rejected if that CA alone is
 * trusted. */
static void
test_tls_ca_only (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autofree char *ca_file = g_canonicalize_filename (cert_path ("ca.pem"), NULL);
  g_autoptr(GTlsDatabase) system_db = NULL;
  g_autofree char *other_pem = read_fixture ("other-ca.pem");
  g_autofree char *other_b64 = g_base64_encode ((guchar *) other_pem, strlen (other_pem));
  g_autofree char *file_lines = g_strdup_printf ("    certificate-authority: %s\n", cert_path ("other-ca.pem"));
  g_autofree char *data_lines = g_strdup_printf ("    certificate-authority-data: %s\n", other_b64);
  g_autoptr(GError) error = NULL;
  const struct {
    const char *cluster_lines;
    gboolean    ok;
  } cases[] = {
    /* no CA in the kubeconfig: the system store decides */
    { NULL, TRUE },
    { "    tls-server-name: kube.porthole.test\n", TRUE },
    { "    tls-server-name: other.porthole.test\n", FALSE },
    /* a kubeconfig CA replaces the system store, never adds to it */
    { file_lines, FALSE },
    { data_lines, FALSE },
  };

  system_db = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);
  g_tls_backend_set_default_database (backend, system_db);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhCluster) cluster = cluster_from_yaml (td, ts->url, cases[i].cluster_lines, NULL);
      g_autoptr(GBytes) body = NULL;

      body = do_request (cluster, "/api", NULL, &error);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (body);
        }
      else
        {
          g_assert_null (body);
          g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
          g_clear_error (&error);
        }

      /* a watch travels the same way */
      {
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GInputStream) stream = NULL;

        ph_cluster_open_stream_async (cluster, "/stream?watch=1", NULL, store_result, &result);
        wait_for ((gpointer *) &result);
        stream = ph_cluster_open_stream_finish (cluster, result, NULL, &error);
        g_assert_true ((stream != NULL) == cases[i].ok);
        g_clear_error (&error);
      }
    }

  g_tls_backend_set_default_database (backend, NULL);
}

static void
test_tls_server_name (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) right = NULL;
  g_autoptr(PhCluster) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *right_lines = g_strdup_printf ("    certificate-authority: %s\n"
                                                  "    tls-server-name: kube.porthole.test\n",
                                                  cert_path ("ca.pem"));
  g_autofree char *wrong_lines = g_strdup_printf ("    certificate-authority: %s\n"
                                                  "    tls-server-name: other.porthole.test\n",
                                                  cert_path ("ca.pem"));

  right = cluster_from_yaml (td, ts->url, right_lines, NULL);
  body = do_request (right, "/api", NULL, &error);
  g_assert_no_error (error);

  wrong = cluster_from_yaml (td, ts->url, wrong_lines, NULL);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (wrong, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not valid for the server's name"));
}

static void
test_insecure (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) cluster = cluster_from_yaml (td, ts->url, "    insecure-skip-tls-verify: true\n", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
}

static void
test_client_certificate (void)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, TRUE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) with_cert = NULL;
  g_autoptr(PhCluster) with_data = NULL;
  g_autoptr(PhCluster) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *ca_lines = g_strdup_printf ("    certificate-authority: %s\n", cert_path ("ca.pem"));
  g_autofree char *user_lines = g_strdup_printf ("    client-certificate: %s\n    client-key: %s\n",
                                                 cert_path ("client.pem"), cert_path ("client-key.pem"));
  g_autofree char *cert_pem = read_fixture ("client.pem");
  g_autofree char *key_pem = read_fixture ("client-key.pem");
  g_autofree char *cert_b64 = g_base64_encode ((guchar *) cert_pem, strlen (cert_pem));
  g_autofree char *key_b64 = g_base64_encode ((guchar *) key_pem, strlen (key_pem));
  g_autofree char *data_lines = g_strdup_printf ("    client-certificate-data: %s\n    client-key-data: %s\n",
                                                 cert_b64, key_b64);

  with_cert = cluster_from_yaml (td, ts->url, ca_lines, user_lines);
  body = do_request (with_cert, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ts->saw_client_cert);

  ts->saw_client_cert = FALSE;
  with_data = cluster_from_yaml (td, ts->url, ca_lines, data_lines);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (with_data, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ts->saw_client_cert);

  without = cluster_from_yaml (td, ts->url, ca_lines, NULL);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (without, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "requires a client certificate, and user \"u\" has none"));
}

static void
test_token_file (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "token-one");
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autofree char *token_path = g_build_filename (td->dir, "token", NULL);
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  write_file (token_path, "token-one\n");
  /* relative to the kubeconfig's directory */
  cluster = cluster_from_yaml (td, ts->url, NULL, "    tokenFile: token\n");
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer token-one");

  /* rotated in place: the next request reads it again */
  write_file (token_path, "token-number-two");
  g_free (ts->expected_token);
  ts->expected_token = g_strdup ("token-number-two");
  ts->hits = 0;
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer token-number-two");
  /* read before sending, not after a 401 */
  g_assert_cmpuint (ts->hits, ==, 1);

  /* a token the server no longer takes: re-read once, then report */
  g_free (ts->expected_token);
  ts->expected_token = g_strdup ("token-three");
  ts->hits = 0;
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (ts->hits, ==, 2);
  g_assert_null (strstr (error->message, "token-number-two"));
  g_clear_error (&error);

  /* a second line would make a broken header: refused, not sent */
  write_file (token_path, "token-four\nsecond-line\n");
  ts->hits = 0;
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "more than one line"));
  g_assert_null (strstr (error->message, "token-four"));
  g_assert_cmpuint (ts->hits, ==, 0);
  g_clear_error (&error);

  /* a vanished file is a clear error */
  g_unlink (token_path);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, token_path));
}

typedef struct {
  TempDir *td;
  char    *count_file;
  char    *info_file;
} ExecFixture;

static void
exec_fixture_setup (ExecFixture   *f,
                    gconstpointer  data)
{
  f->td = temp_dir_new ();
  f->count_file = g_build_filename (f->td->dir, "count", NULL);
  f->info_file = g_build_filename (f->td->dir, "info.json", NULL);
}

static void
exec_fixture_teardown (ExecFixture   *f,
                       gconstpointer  data)
{
  temp_dir_free (f->td);
  g_free (f->count_file);
  g_free (f->info_file);
}

static guint
exec_runs (ExecFixture *f)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (f->count_file, &contents, NULL, NULL))
    return 0;
  return (guint) g_ascii_strtoull (contents, NULL, 10);
}

static PhCluster *
exec_cluster (ExecFixture *f,
              const char  *server,
              const char  *api_version,
              const char  *expiry,
              const char  *fail,
              const char  *extra)
{
  const char *script = g_test_get_filename (G_TEST_DIST, "kube", "exec-plugin.sh", NULL);
  g_autofree char *user = NULL;

  user = g_strdup_printf ("    exec:\n"
                          "      apiVersion: %s\n"
                          "      command: sh\n"
                          "      args: [\"%s\"]\n"
                          "      interactiveMode: Never\n"
                          "      provideClusterInfo: true\n"
                          "      installHint: Install the test plugin\n"
                          "      env:\n"
                          "      - name: PH_EXEC_COUNT_FILE\n        value: %s\n"
                          "      - name: PH_EXEC_INFO_FILE\n        value: %s\n"
                          "      - name: PH_EXEC_API_VERSION\n        value: %s\n"
                          "      - name: PH_EXEC_EXPIRY\n        value: \"%s\"\n"
                          "      - name: PH_EXEC_FAIL\n        value: \"%s\"\n"
                          "%s",
                          api_version, script, f->count_file, f->info_file, api_version,
                          expiry, fail ? fail : "", extra ? extra : "");
  return cluster_from_yaml (f->td, server, NULL, user);
}

static void
test_exec_cached (ExecFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-1");
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;

  /* nothing runs before the cluster is used */
  g_assert_cmpuint (exec_runs (f), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) body = do_request (cluster, "/api", NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer exec-token-1");
  g_assert_cmpuint (exec_runs (f), ==, 1);
  g_assert_cmpuint (ph_cluster_get_exec_runs (cluster), ==, 1);
  /* nothing keeps the cluster (or its plugin runner) alive */
  g_assert_finalize_object (g_steal_pointer (&cluster));

  /* provideClusterInfo hands the cluster to the plugin */
  g_file_get_contents (f->info_file, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info, "\"kind\":\"ExecCredential\""));
  g_assert_nonnull (strstr (info, "\"apiVersion\":\"client.authentication.k8s.io/v1\""));
  g_assert_nonnull (strstr (info, ts->url));
  g_assert_nonnull (strstr (info, "\"interactive\":false"));
}

static void
test_exec_concurrent (ExecFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-1");
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1beta1",
                                               "2999-01-01T00:00:00Z", NULL, NULL);
  GAsyncResult *results[4] = { NULL, };

  /* four requests at once share one plugin run */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    ph_cluster_request_async (cluster, "GET", "/api", NULL, NULL, NULL, store_result, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;

      wait_for ((gpointer *) &results[i]);
      body = ph_cluster_request_finish (cluster, results[i], NULL, &error);
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (exec_runs (f), ==, 1);
}

static void
test_exec_shared (ExecFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-1");
  g_autoptr(PhCluster) first = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                             "2999-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(PhCluster) second = NULL;
  g_autoptr(PhCluster) third = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  /* the same context opened twice (two windows): one login */
  config = ph_kubeconfig_load (f->td->kubeconfig, &error);
  g_assert_no_error (error);
  second = ph_cluster_new (config, "test", &error);
  g_assert_no_error (error);

  body = do_request (first, "/api", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (second, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exec_runs (f), ==, 1);

  /* once every user is gone the credential is forgotten */
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_finalize_object (g_steal_pointer (&second));
  third = ph_cluster_new (config, "test", &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (third, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (exec_runs (f), ==, 3);
}

static void
test_exec_does_not_block_others (ExecFixture   *f,
                                 gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autofree char *gate = g_build_filename (f->td->dir, "gate", NULL);
  g_autofree char *extra = g_strdup_printf ("      - name: PH_EXEC_WAIT_FILE\n        value: %s\n", gate);
  g_autoptr(PhCluster) slow = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                            "2999-01-01T00:00:00Z", NULL, extra);
  g_autoptr(PhCluster) other = ph_cluster_new_for_server ("other", ts->url, "t", NULL, NULL);
  g_autoptr(GAsyncResult) slow_result = NULL;
  g_autoptr(GAsyncResult) other_result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  /* the login of one cluster waits for the user... */
  ph_cluster_request_async (slow, "GET", "/api", NULL, NULL, NULL, store_result, &slow_result);
  g_assert_cmpuint (ph_cluster_get_exec_runs (slow), ==, 1);

  /* ...and another cluster is served meanwhile */
  ph_cluster_request_async (other, "GET", "/api", NULL, NULL, NULL, store_result, &other_result);
  wait_for ((gpointer *) &other_result);
  body = ph_cluster_request_finish (other, other_result, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (slow_result);

  write_file (gate, "");
  wait_for ((gpointer *) &slow_result);
  g_clear_pointer (&body, g_bytes_unref);
  body = ph_cluster_request_finish (slow, slow_result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer exec-token-1");
}

static void
test_exec_cancel_while_running (ExecFixture   *f,
                                gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-1");
  g_autofree char *gate = g_build_filename (f->td->dir, "gate", NULL);
  g_autofree char *extra = g_strdup_printf ("      - name: PH_EXEC_WAIT_FILE\n        value: %s\n", gate);
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL, extra);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) later = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  /* a watch that closes while the login is still running is told so at
   * once, not when the user finishes logging in */
  ph_cluster_request_async (cluster, "GET", "/api", NULL, NULL, cancellable, store_result, &cancelled);
  g_assert_cmpuint (ph_cluster_get_exec_runs (cluster), ==, 1);
  g_cancellable_cancel (cancellable);
  wait_for ((gpointer *) &cancelled);
  body = ph_cluster_request_finish (cluster, cancelled, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (g_file_test (gate, G_FILE_TEST_EXISTS));

  /* the run goes on, and the next request shares it instead of starting
   * a second login */
  ph_cluster_request_async (cluster, "GET", "/api", NULL, NULL, NULL, store_result, &later);
  g_assert_cmpuint (ph_cluster_get_exec_runs (cluster), ==, 1);
  write_file (gate, "");
  wait_for ((gpointer *) &later);
  body = ph_cluster_request_finish (cluster, later, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exec_runs (f), ==, 1);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer exec-token-1");
}

/* Stands in for flatpak-spawn: runs the command "on the host" with only
 * the environment given as --env, and fails as the real one does when the
 * host cannot start the command. */
static const char fake_flatpak_spawn[] =
  "#!/bin/sh\n"
  "[ \"$1\" = --host ] || { echo \"flatpak-spawn: --host must come first\" >&2; exit 2; }\n"
  "shift\n"
  "n=$#\n"
  "i=0\n"
  "cmd=\n"
  "while [ \"$i\" -lt \"$n\" ]; do\n"
  "  a=$1; shift; i=$((i + 1))\n"
  "  if [ -n \"$cmd\" ]; then set -- \"$@\" \"$a\"; continue; fi\n"
  "  case \"$a\" in\n"
  "    --watch-bus) ;;\n"
  "    --env=*) set -- \"$@\" \"${a#--env=}\" ;;\n"
  "    --*) echo \"flatpak-spawn: unexpected option $a\" >&2; exit 2 ;;\n"
  "    *) cmd=$a; set -- \"$@\" \"$a\" ;;\n"
  "  esac\n"
  "done\n"
  "if ! command -v \"$cmd\" >/dev/null 2>&1; then\n"
  "  echo \"Portal call failed: Failed to start command: Failed to execute child process \\\"$cmd\\\" (No such file or directory)\" >&2\n"
  "  exit 1\n"
  "fi\n"
  "exec env -i PATH=\"$PATH\" \"$@\"\n";

static void
test_exec_flatpak_spawn (ExecFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autofree char *bin = g_build_filename (f->td->dir, "bin", NULL);
  g_autofree char *spawn = g_build_filename (bin, "flatpak-spawn", NULL);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *new_path = g_strdup_printf ("%s:%s", bin, old_path ? old_path : "/usr/bin:/bin");
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(PhExecCredential) cred = ph_exec_credential_new (ph_cluster_get_context (cluster));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *info = NULL;
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) missing = NULL;
  g_autoptr(PhExecCredential) missing_cred = NULL;

  g_assert_cmpint (g_mkdir (bin, 0755), ==, 0);
  write_file (spawn, fake_flatpak_spawn);
  g_assert_cmpint (g_chmod (spawn, 0755), ==, 0);
  g_setenv ("PATH", new_path, TRUE);

  ph_exec_credential_set_sandboxed (cred, TRUE);
  ph_exec_credential_get_async (cred, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  ph_exec_credential_get_finish (cred, result, &token, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "exec-token-1");
  g_assert_cmpuint (exec_runs (f), ==, 1);
  /* KUBERNETES_EXEC_INFO crossed over as --env */
  g_file_get_contents (f->info_file, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info, "\"kind\":\"ExecCredential\""));
  g_assert_nonnull (strstr (info, ts->url));

  /* a command the host does not have: the install hint, and what
   * flatpak-spawn said */
  missing = cluster_from_yaml (td, ts->url, NULL,
                               "    exec:\n"
                               "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                               "      command: porthole-no-such-login-plugin\n"
                               "      installHint: Install porthole-login on the host\n");
  missing_cred = ph_exec_credential_new (ph_cluster_get_context (missing));
  ph_exec_credential_set_sandboxed (missing_cred, TRUE);
  g_clear_object (&result);
  ph_exec_credential_get_async (missing_cred, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  g_assert_false (ph_exec_credential_get_finish (missing_cred, result, NULL, NULL, &error));
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "Install porthole-login on the host"));
  g_assert_nonnull (strstr (error->message, "Failed to execute child process"));

  g_setenv ("PATH", old_path, TRUE);
}

static void
test_exec_expired (ExecFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2001-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) body = do_request (cluster, "/api", NULL, &error);
      g_assert_no_error (error);
    }
  /* an expired credential is fetched again for every use */
  g_assert_cmpuint (exec_runs (f), ==, 2);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer exec-token-2");
}

static void
test_exec_refresh_on_401 (ExecFixture   *f,
                          gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-2");
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  /* the first credential is rejected: refresh once, retry, succeed */
  body = do_request (cluster, "/api", &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (exec_runs (f), ==, 2);

  /* a credential that keeps failing: one refresh, then the 401 */
  g_free (ts->expected_token);
  ts->expected_token = g_strdup ("never");
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (cluster, "/api", &status, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpuint (exec_runs (f), ==, 3);
  g_assert_null (strstr (error->message, "exec-token"));
}

static void
test_exec_late_401 (ExecFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "exec-token-2");
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL, NULL);
  g_autoptr(GAsyncResult) slow = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 50 * G_USEC_PER_SEC;

  /* a slow request goes out with the first credential... */
  ts->hold_next_slow = TRUE;
  ph_cluster_request_async (cluster, "GET", "/slow", NULL, NULL, NULL, store_result, &slow);
  while (ts->held == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpstr (ts->held_authorization, ==, "Bearer exec-token-1");

  /* ...another one is refused meanwhile and logs in again... */
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exec_runs (f), ==, 2);

  /* ...and the slow one's late 401 retries with that new credential
   * instead of throwing it away for a third login */
  release_held (ts);
  wait_for ((gpointer *) &slow);
  g_clear_pointer (&body, g_bytes_unref);
  body = ph_cluster_request_finish (cluster, slow, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exec_runs (f), ==, 2);
  g_assert_cmpstr (ts->last_authorization, ==, "Bearer exec-token-2");
}

static void
test_exec_failure (ExecFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", "login expired: run corp-login", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = do_request (cluster, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "login expired: run corp-login"));
  g_assert_nonnull (strstr (error->message, "exit code 3"));
  g_assert_nonnull (strstr (error->message, "\"test\""));
  g_assert_cmpuint (ts->hits, ==, 0);
}

static void
test_exec_failure_names_context (ExecFixture   *f,
                                 gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  const char *script = g_test_get_filename (G_TEST_DIST, "kube", "exec-plugin.sh", NULL);
  g_autofree char *yaml = NULL;
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(PhCluster) first = NULL;
  g_autoptr(PhCluster) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  /* two clusters, one login (without provideClusterInfo the plugin is the
   * same for both, so they share its credential) */
  yaml = g_strdup_printf ("clusters:\n"
                          "- name: a\n  cluster:\n    server: %s\n"
                          "- name: b\n  cluster:\n    server: %s/other\n"
                          "users:\n- name: sso\n  user:\n    exec:\n"
                          "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                          "      command: sh\n"
                          "      args: [\"%s\"]\n"
                          "      env:\n"
                          "      - name: PH_EXEC_COUNT_FILE\n        value: %s\n"
                          "      - name: PH_EXEC_FAIL\n        value: session expired\n"
                          "contexts:\n"
                          "- name: first\n  context:\n    cluster: a\n    user: sso\n"
                          "- name: second\n  context:\n    cluster: b\n    user: sso\n",
                          ts->url, ts->url, script, f->count_file);
  write_file (f->td->kubeconfig, yaml);
  config = ph_kubeconfig_load (f->td->kubeconfig, &error);
  g_assert_no_error (error);
  first = ph_cluster_new (config, "first", &error);
  g_assert_no_error (error);
  second = ph_cluster_new (config, "second", &error);
  g_assert_no_error (error);

  body = do_request (first, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_true (g_str_has_prefix (error->message, "Context \"first\": "));
  g_assert_nonnull (strstr (error->message, "session expired"));
  g_clear_error (&error);

  body = do_request (second, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_true (g_str_has_prefix (error->message, "Context \"second\": "));
  g_assert_null (strstr (error->message, "\"first\""));
  g_assert_cmpuint (exec_runs (f), ==, 2);
}

static void
test_exec_bad_token (ExecFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1",
                                               "2999-01-01T00:00:00Z", NULL,
                                               "      - name: PH_EXEC_TOKEN\n"
                                               "        value: 'bad-s3cret\\r\\nX-Injected: 1'\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "line breaks or control characters"));
  g_assert_null (strstr (error->message, "bad-s3cret"));
  g_assert_cmpuint (ts->hits, ==, 0);
}

static void
test_exec_client_certificate (ExecFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (TRUE, TRUE, NULL);
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *script = g_test_get_filename (G_TEST_DIST, "kube", "exec-plugin.sh", NULL);
  g_autofree char *ca_lines = g_strdup_printf ("    certificate-authority: %s\n", cert_path ("ca.pem"));
  g_autofree char *user = g_strdup_printf ("    exec:\n"
                                           "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                           "      command: sh\n"
                                           "      args: [\"%s\"]\n"
                                           "      env:\n"
                                           "      - name: PH_EXEC_COUNT_FILE\n        value: %s\n"
                                           "      - name: PH_EXEC_INFO_FILE\n        value: %s\n"
                                           "      - name: PH_EXEC_API_VERSION\n        value: client.authentication.k8s.io/v1beta1\n"
                                           "      - name: PH_EXEC_CERT_FILE\n        value: %s\n"
                                           "      - name: PH_EXEC_KEY_FILE\n        value: %s\n",
                                           script, f->count_file, f->info_file,
                                           cert_path ("client.pem"), cert_path ("client-key.pem"));
  g_autofree char *info = NULL;

  cluster = cluster_from_yaml (f->td, ts->url, ca_lines, user);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ts->saw_client_cert);
  g_assert_null (ts->last_authorization);
  g_assert_cmpuint (exec_runs (f), ==, 1);

  /* without provideClusterInfo the plugin learns nothing of the cluster */
  g_file_get_contents (f->info_file, &info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (info, "\"spec\":{\"interactive\":false}"));
  g_assert_null (strstr (info, "\"cluster\""));
}

static void
test_exec_flatpak_argv (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "kube", "fixtures", "kubeconfig", "full.yaml", NULL);
  g_autoptr(PhKubeconfig) config = ph_kubeconfig_load (path, NULL);
  g_autoptr(PhExecCredential) cred = ph_exec_credential_new (ph_kubeconfig_lookup_context (config, "exec-v1"));
  g_auto(GStrv) host = ph_exec_credential_dup_argv (cred, FALSE);
  g_auto(GStrv) sandboxed = ph_exec_credential_dup_argv (cred, TRUE);

  g_assert_cmpuint (g_strv_length (host), ==, 3);
  g_assert_true (g_str_has_suffix (host[0], "/bin/login"));
  g_assert_cmpstr (host[1], ==, "get-token");
  g_assert_cmpstr (host[2], ==, "--verbose");

  /* inside Flatpak: on the host, the environment on the command line */
  g_assert_cmpuint (g_strv_length (sandboxed), ==, 8);
  g_assert_cmpstr (sandboxed[0], ==, "flatpak-spawn");
  g_assert_cmpstr (sandboxed[1], ==, "--host");
  g_assert_cmpstr (sandboxed[3], ==, "--env=LOGIN_MODE=quiet");
  g_assert_true (g_str_has_prefix (sandboxed[4], "--env=KUBERNETES_EXEC_INFO={"));
  g_assert_nonnull (strstr (sandboxed[4], "\"server\":\"https://kube.porthole.test:443/prefix\""));
  g_assert_nonnull (strstr (sandboxed[4], "\"config\":{\"audience\":\"porthole\",\"retries\":3}"));
  g_assert_cmpstr (sandboxed[5], ==, host[0]);
  g_assert_cmpstr (sandboxed[7], ==, "--verbose");
  g_assert_cmpuint (ph_exec_credential_get_n_runs (cred), ==, 0);
}

static void
test_exec_missing (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  cluster = cluster_from_yaml (td, ts->url, NULL,
                               "    exec:\n"
                               "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                               "      command: porthole-no-such-login-plugin\n"
                               "      installHint: |\n"
                               "        Install it with: apt install porthole-login\n");
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_null (body);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "porthole-no-such-login-plugin"));
  g_assert_nonnull (strstr (error->message, "not found"));
  g_assert_nonnull (strstr (error->message, "apt install porthole-login"));
}

static void
test_exec_bad_output (ExecFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  /* the plugin prints v1, the kubeconfig asks for v1beta1 */
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *script = g_test_get_filename (G_TEST_DIST, "kube", "exec-plugin.sh", NULL);
  g_autofree char *user = g_strdup_printf ("    exec:\n"
                                           "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                           "      command: sh\n"
                                           "      args: [\"%s\"]\n"
                                           "      env:\n"
                                           "      - name: PH_EXEC_COUNT_FILE\n        value: %s\n",
                                           script, f->count_file);

  cluster = cluster_from_yaml (f->td, ts->url, NULL, user);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "expected ExecCredential of \"client.authentication.k8s.io/v1beta1\""));
  g_assert_null (strstr (error->message, "exec-token"));
}

static void
test_exec_interactive_always (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  cluster = cluster_from_yaml (td, ts->url, NULL,
                               "    exec:\n"
                               "      apiVersion: client.authentication.k8s.io/v1\n"
                               "      command: true\n"
                               "      interactiveMode: Always\n");
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
  g_assert_nonnull (strstr (error->message, "interactiveMode Always"));
  g_assert_cmpuint (ph_cluster_get_exec_runs (cluster), ==, 0);
}

/* A stand-in HTTP proxy: answers every request itself and counts them. */
static void
handle_proxy (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  guint *count = user_data;

  (*count)++;
  send_json (msg, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"via\":\"proxy\"}");
}

static void
test_proxy_url (void)
{
  g_autoptr(SoupServer) proxy = soup_server_new (NULL, NULL);
  g_autoptr(TempDir) td = temp_dir_new ();
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *lines = NULL;
  GSList *uris;
  guint count = 0;

  soup_server_add_handler (proxy, NULL, handle_proxy, &count, NULL);
  soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy);
  lines = g_strdup_printf ("    proxy-url: http://127.0.0.1:%d\n", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* the target does not exist: only the proxy can answer */
  cluster = cluster_from_yaml (td, "http://kube.porthole.test:6443", lines, NULL);
  body = do_request (cluster, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"via\":\"proxy\""));
  soup_server_disconnect (proxy);
}

static void
test_proxy_environment (void)
{
  g_autoptr(SoupServer) proxy = soup_server_new (NULL, NULL);
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) remote = NULL;
  g_autoptr(PhCluster) excluded = NULL;
  g_autoptr(PhCluster) loopback = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *proxy_url = NULL;
  GSList *uris;
  guint count = 0;

  soup_server_add_handler (proxy, NULL, handle_proxy, &count, NULL);
  soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_setenv ("http_proxy", proxy_url, TRUE);
  g_setenv ("NO_PROXY", "internal.porthole.test, .corp.porthole.test", TRUE);
  remote = ph_cluster_new_for_server ("remote", "http://kube.porthole.test:6443", NULL, NULL, &error);
  excluded = ph_cluster_new_for_server ("excluded", "http://api.corp.porthole.test:1", NULL, NULL, &error);
  loopback = ph_cluster_new_for_server ("loopback", ts->url, NULL, NULL, &error);
  g_unsetenv ("http_proxy");
  g_unsetenv ("NO_PROXY");
  g_assert_no_error (error);

  body = do_request (remote, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);

  /* loopback is never proxied */
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (loopback, "/api", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpuint (ts->hits, ==, 1);

  /* NO_PROXY domains go direct (and this one does not resolve) */
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (excluded, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT);
  g_assert_cmpuint (count, ==, 1);
  soup_server_disconnect (proxy);
}

static gboolean
has_resource (GPtrArray  *resources,
              const char *group,
              const char *resource)
{
  for (guint i = 0; i < resources->len; i++)
    {
      PhResourceInfo *info = g_ptr_array_index (resources, i);
      if (g_str_equal (info->group, group) && g_str_equal (info->resource, resource))
        return TRUE;
    }
  return FALSE;
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
run_discovery (gboolean aggregated)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("d", ts->url, NULL, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GError) error = NULL;
  guint hits;
  struct {
    const char *name;
    const char *group;
    const char *resource;
  } cases[] = {
    { "pods", "", "pods" },
    { "pod", "", "pods" },
    { "po", "", "pods" },
    { "Pod", "", "pods" },
    { "PODS", "", "pods" },
    { "ns", "", "namespaces" },
    { "deploy", "apps", "deployments" },
    { "deployment", "apps", "deployments" },
    { "deployments.apps", "apps", "deployments" },
    { "deployments.v1.apps", "apps", "deployments" },
    { "widgets", "demo.porthole.io", "widgets" },
    { "widget.demo.porthole.io", "demo.porthole.io", "widgets" },
    { "widgets.demo.porthole.io", "demo.porthole.io", "widgets" },
    /* the core group wins a name two groups share, as in kubectl */
    { "events", "", "events" },
    { "ev", "", "events" },
    { "events.events.k8s.io", "events.k8s.io", "events" },
  };

  ts->aggregated = aggregated;
  ph_cluster_discover_async (cluster, NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  resources = ph_cluster_discover_finish (cluster, result, &error);
  g_assert_no_error (error);
  g_assert_true (has_resource (resources, "", "pods"));
  g_assert_true (has_resource (resources, "apps", "deployments"));
  g_assert_true (has_resource (resources, "demo.porthole.io", "widgets"));
  g_assert_false (has_resource (resources, "", "pods/log"));
  g_assert_false (has_resource (resources, "apps", "deployments/scale"));
  /* aggregated: /api and /apis say everything; legacy: one more per version */
  g_assert_cmpuint (ts->hits, ==, aggregated ? 2 : 7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PhResourceInfo) info = resolve (cluster, cases[i].name, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (info->group, ==, cases[i].group);
      g_assert_cmpstr (info->resource, ==, cases[i].resource);
    }

  {
    g_autoptr(PhResourceInfo) info = resolve (cluster, "widgets", &error);
    g_assert_cmpstr (info->version, ==, "v1");
    g_assert_cmpstr (info->kind, ==, "Widget");
    g_assert_true (info->namespaced);
  }
  {
    g_autoptr(PhResourceInfo) info = resolve (cluster, "namespaces", &error);
    g_assert_false (info->namespaced);
    g_assert_true (g_strv_contains ((const char * const *) info->verbs, "watch"));
  }

  /* an explicit version, also one that is not the group's preferred one */
  {
    const struct {
      const char *name;
      const char *version;
    } versioned[] = {
      { "widgets.v1.demo.porthole.io", "v1" },
      { "widgets.v1alpha1.demo.porthole.io", "v1alpha1" },
      { "widget.v1alpha1.demo.porthole.io", "v1alpha1" },
      { "wd.v1alpha1.demo.porthole.io", "v1alpha1" },
      { "deployments.v1.apps", "v1" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (versioned); i++)
      {
        g_autoptr(PhResourceInfo) info = resolve (cluster, versioned[i].name, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (info->version, ==, versioned[i].version);
        g_assert_cmpstr (info->resource, ==, i == 4 ? "deployments" : "widgets");
        g_assert_cmpstr (info->kind, ==, i == 4 ? "Deployment" : "Widget");
      }
    /* the version's list is cached with the discovery */
    hits = ts->hits;
    {
      g_autoptr(PhResourceInfo) info = resolve (cluster, "widgets.v1alpha1.demo.porthole.io", &error);
      g_assert_no_error (error);
    }
    g_assert_cmpuint (ts->hits, ==, hits);

    /* a version the group does not serve, a resource the version lacks */
    {
      g_autoptr(PhResourceInfo) info = resolve (cluster, "widgets.v9.demo.porthole.io", &error);
      g_assert_null (info);
      g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "\"widgets.v9.demo.porthole.io\""));
      g_clear_error (&error);
    }
    {
      g_autoptr(PhResourceInfo) info = resolve (cluster, "gadgets.v1alpha1.demo.porthole.io", &error);
      g_assert_null (info);
      g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  }

  /* cached: resolving hits the server no more */
  hits = ts->hits;
  {
    g_autoptr(PhResourceInfo) info = resolve (cluster, "po", &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (ts->hits, ==, hits);

  /* an unknown name rediscovers once, then says so like kubectl */
  {
    g_autoptr(PhResourceInfo) info = resolve (cluster, "gadgets", &error);
    g_assert_null (info);
    g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "doesn't have a resource type \"gadgets\""));
    g_assert_cmpuint (ts->hits, >, hits);
  }

  g_clear_pointer (&resources, g_ptr_array_unref);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&cluster));
}

static void
test_discovery (void)
{
  run_discovery (FALSE);
}

static void
test_discovery_aggregated (void)
{
  run_discovery (TRUE);
}

typedef struct {
  PhCluster    *cluster;
  GAsyncResult *first;
  GAsyncResult *again;
} Rediscover;

/* What a view does when it learns that CRDs changed: forget and ask again,
 * right inside the answer to its first question. */
static void
rediscover_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Rediscover *r = user_data;

  r->first = g_object_ref (result);
  ph_cluster_invalidate_discovery (r->cluster);
  ph_cluster_discover_async (r->cluster, NULL, store_result, &r->again);
}

static void
test_discovery_reentrant (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("d", ts->url, NULL, NULL, NULL);
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(GError) error = NULL;
  Rediscover r = { cluster, NULL, NULL };

  /* two callers wait for the same discovery; the first restarts it */
  ph_cluster_discover_async (cluster, NULL, rediscover_cb, &r);
  ph_cluster_discover_async (cluster, NULL, store_result, &other);
  wait_for ((gpointer *) &other);
  resources = ph_cluster_discover_finish (cluster, other, &error);
  g_assert_no_error (error);
  g_assert_true (has_resource (resources, "apps", "deployments"));

  wait_for ((gpointer *) &r.first);
  first = ph_cluster_discover_finish (cluster, r.first, &error);
  g_assert_no_error (error);
  wait_for ((gpointer *) &r.again);
  again = ph_cluster_discover_finish (cluster, r.again, &error);
  g_assert_no_error (error);
  g_assert_true (has_resource (again, "apps", "deployments"));
  /* the second answer comes from a second discovery */
  g_assert_true (first != again);
  g_clear_object (&r.first);
  g_clear_object (&r.again);
}

/* An invalidation while a discovery runs: who asked before gets that
 * discovery, who asked after gets a new one. */
static void
test_discovery_invalidated_while_running (void)
{
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, NULL);
  g_autoptr(PhCluster) cluster = ph_cluster_new_for_server ("d", ts->url, NULL, NULL, NULL);
  g_autoptr(GAsyncResult) before = NULL;
  g_autoptr(GAsyncResult) after = NULL;
  g_autoptr(GAsyncResult) cached = NULL;
  g_autoptr(GPtrArray) before_list = NULL;
  g_autoptr(GPtrArray) after_list = NULL;
  g_autoptr(GPtrArray) cached_list = NULL;
  g_autoptr(GError) error = NULL;

  ts->aggregated = TRUE;
  ph_cluster_discover_async (cluster, NULL, store_result, &before);
  ph_cluster_invalidate_discovery (cluster);
  ph_cluster_discover_async (cluster, NULL, store_result, &after);
  wait_for ((gpointer *) &before);
  wait_for ((gpointer *) &after);
  before_list = ph_cluster_discover_finish (cluster, before, &error);
  g_assert_no_error (error);
  after_list = ph_cluster_discover_finish (cluster, after, &error);
  g_assert_no_error (error);
  g_assert_true (before_list != after_list);
  /* two discoveries of two requests each */
  g_assert_cmpuint (ts->hits, ==, 4);

  /* and the newer one is what stays cached */
  ph_cluster_discover_async (cluster, NULL, store_result, &cached);
  wait_for ((gpointer *) &cached);
  cached_list = ph_cluster_discover_finish (cluster, cached, &error);
  g_assert_true (cached_list == after_list);
  g_assert_cmpuint (ts->hits, ==, 4);
}

static void
test_discovery_cancel (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 deadline = g_get_monotonic_time () + 50 * G_USEC_PER_SEC;

  /* a server that takes the request and never answers */
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_silent_incoming), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  cluster = ph_cluster_new_for_server ("mute", url, NULL, NULL, &error);
  g_assert_no_error (error);

  ph_cluster_discover_async (cluster, cancellable, store_result, &cancelled);
  /* /api and /apis are on their way */
  while (held->len < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_cancellable_cancel (cancellable);
  wait_for ((gpointer *) &cancelled);
  g_assert_null (ph_cluster_discover_finish (cluster, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* the discovery itself went on: a new caller joins it, and hears how it
   * ends once the server hangs up */
  ph_cluster_discover_async (cluster, NULL, store_result, &failed);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  for (guint i = 0; i < held->len; i++)
    g_io_stream_close (g_ptr_array_index (held, i), NULL, NULL);
  wait_for ((gpointer *) &failed);
  g_assert_null (ph_cluster_discover_finish (cluster, failed, &error));
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT);
  g_clear_object (&cancelled);
  g_clear_object (&failed);
  g_assert_finalize_object (g_steal_pointer (&cluster));
}

/* Everything logged while capture_log is set, debug messages included. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
          {
            if (fields[i].length < 0)
              g_string_append (captured_log, fields[i].value);
            else
              g_string_append_len (captured_log, fields[i].value, fields[i].length);
            g_string_append_c (captured_log, '\n');
          }
      if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
        return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
assert_no_secret (const char *text,
                  const char *secret)
{
  if (text != NULL && strstr (text, secret) != NULL)
    g_error ("a secret leaked: \"%s\" in \"%s\"", secret, text);
}

static void
test_secrets_never_logged (ExecFixture   *f,
                           gconstpointer  data)
{
  const char *secrets[] = { "s3cret-token", "exec-token-", "file-s3cret", "pa55word", "rotated-s3cret" };
  g_autoptr(TestServer) ts = test_server_new (FALSE, FALSE, "what-the-server-takes");
  g_autofree char *token_path = g_build_filename (f->td->dir, "token", NULL);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr(PhCluster) with_token = NULL;
  g_autoptr(PhCluster) with_file = NULL;
  g_autoptr(PhCluster) with_exec = NULL;
  g_autoptr(PhCluster) with_basic = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  captured_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);
  g_debug ("capturing");

  with_token = ph_cluster_new_for_server ("tok", ts->url, "s3cret-token", NULL, &error);
  g_assert_no_error (error);
  body = do_request (with_token, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_ptr_array_add (errors, g_steal_pointer (&error));
  ph_cluster_open_stream_async (with_token, "/stream?watch=1", NULL, store_result, &result);
  wait_for ((gpointer *) &result);
  g_assert_null (ph_cluster_open_stream_finish (with_token, result, NULL, &error));
  g_ptr_array_add (errors, g_steal_pointer (&error));

  write_file (token_path, "file-s3cret\n");
  with_file = cluster_from_yaml (f->td, ts->url, NULL, "    tokenFile: token\n");
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (with_file, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_ptr_array_add (errors, g_steal_pointer (&error));
  write_file (token_path, "rotated-s3cret");
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (with_file, "/api", NULL, &error);
  g_ptr_array_add (errors, g_steal_pointer (&error));

  /* refreshed on 401, then refused again */
  with_exec = exec_cluster (f, ts->url, "client.authentication.k8s.io/v1", "2999-01-01T00:00:00Z", NULL, NULL);
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (with_exec, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (exec_runs (f), ==, 2);
  g_ptr_array_add (errors, g_steal_pointer (&error));

  with_basic = cluster_from_yaml (f->td, ts->url, NULL, "    username: admin\n    password: pa55word\n");
  g_clear_pointer (&body, g_bytes_unref);
  body = do_request (with_basic, "/api", NULL, &error);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED);
  g_ptr_array_add (errors, g_steal_pointer (&error));

  g_log_set_debug_enabled (FALSE);
  /* the capture works: our own debug output is in it */
  g_assert_nonnull (strstr (captured_log->str, "refreshing credentials and retrying once"));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      assert_no_secret (captured_log->str, secrets[i]);
      for (guint j = 0; j < errors->len; j++)
        assert_no_secret (((GError *) g_ptr_array_index (errors, j))->message, secrets[i]);
    }
  g_string_free (g_steal_pointer (&captured_log), TRUE);
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
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_server_hangups, NULL);

  /* A proxy configured on the machine must not reroute loopback tests. */
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("http_proxy");
  g_unsetenv ("NO_PROXY");
  g_unsetenv ("no_proxy");

  g_test_add_func ("/porthole/cluster/token", test_token);
  g_test_add_func ("/porthole/cluster/build-uri", test_build_uri);
  g_test_add_func ("/porthole/cluster/impersonation", test_impersonation);
  g_test_add_func ("/porthole/cluster/forbidden", test_forbidden);
  g_test_add_func ("/porthole/cluster/unreachable", test_unreachable);
  g_test_add_func ("/porthole/cluster/connect-timeout", test_connect_timeout);
  g_test_add_func ("/porthole/cluster/cancel", test_cancel);
  g_test_add_func ("/porthole/cluster/stream", test_stream);
  g_test_add_func ("/porthole/cluster/websocket", test_websocket);
  g_test_add_func ("/porthole/cluster/tls-ca", test_tls_ca);
  g_test_add_func ("/porthole/cluster/tls-ca-only", test_tls_ca_only);
  g_test_add_func ("/porthole/cluster/tls-server-name", test_tls_server_name);
  g_test_add_func ("/porthole/cluster/insecure-skip-tls-verify", test_insecure);
  g_test_add_func ("/porthole/cluster/client-certificate", test_client_certificate);
  g_test_add_func ("/porthole/cluster/token-file-reread", test_token_file);
  g_test_add ("/porthole/cluster/exec/cached-until-expiry", ExecFixture, NULL,
              exec_fixture_setup, test_exec_cached, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/concurrent-share-one-run", ExecFixture, NULL,
              exec_fixture_setup, test_exec_concurrent, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/shared-between-clusters", ExecFixture, NULL,
              exec_fixture_setup, test_exec_shared, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/does-not-block-other-clusters", ExecFixture, NULL,
              exec_fixture_setup, test_exec_does_not_block_others, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/cancel-while-running", ExecFixture, NULL,
              exec_fixture_setup, test_exec_cancel_while_running, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/flatpak-spawn-host", ExecFixture, NULL,
              exec_fixture_setup, test_exec_flatpak_spawn, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/expired-refetched", ExecFixture, NULL,
              exec_fixture_setup, test_exec_expired, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/refresh-on-401", ExecFixture, NULL,
              exec_fixture_setup, test_exec_refresh_on_401, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/late-401-keeps-new-credential", ExecFixture, NULL,
              exec_fixture_setup, test_exec_late_401, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/failure-keeps-stderr", ExecFixture, NULL,
              exec_fixture_setup, test_exec_failure, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/failure-names-own-context", ExecFixture, NULL,
              exec_fixture_setup, test_exec_failure_names_context, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/wrong-api-version", ExecFixture, NULL,
              exec_fixture_setup, test_exec_bad_output, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/token-with-line-break", ExecFixture, NULL,
              exec_fixture_setup, test_exec_bad_token, exec_fixture_teardown);
  g_test_add ("/porthole/cluster/exec/client-certificate", ExecFixture, NULL,
              exec_fixture_setup, test_exec_client_certificate, exec_fixture_teardown);
  g_test_add_func ("/porthole/cluster/exec/missing-command-install-hint", test_exec_missing);
  g_test_add_func ("/porthole/cluster/exec/flatpak-spawn-argv", test_exec_flatpak_argv);
  g_test_add_func ("/porthole/cluster/exec/interactive-always", test_exec_interactive_always);
  g_test_add ("/porthole/cluster/secrets-never-logged", ExecFixture, NULL,
              exec_fixture_setup, test_secrets_never_logged, exec_fixture_teardown);
  g_test_add_func ("/porthole/cluster/proxy-url", test_proxy_url);
  g_test_add_func ("/porthole/cluster/proxy-environment", test_proxy_environment);
  g_test_add_func ("/porthole/cluster/discovery", test_discovery);
  g_test_add_func ("/porthole/cluster/discovery-aggregated", test_discovery_aggregated);
  g_test_add_func ("/porthole/cluster/discovery-reentrant", test_discovery_reentrant);
  g_test_add_func ("/porthole/cluster/discovery-invalidated-while-running", test_discovery_invalidated_while_running);
  g_test_add_func ("/porthole/cluster/discovery-cancel", test_discovery_cancel);

  return g_test_run ();
}
