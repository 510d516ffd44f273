/* test-watch-proxy.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ph-cluster.h"
#include "ph-list-cache-private.h"
#include "ph-query.h"
#include "ph-sim-server.h"
#include "ph-watch-hub.h"
#include "test-watch-util.h"

/* Connections counted from outside the client, by a Node proxy
 * (h2-proxy.js) between Porthole and the simulated server:
 *  - multiplexed over TLS with ALPN h2: all watches of a cluster are
 *    streams of one TCP connection;
 *  - websocket: one socket per distinct query, however many consumers,
 *    closed when the last one leaves, also mid-connect. */

typedef struct {
  PhSimServer *sim;
  char        *tmpdir;
  GSubprocess *proxy;
  guint        port;
  guint        stats_port;
  char        *cert_pem;
} Fixture;

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

static void
start_proxy (Fixture    *fx,
             const char *mode,
             guint       max_streams)
{
  g_autofree char *max_streams_arg = g_strdup_printf ("%u", max_streams ? max_streams : 100);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ph_sim_server_get_url (fx->sim);
  g_autofree char *cert = g_build_filename (fx->tmpdir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (fx->tmpdir, "key.pem", NULL);
  const char *script = g_test_get_filename (G_TEST_DIST, "kube", "h2-proxy.js", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  if (strcmp (mode, "h2") == 0)
    {
      g_autofree char *subj = NULL;
      int status = 0;
      const char *argv[] = {
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL
      };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                    G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_file_get_contents (cert, &fx->cert_pem, NULL, &error);
      g_assert_no_error (error);
    }

  fx->proxy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                &error, "node", script, "--mode", mode, "--target", url,
                                "--cert", cert, "--key", key, "--max-streams", max_streams_arg, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx->proxy));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "PORT %u STATS %u", &fx->port, &fx->stats_port), ==, 2);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->sim = wt_sim_start (800, 4, 11, 0);
  fx->tmpdir = g_dir_make_tmp ("porthole-proxy-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  if (fx->proxy != NULL)
    {
      g_output_stream_close (g_subprocess_get_stdin_pipe (fx->proxy), NULL, NULL);
      g_subprocess_force_exit (fx->proxy);
      g_subprocess_wait (fx->proxy, NULL, NULL);
      g_clear_object (&fx->proxy);
    }
  ph_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
  if (fx->tmpdir != NULL)
    {
      g_autofree char *cert = g_build_filename (fx->tmpdir, "cert.pem", NULL);
      g_autofree char *key = g_build_filename (fx->tmpdir, "key.pem", NULL);

      g_unlink (cert);
      g_unlink (key);
      g_rmdir (fx->tmpdir);
      g_free (fx->tmpdir);
    }
  g_free (fx->cert_pem);
}

static gint64
proxy_stat (Fixture    *fx,
            const char *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/stats", fx->stats_port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), name);
}

typedef struct {
  Fixture    *fx;
  const char *name;
  gint64      value;
} StatWait;

static gboolean
stat_is (gpointer data)
{
  StatWait *w = data;
  return proxy_stat (w->fx, w->name) == w->value;
}

static void
wait_stat (Fixture    *fx,
           const char *name,
           gint64      value)
{
  StatWait w = { fx, name, value };
  g_autofree char *what = g_strdup_printf ("proxy counter %s to be %" G_GINT64_FORMAT, name, value);

  wt_wait (stat_is, &w, what);
}

static void
test_multiplexed_h2 (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(PhWatchHub) hub = ph_watch_hub_new (PH_WATCH_STRATEGY_MULTIPLEXED);
  g_autofree char *url = NULL;
  const char *namespaces[] = { "default", "kube-system", "payments", "checkout", NULL };
  PhListCache *caches[5];

  if (!have_program ("node") || !have_program ("openssl"))
    {
      g_test_skip ("node and openssl are needed for the HTTP/2 proxy");
      return;
    }
  start_proxy (fx, "h2", 0);
  url = g_strdup_printf ("https://127.0.0.1:%u", fx->port);
  cluster = ph_cluster_new_for_server ("h2", url, NULL, fx->cert_pem, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PhQuery) q = ph_query_new (cluster, "", "v1", "pods", namespaces[i], NULL, NULL);
      caches[i] = ph_watch_hub_acquire (hub, q);
    }
  for (guint i = 0; i < 5; i++)
    wt_wait_live (caches[i]);
  ph_sim_server_churn_steps (fx->sim, 200);
  for (guint i = 0; i < 5; i++)
    wt_wait_cache_matches (caches[i], fx->sim, "pods", namespaces[i]);

  /* Five watches open at the server, all as streams of one connection. */
  wt_wait_server_watches (fx->sim, 5);
  g_assert_cmpint (proxy_stat (fx, "h2_connections_total"), ==, 1);
  g_assert_cmpint (proxy_stat (fx, "http1_connections_total"), ==, 0);
  g_assert_cmpint (proxy_stat (fx, "connections_total"), ==, 1);
  g_assert_cmpint (proxy_stat (fx, "streams_open"), ==, 5);
  g_assert_cmpint (proxy_stat (fx, "streams_total"), >=, 5);

  /* Leaving closes the streams, not necessarily the connection. */
  for (guint i = 0; i < 5; i++)
    {
      ph_watch_hub_release (hub, caches[i]);
      g_object_unref (caches[i]);
    }
  wait_stat (fx, "streams_open", 0);
  wt_wait_server_watches (fx->sim, 0);
}

/* More watches than the server allows streams per connection (the
 * apiserver: 100; here 3): libsoup would queue the extra streams behind
 * the open ones forever, so the extra watches must travel as WebSockets
 * and every watch must run. */
static void
test_multiplexed_stream_limit (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(PhWatchHub) hub = ph_watch_hub_new (PH_WATCH_STRATEGY_MULTIPLEXED);
  g_autofree char *url = NULL;
  const char *namespaces[] = { "default", "kube-system", "payments", "checkout", NULL };
  PhListCache *caches[5];

  if (!have_program ("node") || !have_program ("openssl"))
    {
      g_test_skip ("node and openssl are needed for the HTTP/2 proxy");
      return;
    }
  start_proxy (fx, "h2", 3);
  url = g_strdup_printf ("https://127.0.0.1:%u", fx->port);
  cluster = ph_cluster_new_for_server ("h2", url, NULL, fx->cert_pem, &error);
  g_assert_no_error (error);
  g_object_set (hub, "max-streams-per-connection", 3, NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PhQuery) q = ph_query_new (cluster, "", "v1", "pods", namespaces[i], NULL, NULL);
      caches[i] = ph_watch_hub_acquire (hub, q);
    }
  for (guint i = 0; i < 5; i++)
    wt_wait_live (caches[i]);
  wt_wait_server_watches (fx->sim, 5);
  ph_sim_server_churn_steps (fx->sim, 200);
  for (guint i = 0; i < 5; i++)
    wt_wait_cache_matches (caches[i], fx->sim, "pods", namespaces[i]);
  /* Two watches as streams (one stream stays free for requests), three
   * as WebSockets, all on one HTTP/2 connection plus the sockets. */
  g_assert_cmpint (proxy_stat (fx, "h2_connections_total"), ==, 1);
  g_assert_cmpint (proxy_stat (fx, "streams_open"), ==, 2);
  g_assert_cmpint (proxy_stat (fx, "websockets_open"), ==, 3);

  for (guint i = 0; i < 5; i++)
    {
      ph_watch_hub_release (hub, caches[i]);
      g_object_unref (caches[i]);
    }
  wait_stat (fx, "streams_open", 0);
  wait_stat (fx, "websockets_open", 0);
  wt_wait_server_watches (fx->sim, 0);
}

static void
test_websocket_one_socket (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhCluster) cluster = NULL;
  g_autoptr(PhWatchHub) hub = ph_watch_hub_new (PH_WATCH_STRATEGY_WEBSOCKET);
  g_autoptr(PhQuery) q = NULL;
  g_autofree char *url = NULL;
  PhListCache *caches[4];

  if (!have_program ("node"))
    {
      g_test_skip ("node is needed for the counting proxy");
      return;
    }
  start_proxy (fx, "tcp", 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", fx->port);
  cluster = ph_cluster_new_for_server ("ws", url, NULL, NULL, &error);
  g_assert_no_error (error);
  q = ph_query_new (cluster, "", "v1", "pods", "kube-system", NULL, NULL);

  for (guint i = 0; i < 4; i++)
    caches[i] = ph_watch_hub_acquire (hub, q);
  wt_wait_live (caches[0]);
  wait_stat (fx, "websockets_open", 1);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (caches[0], fx->sim, "pods", "kube-system");
  g_assert_cmpint (proxy_stat (fx, "websockets_total"), ==, 1);
  g_assert_cmpint (proxy_stat (fx, "websockets_open"), ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      ph_watch_hub_release (hub, caches[i]);
      g_object_unref (caches[i]);
    }
  wt_spin (200);
  g_assert_cmpint (proxy_stat (fx, "websockets_open"), ==, 1);
  ph_watch_hub_release (hub, caches[3]);
  g_object_unref (caches[3]);
  wait_stat (fx, "websockets_open", 0);
  wt_wait_server_watches (fx->sim, 0);

  /* Leaving while the socket is being opened: the server is slow to
   * answer, the consumer gives up, the socket goes. */
  {
    g_autoptr(PhQuery) q2 = ph_query_new (cluster, "", "v1", "pods", "payments", NULL, NULL);
    PhListCache *cache;
    gint64 before = proxy_stat (fx, "websockets_total");

    cache = ph_watch_hub_acquire (hub, q2);
    wt_wait_live (cache);
    /* Reconnect against a slow server and leave mid-handshake. */
    ph_sim_server_set_latency (fx->sim, 2000);
    ph_sim_server_drop_watches (fx->sim);
    wait_stat (fx, "websockets_total", before + 2);
    g_assert_cmpuint (ph_watch_hub_get_n_upstream (hub), ==, 1);
    ph_watch_hub_release (hub, cache);
    g_object_unref (cache);
    g_assert_cmpuint (ph_watch_hub_get_n_upstream (hub), ==, 0);
    wait_stat (fx, "websockets_open", 0);
    ph_sim_server_set_latency (fx->sim, 0);
    wt_wait_server_watches (fx->sim, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wt_init_logging ();

  g_test_add ("/porthole/watch-proxy/multiplexed-h2-one-connection", Fixture, NULL,
              fixture_setup, test_multiplexed_h2, fixture_teardown);
  g_test_add ("/porthole/watch-proxy/multiplexed-h2-stream-limit", Fixture, NULL,
              fixture_setup, test_multiplexed_stream_limit, fixture_teardown);
  g_test_add ("/porthole/watch-proxy/websocket-one-socket-per-query", Fixture, NULL,
              fixture_setup, test_websocket_one_socket, fixture_teardown);

  return g_test_run ();
}
