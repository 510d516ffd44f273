/* bench-sim-watch.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "ph-sim-server.h"

/* How many watch events per second the simulated cluster delivers to one
 * watcher: churn runs on the server while a plain HTTP client reads the
 * chunked stream, until the bookmark that follows the last change. */

#define PODS 5000
#define STEPS 8000

typedef struct {
  PhSimServer *server;
  guint        steps;
  guint64      final_rv;     /* atomic: set before the closing bookmark */
} ChurnJob;

static gpointer
churn_thread (gpointer data)
{
  ChurnJob *job = data;

  ph_sim_server_churn_steps (job->server, job->steps);
  g_atomic_pointer_set (&job->final_rv, ph_sim_server_get_resource_version (job->server));
  ph_sim_server_bookmark_watches (job->server);
  return NULL;
}

static gboolean
is_final_bookmark (const char *line,
                   gsize       length,
                   ChurnJob   *job)
{
  guint64 final_rv = (guint64) g_atomic_pointer_get (&job->final_rv);
  g_autofree char *needle = NULL;

  if (final_rv == 0 || !g_str_has_prefix (line, "{\"type\":\"BOOKMARK\""))
    return FALSE;
  needle = g_strdup_printf ("\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", final_rv);
  return g_strstr_len (line, length, needle) != NULL;
}

static void
bench_chunked (void)
{
  PhSimOptions options;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *watch = NULL;
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autofree char *buffer = g_malloc (1 << 16);
  ChurnJob job = { 0 };
  GThread *thread;
  guint64 events = 0, bytes = 0;
  gint64 start, elapsed;
  gboolean done = FALSE;

  ph_sim_options_init (&options);
  options.pods = PODS;
  options.namespaces = 10;
  options.history_size = 200000;
  server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (server, &error));
  g_assert_no_error (error);
  url = ph_sim_server_get_url (server);

  watch = g_strdup_printf ("%s/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=%" G_GUINT64_FORMAT,
                           url, ph_sim_server_get_resource_version (server));
  msg = soup_message_new ("GET", watch);
  stream = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  job.server = server;
  job.steps = STEPS;
  start = g_get_monotonic_time ();
  thread = g_thread_new ("churn", churn_thread, &job);

  while (!done)
    {
      gssize n = g_input_stream_read (stream, buffer, 1 << 16, NULL, &error);
      char *line;

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      bytes += n;
      g_string_append_len (pending, buffer, n);

      while (!done && (line = memchr (pending->str, '\n', pending->len)) != NULL)
        {
          gsize length = line - pending->str;

          if (is_final_bookmark (pending->str, length, &job))
            done = TRUE;
          else if (!g_str_has_prefix (pending->str, "{\"type\":\"BOOKMARK\""))
            events++;
          g_string_erase (pending, 0, length + 1);
        }
    }

  elapsed = g_get_monotonic_time () - start;
  g_thread_join (thread);

  /* Rendering the changed objects is included: it is part of what a
   * watcher waits for. */
  printf ("# watch throughput (chunked HTTP, one watcher, %u pods): %" G_GUINT64_FORMAT
          " pod events in %.2f s = %.0f events/s, %.1f MB/s\n",
          PODS, events, elapsed / 1e6, events / (elapsed / 1e6), bytes / (elapsed / 1e6) / 1e6);
  g_assert_cmpuint (events, >, STEPS / 2);
  g_clear_object (&stream);
  g_clear_object (&msg);

  /* The same events again, replayed from the history: delivery alone,
   * without rendering. */
  {
    guint64 replayed = 0;

    msg = soup_message_new ("GET", watch);
    start = g_get_monotonic_time ();
    stream = soup_session_send (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_string_truncate (pending, 0);
    bytes = 0;
    while (replayed < events)
      {
        gssize n = g_input_stream_read (stream, buffer, 1 << 16, NULL, &error);
        const char *p;
        char *line;

        g_assert_no_error (error);
        g_assert_cmpint (n, >, 0);
        bytes += n;
        /* Appending may move the text. */
        g_string_append_len (pending, buffer, n);
        p = pending->str;
        while ((line = memchr (p, '\n', pending->len - (p - pending->str))) != NULL)
          {
            if (!g_str_has_prefix (p, "{\"type\":\"BOOKMARK\""))
              replayed++;
            p = line + 1;
          }
        g_string_erase (pending, 0, p - pending->str);
      }
    elapsed = g_get_monotonic_time () - start;
    printf ("# watch replay throughput (chunked HTTP, one watcher): %" G_GUINT64_FORMAT
            " pod events in %.2f s = %.0f events/s, %.1f MB/s\n",
            replayed, elapsed / 1e6, replayed / (elapsed / 1e6), bytes / (elapsed / 1e6) / 1e6);
  }

  g_clear_object (&stream);
  ph_sim_server_stop (server);
}

typedef struct {
  ChurnJob *job;
  guint64   events;
  guint64   bytes;
  gboolean  done;
} WsCount;

static void
on_frame (SoupWebsocketConnection *ws,
          int                      type,
          GBytes                  *message,
          WsCount                 *count)
{
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  count->bytes += length;
  if (is_final_bookmark (text, length, count->job))
    count->done = TRUE;
  else if (!g_str_has_prefix (text, "{\"type\":\"BOOKMARK\""))
    count->events++;
}

static void
on_ws_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SoupWebsocketConnection **ws = user_data;
  g_autoptr(GError) error = NULL;

  *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static void
bench_websocket (void)
{
  PhSimOptions options;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *watch = NULL;
  ChurnJob job = { 0 };
  WsCount count = { &job, 0, 0, FALSE };
  GThread *thread;
  gint64 start, elapsed;

  ph_sim_options_init (&options);
  options.pods = PODS;
  options.namespaces = 10;
  options.history_size = 200000;
  server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (server, &error));
  g_assert_no_error (error);
  url = ph_sim_server_get_url (server);

  watch = g_strdup_printf ("%s/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=%" G_GUINT64_FORMAT,
                           url, ph_sim_server_get_resource_version (server));
  msg = soup_message_new ("GET", watch);
  soup_session_websocket_connect_async (session, msg, "http://localhost", NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_ws_ready, &ws);
  while (ws == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* As a real client must (libsoup closes on frames over 128 KiB). */
  soup_websocket_connection_set_max_incoming_payload_size (ws, 16 << 20);
  g_signal_connect (ws, "message", G_CALLBACK (on_frame), &count);

  job.server = server;
  job.steps = STEPS;
  start = g_get_monotonic_time ();
  thread = g_thread_new ("churn", churn_thread, &job);
  while (!count.done)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;
  g_thread_join (thread);

  printf ("# watch throughput (WebSocket, one watcher, %u pods): %" G_GUINT64_FORMAT
          " pod events in %.2f s = %.0f events/s, %.1f MB/s\n",
          PODS, count.events, elapsed / 1e6, count.events / (elapsed / 1e6), count.bytes / (elapsed / 1e6) / 1e6);
  g_assert_cmpuint (count.events, >, STEPS / 2);

  g_signal_handlers_disconnect_by_data (ws, &count);
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&ws);
  ph_sim_server_stop (server);
}

/* How long a watch with sendInitialEvents takes to deliver its first
 * event and its whole initial state, on a large cluster. */

#define INITIAL_PODS 50000

static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
bench_initial_events (void)
{
  PhSimOptions options;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *watch = NULL;
  g_autofree char *buffer = g_malloc (1 << 16);
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autoptr(GPtrArray) truth = NULL;
  guint64 events = 0, bytes = 0, rss_before;
  gint64 start, first = 0, elapsed;
  gboolean done = FALSE;

  ph_sim_options_init (&options);
  options.pods = INITIAL_PODS;
  options.namespaces = 50;
  server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (server, &error));
  g_assert_no_error (error);
  url = ph_sim_server_get_url (server);
  truth = ph_sim_server_snapshot (server, "pods", NULL);
  rss_before = peak_rss_kib ();

  watch = g_strdup_printf ("%s/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                           "&allowWatchBookmarks=true", url);
  msg = soup_message_new ("GET", watch);
  start = g_get_monotonic_time ();
  stream = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  while (!done)
    {
      gssize n = g_input_stream_read (stream, buffer, 1 << 16, NULL, &error);
      const char *p;
      char *line;

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      bytes += n;
      g_string_append_len (pending, buffer, n);
      p = pending->str;
      while (!done && (line = memchr (p, '\n', pending->len - (p - pending->str))) != NULL)
        {
          if (g_str_has_prefix (p, "{\"type\":\"BOOKMARK\""))
            done = TRUE;
          else if (events++ == 0)
            first = g_get_monotonic_time () - start;
          p = line + 1;
        }
      g_string_erase (pending, 0, p - pending->str);
    }
  elapsed = g_get_monotonic_time () - start;

  printf ("# initial events (chunked HTTP, sendInitialEvents, %u pods): first event after %.1f ms, "
          "%" G_GUINT64_FORMAT " events (%.0f MB) in %.2f s, peak RSS +%" G_GUINT64_FORMAT " MB\n",
          INITIAL_PODS, first / 1e3, events, bytes / 1e6, elapsed / 1e6,
          (peak_rss_kib () - rss_before) / 1024);
  g_assert_cmpuint (events, ==, truth->len);

  g_clear_object (&stream);
  ph_sim_server_stop (server);
}

typedef struct {
  guint64  events;
  guint64  bytes;
  gint64   start;
  gint64   first;
  gboolean done;
} WsInitial;

static void
on_initial_frame (SoupWebsocketConnection *ws,
                  int                      type,
                  GBytes                  *message,
                  WsInitial               *initial)
{
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  initial->bytes += length;
  if (g_str_has_prefix (text, "{\"type\":\"BOOKMARK\""))
    initial->done = TRUE;
  else if (initial->events++ == 0)
    initial->first = g_get_monotonic_time () - initial->start;
}

static void
bench_initial_events_websocket (void)
{
  PhSimOptions options;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 0, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) truth = NULL;
  g_autofree char *url = NULL;
  g_autofree char *watch = NULL;
  WsInitial initial = { 0 };
  guint64 rss_before;
  gint64 elapsed;

  ph_sim_options_init (&options);
  options.pods = INITIAL_PODS;
  options.namespaces = 50;
  server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (server, &error));
  g_assert_no_error (error);
  url = ph_sim_server_get_url (server);
  truth = ph_sim_server_snapshot (server, "pods", NULL);
  rss_before = peak_rss_kib ();

  watch = g_strdup_printf ("%s/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                           "&allowWatchBookmarks=true", url);
  msg = soup_message_new ("GET", watch);
  initial.start = g_get_monotonic_time ();
  soup_session_websocket_connect_async (session, msg, "http://localhost", NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_ws_ready, &ws);
  while (ws == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (ws, "message", G_CALLBACK (on_initial_frame), &initial);
  while (!initial.done)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - initial.start;

  printf ("# initial events (WebSocket, sendInitialEvents, %u pods): first event after %.1f ms, "
          "%" G_GUINT64_FORMAT " events (%.0f MB) in %.2f s, peak RSS +%" G_GUINT64_FORMAT " MB\n",
          INITIAL_PODS, initial.first / 1e3, initial.events, initial.bytes / 1e6, elapsed / 1e6,
          (peak_rss_kib () - rss_before) / 1024);
  g_assert_cmpuint (initial.events, ==, truth->len);

  g_signal_handlers_disconnect_by_data (ws, &initial);
  soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&ws);
  ph_sim_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/sim-bench/watch-throughput", bench_chunked);
  g_test_add_func ("/porthole/sim-bench/watch-throughput-websocket", bench_websocket);
  g_test_add_func ("/porthole/sim-bench/initial-events", bench_initial_events);
  g_test_add_func ("/porthole/sim-bench/initial-events-websocket", bench_initial_events_websocket);

  return g_test_run ();
}
